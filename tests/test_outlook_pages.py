"""预计全年 on the overview and indicator pages (AppTest, the monthly demo) and in the month deck."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.outlook import outlook_line
from dashboard.services import importer
from dashboard.services import monthly as monthly_service
from dashboard.services.plans import open_database
from tests.test_month_deck import texts
from tests.test_pages import html_tables
from tests.test_month_pages import demo_env, run  # noqa: F401  (fixture)


def _city_row(url: str, code: str, year: int, month: int) -> monthly_service.MonthRow:
    engine = open_database(url)
    try:
        (row,) = monthly_service.month_progress(engine, year, month, region="330600", indicator=code)
    finally:
        engine.dispose()
    return row


def test_overview_month_view_says_the_outlook(demo_env: str) -> None:  # noqa: F811
    at = run("overview.py", year="2025", month="9")
    frame = html_tables(at)[0]  # the month view's full table, HTML text
    retail = frame[frame["指标"] == "网络零售额"].iloc[0]["预计全年（按往年规律）"]
    row = _city_row(demo_env, "SX01", 2025, 9)
    assert row.outlook.forecast_basis_years == (2023, 2024)
    assert retail == outlook_line(row.outlook, 9, "亿元", 0)
    assert retail.startswith("预计全年") and "–" in retail and "后3个月需同比" in retail
    assert any(word in retail for word in ("预计可完成", "有望完成", "完成难度较大"))  # the verdict in words


def test_indicator_page_extends_the_chart_to_december_with_the_band(demo_env: str) -> None:  # noqa: F811
    at = run("indicator.py", year="2025", month="9", indicator="SX01")
    row = _city_row(demo_env, "SX01", 2025, 9)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in spec["data"]}
    band = traces["2025年预计全年区间（按往年规律）"]
    assert band["x"] == ["9月", "12月", "12月", "9月"] and band["fill"] == "toself"
    assert band["y"][1:3] == [row.outlook.forecast_low, row.outlook.forecast_high]
    line = traces["2025年预计全年"]
    assert line["x"] == ["9月", "12月"] and line["y"][1] == row.outlook.forecast
    assert any(outlook_line(row.outlook, 9, "亿元", 0) in m.value for m in at.markdown)
    shares = at.dataframe[0].value  # the table of past years' shares
    assert list(shares["年份"]) == ["2023年", "2024年"] and "1–9月占全年比重" in shares.columns


def test_month_deck_carries_the_outlook(fresh_db: Engine, tmp_path: Path) -> None:
    figures = ["indicator,region,year,month,value,status", "SX01,330600,2024,9,700,final",
               "SX01,330600,2024,12,1000,final", "SX01,330600,2025,9,925,final", "SX01,330600,2025,12,1200,final",
               "SX01,330600,2026,9,1012,final"]
    importer.commit_import(fresh_db, "m.csv", "\n".join(figures).encode(), "t", accept_warnings=True)
    out = tmp_path / "m.pptx"
    url = fresh_db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database", url, "brief", "--year", "2026", "--month", "9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    retail = next(s for s in Presentation(str(out)).slides if "网络零售额（亿元）" in texts(s))
    # Shares 70% and 77.08%: 1012 ÷ 0.7354 = 1376, range 1313–1446; target 1300 ≤ 1313: 预计可完成.
    body = texts(retail)
    assert "预计全年（按往年规律）\n预计全年1,376亿元（1,313–1,446），预计可完成" in body
    assert "同比 / 全年需增长 / 后3个月需增长\n9.4% / 8.3% / 4.7%" in body  # (1300 − 1012) ÷ (1200 − 925) − 1
    chart = next(shape.chart for shape in retail.shapes if shape.has_chart)
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series["预计全年"][8] == 1012 and series["预计全年"][11] == pytest.approx(1012 / ((0.7 + 925 / 1200) / 2))
    assert series["预计全年"][9:11] == [None, None]  # spanned: the line runs from 9月 to 12月
    assert (series["预计全年下限"][11], series["预计全年上限"][11]) == (pytest.approx(1012 / (925 / 1200)),
                                                                  pytest.approx(1012 / 0.7))


def test_presentation_mode_in_the_month_says_and_draws_the_outlook(demo_env: str) -> None:  # noqa: F811
    at = run("present.py", year="2025", month="9")
    row = _city_row(demo_env, "SX01", 2025, 9)  # the first slide: the plan's first core indicator
    sentence = outlook_line(row.outlook, 9, "亿元", 0).split("；")[0]  # the slide's key number: the sentence
    assert any(f'预计全年（按往年规律）</div><div class="value">{sentence}<' in m.value for m in at.markdown)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {trace["name"]: trace for trace in spec["data"]}
    assert traces["2025年预计全年"]["y"][1] == row.outlook.forecast
    assert traces["2025年预计全年区间（按往年规律）"]["y"][1:3] == [row.outlook.forecast_low, row.outlook.forecast_high]
    assert run("present.py", year="2025").query_params.get("month") in (None, "12")  # no period chosen: annual
