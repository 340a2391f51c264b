"""Local accounts: creation, sign-in with lock-out, password changes. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import InputError, KpiError, NotFoundError, PermissionDenied
from dashboard.formatting import as_utc, local_time
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction, write_transaction
from dashboard.storage.models import User

_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so that timing does not reveal which
    usernames exist. Made on first use: hashing costs ~0.2 s, which every command and app start paid."""
    return _HASHER.hash("not-a-real-password")

AUDIT_LOGIN_FAILED = "login_failed"
AUDIT_LOGIN = "login"
AUDIT_USER_ADDED = "user_added"
AUDIT_USER_CHANGED = "user_changed"


class LoginFailed(KpiError):
    """Wrong username or password, or a locked or disabled account (message says which may apply)."""


@dataclass(frozen=True)
class UserSummary:
    username: str
    display_name: str
    role: str
    region_code: str | None
    is_active: bool
    locked_until: datetime | None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def to_actor(user: User) -> Actor:
    return Actor(username=user.username, role=user.role, display_name=user.display_name, region_code=user.region_code)


def add_user(
    engine: Engine, actor: Actor, username: str, password: str, role: str, display_name: str = "",
    region_code: str | None = None,
) -> UserSummary:
    """Create an account (administrators only). District reporters must name their district."""
    auth.require(actor, auth.MANAGE_USERS)
    username = username.strip()
    problems = auth.password_problems(password, username)
    if not username:
        problems.append("用户名不能为空")
    if role not in auth.ROLE_LABELS:
        problems.append(f"角色“{role}”无效，应为 {', '.join(auth.ROLE_LABELS)} 之一")
    if role == auth.DISTRICT_REPORTER and not region_code:
        problems.append("区县统计员必须指定所属区县")
    if role != auth.DISTRICT_REPORTER and region_code:
        problems.append("只有区县统计员需要指定区县")
    if problems:
        raise InputError("；".join(problems))
    with transaction(engine) as session:
        if accounts_repo.user_by_username(session, username) is not None:
            raise InputError(f"用户名“{username}”已存在")
        if region_code is not None:
            region = repo.region_by_code(session, region_code)
            if region is None or region.level != "district":
                raise InputError(f"“{region_code}”不是区县代码")
        user = User(username=username, display_name=display_name or username, role=role, region_code=region_code,
                    password_hash=_HASHER.hash(password), is_active=True, failed_logins=0)
        session.add(user)
        accounts_repo.add_audit_event(session, actor.label, AUDIT_USER_ADDED, target=username,
                                      detail=f"角色：{auth.ROLE_LABELS[role]}" + (f"，区县：{region_code}" if region_code else ""))
        session.flush()
        return _summary(user)


def _summary(user: User) -> UserSummary:
    return UserSummary(user.username, user.display_name, user.role, user.region_code, user.is_active,
                       None if user.locked_until is None else as_utc(user.locked_until))


def authenticate(engine: Engine, username: str, password: str, now: datetime | None = None) -> Actor:
    """Check a password; return the actor, or raise :class:`LoginFailed`.

    Failed attempts are counted and audited; after ``auth.MAX_FAILED_LOGINS`` the account is locked
    for a growing time, during which even the right password is refused.
    """
    now = now or _now()
    with transaction(engine) as session:
        user = accounts_repo.user_by_username(session, username.strip())
        if user is None:
            _verify(_dummy_hash(), password)
            accounts_repo.add_audit_event(session, username or "（空）", AUDIT_LOGIN_FAILED, detail="用户名不存在")
            failure = "用户名或密码错误"
        elif not user.is_active:
            accounts_repo.add_audit_event(session, username, AUDIT_LOGIN_FAILED, detail="账号已停用")
            failure = "账号已停用，请联系管理员"
        elif auth.is_locked(None if user.locked_until is None else as_utc(user.locked_until), now):
            accounts_repo.add_audit_event(session, username, AUDIT_LOGIN_FAILED, detail="账号锁定中")
            until = local_time(user.locked_until).strftime("%H:%M")
            failure = f"登录失败次数过多，账号已锁定至 {until}，请稍后再试"
        elif not _verify(user.password_hash, password):
            user.failed_logins += 1
            duration = auth.lockout_duration(user.failed_logins)
            user.locked_until = None if duration is None else now + duration
            accounts_repo.add_audit_event(session, username, AUDIT_LOGIN_FAILED,
                                          detail=f"密码错误（连续第 {user.failed_logins} 次）")
            left = auth.MAX_FAILED_LOGINS - user.failed_logins
            failure = "用户名或密码错误" + (f"，再错 {left} 次账号将被锁定" if 0 < left <= 2 else "")
        else:
            user.failed_logins = 0
            user.locked_until = None
            accounts_repo.add_audit_event(session, user.username, AUDIT_LOGIN)
            return to_actor(user)
    raise LoginFailed(failure)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_active(engine: Engine, actor: Actor, username: str, active: bool) -> None:
    """Enable or disable an account (administrators only); unlocking resets the failure count."""
    auth.require(actor, auth.MANAGE_USERS)
    with transaction(engine) as session:
        user = accounts_repo.user_by_username(session, username)
        if user is None:
            raise NotFoundError(f"没有用户“{username}”")
        user.is_active = active
        user.failed_logins = 0
        user.locked_until = None
        if not active:
            accounts_repo.revoke_sessions(session, _now(), user_id=user.id)  # the next action in any tab is refused
        accounts_repo.add_audit_event(session, actor.label, AUDIT_USER_CHANGED, target=username,
                                      detail="启用并解锁" if active else "停用")


def change_password(engine: Engine, actor: Actor, username: str, new_password: str) -> None:
    """Set a new password: administrators for anyone, everyone for themselves."""
    if actor.username != username:
        auth.require(actor, auth.MANAGE_USERS)
    problems = auth.password_problems(new_password, username)
    if problems:
        raise InputError("；".join(problems))
    with transaction(engine) as session:
        user = accounts_repo.user_by_username(session, username)
        if user is None:
            raise NotFoundError(f"没有用户“{username}”")
        user.password_hash = _HASHER.hash(new_password)
        # Whoever knew the old password may hold a sign-in: every open session of the account ends.
        accounts_repo.revoke_sessions(session, _now(), user_id=user.id)
        accounts_repo.add_audit_event(session, actor.label, AUDIT_USER_CHANGED, target=username, detail="修改密码")


def acting_as(engine: Engine, username: str) -> Actor:
    """The actor of an existing, active account (``kpi … --as USER``); refused otherwise.

    The command line trusts its operator (they hold the database), so no password is asked; what
    ``--as`` adds is that the account's role and region rules apply, as they would in the app.
    """
    with session_factory(engine)() as session:
        user = accounts_repo.user_by_username(session, username.strip())
        if user is None:
            raise NotFoundError(f"没有用户“{username}”")
        if not user.is_active:
            raise PermissionDenied(f"账号“{username}”已停用，不能以其身份操作")
        return to_actor(user)


def list_users(engine: Engine, actor: Actor) -> list[UserSummary]:
    auth.require(actor, auth.MANAGE_USERS)
    with session_factory(engine)() as session:
        return [_summary(u) for u in accounts_repo.all_users(session)]


def has_users(engine: Engine) -> bool:
    """Whether any account exists (before the first one, the app explains how to create it)."""
    with session_factory(engine)() as session:
        return accounts_repo.any_user(session)


# --- server-side sign-in sessions ----------------------------------------------------------------


def _token_hash(token: str) -> str:
    # Only the hash is stored: a copy of the database (a backup) holds no usable sign-in.
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, actor: Actor, now: datetime | None = None) -> str:
    """Start a server-side session for a signed-in account; returns its random token (256 bits)."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as session:
        user = accounts_repo.user_by_username(session, actor.username)
        if user is None or not user.is_active:
            raise LoginFailed("账号不存在或已停用")
        accounts_repo.add_session(session, _token_hash(token), user, now, now + auth.SESSION_LIFETIME)
    return token


def session_actor(engine: Engine, token: str | None, now: datetime | None = None) -> Actor | None:
    """Who a session token signs in, read afresh on every call: None when revoked, expired or disabled.

    Reading the account each time means a role change, a disabled account or a changed password
    takes effect at the next action in every open tab, not at the end of the session.
    """
    if not token:
        return None
    with session_factory(engine)() as session:
        user = accounts_repo.live_session_user(session, _token_hash(token), now or _now())
        return None if user is None else to_actor(user)


def close_session(engine: Engine, token: str) -> None:
    """Sign out: revoke the session, so its token (and any cookie holding it) no longer signs in."""
    with write_transaction(engine) as session:
        accounts_repo.revoke_sessions(session, _now(), token_hash=_token_hash(token))
