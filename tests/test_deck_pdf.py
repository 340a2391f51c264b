"""The deck opens in LibreOffice: converted to PDF, one page per slide, every slide kept as a PNG.

The PNGs (artifacts/deck/, kept by CI) are for looking at: the seeded deck and the demo deck, whose
滞后事项 fill two slides and an appendix.

Needs ``soffice`` (libreoffice-impress) and poppler-utils; skipped without them (CI installs both
and fails on any skip).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from sqlalchemy import Engine

from dashboard.services import deck, demo
from tests.live import ARTIFACTS
from tests.test_deck import seed

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftoppm")),
    reason="LibreOffice (soffice) or poppler-utils not installed",
)


def _to_pdf(pptx: Path, tmp_path: Path) -> Path:
    # A private profile directory: a concurrent LibreOffice (or a stale lock) cannot block the run.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(pptx)], check=True, capture_output=True, timeout=180)
    return pptx.with_suffix(".pdf")


def _render_slides(pdf: Path, name: str) -> list[Path]:
    """Every page of ``pdf`` as artifacts/deck/<name>-NN.png."""
    out = ARTIFACTS / "deck"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(pdf), str(out / name)], check=True, capture_output=True,
                   timeout=300)
    return sorted(out.glob(f"{name}-*.png"))


@pytest.mark.parametrize("source", ["seeded", "demo"])
def test_deck_converts_to_pdf_with_one_page_per_slide(source: str, fresh_sqlite: Engine, tmp_path: Path) -> None:
    if source == "seeded":
        seed(fresh_sqlite)
        year = 2024
    else:
        demo.write_demo(fresh_sqlite)
        year = 2025
    pptx = tmp_path / "briefing.pptx"
    slides = deck.write_deck(fresh_sqlite, year, pptx)
    pdf = _to_pdf(pptx, tmp_path)
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages == slides == len(Presentation(str(pptx)).slides)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width / height - 16 / 9) < 0.01

    kept = _render_slides(pdf, f"{source}-slide")
    assert len(kept) == slides
    assert all(p.stat().st_size > 5_000 for p in kept)  # rendered content, not blank pages
