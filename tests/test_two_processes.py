"""Two app processes on one PostgreSQL (issue 19): an upload through one shows on the other at its next rerun.

Both are real ``scripts/start.sh`` servers; Debian's Chromium drives them. The second process reads
the overview and the briefing (演示模式) first, so its caches hold the figures from before the upload;
they must not be served once the first process has written a new figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.services.plans import open_database
from tests.live import screenshot, start_app, stop_app, wait_for_app

NEW_FIGURE = "1,111"  # 网络零售额 of the city in 2023, as the pages print it
UPLOAD = "indicator,region,year,value,note\nSX01,330600,2023,1111,两进程测试\n"


def _upload(page, base_url: str, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Upload, preview and commit a file on the 数据填报 page, as staff would."""
    page.goto(f"{base_url}/upload")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    page.get_by_role("heading", name="③ 预览变化").wait_for(timeout=60_000)
    wait_for_app(page)
    accept = page.get_by_text("我已核对以上提醒")
    if accept.count():  # a plausibility warning (change from the baseline): confirm it as staff would
        accept.click()
        wait_for_app(page)
    page.get_by_role("button", name="确认提交").click()
    page.get_by_text(re.compile("已提交，提交编号 \\d+")).wait_for(timeout=60_000)


def _overview_cells(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The scorecard's cell texts (the grid draws on a canvas; its hidden accessible table has the texts)."""
    cells = page.locator("[data-testid='stDataFrame']").first.locator("td[role='gridcell']")
    cells.filter(has_text="亿元").first.wait_for(state="attached", timeout=30_000)  # the 网络零售额 row is drawn
    return [t.strip() for t in cells.all_text_contents()]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_an_upload_through_one_process_shows_on_the_other(db_url: str, chromium_browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_database(db_url).dispose()  # schema and plan once, before two processes share the database
    path = tmp_path / "两进程.csv"
    path.write_text(UPLOAD, encoding="utf-8")
    first, first_url = start_app(db_url)
    second, second_url = start_app(db_url)
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        reader, writer = context.new_page(), context.new_page()
        reader.set_default_timeout(30_000)
        writer.set_default_timeout(30_000)

        reader.goto(second_url)  # the overview: caches the scorecard in the second process
        wait_for_app(reader)
        assert not any(NEW_FIGURE in cell for cell in _overview_cells(reader))
        reader.goto(f"{second_url}/present?year=2023&slide=1")  # caches the briefing there too
        wait_for_app(reader)
        reader.get_by_text("网络零售额").first.wait_for()
        assert NEW_FIGURE not in reader.inner_text("body")

        _upload(writer, first_url, path)

        # The next rerun of the open 演示模式 session (a click on ▶ and back) shows the new figure.
        reader.get_by_role("button", name="下一项 ▶").click()
        wait_for_app(reader)
        reader.get_by_role("button", name="◀ 上一项").click()
        wait_for_app(reader)
        reader.get_by_text(re.compile(NEW_FIGURE)).first.wait_for(timeout=30_000)
        screenshot(reader, "two_processes_present")
        # So does the overview served by the second process.
        reader.goto(second_url)
        wait_for_app(reader)
        assert f"{NEW_FIGURE} 亿元（2023年核实数）" in _overview_cells(reader)
        assert reader.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
        stop_app(first)
        stop_app(second)
