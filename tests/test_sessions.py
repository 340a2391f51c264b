"""Server-side sessions, the cookie hand-off, single-user mode's reach, and the password rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.errors import InputError
from dashboard.services import accounts
from dashboard.services.plans import open_database
from dashboard.storage.db import session_factory
from dashboard.storage.models import UserSession
from dashboard.ui import cookies

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse 42"


@pytest.fixture
def with_users(fresh_db: Engine) -> Engine:
    accounts.add_user(fresh_db, auth.SYSTEM, "zhang", PASSWORD, auth.CITY_STATISTICIAN, "张三")
    accounts.add_user(fresh_db, auth.SYSTEM, "li", PASSWORD, auth.VIEWER, "李四")
    return fresh_db


def _signed_in(engine: Engine, username: str) -> str:
    return accounts.open_session(engine, accounts.authenticate(engine, username, PASSWORD))


def test_a_session_token_signs_in_until_it_ends(with_users: Engine) -> None:
    token = _signed_in(with_users, "zhang")
    assert len(token) >= 40
    actor = accounts.session_actor(with_users, token)
    assert actor is not None and (actor.username, actor.role) == ("zhang", auth.CITY_STATISTICIAN)
    assert accounts.session_actor(with_users, token + "x") is None
    assert accounts.session_actor(with_users, None) is None
    later = datetime.now(timezone.utc) + auth.SESSION_LIFETIME + timedelta(minutes=1)
    assert accounts.session_actor(with_users, token, now=later) is None  # expired
    with session_factory(with_users)() as session:
        stored = list(session.scalars(select(UserSession.token_hash)))
    assert token not in stored and len(stored) == 1  # only a hash is kept


@pytest.mark.parametrize("ending", ["sign out", "disable", "own password change", "admin resets password"])
def test_sessions_are_revoked(with_users: Engine, ending: str) -> None:
    token, other_tab = _signed_in(with_users, "zhang"), _signed_in(with_users, "zhang")
    bystander = _signed_in(with_users, "li")
    zhang = accounts.session_actor(with_users, token)
    assert zhang is not None
    if ending == "sign out":
        accounts.close_session(with_users, token)
        assert accounts.session_actor(with_users, other_tab) is not None  # another tab stays signed in
    elif ending == "disable":
        accounts.set_active(with_users, auth.SYSTEM, "zhang", False)
    elif ending == "own password change":
        accounts.change_password(with_users, zhang, "zhang", "a new long secret")
    else:
        accounts.change_password(with_users, auth.SYSTEM, "zhang", "a new long secret")
    assert accounts.session_actor(with_users, token) is None
    if ending != "sign out":
        assert accounts.session_actor(with_users, other_tab) is None  # every tab of the account
    assert accounts.session_actor(with_users, bystander) is not None  # other accounts are untouched


def test_re_enabling_does_not_revive_old_sessions(with_users: Engine) -> None:
    token = _signed_in(with_users, "zhang")
    accounts.set_active(with_users, auth.SYSTEM, "zhang", False)
    accounts.set_active(with_users, auth.SYSTEM, "zhang", True)
    assert accounts.session_actor(with_users, token) is None


def test_role_changes_apply_to_open_sessions(with_users: Engine) -> None:
    token = _signed_in(with_users, "zhang")
    from dashboard.storage import accounts as accounts_repo
    from dashboard.storage.db import transaction

    with transaction(with_users) as session:
        user = accounts_repo.user_by_username(session, "zhang")
        assert user is not None
        user.role = auth.VIEWER
    actor = accounts.session_actor(with_users, token)
    assert actor is not None and actor.role == auth.VIEWER


def test_cookie_codes_are_one_time_and_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    code = cookies.issue("token-1")
    assert cookies.redeem(code) == "token-1"
    assert cookies.redeem(code) is None  # used
    assert cookies.redeem("made-up") is None
    late = cookies.issue("token-2")
    real = cookies.time.monotonic
    monkeypatch.setattr(cookies.time, "monotonic", lambda: real() + cookies.CODE_LIFETIME + 1)
    assert cookies.redeem(late) is None
    frame = cookies.adopt_frame(code)
    assert cookies.ADOPT_PATH in frame and "token-1" not in frame  # the page never holds the token


@pytest.mark.parametrize(("password", "username", "problem"), [
    ("short", "zhang", "至少需要"),
    ("zhang12345678", "zhang", "不能是用户名"),
    ("ZHANGSAN_2025", "zhangsan", "不能是用户名"),
    ("1234567890", "zhang", "过于常见"),
    ("Password123", "zhang", "过于常见"),
    ("qwertyuiop", "zhang", "过于常见"),
])
def test_password_rules(password: str, username: str, problem: str) -> None:
    assert any(problem in p for p in auth.password_problems(password, username))


def test_good_passwords_pass_and_the_services_apply_the_rules(with_users: Engine) -> None:
    assert auth.password_problems("correct horse 42", "zhang") == []
    assert auth.password_problems("a long passphrase", "a") == []  # a one-letter name forbids only itself
    with pytest.raises(InputError, match="不能是用户名"):
        accounts.add_user(with_users, auth.SYSTEM, "wangwu", "wangwu-2025!", auth.VIEWER)
    with pytest.raises(InputError, match="过于常见"):
        accounts.change_password(with_users, auth.SYSTEM, "zhang", "password123")


def _app(monkeypatch: pytest.MonkeyPatch, url: str, address: str | None) -> AppTest:
    from dashboard.ui import session

    monkeypatch.setenv("KPI_DATABASE_URL", url)
    monkeypatch.setattr(session, "from_this_machine", lambda: address is None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_single_user_mode_serves_this_machine_only(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    engine = open_database(sqlite_url)
    remote = _app(monkeypatch, sqlite_url, "192.168.1.20")
    assert [t.value for t in remote.title] == ["登录"] and "只允许在服务器本机" in remote.error[0].value
    assert not remote.sidebar.caption  # nobody is acting as administrator
    local = _app(monkeypatch, sqlite_url, None)
    assert "本机用户" in local.sidebar.caption[0].value
    monkeypatch.setenv("KPI_SINGLE_USER_REMOTE", "1")  # the explicit setting opens it
    assert "本机用户" in _app(monkeypatch, sqlite_url, "192.168.1.20").sidebar.caption[0].value
    monkeypatch.delenv("KPI_SINGLE_USER_REMOTE")
    accounts.add_user(engine, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN)
    remote = _app(monkeypatch, sqlite_url, "192.168.1.20")  # with an account: the ordinary sign-in
    assert [t.value for t in remote.title] == ["登录"] and not remote.error and len(remote.text_input) == 2
    engine.dispose()
