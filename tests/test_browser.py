"""The app in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

from tests.live import screenshot, wait_for_app


def test_plan_page_shows_the_indicator_table(running_app: str, browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(f"{running_app}/plan")
    wait_for_app(page)
    page.get_by_role("heading", name="计划与目标").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    page.locator("table.kpi-table").first.wait_for()  # HTML text tables: they wrap instead of scrolling
    screenshot(page, "plan")
    assert page.locator("table.kpi-table").count() == 2
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("绍政办发〔2023〕38号").count() >= 1
