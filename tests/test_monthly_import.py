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
