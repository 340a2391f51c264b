"""District target allocation: arithmetic (pure) and the service (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard import auth
from dashboard.allocation import check_allocation, estimate_by_share
from dashboard.errors import InputError, PermissionDenied
from dashboard.services import allocation, importer
from dashboard.services import progress as progress_service
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Target

DISTRICTS = ["330602", "330603", "330604", "330624", "330681", "330683"]
ADMIN = auth.Actor("admin", auth.ADMIN, "管理员甲")


def test_estimate_by_share_adds_up_to_the_target() -> None:
    estimates = estimate_by_share(1200, {"a": 300, "b": 200, "c": 421}, decimals=0)
    assert estimates == {"a": 391, "b": 261, "c": 548}  # 1200×300/921=390.9, ×200/921=260.6, rest 548
    assert sum(estimates.values()) == 1200


@pytest.mark.parametrize(("baselines", "message"), [({"a": 1, "b": None}, "缺少基期实际值"), ({"a": 0, "b": 0}, "合计为 0")])
def test_estimate_needs_every_baseline(baselines: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        estimate_by_share(100, baselines, decimals=0)


def test_check_allocation_reports_a_shortfall() -> None:
    check = check_allocation(1200, {"a": 500, "b": 600, "c": None})
    assert (check.allocated_sum, check.shortfall, check.missing_districts, check.falls_short) == (1100, 100, ("c",), True)
    assert not check_allocation(1200, {"a": 600, "b": 600}).falls_short


def _baselines(engine: Engine) -> None:
    rows = "\n".join(f"SX01,{code},2022,{value}" for code, value in zip(DISTRICTS, [150, 200, 160, 60, 230, 121]))
    importer.commit_import(engine, "b.csv", f"indicator,region,year,value\n{rows}\n".encode(), "t")


def test_allocations_are_written_versioned_and_audited(fresh_db: Engine) -> None:
    submission = allocation.save_allocations(fresh_db, ADMIN, "SX01", 2025, {d: 200.0 for d in DISTRICTS})
    assert submission is not None
    view = allocation.allocation_view(fresh_db, "SX01", 2025)
    assert view.check.allocated_sum == 1200 and not view.check.falls_short
    assert {d.origin for d in view.districts} == {"allocated"}
    # A change supersedes; a blank leaves the target alone; an unchanged value writes nothing.
    allocation.save_allocations(fresh_db, ADMIN, "SX01", 2025, {"330602": 180.0, "330603": None, "330604": 200.0})
    view = allocation.allocation_view(fresh_db, "SX01", 2025)
    assert [d.value for d in view.districts][:3] == [180.0, 200.0, 200.0]
    assert view.check.falls_short and view.check.shortfall == pytest.approx(20)
    with session_factory(fresh_db)() as session:
        indicator = repo.indicator_by_code(session, "SX01")
        history = [t for t in repo.rows_written_by(session, Target, submission)]
        assert len(history) == 6 and not next(t for t in history if t.region_code == "330602").is_current
        assert repo.current_target(session, indicator.id, "330600", 2025).value == 1200  # city untouched
        assert accounts_repo.audit_events(session, action="allocation")[0].actor == ADMIN.label


def test_estimates_are_stored_as_estimated_and_drive_district_statuses(fresh_db: Engine) -> None:
    _baselines(fresh_db)
    estimates = allocation.estimate(fresh_db, "SX01", 2025)
    assert sum(estimates.values()) == 1200
    allocation.save_allocations(fresh_db, ADMIN, "SX01", 2025, estimates, origin="estimated", note="按2022年占比估算")
    importer.commit_import(fresh_db, "a.csv", b"indicator,region,year,value\nSX01,330602,2024,180\n", "t")
    (row,) = progress_service.progress(fresh_db, 2024, region="330602", indicator="SX01")
    (milestone,) = row.assessment.milestones
    assert row.target_origins == {2025: "estimated"}
    assert milestone.target == estimates["330602"]
    assert milestone.status in {"on_track", "at_risk", "behind", "achieved"}


def test_estimate_needs_all_district_baselines(fresh_db: Engine) -> None:
    with pytest.raises(InputError, match="缺少基期实际值"):
        allocation.estimate(fresh_db, "SX01", 2025)


@pytest.mark.parametrize("role", [auth.VIEWER, auth.DISTRICT_REPORTER, auth.CITY_STATISTICIAN])
def test_only_administrators_allocate(fresh_db: Engine, role: str) -> None:
    actor = auth.Actor("x", role, region_code="330602" if role == auth.DISTRICT_REPORTER else None)
    with pytest.raises(PermissionDenied, match="无权分解目标"):
        allocation.save_allocations(fresh_db, actor, "SX01", 2025, {"330602": 1.0})


def test_city_only_indicators_are_not_allocated(fresh_db: Engine) -> None:
    with pytest.raises(InputError, match="只统计全市"):
        allocation.allocation_view(fresh_db, "SX07", 2025)
