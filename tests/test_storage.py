"""The plan store on SQLite and PostgreSQL: first start, idempotent loading, append-only history."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from dashboard.plan import load_plan_file
from dashboard.services.plans import PLAN_SOURCE, load_plan, open_database
from dashboard.ranking import PEER_CITIES
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction
from dashboard.storage.models import Observation, Submission, Target
from tests.conftest import FIXTURES
from tests.dbutil import table_contents


def test_first_start_loads_the_plan(fresh_db: Engine) -> None:
    with session_factory(fresh_db)() as session:
        core = repo.indicators(session, tier="core")
        assert [i.code for i in core] == [f"SX0{n}" for n in range(1, 9)]
        retail = core[0]
        assert (retail.name, retail.unit, retail.lead_unit) == ("网络零售额", "亿元", "市商务局")
        targets = {(t.year, t.value, t.origin) for t in repo.current_targets(session, [retail.id])}
        assert targets == {(2023, 1000.0, "published"), (2025, 1200.0, "published"), (2027, 1400.0, "published")}
        baseline = repo.current_observation(session, retail.id, "330600", 2022, 12, "final")
        assert baseline is not None and baseline.value == 921.0 and baseline.source == PLAN_SOURCE
        # 2022 is the only actual; the plan's later figures are targets, never actuals.
        assert {o.year for o in repo.current_observations(session)} == {2022}
        regions = repo.all_regions(session)
        home = [r.code for r in regions if r.code == "330600" or r.parent_code == "330600"]
        assert len(home) == 7 and regions[0].code == "330600" and regions[0].parent_code is None
        # The peer comparison (全省位次): 浙江省 and the other ten 设区市, listed after the home region.
        assert [(r.code, r.level) for r in regions[7:9]] == [("330000", "province"), ("330100", "city")]
        assert {r.code for r in regions if r.parent_code == "330000"} | {"330600"} == {c for c, _ in PEER_CITIES}
        assert repo.all_regions(session)[0].code == "330600"


def test_loading_twice_changes_nothing(fresh_db: Engine) -> None:
    before = table_contents(fresh_db)
    report = load_plan(fresh_db, load_plan_file())
    assert not report.changed
    assert table_contents(fresh_db) == before


def test_reopening_changes_nothing(db_url: str) -> None:
    first = open_database(db_url)
    before = table_contents(first)
    first.dispose()
    second = open_database(db_url)
    assert table_contents(second) == before
    second.dispose()


def test_a_second_plan_loads_the_same_way(fresh_db: Engine) -> None:
    plan = load_plan_file(FIXTURES / "plans" / "second_plan.yaml")
    assert load_plan(fresh_db, plan).changed
    before = table_contents(fresh_db)
    assert not load_plan(fresh_db, plan).changed
    assert table_contents(fresh_db) == before
    with session_factory(fresh_db)() as session:
        second = repo.plan_by_code(session, "test-second-plan")
        assert [i.code for i in repo.indicators(session, plan_id=second.id)] == ["T01", "T02"]
        ratio = repo.indicator_by_code(session, "T02")
        assert (ratio.direction, ratio.value_type, ratio.aggregation) == ("lower", "percent", "city_only")
        assert repo.current_observation(session, ratio.id, "330100", 2024, 12, "final").value == 50.0
        # The Shaoxing plan is untouched.
        assert len(repo.indicators(session, plan_id=repo.plan_by_code(session, "shaoxing-platform-2023").id)) == 26


def test_a_changed_published_target_supersedes_and_keeps_history(fresh_db: Engine, tmp_path: Path) -> None:
    plan = load_plan_file()
    retail = next(i for i in plan.indicators if i.code == "SX01")
    revised = type(retail)(**{**retail.__dict__, "targets": {**retail.targets, 2027: 1500.0}})
    plan = type(plan)(**{**plan.__dict__, "indicators": (revised, *plan.indicators[1:])})
    assert load_plan(fresh_db, plan).values_written == 1
    with session_factory(fresh_db)() as session:
        indicator = repo.indicator_by_code(session, "SX01")
        versions = [t for t in repo.rows_written_by(session, Target, repo.submissions(session)[0].id)]
        assert [(t.year, t.value) for t in versions] == [(2027, 1500.0)]
        old = session.get(Target, versions[0].supersedes_id)
        assert (old.value, old.is_current, old.retired_by_id) == (1400.0, False, versions[0].submission_id)
        assert repo.current_target(session, indicator.id, "330600", 2027).value == 1500.0


def test_reloading_never_overwrites_a_value_people_entered(fresh_db: Engine) -> None:
    with transaction(fresh_db) as session:
        indicator = repo.indicator_by_code(session, "SX01")
        current = repo.current_observation(session, indicator.id, "330600", 2022, 12, "final")
        submission = repo.new_submission(session, "import", "测试员", file_name="corrections.xlsx")
        repo.record_version(session, Observation, submission, current, indicator_id=indicator.id,
                            region_code="330600", year=2022, month=12, status="final", value=925.0,
                            source="corrections.xlsx", note="核实数修订")
    assert not load_plan(fresh_db, load_plan_file()).changed
    with session_factory(fresh_db)() as session:
        indicator = repo.indicator_by_code(session, "SX01")
        assert repo.current_observation(session, indicator.id, "330600", 2022, 12, "final").value == 925.0
        history = repo.observation_history(session, indicator.id, "330600", 2022)
        assert [(o.value, o.is_current, s.kind) for o, s in history] == [(921.0, False, "plan"), (925.0, True, "import")]
        assert repo.count_rows(session, Submission) == 2
