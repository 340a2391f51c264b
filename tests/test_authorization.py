"""The authorisation matrix: every write operation × every role, at the service level.

The expected answers are written out from the issue's role descriptions, not derived from
``dashboard.auth``: a change to the rules must change this table too. Denied operations must write
nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import PermissionDenied
from dashboard.services import accounts, allocation, history, importer, metadata, reporting, review
from tests.dbutil import table_contents

OWN, OTHER = "330602", "330603"
ROLES = {
    "viewer": Actor("leader", auth.VIEWER, "领导"),
    "district_reporter": Actor("yue", auth.DISTRICT_REPORTER, "越城统计员", region_code=OWN),
    "city_statistician": Actor("city", auth.CITY_STATISTICIAN, "市统计员"),
    "admin": Actor("admin", auth.ADMIN, "管理员"),
}


@dataclass(frozen=True)
class Operation:
    act: Callable[[Engine, Actor, object], object]
    allowed: set[str]
    setup: Callable[[Engine], object] = lambda engine: None


def _import(region: str) -> Callable[[Engine, Actor, object], object]:
    def act(engine: Engine, actor: Actor, _context: object) -> object:
        data = f"indicator,region,year,value,note\nSX01,{region},2024,123.4,授权测试\n".encode()
        return importer.commit_import(engine, "auth.csv", data, actor)
    return act


def _submission_in(region: str) -> Callable[[Engine], object]:
    def setup(engine: Engine) -> object:
        data = f"indicator,region,year,value\nSX03,{region},2024,9\n".encode()
        return importer.commit_import(engine, "to-undo.csv", data, auth.SYSTEM).submission_id
    return setup


def _rollback(engine: Engine, actor: Actor, submission_id: object) -> object:
    return history.rollback_submission(engine, submission_id, actor)  # type: ignore[arg-type]


def _pending_from(region: str, returned: bool = False) -> Callable[[Engine], object]:
    """A district reporter's submission in review (or already returned), from ``region``."""
    def setup(engine: Engine) -> object:
        reporter = Actor(f"reporter{region}", auth.DISTRICT_REPORTER, "区县统计员", region_code=region)
        data = f"indicator,region,year,value\nSX03,{region},2024,9\n".encode()
        submission_id = importer.commit_import(engine, "in-review.csv", data, reporter).submission_id
        if returned:
            review.return_submission(engine, auth.SYSTEM, submission_id, "请核实")  # type: ignore[arg-type]
        return submission_id
    return setup


def _approve(engine: Engine, actor: Actor, submission_id: object) -> object:
    return review.approve(engine, actor, submission_id)  # type: ignore[arg-type]


def _return(engine: Engine, actor: Actor, submission_id: object) -> object:
    return review.return_submission(engine, actor, submission_id, "数值偏大，请核实")  # type: ignore[arg-type]


WRITERS = {"district_reporter", "city_statistician", "admin"}
CITY_WIDE = {"city_statistician", "admin"}
OPERATIONS: dict[str, Operation] = {
    "import own district": Operation(_import(OWN), WRITERS),
    "import another district": Operation(_import(OTHER), CITY_WIDE),
    "import city figure": Operation(_import("330600"), CITY_WIDE),
    "roll back own district's submission": Operation(_rollback, WRITERS, _submission_in(OWN)),
    "roll back another district's submission": Operation(_rollback, CITY_WIDE, _submission_in(OTHER)),
    "approve own district's submission": Operation(_approve, CITY_WIDE, _pending_from(OWN)),
    "approve another district's submission": Operation(_approve, CITY_WIDE, _pending_from(OTHER)),
    "return own district's submission": Operation(_return, CITY_WIDE, _pending_from(OWN)),
    "return another district's submission": Operation(_return, CITY_WIDE, _pending_from(OTHER)),
    "resubmit own district after a return": Operation(_import(OWN), WRITERS, _pending_from(OWN, returned=True)),
    "resubmit another district after a return": Operation(_import(OTHER), CITY_WIDE,
                                                           _pending_from(OTHER, returned=True)),
    "define a reporting period": Operation(
        lambda e, a, _: reporting.define_period(e, a, 2024, 12, date(2025, 3, 15)), {"admin"}),
    "allocate district targets": Operation(
        lambda e, a, _: allocation.save_allocations(e, a, "SX01", 2025, {OWN: 300.0}), {"admin"}),
    "estimate district targets": Operation(
        lambda e, a, _: allocation.save_allocations(e, a, "SX01", 2027, {OWN: 350.0}, origin="estimated"), {"admin"}),
    "add account": Operation(lambda e, a, _: accounts.add_user(e, a, "newcomer", "long enough pw", auth.VIEWER),
                             {"admin"}),
    "disable account": Operation(lambda e, a, _: accounts.set_active(e, a, "someone", False), {"admin"}),
    "reset another's password": Operation(
        lambda e, a, _: accounts.change_password(e, a, "someone", "brand new password"), {"admin"}),
    "edit indicator metadata": Operation(
        lambda e, a, _: metadata.update_indicator(e, a, "SX01", definition="新的定义"), {"admin"}),
}


@pytest.fixture
def store_with_account(fresh_db: Engine) -> Engine:
    accounts.add_user(fresh_db, auth.SYSTEM, "someone", "correct horse 42", auth.VIEWER)
    return fresh_db


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_authorisation_matrix(store_with_account: Engine, operation: str, role: str) -> None:
    op = OPERATIONS[operation]
    context = op.setup(store_with_account)
    before = table_contents(store_with_account)
    if role in op.allowed:
        op.act(store_with_account, ROLES[role], context)
        assert table_contents(store_with_account) != before, "an allowed write must write"
    else:
        with pytest.raises(PermissionDenied):
            op.act(store_with_account, ROLES[role], context)
        assert table_contents(store_with_account) == before, "a refused write must write nothing"


def test_district_reporter_refusal_names_the_other_district(fresh_db: Engine) -> None:
    data = f"indicator,region,year,value\nSX01,{OWN},2024,1\nSX01,{OTHER},2024,2\n".encode()
    with pytest.raises(PermissionDenied, match="只能操作本区县（越城区）的数据，无权填报或修改实际数：柯桥区"):
        importer.commit_import(fresh_db, "mixed.csv", data, ROLES["district_reporter"])
