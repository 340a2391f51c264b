"""Plausibility warnings: unit slips, year-on-year jumps, districts above the city; and their gate on commit."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from test_bad_inputs import SHAOXING_CATALOG

from dashboard.errors import InputError
from dashboard.plausibility import PlausibilityRules, check_records
from dashboard.services import importer
from dashboard.validation import Record
from tests.dbutil import table_contents

CITY, YUECHENG, KEQIAO = "330600", "330602", "330603"


def rec(value: float, indicator: str = "SX02", region: str = CITY, year: int = 2023, row: int = 2,
        status: str = "final", month: int = 12) -> Record:
    return Record(indicator, region, year, month, status, value, None, "Sheet1", row)


def check(records: list[Record], stored: dict | None = None, **rules: float) -> list:
    return check_records(records, stored or {}, SHAOXING_CATALOG, "f.xlsx", PlausibilityRules(**rules))


def test_67000_for_6_7_wan_is_a_unit_slip_and_says_what_was_meant() -> None:
    stored = {("SX02", CITY, 2022, 12, "final"): 6.7}
    [issue] = check([rec(67000, row=5)], stored)
    assert issue.severity == "warning"
    assert (issue.file, issue.sheet, issue.row, issue.column) == ("f.xlsx", "Sheet1", 5, "数值")
    assert "可能是单位填错" in issue.message and "万家" in issue.message and "1 万倍" in issue.message
    assert "是否应为 6.7" in issue.message
    # One warning per row: the 10,000-fold jump is not reported a second time as a year-on-year change.
    assert "增长" not in issue.message


def test_a_ten_thousandth_of_the_stored_value_is_a_unit_slip() -> None:
    stored = {("SX01", YUECHENG, 2024, 12, "final"): 180.0}
    [issue] = check([rec(0.018, indicator="SX01", region=YUECHENG, year=2024)], stored)
    assert "万分之一" in issue.message and "已有数值" in issue.message


def test_previous_year_in_the_same_file_counts() -> None:
    issues = check([rec(6.7, year=2022, row=2), rec(67000, year=2023, row=3)])
    assert [i.row for i in issues] == [3]


@pytest.mark.parametrize(("previous", "value", "warned"), [
    (100, 199, False), (100, 201, True), (100, 51, False), (100, 49, True), (0, 300, False),
])
def test_year_on_year_threshold(previous: float, value: float, warned: bool) -> None:
    stored = {("SX03", CITY, 2023, 12, "final"): previous}
    issues = check([rec(value, indicator="SX03", year=2024)], stored)
    assert bool(issues) == warned
    if warned:
        assert ("增长" if value > previous else "下降") in issues[0].message


def test_year_on_year_threshold_is_configurable() -> None:
    stored = {("SX03", CITY, 2023, 12, "final"): 100}
    assert not check([rec(160, indicator="SX03", year=2024)], stored)
    assert check([rec(160, indicator="SX03", year=2024)], stored, max_yoy_ratio=1.5)


def test_previous_year_falls_back_to_the_other_status() -> None:
    stored = {("SX03", CITY, 2023, 12, "preliminary"): 100}
    assert check([rec(300, indicator="SX03", year=2024)], stored)


@pytest.mark.parametrize("bad", [{"max_yoy_ratio": 0.5}, {"unit_tolerance": 20000}, {"sum_tolerance": -1}])
def test_invalid_rules_are_rejected_in_chinese(bad: dict) -> None:
    with pytest.raises(InputError):
        PlausibilityRules(**bad)


def test_districts_above_the_city_figure() -> None:
    stored = {("SX01", CITY, 2024, 12, "final"): 1000.0, ("SX01", YUECHENG, 2023, 12, "final"): 590.0}
    issues = check([rec(600, indicator="SX01", region=YUECHENG, year=2024, row=2),
                    rec(500, indicator="SX01", region=KEQIAO, year=2024, row=3)], stored)
    [issue] = issues
    assert "区县合计 1,100" in issue.message and "大于全市数 1,000" in issue.message
    assert "越城区" in issue.message and "柯桥区" in issue.message and issue.row == 2


def test_district_sum_within_rounding_is_fine_and_city_only_is_not_summed() -> None:
    stored = {("SX01", CITY, 2024, 12, "final"): 1000.0}
    assert not check([rec(600.4, indicator="SX01", region=YUECHENG, year=2024),
                      rec(400, indicator="SX01", region=KEQIAO, year=2024, row=3)], stored)
    # A district sum is compared only within the same status.
    assert not check([rec(2000, indicator="SX01", region=YUECHENG, year=2024, status="preliminary")], stored)


GOOD = "indicator,region,year,value\nSX02,330600,2023,67000\nSX01,330602,2023,180\n"


def test_commit_with_warnings_needs_confirmation_and_writes_nothing_without_it(fresh_db: Engine) -> None:
    preview = importer.preview_import(fresh_db, "slip.csv", GOOD.encode())
    assert [w.row for w in preview.warnings] == [2]
    before = table_contents(fresh_db)
    with pytest.raises(importer.WarningsNotAccepted) as caught:
        importer.commit_import(fresh_db, "slip.csv", GOOD.encode(), actor="测试员")
    assert "可能是单位填错" in str(caught.value) and "第 2 行" in str(caught.value)
    assert table_contents(fresh_db) == before
    result = importer.commit_import(fresh_db, "slip.csv", GOOD.encode(), actor="测试员", accept_warnings=True)
    assert result.submission_id is not None and result.preview.count("new") == 2


def test_cli_lists_warnings_and_imports_only_when_accepted(fresh_db: Engine, db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli import kpi

    path = tmp_path / "slip.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, output = kpi(db_url, "import", str(path), "--dry-run")
    assert code == 0 and "提醒 1 条" in output and "可能是单位填错" in output and "--accept-warnings" in output
    before = table_contents(fresh_db)
    code, output = kpi(db_url, "import", str(path))
    assert code == 1 and "需要确认的提醒" in output and "第 2 行" in output
    assert table_contents(fresh_db) == before
    code, output = kpi(db_url, "import", str(path), "--accept-warnings")
    assert code == 0 and "已导入" in output and "已确认" in output
