"""Every dashboard page in a real browser (Debian's Chromium): headings, no exception, a screenshot each."""

from __future__ import annotations

from pathlib import Path

from dashboard.services import demo
from dashboard.ui.widgets import DEMO_BANNER
from tests.live import screenshot, start_app, stop_app, wait_for_app

# url_path -> the page's Chinese heading
PAGES = {"": "总览", "indicator": "指标详情", "districts": "区县对比", "measures": "任务清单", "plan": "计划与目标"}


def _visit(page, base_url: str, path: str, heading: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/{path}")
    wait_for_app(page)
    page.get_by_role("heading", name=heading).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0, path
    assert page.get_by_text("Page not found").count() == 0
    if path in ("", "indicator", "districts") and page.locator("[data-testid='stPlotlyChart']").count():
        page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for()
    # A table, the tiles, or (a fresh database's 区县对比) the sentence saying what is missing.
    page.locator("[data-testid='stDataFrame'], table.kpi-table, .kpi-tiles, [data-testid='stAlert']").first.wait_for()
    page.wait_for_timeout(1500)  # let the charts finish drawing before the screenshot
    screenshot(page, name)


def test_every_page_opens_on_the_embedded_default(running_app: str, browser_page) -> None:  # type: ignore[no-untyped-def]
    for path, heading in PAGES.items():
        _visit(browser_page, running_app, path, heading, f"page-{path or 'overview'}")
    # The year chosen on one page is in the URL and survives a move to another page.
    browser_page.goto(f"{running_app}/?year=2025")
    wait_for_app(browser_page)
    assert "year=2025" in browser_page.url
    browser_page.get_by_role("link", name="区县对比").click()
    wait_for_app(browser_page)
    browser_page.get_by_role("heading", name="区县对比").first.wait_for()
    assert "year=2025" in browser_page.url


def test_every_page_on_the_demo_database_shows_the_banner(tmp_path: Path, browser_page) -> None:  # type: ignore[no-untyped-def]
    url, _report = demo.create_demo_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    process, base_url = start_app(url)
    try:
        for path, heading in PAGES.items():
            if path == "plan":
                continue
            _visit(browser_page, base_url, f"{path}?year=2024", heading, f"demo-{path or 'overview'}")
            assert browser_page.get_by_text(DEMO_BANNER).count() >= 1
    finally:
        stop_app(process)
