"""Review before publication (填报→审核→发布): every transition × role × own/other region, and the
central rule that only published figures reach the read side (pages, export, deck, ``kpi progress``)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard import auth
from dashboard.auth import Actor
from dashboard.cli import main
from dashboard.errors import InputError, PermissionDenied
from dashboard.services import accounts, audit, deck, exporter, history, importer, review, views
from dashboard.services import progress as progress_service
from dashboard.services.integrity import check_history
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from tests.dbutil import table_contents

OWN, OTHER, CITY = "330602", "330603", "330600"
REPORTER = Actor("yue", auth.DISTRICT_REPORTER, "越城统计员", region_code=OWN)
OTHER_REPORTER = Actor("ke", auth.DISTRICT_REPORTER, "柯桥统计员", region_code=OTHER)
STATISTICIAN = Actor("city", auth.CITY_STATISTICIAN, "市统计员")
SECOND_STATISTICIAN = Actor("city2", auth.CITY_STATISTICIAN, "市统计员乙")
ADMIN = Actor("admin", auth.ADMIN, "管理员")
VIEWER = Actor("leader", auth.VIEWER, "领导")


def _upload(engine: Engine, actor: Actor, region: str, value: float, year: int = 2024) -> int:
    data = f"indicator,region,year,value,note\nSX01,{region},{year},{value},说明{value}\n".encode()
    submission_id = importer.commit_import(engine, f"{region}-{value}.csv", data, actor,
                                          accept_warnings=True).submission_id
    assert submission_id is not None
    return submission_id


def _published(engine: Engine, region: str = OWN, year: int = 2024) -> float | None:
    (row,) = progress_service.progress(engine, year, region=region, indicator="SX01")
    return row.assessment.actual


# --- who is reviewed ---------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "state"), [(REPORTER, "pending"), (STATISTICIAN, "published"),
                                             (ADMIN, "published"), (auth.SYSTEM, "published")])
def test_district_reporters_wait_for_review_city_staff_publish_at_once(fresh_db: Engine, actor: Actor,
                                                                        state: str) -> None:
    submission_id = _upload(fresh_db, actor, OWN, 111.0)
    assert review.submission_state(fresh_db, submission_id) == state
    assert _published(fresh_db) == (111.0 if state == "published" else None)


def test_a_setting_makes_city_staff_wait_for_review_too(fresh_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(review.REVIEW_ALL_ENV, "1")
    submission_id = _upload(fresh_db, STATISTICIAN, OWN, 111.0)
    assert review.submission_state(fresh_db, submission_id) == "pending"
    with pytest.raises(PermissionDenied, match="不能审核自己的提交"):
        review.approve(fresh_db, STATISTICIAN, submission_id)
    review.approve(fresh_db, SECOND_STATISTICIAN, submission_id)
    assert _published(fresh_db) == 111.0


# --- transitions --------------------------------------------------------------------------------


def test_a_pending_correction_keeps_the_published_value_until_approved(fresh_db: Engine) -> None:
    _upload(fresh_db, auth.SYSTEM, OWN, 100.0)
    pending = _upload(fresh_db, REPORTER, OWN, 150.0)
    assert _published(fresh_db) == 100.0
    (reviewer_row,) = progress_service.progress(fresh_db, 2024, region=OWN, indicator="SX01", include_pending=True)
    assert reviewer_row.assessment.actual == 150.0 and reviewer_row.actual_pending
    (line,) = review.review_lines(fresh_db, STATISTICIAN, pending)
    assert (line.value, line.published_value) == (150.0, 100.0)

    approved = review.approve(fresh_db, STATISTICIAN, pending)
    assert approved.state == "published" and approved.reviewed_by == STATISTICIAN.label
    assert _published(fresh_db) == 150.0
    (row,) = progress_service.progress(fresh_db, 2024, region=OWN, indicator="SX01", include_pending=True)
    assert not row.actual_pending
    # The approved value supersedes the published one (history keeps both) and can be rolled back.
    versions = history.value_history(fresh_db, "SX01", OWN, 2024)
    assert [(v.value, v.is_current, v.previous_value) for v in versions] == [(100.0, False, None),
                                                                           (150.0, True, 100.0)]
    history.rollback_submission(fresh_db, pending, STATISTICIAN)
    assert _published(fresh_db) == 100.0


def test_approval_supersedes_what_is_published_at_that_moment(fresh_db: Engine) -> None:
    pending = _upload(fresh_db, REPORTER, OWN, 150.0)
    _upload(fresh_db, STATISTICIAN, OWN, 120.0)  # published while the district's figure waits
    review.approve(fresh_db, ADMIN, pending)
    assert _published(fresh_db) == 150.0
    with session_factory(fresh_db)() as session:
        assert len([o for o in repo.current_observations(session) if o.region_code == OWN]) == 1


def test_a_returned_submission_never_becomes_published(fresh_db: Engine) -> None:
    _upload(fresh_db, auth.SYSTEM, OWN, 100.0)
    returned = _upload(fresh_db, REPORTER, OWN, 999.0)
    item = review.return_submission(fresh_db, STATISTICIAN, returned, "  与上年口径不一致，请核实  ")
    assert (item.state, item.reason) == ("returned", "与上年口径不一致，请核实")
    with pytest.raises(review.ReviewRefused, match="已退回.*不能再发布"):
        review.approve(fresh_db, ADMIN, returned)
    with pytest.raises(review.ReviewRefused, match="已退回"):
        review.return_submission(fresh_db, ADMIN, returned, "再退一次")
    with pytest.raises(history.RollbackRefused, match="尚未发布"):
        history.rollback_submission(fresh_db, returned, ADMIN)
    (row,) = progress_service.progress(fresh_db, 2024, region=OWN, indicator="SX01", include_pending=True)
    assert row.assessment.actual == 100.0
    # The reporter sees it returned, with the reason, and resubmits.
    (mine,) = review.my_submissions(fresh_db, REPORTER)
    assert mine.state_text == "↩️ 已退回" and mine.reason == "与上年口径不一致，请核实"
    resubmitted = _upload(fresh_db, REPORTER, OWN, 101.0)
    assert [i.id for i in review.review_queue(fresh_db, STATISTICIAN)] == [resubmitted]
    review.approve(fresh_db, STATISTICIAN, resubmitted)
    assert _published(fresh_db) == 101.0
    assert check_history(fresh_db) == []  # returned rows were never current: they need no retirer


def test_approving_twice_is_refused_and_writes_nothing(fresh_db: Engine) -> None:
    pending = _upload(fresh_db, REPORTER, OWN, 150.0)
    review.approve(fresh_db, STATISTICIAN, pending)
    before = table_contents(fresh_db)
    with pytest.raises(review.ReviewRefused, match="已发布.*不能重复审核"):
        review.approve(fresh_db, ADMIN, pending)
    with pytest.raises(review.ReviewRefused, match="不能重复审核"):
        review.return_submission(fresh_db, ADMIN, pending, "太晚了")
    assert table_contents(fresh_db) == before


def test_returning_needs_a_reason(fresh_db: Engine) -> None:
    pending = _upload(fresh_db, REPORTER, OWN, 150.0)
    with pytest.raises(InputError, match="退回原因"):
        review.return_submission(fresh_db, STATISTICIAN, pending, "   ")
    assert review.submission_state(fresh_db, pending) == "pending"


def test_every_review_action_is_audited(fresh_db: Engine) -> None:
    approved = _upload(fresh_db, REPORTER, OWN, 150.0)
    returned = _upload(fresh_db, REPORTER, OWN, 160.0, year=2023)
    review.approve(fresh_db, STATISTICIAN, approved)
    review.return_submission(fresh_db, ADMIN, returned, "数值偏大")
    rows = audit.audit_log(fresh_db, ADMIN)
    assert [(r.action_label, r.actor, r.target, r.submission_id) for r in rows[:2]] == [
        ("退回提交", ADMIN.label, f"提交 #{returned}", returned),
        ("审核通过", STATISTICIAN.label, f"提交 #{approved}", approved),
    ]
    assert rows[0].detail == "退回：数值偏大" and "待审核" in rows[2].detail


APPROVER = r"""
import json, sys, time
from pathlib import Path
from dashboard.auth import Actor
from dashboard.errors import KpiError
from dashboard.services import review
from dashboard.storage.db import make_engine

url, go, username, submission = sys.argv[1:]
engine = make_engine(url)
with engine.connect():
    pass
while not Path(go).exists():
    time.sleep(0.01)
try:
    review.approve(engine, Actor(username, "city_statistician", username), int(submission))
    print(json.dumps({"ok": username}))
except KpiError as error:
    print(json.dumps({"refused": str(error)}))
"""


def test_two_reviewers_approving_at_once_publish_once(fresh_db: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    import time

    from tests.concurrency import ROOT

    _upload(fresh_db, auth.SYSTEM, OWN, 100.0)
    pending = _upload(fresh_db, REPORTER, OWN, 150.0)
    url, go = fresh_db.url.render_as_string(hide_password=False), tmp_path / "go"
    children = [subprocess.Popen([sys.executable, "-c", APPROVER, url, str(go), name, str(pending)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for name in ("city", "city2", "city3")]
    time.sleep(1.5)  # let every child import and connect
    go.write_text("go")
    results = [json.loads(child.communicate(timeout=120)[0].strip().splitlines()[-1]) for child in children]
    assert len([r for r in results if "ok" in r]) == 1, results
    assert all("不能重复审核" in r["refused"] for r in results if "refused" in r), results
    assert _published(fresh_db) == 150.0
    assert [a.action for a in audit.audit_log(fresh_db, ADMIN)].count(review.AUDIT_APPROVE) == 1
    assert check_history(fresh_db) == []


# --- authorisation: every role × approve / return / resubmit × own / other region ---------------

ROLE_ACTORS = {"viewer": VIEWER, "district_reporter": REPORTER, "city_statistician": STATISTICIAN, "admin": ADMIN}
REVIEWERS = {"city_statistician", "admin"}


@pytest.mark.parametrize("region_of", ["own", "other"])
@pytest.mark.parametrize("action", ["approve", "return"])
@pytest.mark.parametrize("role", list(ROLE_ACTORS))
def test_who_may_review(fresh_db: Engine, role: str, action: str, region_of: str) -> None:
    submitter = REPORTER if region_of == "own" else OTHER_REPORTER
    pending = _upload(fresh_db, submitter, submitter.region_code or "", 150.0)
    actor = ROLE_ACTORS[role]
    before = table_contents(fresh_db)

    def act() -> object:
        if action == "approve":
            return review.approve(fresh_db, actor, pending)
        return review.return_submission(fresh_db, actor, pending, "请核实")

    if role in REVIEWERS:
        act()
        assert review.submission_state(fresh_db, pending) == ("published" if action == "approve" else "returned")
    else:
        with pytest.raises(PermissionDenied):
            act()
        assert table_contents(fresh_db) == before
        assert review.submission_state(fresh_db, pending) == "pending"


@pytest.mark.parametrize("region_of", ["own", "other"])
@pytest.mark.parametrize("role", list(ROLE_ACTORS))
def test_who_may_resubmit_after_a_return(fresh_db: Engine, role: str, region_of: str) -> None:
    region = OWN if region_of == "own" else OTHER
    submitter = REPORTER if region_of == "own" else OTHER_REPORTER
    returned = _upload(fresh_db, submitter, region, 150.0)
    review.return_submission(fresh_db, ADMIN, returned, "请核实")
    actor = ROLE_ACTORS[role]
    allowed = role in REVIEWERS or (role == "district_reporter" and region_of == "own")
    if allowed:
        _upload(fresh_db, actor, region, 151.0)
    else:
        before = table_contents(fresh_db)
        with pytest.raises(PermissionDenied):
            _upload(fresh_db, actor, region, 151.0)
        assert table_contents(fresh_db) == before


def test_reviewers_only_see_the_queue(fresh_db: Engine) -> None:
    _upload(fresh_db, REPORTER, OWN, 150.0)
    for actor in (VIEWER, REPORTER):
        with pytest.raises(PermissionDenied):
            review.review_queue(fresh_db, actor)
        with pytest.raises(PermissionDenied):
            review.review_lines(fresh_db, actor, 1)
    (item,) = review.review_queue(fresh_db, STATISTICIAN)
    assert (item.regions, item.indicators, item.submitted_by) == (("越城区",), ("网络零售额",), "yue")


# --- the central rule: unpublished figures never reach the read side ----------------------------


def _read_side(engine: Engine, sqlite_url: str | None) -> dict[str, object]:
    """Everything leaders and exports read, for a before/after comparison."""
    result: dict[str, object] = {
        "assessments": views.assessments(engine, 2024, tier=None),
        "scorecard": views.scorecard(engine, 2024, OWN, tier="core"),
        "detail": views.indicator_detail(engine, "SX01", CITY, 2024),
        "contributions": views.contributions(engine, "SX01", 2024),
        "context": views.plan_context(engine),
        "export": exporter.export_rows(engine),
        "briefing": deck.briefing(engine, 2024),
    }
    if sqlite_url is not None:
        cli = CliRunner().invoke(main, ["--database", sqlite_url, "progress", "--year", "2024", "--json"])
        assert cli.exit_code == 0, cli.output
        result["kpi progress"] = json.loads(cli.output)
    return result


def test_pending_and_returned_figures_never_reach_pages_export_deck_or_kpi_progress(
        fresh_sqlite: Engine, sqlite_url: str) -> None:
    _upload(fresh_sqlite, auth.SYSTEM, OWN, 100.0)
    _upload(fresh_sqlite, auth.SYSTEM, OTHER, 80.0)
    before = _read_side(fresh_sqlite, sqlite_url)
    _upload(fresh_sqlite, REPORTER, OWN, 98765.4)  # a pending correction
    _upload(fresh_sqlite, OTHER_REPORTER, OTHER, 87654.3, year=2025)  # a pending new value
    returned = _upload(fresh_sqlite, REPORTER, OWN, 76543.2, year=2023)
    review.return_submission(fresh_sqlite, STATISTICIAN, returned, "口径不符")
    assert _read_side(fresh_sqlite, sqlite_url) == before
    # The same figures do reach a reviewer's 含待审核 view (so the comparison above can fail).
    cli = CliRunner().invoke(main, ["--database", sqlite_url, "progress", "--year", "2024", "--region", OWN,
                                    "--indicator", "SX01", "--include-pending"])
    assert "98,765亿元（核实数）（⏳ 待审核）" in cli.output  # half up at the indicator's 0 decimals
    pending = progress_service.progress(fresh_sqlite, 2025, indicator="SX01", include_pending=True)
    city = next(r for r in pending if r.region.code == CITY)
    assert city.actual_pending  # a city sum that counts a pending district figure says so
    assert 76543.2 not in {r.assessment.actual for r in progress_service.progress(
        fresh_sqlite, 2023, indicator="SX01", include_pending=True)}


def test_pending_figures_stay_off_the_read_side_on_every_backend(fresh_db: Engine) -> None:
    _upload(fresh_db, auth.SYSTEM, OWN, 100.0)
    before = _read_side(fresh_db, None)
    _upload(fresh_db, REPORTER, OWN, 98765.4)
    assert _read_side(fresh_db, None) == before


# --- the command line ---------------------------------------------------------------------------


def test_review_commands(fresh_sqlite: Engine, sqlite_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for actor, password in ((REPORTER, "district pw 2024"), (STATISTICIAN, "office pw 2024")):
        accounts.add_user(fresh_sqlite, auth.SYSTEM, actor.username, password, actor.role,
                          region_code=actor.region_code)
    accounts.add_user(fresh_sqlite, auth.SYSTEM, "gone", "left the office", auth.CITY_STATISTICIAN)
    accounts.set_active(fresh_sqlite, auth.SYSTEM, "gone", False)
    runner = CliRunner()

    def kpi(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--database", sqlite_url, *args])

    upload = tmp_path / "yue.csv"
    upload.write_text(f"indicator,region,year,value\nSX01,{OWN},2024,123.4\n", encoding="utf-8")
    result = kpi("import", str(upload), "--as", "yue")
    assert result.exit_code == 0 and "⏳ 待审核" in result.output
    assert kpi("import", str(upload), "--as", "gone").exit_code == 1
    assert "没有用户" in kpi("import", str(upload), "--as", "nobody").output
    other = tmp_path / "ke.csv"
    other.write_text(f"indicator,region,year,value\nSX01,{OTHER},2024,5\n", encoding="utf-8")
    assert "只能操作本区县" in kpi("import", str(other), "--as", "yue").output

    listed = json.loads(kpi("review", "list", "--json").output)
    assert [(i["submitted_by"], i["state"], i["regions"]) for i in listed] == [("yue", "pending", ["越城区"])]
    submission = str(listed[0]["id"])
    assert "无权审核" in kpi("review", "approve", submission, "--as", "yue").output
    assert kpi("review", "approve", submission, "--as", "gone").exit_code == 1
    assert "✅ 已发布" in kpi("review", "approve", submission, "--as", "city").output
    again = kpi("review", "return", submission, "--as", "city", "--reason", "迟到的退回")
    assert again.exit_code == 1 and "不能重复审核" in again.output
    assert kpi("review", "list").output.strip() == "没有待审核的提交"
    published = json.loads(kpi("progress", "--year", "2024", "--region", OWN, "--indicator", "SX01", "--json").output)
    assert published[0]["actual"] == 123.4 and published[0]["actual_pending"] is False
