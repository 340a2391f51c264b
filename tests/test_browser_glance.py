"""The leaders' view in a real browser at 1280×720 (issue 12): the overview's first screen names every
city indicator that lags, no page scrolls sideways or shows English / "None", 演示模式 fits the screen.

Screenshots of every page at 1280×720 and 1920×1080 (demo and fresh database) go to artifacts/screens/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.services import demo, views
from dashboard.services.plans import open_database
from tests.live import ARTIFACTS, start_app, stop_app, wait_for_app

# url_path -> the page's Chinese heading (None: the page has no st.title, e.g. 演示模式)
PAGES = {"": "总览", "indicator": "指标详情", "districts": "区县对比", "measures": "任务清单",
         "plan": "计划与目标", "present": None, "upload": "数据填报", "history": "提交记录",
         "allocation": "目标分解", "audit": "操作日志", "login": None}
SIZES = ((1280, 720), (1920, 1080))
FORBIDDEN = ("None", "nan", "NaN", "Upload", "Drag and drop", "per file", "Page not found")
LAGGING = ("missed", "severe", "behind", "at_risk")

# Elements that scroll sideways (their content is wider than they are and they may scroll), and the
# page's own width; words that must never show, as whole words of the visible text.
PAGE_FACTS = """(forbidden) => {
  const sideways = [];
  for (const el of document.querySelectorAll('body *')) {
    const overflow = getComputedStyle(el).overflowX;
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && (overflow === 'auto' || overflow === 'scroll'))
      sideways.push(`${el.dataset.testid || el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  const text = document.body.innerText;
  const shown = forbidden.filter(w => new RegExp(`(^|[^A-Za-z])${w}([^A-Za-z]|$)`).test(text));
  return {sideways, shown, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""
# The text of the main area that is on the first screen (inside the viewport, no scrolling).
FIRST_SCREEN_TEXT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    const r = range.getBoundingClientRect();
    if (r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight) parts.push(walker.currentNode.textContent);
  }
  return parts.join(' ');
}"""


def _open(page, base_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/{path}")
    wait_for_app(page)
    heading = PAGES.get(path.split("?")[0])
    if heading:
        page.get_by_role("heading", name=heading).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0, path
    if page.locator("[data-testid='stPlotlyChart']").count():
        page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for()
    page.wait_for_timeout(800)  # let charts and grids finish drawing


def _check_every_page(page, base_url: str, tag: str, sizes=SIZES) -> None:  # type: ignore[no-untyped-def]
    out = ARTIFACTS / "screens"
    out.mkdir(parents=True, exist_ok=True)
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        for path in PAGES:
            _open(page, base_url, path)
            facts = page.evaluate(PAGE_FACTS, list(FORBIDDEN))
            assert facts["sideways"] == [], (path, width, facts["sideways"])
            assert facts["pageWidth"] <= facts["viewport"], (path, width)
            assert facts["shown"] == [], (path, width, facts["shown"])
            page.screenshot(path=str(out / f"{tag}-{path or 'overview'}-{width}x{height}.png"))


@pytest.fixture
def demo_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    url, _report = demo.create_demo_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    process, base_url = start_app(url)
    try:
        yield url, base_url
    finally:
        stop_app(process)


def test_overview_first_screen_names_every_lagging_city_indicator(demo_app, browser_page) -> None:  # type: ignore[no-untyped-def]
    url, base_url = demo_app
    engine = open_database(url)
    context = views.plan_context(engine)
    for year in (2024, 2025):
        rows = views.scorecard(engine, year, context.city.code)
        lagging = [r.current.indicator.name for r in rows
                   if (m := r.current.next_milestone()) is not None and m.status in LAGGING]
        assert lagging, year  # the demo sample lags in both years
        browser_page.set_viewport_size({"width": 1280, "height": 720})
        _open(browser_page, base_url, f"?year={year}")
        first_screen = browser_page.evaluate(FIRST_SCREEN_TEXT)
        for name in lagging:
            assert name in first_screen, (year, name)
    engine.dispose()


def test_present_mode_fits_720_px_and_leads_back_to_the_overview(demo_app, browser_page) -> None:  # type: ignore[no-untyped-def]
    _url, base_url = demo_app
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, base_url, "present?year=2025")
    for part in ("[data-testid='stPlotlyChart']", "[data-testid='stPlotlyChart'] .legend",
                 "[data-testid='stPlotlyChart'] .xtick", ".kpi-present .conclusion"):
        box = page.locator(part).first.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 720, (part, box)
    # No text under 24 px in the slide itself (title, status, conclusion, key numbers, buttons).
    small_text = """() => [...document.querySelectorAll(
        '.kpi-present *, [data-testid="stButton"] p, [data-testid="stDownloadButton"] p')]
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))  // text of its own
        .filter(e => parseFloat(getComputedStyle(e).fontSize) < 24)
        .map(e => `${getComputedStyle(e).fontSize} ${e.innerText.slice(0, 20)}`)"""
    assert page.evaluate(small_text) == []
    assert "第 1 / 8 项" in page.inner_text("[data-testid='stMain']")
    page.keyboard.press("ArrowRight")  # the → key moves to the next indicator
    page.get_by_text("第 2 / 8 项").wait_for()
    page.get_by_role("button", name="返回总览").click()
    page.get_by_role("heading", name="总览").first.wait_for()
    back = urlparse(page.url)
    assert back.path == "/" and "year=2025" in back.query  # the overview (the start page), same year


def test_no_page_scrolls_sideways_or_shows_english_on_the_demo_database(demo_app, browser_page) -> None:  # type: ignore[no-untyped-def]
    _url, base_url = demo_app
    _check_every_page(browser_page, base_url, "demo")


def test_no_page_scrolls_sideways_or_shows_english_on_a_fresh_database(running_app, browser_page) -> None:  # type: ignore[no-untyped-def]
    _check_every_page(browser_page, running_app, "fresh")
