"""In a real browser: preview, a colleague changes the value from the command line, confirm → nothing
written, the message names the change, and the fresh preview is on screen."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dashboard.cli import main
from dashboard.services import exporter
from dashboard.storage.db import make_engine
from tests.live import screenshot, wait_for_app

HEADER = "indicator,region,year,value\n"


def kpi_import(url: str, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--database", url, "import", str(path), "--accept-warnings"])
    assert result.exit_code == 0, result.output


def stored(url: str) -> float:
    engine = make_engine(url)
    try:
        return next(r["value"] for r in exporter.export_rows(engine)
                    if (r["indicator"], r["region"], r["year"]) == ("SX01", "330602", 2024))
    finally:
        engine.dispose()


def grid_texts(page) -> list[str]:  # type: ignore[no-untyped-def]
    cells = page.locator("[data-testid='stDataFrame']").first.locator("td[role='gridcell']")
    cells.first.wait_for(state="attached", timeout=30_000)
    return [t.strip() for t in cells.all_text_contents()]


def test_a_stale_preview_is_not_committed(running_app: str, browser_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    kpi_import(url, tmp_path / "base.csv", HEADER + "SX01,330602,2024,1100\n")
    page = browser_page
    page.goto(f"{running_app}/upload")
    wait_for_app(page)
    clerk = tmp_path / "clerk.csv"
    clerk.write_text(HEADER + "SX01,330602,2024,1200\n", encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(clerk))
    page.get_by_role("heading", name="③ 预览变化").wait_for(timeout=60_000)
    wait_for_app(page)
    assert "1,100 → 1,200" in grid_texts(page) or "1100 → 1200" in grid_texts(page)

    kpi_import(url, tmp_path / "fix.csv", HEADER + "SX01,330602,2024,1150\n")  # a colleague, meanwhile
    page.get_by_role("button", name="确认提交").click()
    page.get_by_text("预览后，以下 1 个数值已被提交").wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert stored(url) == 1150
    texts = grid_texts(page)
    assert "1150 → 1200" in texts or "1,150 → 1,200" in texts, texts
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        # The fresh preview and the message below it, as the clerk sees them after the click.
        page.locator("[data-testid='stAlert']").last.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        screenshot(page, f"upload_stale_preview_{width}x{height}")
