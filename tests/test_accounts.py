"""Local accounts: hashing, sign-in, lock-out and audit (service level, both backends)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select

from dashboard import auth
from dashboard.errors import InputError, PermissionDenied
from dashboard.services import accounts
from dashboard.storage import accounts as accounts_repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import User

PASSWORD = "correct horse 42"


@pytest.fixture
def db_with_admin(fresh_db: Engine) -> Engine:
    """The fresh store with one administrator, ``admin`` / PASSWORD."""
    accounts.add_user(fresh_db, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN, display_name="管理员甲")
    return fresh_db


def test_passwords_are_stored_only_as_hashes(db_with_admin: Engine) -> None:
    with session_factory(db_with_admin)() as session:
        user = session.scalar(select(User))
        stored = [str(getattr(user, column.key)) for column in User.__table__.columns]
        events = [f"{e.actor} {e.target} {e.detail}" for e in accounts_repo.audit_events(session)]
    assert not any(PASSWORD in value for value in stored + events)
    assert user.password_hash.startswith("$argon2id$")


def test_sign_in_returns_the_actor_and_is_audited(db_with_admin: Engine) -> None:
    actor = accounts.authenticate(db_with_admin, "admin", PASSWORD)
    assert (actor.username, actor.role, actor.display_name) == ("admin", auth.ADMIN, "管理员甲")
    with session_factory(db_with_admin)() as session:
        assert [e.action for e in accounts_repo.audit_events(session)][:2] == ["login", "user_added"]


@pytest.mark.parametrize(("username", "password"), [("admin", "wrong password!"), ("nobody", PASSWORD), ("", "")])
def test_wrong_credentials_fail_the_same_way_and_are_audited(db_with_admin: Engine, username: str, password: str) -> None:
    with pytest.raises(accounts.LoginFailed, match="用户名或密码错误"):
        accounts.authenticate(db_with_admin, username, password)
    with session_factory(db_with_admin)() as session:
        assert accounts_repo.audit_events(session, limit=1)[0].action == "login_failed"


def test_lock_out_after_repeated_failures_even_with_the_right_password(db_with_admin: Engine) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    for attempt in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate(db_with_admin, "admin", f"guess {attempt}", now=start)
    with pytest.raises(accounts.LoginFailed, match="已锁定"):
        accounts.authenticate(db_with_admin, "admin", PASSWORD, now=start + timedelta(minutes=1))
    # After the lock-out the right password works again and resets the count.
    later = start + auth.BASE_LOCKOUT + timedelta(seconds=1)
    assert accounts.authenticate(db_with_admin, "admin", PASSWORD, now=later).username == "admin"
    with session_factory(db_with_admin)() as session:
        user = accounts_repo.user_by_username(session, "admin")
        assert (user.failed_logins, user.locked_until) == (0, None)


def test_each_further_failure_locks_for_longer() -> None:
    durations = [auth.lockout_duration(n) for n in range(1, 9)]
    assert durations[: auth.MAX_FAILED_LOGINS - 1] == [None] * (auth.MAX_FAILED_LOGINS - 1)
    locked = [d for d in durations if d is not None]
    assert locked == sorted(locked) and locked[0] == auth.BASE_LOCKOUT and locked[1] == 2 * auth.BASE_LOCKOUT
    assert auth.lockout_duration(100) == auth.MAX_LOCKOUT


def test_disabled_accounts_cannot_sign_in(db_with_admin: Engine) -> None:
    accounts.add_user(db_with_admin, auth.SYSTEM, "li", PASSWORD, auth.VIEWER)
    accounts.set_active(db_with_admin, auth.SYSTEM, "li", False)
    with pytest.raises(accounts.LoginFailed, match="停用"):
        accounts.authenticate(db_with_admin, "li", PASSWORD)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "short"}, "至少需要"),
        ({"role": "boss"}, "角色“boss”无效"),
        ({"role": auth.DISTRICT_REPORTER}, "必须指定所属区县"),
        ({"role": auth.DISTRICT_REPORTER, "region_code": "330600"}, "不是区县代码"),
        ({"role": auth.VIEWER, "region_code": "330602"}, "只有区县统计员"),
        ({"username": "admin"}, "已存在"),
    ],
)
def test_bad_accounts_are_refused(db_with_admin: Engine, kwargs: dict, message: str) -> None:
    arguments = {"username": "new", "password": PASSWORD, "role": auth.VIEWER, **kwargs}
    with pytest.raises(InputError, match=message):
        accounts.add_user(db_with_admin, auth.SYSTEM, **arguments)


def test_only_administrators_manage_accounts(db_with_admin: Engine) -> None:
    viewer = auth.Actor("wang", auth.VIEWER)
    with pytest.raises(PermissionDenied, match="无权管理账号"):
        accounts.add_user(db_with_admin, viewer, "x", PASSWORD, auth.VIEWER)
    with pytest.raises(PermissionDenied):
        accounts.change_password(db_with_admin, viewer, "admin", "another password")
    accounts.add_user(db_with_admin, auth.SYSTEM, "wang", PASSWORD, auth.VIEWER)
    accounts.change_password(db_with_admin, viewer, "wang", "my own new password")  # one's own: allowed
    assert accounts.authenticate(db_with_admin, "wang", "my own new password").role == auth.VIEWER
