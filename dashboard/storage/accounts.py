"""Queries for accounts and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.storage.models import AuditEvent, User, UserSession


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def any_user(session: Session) -> bool:
    """Whether at least one account exists (asked on every page load, so kept to one cheap query)."""
    return session.scalar(select(User.id).limit(1)) is not None


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add_audit_event(
    session: Session, actor: str, action: str, target: str | None = None, detail: str | None = None,
    submission_id: int | None = None,
) -> AuditEvent:
    """Append one audit line in the caller's transaction, so it commits or rolls back with the write."""
    event = AuditEvent(actor=actor, action=action, target=target, detail=detail, submission_id=submission_id)
    session.add(event)
    return event


def audit_events(
    session: Session, since: datetime | None = None, action: str | None = None, limit: int | None = None
) -> list[AuditEvent]:
    """Audit lines, newest first."""
    query = select(AuditEvent)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    query = query.order_by(AuditEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


# --- server-side sign-in sessions ---------------------------------------------------------------


def add_session(session: Session, token_hash: str, user: User, created_at: datetime, expires_at: datetime) -> None:
    session.add(UserSession(token_hash=token_hash, user_id=user.id, created_at=created_at, expires_at=expires_at))


def live_session_user(session: Session, token_hash: str, now: datetime) -> User | None:
    """The active account of an unrevoked, unexpired session, or None."""
    query = (select(User).join(UserSession, UserSession.user_id == User.id)
             .where(UserSession.token_hash == token_hash, UserSession.revoked_at.is_(None),
                    UserSession.expires_at > now, User.is_active.is_(True)))
    return session.scalar(query)


def revoke_sessions(session: Session, now: datetime, user_id: int | None = None, token_hash: str | None = None) -> int:
    """Revoke one session (by token hash) or every session of an account; returns how many."""
    query = update(UserSession).where(UserSession.revoked_at.is_(None)).values(revoked_at=now)
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    if token_hash is not None:
        query = query.where(UserSession.token_hash == token_hash)
    return int(session.execute(query.execution_options(synchronize_session=False)).rowcount or 0)  # type: ignore[attr-defined]
