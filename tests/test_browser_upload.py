"""The whole submission in a real browser: download the template, fill it, upload, preview, commit, see it."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from dashboard.services import template
from tests.live import screenshot, wait_for_app

NEW_VALUES = {"SX01": 1111, "SX03": 77}  # 网络零售额 (亿元), 平台 (个)


def fill_template(path: Path) -> int:
    """Type values into the downloaded template as staff would in Excel; return the template's year."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[template.HEADER_ROW]]
    year = None
    for row in ws.iter_rows(min_row=template.HEADER_ROW + 1):
        code = row[headers.index("指标代码")].value
        year = row[headers.index("年份")].value
        if code in NEW_VALUES:
            row[headers.index("数值")].value = NEW_VALUES[code]
            row[headers.index("状态")].value = "初步"
    wb.save(path)
    assert isinstance(year, int)
    return year


def test_template_to_overview(running_app: str, browser_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(f"{running_app}/upload")
    wait_for_app(page)
    page.get_by_role("heading", name="数据填报").wait_for()
    with page.expect_download() as download_info:
        page.locator("[data-testid='stDownloadButton'] button").click()
    download = download_info.value
    assert re.fullmatch(r"填报模板_绍兴市_\d{4}年\.xlsx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    year = fill_template(path)

    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    page.get_by_role("heading", name="③ 预览变化").wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    new_metric = page.locator("[data-testid='stMetric']").filter(has_text="新增")
    assert new_metric.locator("[data-testid='stMetricValue']").inner_text().strip() == "2"
    screenshot(page, "upload_preview")
    accept = page.get_by_text("我已核对以上提醒")
    if accept.count():  # warnings depend on the year's neighbours; confirm them like a user would
        accept.click()
        wait_for_app(page)
    page.get_by_role("button", name="确认提交").click()
    page.get_by_text(re.compile("已提交，提交编号 \\d+")).wait_for(timeout=60_000)
    screenshot(page, "upload_committed")

    page.goto(running_app)  # the overview (default page) opens on the newest year with actuals
    wait_for_app(page)
    page.get_by_role("heading", name="总览").wait_for()
    page.locator(".kpi-tiles").first.wait_for()
    assert page.get_by_text(f"绍兴市 · {year}年 · 核心指标").count() == 1
    # The tiles are HTML text: the uploaded figures with their unit and kind of figure.
    tiles = page.inner_text(".kpi-tiles")
    assert "1,111 亿元" in tiles and "77 个" in tiles and f"{year}年·初步数" in tiles
    screenshot(page, "overview_after_upload")
