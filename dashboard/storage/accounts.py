"""Queries for accounts and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.storage.models import AuditEvent, User


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
