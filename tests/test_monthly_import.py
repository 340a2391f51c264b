"""Month-level imports: plausibility against the same month a year earlier, cumulative totals that shrink."""

from __future__ import annotations

import dataclasses

from test_bad_inputs import SHAOXING_CATALOG

from dashboard.plausibility import check_records
from dashboard.validation import Record

CITY = "330600"
# The shared catalog marks no kinds; here 网络零售额 (SX01) is the flow it is in the plan.
CATALOG = dataclasses.replace(SHAOXING_CATALOG, indicators=tuple(
    dataclasses.replace(i, kind="flow" if i.code == "SX01" else "stock") for i in SHAOXING_CATALOG.indicators))


def rec(value: float, month: int, indicator: str = "SX01", year: int = 2026, row: int = 2,
        status: str = "final") -> Record:
    return Record(indicator, CITY, year, month, status, value, None, "Sheet1", row)


def check(records: list[Record], stored: dict | None = None) -> list:
    return check_records(records, stored or {}, CATALOG, "m.xlsx")


def test_year_on_year_compares_the_same_month_of_the_previous_year() -> None:
    stored = {("SX01", CITY, 2025, 9, "final"): 400.0, ("SX01", CITY, 2025, 12, "final"): 1200.0}
    [issue] = check([rec(1012, 9, row=4)], stored)
    assert "1–9月" in issue.message and "上年同期（400" in issue.message and issue.row == 4
    assert check([rec(1012, 9)], {**stored, ("SX01", CITY, 2025, 9, "final"): 925.0}) == []


def test_a_cumulative_total_smaller_than_the_month_before_is_flagged_for_flows_only() -> None:
    stored = {("SX01", CITY, 2026, 8, "final"): 900.0}
    [issue] = check([rec(880, 9, row=7)], stored)
    assert issue.severity == "warning" and issue.row == 7 and issue.column == "数值"
    assert "小于2026年1–8月（900" in issue.message
    assert check([rec(905, 9)], stored) == []
    # A stock may fall from one month-end to the next.
    assert check([rec(15, 9, indicator="SX02")], {("SX02", CITY, 2026, 8, "final"): 16.0}) == []


def test_nearest_earlier_month_and_later_stored_month() -> None:
    assert check([rec(500, 9)], {("SX01", CITY, 2026, 6, "final"): 600.0})  # 1–6月 is the nearest earlier
    [issue] = check([rec(1000, 6)], {("SX01", CITY, 2026, 9, "final"): 950.0})
    assert "大于2026年1–9月（950" in issue.message
    [issue] = check([rec(1300, 11)], {("SX01", CITY, 2026, 12, "final"): 1250.0})
    assert "大于2026年全年" in issue.message


def test_one_inconsistency_in_one_file_gives_one_warning() -> None:
    issues = check([rec(900, 8, row=2), rec(880, 9, row=3)])
    assert [i.row for i in issues] == [3]


# ------------------------------------------------------------------------------- month templates


def test_month_template_round_trips_with_its_month_and_same_period_last_year(fresh_db) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    from dashboard.services import importer, template
    from dashboard.services import monthly as monthly_service

    importer.commit_import(fresh_db, "m.csv", b"indicator,region,year,month,value\nSX01,330600,2025,9,925\n", "t")
    t = template.build_template(fresh_db, 2026, month=9)
    assert t.file_name == "填报模板_绍兴市_2026年1–9月.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(t.data))
    assert wb.sheetnames == ["2026年1–9月数据", "填报说明"]
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[template.HEADER_ROW]]
    assert headers[:4] == ["指标代码", "行政区划代码", "年份", "月份"] and "上年同期" in headers
    row = next(r for r in ws.iter_rows(min_row=template.HEADER_ROW + 1) if r[0].value == "SX01")
    assert row[3].value == 9 and row[headers.index("上年同期")].value == 925
    assert "1–9月累计数" in "".join(str(c.value) for c in wb["填报说明"]["A"])
    row[headers.index("数值")].value = 1012
    buffer = io.BytesIO()
    wb.save(buffer)
    importer.commit_import(fresh_db, t.file_name, buffer.getvalue(), "t")
    (month_row,) = monthly_service.month_progress(fresh_db, 2026, 9, region="330600", indicator="SX01")
    assert (month_row.assessment.ytd, month_row.assessment.ytd_prior) == (1012, 925)
    # The whole-year template is unchanged: no month column.
    annual = openpyxl.load_workbook(io.BytesIO(template.build_template(fresh_db, 2026).data)).worksheets[0]
    assert "月份" not in [c.value for c in annual[template.HEADER_ROW]]


def test_month_template_from_the_command_line_and_bad_month(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from click.testing import CliRunner

    from dashboard.cli import main
    from dashboard.errors import InputError
    from dashboard.services import template

    url = fresh_db.url.render_as_string(hide_password=False)
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["--database", url, "template", "--year", "2026", "--month", "3", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    with pytest.raises(InputError, match="月份"):
        template.build_template(fresh_db, 2026, month=0)


def test_upload_page_offers_the_period(monkeypatch, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard/ui/pages/upload.py"),
                           default_timeout=60)
    at.run()
    period = at.selectbox(key="tpl_month")
    assert period.value == 12 and period.format_func(9) == "1–9月"
    at.selectbox(key="tpl_year").set_value(2026)
    period.set_value(9).run()
    assert not at.exception
    [download] = at.get("download_button")
    assert "2026年1–9月.xlsx" in download.proto.label
