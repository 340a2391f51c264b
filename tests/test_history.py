"""Submission history, value history and rollback (append-only, itself recorded), on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import NotFoundError, PermissionDenied
from dashboard.services import exporter, history, importer
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Observation, Target
from tests.dbutil import table_contents

FIRST = "indicator,region,year,value,note\nSX01,330602,2023,180,初报\nSX03,330602,2023,12,\n"
SECOND = "indicator,region,year,value,note\nSX01,330602,2023,185,更正\nSX05,330602,2023,1,\n"


def imp(engine: Engine, text: str, name: str = "a.csv") -> int:
    result = importer.commit_import(engine, name, text.encode(), actor="测试员")
    assert result.submission_id is not None
    return result.submission_id


def current(engine: Engine) -> dict[tuple, tuple]:
    return {(r["indicator"], r["region"], r["year"], r["status"]): (r["value"], r["note"])
            for r in exporter.export_rows(engine)}


def test_rollback_restores_previous_values_and_withdraws_new_ones(fresh_db: Engine) -> None:
    imp(fresh_db, FIRST)
    after_first = current(fresh_db)
    second = imp(fresh_db, SECOND, "b.csv")
    assert current(fresh_db)[("SX01", "330602", 2023, "final")] == (185.0, "更正")
    with session_factory(fresh_db)() as session:
        versions_before = repo.count_rows(session, Observation)

    result = history.rollback_submission(fresh_db, second, "审核员")
    assert (result.restored, result.withdrawn) == (1, 1)
    assert current(fresh_db) == after_first  # value and note back, the added SX05 gone
    with session_factory(fresh_db)() as session:
        # Append-only: one new row copying 180, nothing deleted.
        assert repo.count_rows(session, Observation) == versions_before + 1

    rows = history.list_submissions(fresh_db)
    assert rows[0].id == result.submission_id and rows[0].kind == "rollback" and rows[0].kind_label == "撤销"
    assert f"撤销提交 #{second}" in (rows[0].note or "")
    rolled = next(r for r in rows if r.id == second)
    assert rolled.rolled_back_by_id == result.submission_id and not rolled.can_roll_back

    detail = history.submission_detail(fresh_db, result.submission_id)
    assert [(v.indicator_code, v.value, v.previous_value) for v in detail.written] == [("SX01", 180.0, 185.0)]
    assert [v.indicator_code for v in detail.retired] == ["SX05"]


def test_value_history_shows_every_version_with_previous_values(fresh_db: Engine) -> None:
    first = imp(fresh_db, FIRST)
    second = imp(fresh_db, SECOND, "b.csv")
    rollback = history.rollback_submission(fresh_db, second, "审核员").submission_id
    versions = history.value_history(fresh_db, "网络零售额", "越城区", 2023)
    assert [(v.value, v.previous_value, v.submission_id, v.is_current) for v in versions] == [
        (180.0, None, first, False), (185.0, 180.0, second, False), (180.0, 185.0, rollback, True)]
    assert versions[0].label() == "网络零售额｜越城区｜2023年核实数"
    subs = history.submissions_by_id(fresh_db, {v.submission_id for v in versions})
    assert subs[second].file_name == "b.csv"


def test_refuses_to_roll_back_twice_or_a_rollback(fresh_db: Engine) -> None:
    sub = imp(fresh_db, FIRST)
    rollback = history.rollback_submission(fresh_db, sub, "审核员").submission_id
    before = table_contents(fresh_db)
    with pytest.raises(history.RollbackRefused, match=f"已被提交 #{rollback} 撤销，不能重复撤销"):
        history.rollback_submission(fresh_db, sub, "审核员")
    with pytest.raises(history.RollbackRefused, match="本身是一次撤销"):
        history.rollback_submission(fresh_db, rollback, "审核员")
    assert table_contents(fresh_db) == before


def test_refuses_when_a_later_submission_changed_a_value_and_names_it(fresh_db: Engine) -> None:
    first = imp(fresh_db, FIRST)
    second = imp(fresh_db, SECOND, "b.csv")
    before = table_contents(fresh_db)
    with pytest.raises(history.RollbackRefused) as caught:
        history.rollback_submission(fresh_db, first, "审核员")
    message = str(caught.value)
    assert "网络零售额｜越城区｜2023年核实数" in message and f"提交 #{second}" in message
    assert "平台" not in message  # SX03 was not changed later
    assert table_contents(fresh_db) == before


def test_plan_submissions_and_unknown_ids_are_refused(fresh_db: Engine) -> None:
    plan_submission = history.list_submissions(fresh_db)[-1]
    assert plan_submission.kind == "plan"
    with pytest.raises(history.RollbackRefused, match="只能撤销数据导入"):
        history.rollback_submission(fresh_db, plan_submission.id, "审核员")
    with pytest.raises(NotFoundError, match="没有编号为 99999 的提交"):
        history.rollback_submission(fresh_db, 99999, "审核员")
    with pytest.raises(NotFoundError, match="没有指标"):
        history.value_history(fresh_db, "不存在", "越城区", 2023)


def test_district_reporter_may_roll_back_only_their_own_district(fresh_db: Engine) -> None:
    sub = imp(fresh_db, FIRST)  # 越城区 rows
    keqiao = Actor("kq", auth.DISTRICT_REPORTER, "柯桥统计员", region_code="330603")
    with pytest.raises(PermissionDenied, match="越城区"):
        history.rollback_submission(fresh_db, sub, keqiao)
    yuecheng = Actor("yc", auth.DISTRICT_REPORTER, "越城统计员", region_code="330602")
    assert history.rollback_submission(fresh_db, sub, yuecheng).withdrawn == 2
    assert history.list_submissions(fresh_db)[0].actor == yuecheng.label


def test_reimporting_after_a_rollback_writes_again(fresh_db: Engine) -> None:
    sub = imp(fresh_db, FIRST)
    history.rollback_submission(fresh_db, sub, "审核员")
    assert ("SX01", "330602", 2023, "final") not in current(fresh_db)
    preview = importer.preview_import(fresh_db, "a.csv", FIRST.encode())
    assert preview.count("new") == 2
    imp(fresh_db, FIRST)
    assert current(fresh_db)[("SX01", "330602", 2023, "final")] == (180.0, "初报")


def test_cli_history_and_rollback(fresh_db: Engine, db_url: str) -> None:
    from tests.test_cli import kpi

    imp(fresh_db, FIRST)
    second = imp(fresh_db, SECOND, "b.csv")
    code, output = kpi(db_url, "history")
    assert code == 0 and f"#{second}\t数据导入" in output and "b.csv" in output
    code, output = kpi(db_url, "history", "--submission", str(second))
    assert code == 0 and "网络零售额｜越城区｜2023年核实数：180 → 185 亿元" in output
    code, output = kpi(db_url, "rollback", str(second), "--actor", "审核员")
    assert code == 0 and "恢复原值 1 个，撤回新增 1 个" in output, output
    code, output = kpi(db_url, "rollback", str(second))
    assert code == 1 and "不能重复撤销" in output
    code, output = kpi(db_url, "history", "--indicator", "SX01", "--region", "越城区", "--year", "2023")
    assert code == 0 and output.count("网络零售额｜越城区｜2023年核实数") == 3 and "｜当前" in output
    code, output = kpi(db_url, "history", "--indicator", "SX01")
    assert code != 0 and "--region" in output


def test_plan_submission_counts_every_value_it_wrote(fresh_db: Engine) -> None:
    plan_submission = history.list_submissions(fresh_db)[-1]
    detail = history.submission_detail(fresh_db, plan_submission.id)
    with session_factory(fresh_db)() as session:
        targets = session.scalar(select(func.count()).select_from(Target).where(Target.submission_id == plan_submission.id))
    # The 8 published baselines (the detail's rows) and the published targets: all new on a fresh store.
    assert len(detail.written) == 8 and targets > 0
    assert (plan_submission.n_new, plan_submission.n_changed) == (len(detail.written) + targets, 0)
