"""The 通报 opens in LibreOffice Writer: converted to PDF (A4, Chinese text in CJK faces), every page kept as a PNG.

The PDFs and PNGs (artifacts/report/, kept by CI) are for looking at: the demo 通报 of 1–9月 2025 and the
通报 of a fresh database. LibreOffice runs with tests/fixtures/fontconfig/fonts.conf, which maps the 公文
faces (仿宋_GB2312 …) to the machine's Noto CJK faces as an office PC's fonts would be.

Needs ``soffice`` (libreoffice-writer) and poppler-utils; skipped without them (CI installs both and fails
on any skip).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.services import demo
from dashboard.services import report as report_service
from tests.live import ARTIFACTS

FONTCONFIG = Path(__file__).parent / "fixtures" / "fontconfig" / "fonts.conf"
pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftoppm") and shutil.which("pdffonts")),
    reason="LibreOffice (soffice) or poppler-utils not installed",
)


def _to_pdf(docx: Path, tmp_path: Path) -> Path:
    profile = (tmp_path / "lo-profile").as_uri()  # private: a concurrent LibreOffice cannot block the run
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180, env=env)
    return docx.with_suffix(".pdf")


@pytest.mark.parametrize("source", ["demo", "fresh"])
def test_report_converts_to_an_a4_pdf_in_cjk_faces(source: str, fresh_sqlite: Engine, tmp_path: Path) -> None:
    if source == "demo":
        demo.write_demo(fresh_sqlite)
        year, month = 2025, 9
    else:
        year, month = 2026, None
    docx = tmp_path / f"report-{source}.docx"
    report_service.write_report(fresh_sqlite, year, docx, month)
    pdf = _to_pdf(docx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4 in points
    assert 2 <= pages <= (8 if source == "demo" else 4)  # the text, then the 附表 on its own page
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "SerifCJK" in fonts  # 仿宋 / 小标宋 fall back to a CJK serif, not boxes or a sans face

    out = ARTIFACTS / "report"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{source}*"):
        old.unlink()
    shutil.copy(pdf, out / f"{source}.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(pdf), str(out / f"{source}-page")], check=True,
                   capture_output=True, timeout=300)
    kept = sorted(out.glob(f"{source}-page-*.png"))
    assert len(kept) == pages
    assert all(p.stat().st_size > 5_000 for p in kept)
