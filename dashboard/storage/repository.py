"""Every query of the project, and the append-only write primitives the services build on.

Services decide *what* to write and own the transaction; this module knows *how* rows are found
and how a versioned value is superseded without losing the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, func, select, true, update
from sqlalchemy.orm import Session, joinedload

from dashboard.storage.models import (
    Indicator,
    Measure,
    Observation,
    Plan,
    Region,
    Submission,
    Target,
)

Versioned = TypeVar("Versioned", Observation, Target)


def current_clause(model: type[Observation] | type[Target]) -> ColumnElement[bool]:
    """``is_current = true``, written so that the partial unique index over current rows is used.

    ``is_current IS 1`` (what ``.is_(True)`` renders) does not imply the index's ``is_current = 1`` for
    SQLite's planner: every such query scanned the whole table.
    """
    return model.is_current == true()


# --- reference data -------------------------------------------------------------------------


def plan_by_code(session: Session, code: str) -> Plan | None:
    """The plan with ``code``."""
    return session.scalar(select(Plan).where(Plan.code == code))


def all_plans(session: Session) -> list[Plan]:
    """Every plan, oldest first."""
    return list(session.scalars(select(Plan).order_by(Plan.id)))


def all_regions(session: Session) -> list[Region]:
    """Every region: the city first, then its districts in their official order."""
    return list(session.scalars(select(Region).order_by(Region.sort_order, Region.code)))


def region_by_code(session: Session, code: str) -> Region | None:
    return session.get(Region, code)


def measures_of(session: Session, plan_id: int) -> list[Measure]:
    return list(session.scalars(select(Measure).where(Measure.plan_id == plan_id).order_by(Measure.sort_order)))


def measure_by_code(session: Session, plan_id: int, code: str) -> Measure | None:
    return session.scalar(select(Measure).where(Measure.plan_id == plan_id, Measure.code == code))


def indicators(session: Session, plan_id: int | None = None, tier: str | None = None) -> list[Indicator]:
    """Indicators in plan order, optionally of one plan and one tier (``core`` / ``measure``)."""
    query = select(Indicator).options(joinedload(Indicator.measure), joinedload(Indicator.plan))
    if plan_id is not None:
        query = query.where(Indicator.plan_id == plan_id)
    if tier is not None:
        query = query.where(Indicator.tier == tier)
    return list(session.scalars(query.order_by(Indicator.plan_id, Indicator.sort_order)))


def indicator_by_code(session: Session, code: str) -> Indicator | None:
    return session.scalar(select(Indicator).where(Indicator.code == code))


# --- versioned values -------------------------------------------------------------------------


# ``Observation.source`` of the figures written from a plan file (the plan's published baseline).
PLAN_SOURCE = "计划文件"


def published_baselines(session: Session, indicator_ids: Iterable[int], region_code: str, year: int) -> dict[int, float]:
    """The plan's published baseline per indicator: the newest plan-file figure, current or not.

    An upload of the baseline year supersedes the plan's row in the store, but never replaces the
    published baseline (see docs/methodology.md, 口径说明): it is read from the plan's own version.
    """
    query = (
        select(Observation)
        .where(Observation.indicator_id.in_(list(indicator_ids)), Observation.region_code == region_code,
               Observation.year == year, Observation.month == 12, Observation.source == PLAN_SOURCE)
        .order_by(Observation.id)
    )
    return {o.indicator_id: o.value for o in session.scalars(query)}


def _observations_where(
    session: Session, condition: ColumnElement[bool], indicator_ids: Iterable[int] | None,
    region_codes: Iterable[str] | None, years: Iterable[int] | None, months: Iterable[int] | None,
) -> list[Observation]:
    query = select(Observation).where(condition)
    if indicator_ids is not None:
        query = query.where(Observation.indicator_id.in_(list(indicator_ids)))
    if region_codes is not None:
        query = query.where(Observation.region_code.in_(list(region_codes)))
    if years is not None:
        query = query.where(Observation.year.in_(sorted(set(years))))
    if months is not None:
        query = query.where(Observation.month.in_(sorted(set(months))))
    return list(session.scalars(query.order_by(Observation.id)))


def _observation_key(o: Observation) -> tuple[int, str, int, int, str]:
    return (o.indicator_id, o.region_code, o.year, o.month, o.status)


def current_observations(
    session: Session,
    indicator_ids: Iterable[int] | None = None,
    region_codes: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    months: Iterable[int] | None = None,
    include_pending: bool = False,
) -> list[Observation]:
    """Current (published) observations, ordered by indicator, region, year, month and status.

    This is the read path of every page, export, deck and ``kpi progress``: a submission in review
    writes rows that are not current, so by default only published figures are returned. With
    ``include_pending`` (含待审核, for reviewers) the newest pending row of each key takes the place
    of the published one; such rows are recognised by :func:`is_pending`. Returned rows never appear.
    ``years`` / ``months`` filter in SQL: a store with monthly figures holds twelve rows per year,
    and an annual view needs only the month-12 ones of the years it assesses.
    """
    rows = _observations_where(session, current_clause(Observation), indicator_ids, region_codes, years, months)
    if include_pending:
        by_key = {_observation_key(o): o for o in rows}
        in_review = select(Submission.id).where(Submission.review_state == "pending")
        pending = _observations_where(session, Observation.submission_id.in_(in_review), indicator_ids,
                                      region_codes, years, months)
        for o in pending:
            by_key[_observation_key(o)] = o  # ordered by id: the newest pending row wins
        rows = list(by_key.values())
    return sorted(rows, key=_observation_key)


def is_pending(observation: Observation) -> bool:
    """Whether a row returned by ``current_observations(include_pending=True)`` awaits review.

    Published rows of that result are current; the only non-current rows it holds are pending ones.
    """
    return not observation.is_current


def current_targets(
    session: Session,
    indicator_ids: Iterable[int] | None = None,
    region_codes: Iterable[str] | None = None,
    include_annual: bool = False,
) -> list[Target]:
    """Current targets, ordered by indicator, region and year.

    Explicit annual targets (origin ``annual``) are no milestones of the plan: only the month view
    asks for them (``include_annual``), so the annual methodology never sees them.
    """
    query = select(Target).where(current_clause(Target))
    if not include_annual:
        query = query.where(Target.origin != "annual")
    if indicator_ids is not None:
        query = query.where(Target.indicator_id.in_(list(indicator_ids)))
    if region_codes is not None:
        query = query.where(Target.region_code.in_(list(region_codes)))
    return list(session.scalars(query.order_by(Target.indicator_id, Target.region_code, Target.year)))


def current_observation(
    session: Session, indicator_id: int, region_code: str, year: int, month: int, status: str
) -> Observation | None:
    """The current observation for one key, if any."""
    return session.scalar(
        select(Observation).where(
            current_clause(Observation),
            Observation.indicator_id == indicator_id,
            Observation.region_code == region_code,
            Observation.year == year,
            Observation.month == month,
            Observation.status == status,
        )
    )


def current_target(session: Session, indicator_id: int, region_code: str, year: int) -> Target | None:
    """The current target for one key, if any."""
    return session.scalar(
        select(Target).where(
            current_clause(Target),
            Target.indicator_id == indicator_id,
            Target.region_code == region_code,
            Target.year == year,
        )
    )


def record_version(
    session: Session,
    model: type[Versioned],
    submission: Submission,
    previous: Versioned | None,
    **values: object,
) -> Versioned:
    """Add a new current row of ``model`` that supersedes ``previous`` (which stays, retired)."""
    (row,) = record_versions(session, model, submission, [(previous, values)])
    return row


def record_versions(
    session: Session,
    model: type[Versioned],
    submission: Submission,
    versions: Sequence[tuple[Versioned | None, dict[str, object]]],
) -> list[Versioned]:
    """Add new current rows, each superseding its ``previous`` row (which stays, retired).

    Every old row is flushed as retired — once, for the whole batch — before the new rows are
    inserted, so the partial unique index on current rows never sees two current versions of a key.
    """
    retiring = [previous for previous, _values in versions if previous is not None]
    for previous in retiring:
        previous.is_current = False
        previous.retired_by_id = submission.id
    if retiring:
        session.flush()
    rows = [
        model(submission_id=submission.id, supersedes_id=None if previous is None else previous.id, is_current=True,
              **values)
        for previous, values in versions
    ]
    session.add_all(rows)
    return rows


def record_pending_observations(
    session: Session, submission: Submission, values: Sequence[dict[str, object]]
) -> list[Observation]:
    """Add the rows of a submission in review: not current, superseding nothing yet.

    The published rows stay current (leaders keep seeing them); :func:`publish_observations` makes
    these rows current if the submission is approved. A returned submission's rows stay as they are.
    """
    rows = [Observation(submission_id=submission.id, supersedes_id=None, is_current=False, **v) for v in values]
    session.add_all(rows)
    session.flush()
    return rows


def publish_observations(session: Session, submission: Submission) -> list[Observation]:
    """Make an approved submission's rows current, each superseding the value current *now*.

    Superseding what is current at approval (not at upload) keeps the chain exact when another
    submission was published in between; the retired rows are flushed before the new ones become
    current, so the partial unique index never sees two current versions of a key.
    """
    rows = rows_written_by(session, Observation, submission.id)
    keys = {_observation_key(o) for o in rows}
    current = {
        _observation_key(o): o
        for o in current_observations(session, {k[0] for k in keys}, {k[1] for k in keys})
        if _observation_key(o) in keys
    }
    for row in rows:
        previous = current.get(_observation_key(row))
        if previous is not None:
            previous.is_current = False
            previous.retired_by_id = submission.id
            row.supersedes_id = previous.id
    session.flush()
    for row in rows:
        row.is_current = True
    session.flush()
    return rows


def claim_review(session: Session, submission_id: int, state: str, reviewer: str, at: datetime,
                 reason: str | None = None) -> bool:
    """Move a pending submission to ``state`` — only if it is still pending (False otherwise).

    One conditional UPDATE: of two reviewers acting at once, exactly one wins (the other's UPDATE
    matches no row once the first commits), so a submission is never approved or returned twice.
    """
    result = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.review_state == "pending")
        .values(review_state=state, reviewed_by=reviewer, reviewed_at=at, review_reason=reason)
        .execution_options(synchronize_session=False)
    )
    claimed = result.rowcount == 1  # type: ignore[attr-defined]
    if claimed:
        submission = session.get(Submission, submission_id)
        if submission is not None:
            session.refresh(submission)
    return claimed


def submissions_in_review(session: Session, state: str = "pending",
                          submitted_by: str | None = None) -> list[Submission]:
    """Submissions in one review state (oldest first: the order a reviewer works through them)."""
    query = select(Submission).where(Submission.review_state == state)
    if submitted_by is not None:
        query = query.where(Submission.submitted_by == submitted_by)
    return list(session.scalars(query.order_by(Submission.id)))


def retire(session: Session, row: Observation | Target, submission: Submission) -> None:
    """Make ``row`` no longer current without a successor (a rollback of a brand-new value)."""
    row.is_current = False
    row.retired_by_id = submission.id
    session.flush()


def new_submission(session: Session, kind: str, actor: str, **fields: object) -> Submission:
    """Create and flush a submission so its id can be referenced by the rows it writes."""
    submission = Submission(kind=kind, actor=actor, **fields)
    session.add(submission)
    session.flush()
    return submission


def submissions(session: Session, limit: int | None = None) -> list[Submission]:
    """Submissions, newest first."""
    query = select(Submission).order_by(Submission.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def submission_by_id(session: Session, submission_id: int) -> Submission | None:
    return session.get(Submission, submission_id)


def rows_written_by(session: Session, model: type[Versioned], submission_id: int,
                    limit: int | None = None, offset: int = 0) -> list[Versioned]:
    """Rows of ``model`` written by a submission, in insertion order (a page of them with ``limit``)."""
    query = select(model).where(model.submission_id == submission_id).order_by(model.id)
    return list(session.scalars(query.offset(offset).limit(limit)))


def count_written_by(session: Session, model: type[Versioned], submission_id: int) -> int:
    """How many rows of ``model`` a submission wrote."""
    return int(session.scalar(select(func.count()).select_from(model).where(model.submission_id == submission_id)) or 0)


def _withdrawn_by(model: type[Versioned], submission_id: int):  # type: ignore[no-untyped-def]
    """Rows a submission retired without writing a successor (e.g. the values a rollback withdrew)."""
    successors = select(model.supersedes_id).where(model.submission_id == submission_id,
                                                   model.supersedes_id.is_not(None))
    return (model.retired_by_id == submission_id, model.submission_id != submission_id, model.id.not_in(successors))


def rows_withdrawn_by(session: Session, model: type[Versioned], submission_id: int,
                      limit: int | None = None, offset: int = 0) -> list[Versioned]:
    """Rows of ``model`` a submission retired without a successor, by id (a page of them with ``limit``)."""
    query = select(model).where(*_withdrawn_by(model, submission_id)).order_by(model.id)
    return list(session.scalars(query.offset(offset).limit(limit)))


def count_withdrawn_by(session: Session, model: type[Versioned], submission_id: int) -> int:
    """How many rows of ``model`` a submission retired without a successor."""
    return int(session.scalar(select(func.count()).select_from(model).where(*_withdrawn_by(model, submission_id))) or 0)


def rows_by_ids(session: Session, model: type[Versioned], ids: Iterable[int]) -> dict[int, Versioned]:
    """Rows of ``model`` by id (e.g. the versions a set of rows supersede)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(wanted)))}


def observation_history(
    session: Session, indicator_id: int, region_code: str, year: int, month: int | None = None
) -> Sequence[tuple[Observation, Submission]]:
    """Every version of the observations for one indicator, region and year, oldest first."""
    query = (
        select(Observation, Submission)
        .join(Submission, Observation.submission_id == Submission.id)
        .where(
            Observation.indicator_id == indicator_id,
            Observation.region_code == region_code,
            Observation.year == year,
        )
        .order_by(Observation.id)
    )
    if month is not None:
        query = query.where(Observation.month == month)
    return [(obs, sub) for obs, sub in session.execute(query)]


def count_rows(session: Session, model: type) -> int:
    """Row count of a table (all versions), for tests and reports."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def latest_submission_at(session: Session, kinds: Iterable[str]) -> datetime | None:
    """When the newest submission of one of ``kinds`` was made (the briefing's "数据截至"), or None."""
    query = select(func.max(Submission.created_at)).where(
        Submission.kind.in_(list(kinds)), Submission.review_state == "published")
    return session.scalar(query)
