"""The deck opens in LibreOffice: converted to PDF, one page per slide, first pages kept as PNGs.

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

from dashboard.services import deck
from tests.live import ARTIFACTS
from tests.test_deck import seed

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftoppm")),
    reason="LibreOffice (soffice) or poppler-utils not installed",
)


def test_deck_converts_to_pdf_with_one_page_per_slide(fresh_sqlite: Engine, tmp_path: Path) -> None:
    seed(fresh_sqlite)
    pptx = tmp_path / "briefing.pptx"
    slides = deck.write_deck(fresh_sqlite, 2024, pptx)
    # A private profile directory: a concurrent LibreOffice (or a stale lock) cannot block the run.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(pptx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "briefing.pdf"
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages == slides == len(Presentation(str(pptx)).slides)
    assert "Page size:" in info and re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width / height - 16 / 9) < 0.01

    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("deck-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "4", str(pdf), str(ARTIFACTS / "deck-page")],
                   check=True, capture_output=True, timeout=120)
    kept = sorted(ARTIFACTS.glob("deck-page-*.png"))
    assert len(kept) == 4
    assert all(p.stat().st_size > 5_000 for p in kept)  # rendered content, not blank pages
