"""Queries that look for broken history: the invariants ``kpi check`` verifies.

Each function returns the offending rows' identifiers (empty when the invariant holds); the
service in :mod:`dashboard.services.integrity` words them for people.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from dashboard.storage.models import AuditEvent, Observation, Submission, Target

VERSIONED = (Observation, Target)
KEYS = {
    Observation: (Observation.indicator_id, Observation.region_code, Observation.year, Observation.month,
                  Observation.status),
    Target: (Target.indicator_id, Target.region_code, Target.year),
}
# Plan values are loaded from the plan files at start, not by a person, so they have no audit line.
UNAUDITED_KINDS = ("plan",)


def keys_with_several_current(session: Session, model: type[Observation] | type[Target]) -> list[tuple]:
    """Keys with more than one current row."""
    key = KEYS[model]
    query = select(*key).where(model.is_current.is_(True)).group_by(*key).having(func.count() > 1)
    return [tuple(row) for row in session.execute(query)]


def retired_without_retirer(session: Session, model: type[Observation] | type[Target]) -> list[int]:
    """Ids of rows that are not current but name no existing submission that retired them.

    Rows of a submission in review (pending or returned) were never current, so they have no
    retirer: only rows of published submissions are asked for one.
    """
    retirer = aliased(Submission)
    writer = aliased(Submission)
    query = (select(model.id).outerjoin(retirer, retirer.id == model.retired_by_id)
             .join(writer, writer.id == model.submission_id)
             .where(model.is_current.is_(False), retirer.id.is_(None), writer.review_state == "published")
             .order_by(model.id))
    return list(session.scalars(query))


def retired_unexplained(session: Session, model: type[Observation] | type[Target]) -> list[int]:
    """Ids of retired rows whose retirer neither wrote their successor nor rolled back their submission.

    A row is retired either by a correction (a new row superseding it, written by the same
    submission) or by the rollback of the submission that wrote it; anything else is a stale
    re-retire.
    """
    successor = aliased(model)
    writer = aliased(Submission)
    superseded = select(successor.id).where(successor.supersedes_id == model.id,
                                            successor.submission_id == model.retired_by_id).exists()
    query = (select(model.id).join(writer, writer.id == model.submission_id)
             .where(model.is_current.is_(False), model.retired_by_id.is_not(None), ~superseded,
                    func.coalesce(writer.rolled_back_by_id, -1) != model.retired_by_id)
             .order_by(model.id))
    return list(session.scalars(query))


def superseded_twice(session: Session, model: type[Observation] | type[Target]) -> list[int]:
    """Ids of rows that more than one later row claims to supersede (a forked history)."""
    query = (select(model.supersedes_id).where(model.supersedes_id.is_not(None))
             .group_by(model.supersedes_id).having(func.count() > 1))
    return list(session.scalars(query))


def orphan_rollbacks(session: Session) -> list[int]:
    """Ids of rollback submissions that no submission names as its rollback (a second, lost rollback)."""
    undone = aliased(Submission)
    query = (select(Submission.id).outerjoin(undone, undone.rolled_back_by_id == Submission.id)
             .where(Submission.kind == "rollback", undone.id.is_(None)).order_by(Submission.id))
    return list(session.scalars(query))


def rollbacks_retiring_foreign_rows(session: Session) -> list[int]:
    """Ids of rollback submissions that retired rows not written by the submission they undid."""
    undone = aliased(Submission)
    bad: set[int] = set()
    for model in VERSIONED:
        query = (select(model.retired_by_id)
                 .join(Submission, Submission.id == model.retired_by_id)
                 .join(undone, undone.rolled_back_by_id == Submission.id)
                 .where(Submission.kind == "rollback", model.submission_id != undone.id))
        bad.update(session.scalars(query))
    return sorted(bad)


def rolled_back_rows_kept_elsewhere(session: Session, model: type[Observation] | type[Target]) -> list[int]:
    """Ids of rows written by a rolled-back submission that its rollback did not retire.

    A rollback retires (or supersedes) every row the submission wrote; a row still current, or
    retired by some other submission, means the rollback's record disagrees with the values.
    """
    writer = aliased(Submission)
    query = (select(model.id).join(writer, writer.id == model.submission_id)
             .where(writer.rolled_back_by_id.is_not(None),
                    func.coalesce(model.retired_by_id, -1) != writer.rolled_back_by_id)
             .order_by(model.id))
    return list(session.scalars(query))


def unaudited_submissions(session: Session) -> list[int]:
    """Ids of submissions (other than plan loads) with no audit line."""
    audited = select(AuditEvent.id).where(AuditEvent.submission_id == Submission.id).exists()
    query = (select(Submission.id).where(Submission.kind.not_in(UNAUDITED_KINDS), ~audited)
             .order_by(Submission.id))
    return list(session.scalars(query))


def database_integrity(session: Session) -> list[str]:
    """The database's own check: SQLite's integrity and foreign-key checks (PostgreSQL enforces both)."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("SELECT 1"))
        return []
    problems = [row[0] for row in session.execute(text("PRAGMA integrity_check")) if row[0] != "ok"]
    problems += [f"{row[0]} 第 {row[1]} 行引用不存在的 {row[2]}" for row in session.execute(text("PRAGMA foreign_key_check"))]
    return problems
