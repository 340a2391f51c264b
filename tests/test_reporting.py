"""Reporting periods (报送期) and the 报送情况 grid: the pure rules, the service, the export and ``kpi status``."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import Engine

from dashboard import auth, reporting
from dashboard.auth import Actor
from dashboard.cli import main
from dashboard.errors import InputError, PermissionDenied
from dashboard.reporting import Evidence, cell_state, default_deadline
from dashboard.services import audit, importer, review
from dashboard.services import reporting as reporting_service

OWN, OTHER, THIRD, CITY = "330602", "330603", "330604", "330600"
REPORTER = Actor("yue", auth.DISTRICT_REPORTER, "越城统计员", region_code=OWN)
OTHER_REPORTER = Actor("ke", auth.DISTRICT_REPORTER, "柯桥统计员", region_code=OTHER)
ADMIN = Actor("admin", auth.ADMIN, "管理员")
DEADLINE = date(2025, 3, 15)


@pytest.mark.parametrize(("year", "month", "expected"), [
    (2024, 12, date(2025, 3, 15)), (2025, 1, date(2025, 2, 15)), (2025, 6, date(2025, 7, 15)),
    (2025, 11, date(2025, 12, 15)),
])
def test_default_deadlines(year: int, month: int, expected: date) -> None:
    assert default_deadline(year, month) == expected


@pytest.mark.parametrize(("evidence", "today", "expected"), [
    (Evidence(published=True, pending=True, returned=True), date(2025, 9, 1), "published"),
    (Evidence(pending=True, returned=True), date(2025, 9, 1), "pending"),
    (Evidence(returned=True), date(2025, 3, 15), "returned"),  # the deadline day itself is still on time
    (Evidence(returned=True), date(2025, 3, 16), "overdue"),
    (Evidence(), date(2025, 3, 15), "missing"),
    (Evidence(), date(2025, 3, 16), "overdue"),
])
def test_cell_state(evidence: Evidence, today: date, expected: str) -> None:
    assert cell_state(evidence, DEADLINE, today) == expected
    assert cell_state(evidence, None, today) == "not_required"


def _upload(engine: Engine, actor: Actor, region: str, value: float) -> int:
    data = f"indicator,region,year,value\nSX01,{region},2024,{value}\n".encode()
    submission_id = importer.commit_import(engine, "s.csv", data, actor, accept_warnings=True).submission_id
    assert submission_id is not None
    return submission_id


@pytest.fixture
def reported(fresh_db: Engine) -> Engine:
    """SX01 for 2024: 越城 published (after review), 柯桥 pending, 上虞 returned, the rest nothing."""
    reporting_service.define_period(fresh_db, ADMIN, 2024, 12, DEADLINE)
    review.approve(fresh_db, ADMIN, _upload(fresh_db, REPORTER, OWN, 100.0))
    _upload(fresh_db, OTHER_REPORTER, OTHER, 90.0)
    third = Actor("shang", auth.DISTRICT_REPORTER, "上虞统计员", region_code=THIRD)
    review.return_submission(fresh_db, ADMIN, _upload(fresh_db, third, THIRD, 5.0), "单位应为亿元")
    return fresh_db


def test_grid_states_before_and_after_the_deadline(reported: Engine) -> None:
    on_time = reporting_service.status_grid(reported, 2024, today=date(2025, 3, 1))
    states = {region: on_time.cells[("SX01", region)].state for region, _name in on_time.regions}
    assert states == {CITY: "missing", OWN: "published", OTHER: "pending", THIRD: "returned", "330624": "missing",
                      "330681": "missing", "330683": "missing"}
    late = reporting_service.status_grid(reported, 2024, today=date(2025, 4, 1))
    assert late.cells[("SX01", THIRD)].text == "🔴 逾期" and late.cells[("SX01", OWN)].text == "✅ 已发布"
    assert late.cells[("SX01", OTHER)].text == "⏳ 待审核"
    # A correction waiting for review does not hide the published figure, but the cell says it.
    importer.commit_import(reported, "fix.csv", f"indicator,region,year,value\nSX01,{OWN},2024,101\n".encode(),
                           REPORTER, accept_warnings=True)
    fixed = reporting_service.status_grid(reported, 2024, today=date(2025, 4, 1)).cells[("SX01", OWN)]
    assert (fixed.state, fixed.text) == ("published", "✅ 已发布（更正待审核）")
    # City-only indicators are reported by the city alone.
    city_only = next(code for code, _ in late.indicators if late.cells[(code, OWN)].state == "not_required")
    assert late.cells[(city_only, CITY)].state == "overdue"
    assert [c.state for c in late.to_chase()][:1] == ["overdue"]


def test_an_indicator_period_wins_over_the_all_indicator_one_and_undefined_periods_are_not_required(
        reported: Engine) -> None:
    reporting_service.define_period(reported, ADMIN, 2024, 12, date(2025, 5, 1), indicator="网络零售额")
    grid = reporting_service.status_grid(reported, 2024, today=date(2025, 4, 1))
    assert grid.deadlines["SX01"] == date(2025, 5, 1) and grid.cells[("SX01", "330624")].state == "missing"
    assert grid.deadlines["SX02"] == DEADLINE and grid.cells[("SX02", "330624")].state == "overdue"
    monthly = reporting_service.status_grid(reported, 2024, 6, today=date(2025, 4, 1))
    assert {c.state for c in monthly.cells.values()} == {"not_required"}


def test_defining_periods_is_for_admins_validated_and_audited(fresh_db: Engine) -> None:
    for actor in (REPORTER, Actor("city", auth.CITY_STATISTICIAN, "市统计员"), Actor("v", auth.VIEWER)):
        with pytest.raises(PermissionDenied):
            reporting_service.define_period(fresh_db, actor, 2024, 12, DEADLINE)
    with pytest.raises(InputError, match="早于报送期"):
        reporting_service.define_period(fresh_db, ADMIN, 2025, 6, date(2025, 5, 1))
    reporting_service.define_period(fresh_db, ADMIN, 2024, 12, DEADLINE)
    reporting_service.define_period(fresh_db, ADMIN, 2024, 12, date(2025, 3, 31))  # changes, not duplicates
    assert [(p.label, p.indicator, p.deadline) for p in reporting_service.list_periods(fresh_db)] == [
        ("2024年", "全部指标", date(2025, 3, 31))]
    (line, _first) = [r for r in audit.audit_log(fresh_db, ADMIN) if r.action == "reporting_period"]
    assert (line.action_label, line.target, line.detail) == ("设置报送期", "全部指标｜2024年", "截止日期 2025-03-31")


def test_xlsx_export_has_the_grid_and_the_chase_list(reported: Engine) -> None:
    grid = reporting_service.status_grid(reported, 2024, today=date(2025, 4, 1))
    book = load_workbook(io.BytesIO(reporting_service.status_xlsx(grid)))
    sheet = book["报送情况"]
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["指标", "截止日期", "绍兴市", "越城区"]
    retail = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "网络零售额")
    assert retail[1:6] == ("2025-03-15", "🔴 逾期", "✅ 已发布", "⏳ 待审核", "🔴 逾期")
    chase = list(book["催报清单"].iter_rows(min_row=2, values_only=True))
    assert ("网络零售额", "上虞区", "🔴 逾期", "2025-03-15") in chase
    assert not any(row[1] in ("越城区", "柯桥区") and row[0] == "网络零售额" for row in chase)
    assert len(chase) == grid.count("overdue") + grid.count("returned") + grid.count("missing")


def test_kpi_status_and_period_commands(fresh_sqlite: Engine, sqlite_url: str) -> None:
    runner = CliRunner()

    def kpi(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(main, ["--database", sqlite_url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "截止 2025-03-15" in kpi("period", "set", "--year", "2024")  # the default annual deadline
    assert "截止 2025-07-20" in kpi("period", "set", "--year", "2025", "--month", "6", "--deadline", "2025-07-20",
                                    "--indicator", "SX01")
    _upload(fresh_sqlite, REPORTER, OWN, 100.0)
    data = json.loads(kpi("status", "--year", "2024", "--json"))
    retail = next(i for i in data["indicators"] if i["code"] == "SX01")
    assert retail["deadline"] == "2025-03-15" and retail["cells"][OWN] == "pending"
    expected = "missing" if date.today() <= date(2025, 3, 15) else "overdue"
    assert retail["cells"][OTHER] == expected
    text = kpi("status", "--year", "2024")
    assert "报送情况：2024年" in text and "⏳ 待审核" in text
    monthly = json.loads(kpi("status", "--year", "2025", "--month", "6", "--json"))
    assert [i["deadline"] for i in monthly["indicators"] if i["code"] == "SX01"] == ["2025-07-20"]
    assert reporting.CELL_LABELS[monthly["indicators"][1]["cells"][CITY]][1] == "无需报送"
