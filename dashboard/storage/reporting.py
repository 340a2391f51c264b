"""Queries of the reporting periods (报送期) and of what the store holds for a period."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.storage.models import Observation, ReportingPeriod, Submission


def periods(session: Session, year: int | None = None, month: int | None = None) -> list[ReportingPeriod]:
    """Reporting periods, newest period first, the all-indicator row before indicator rows."""
    query = select(ReportingPeriod)
    if year is not None:
        query = query.where(ReportingPeriod.year == year)
    if month is not None:
        query = query.where(ReportingPeriod.month == month)
    order = (ReportingPeriod.year.desc(), ReportingPeriod.month.desc(), ReportingPeriod.indicator_id.is_not(None),
             ReportingPeriod.indicator_id)
    return list(session.scalars(query.order_by(*order)))


def period_for(session: Session, indicator_id: int | None, year: int, month: int) -> ReportingPeriod | None:
    """The period row of one indicator (None: the all-indicator row) for a year and month, if any."""
    condition = (ReportingPeriod.indicator_id.is_(None) if indicator_id is None
                 else ReportingPeriod.indicator_id == indicator_id)
    return session.scalar(select(ReportingPeriod).where(condition, ReportingPeriod.year == year,
                                                        ReportingPeriod.month == month))


def period_evidence(session: Session, year: int, month: int) -> list[tuple[int, str, bool, str]]:
    """(indicator id, region, is current, review state of its submission) of every row for a period.

    A current row is a published figure; non-current rows of pending or returned submissions are
    figures in review or sent back. Superseded published rows are left out (they add nothing).
    """
    query = (
        select(Observation.indicator_id, Observation.region_code, Observation.is_current, Submission.review_state)
        .join(Submission, Submission.id == Observation.submission_id)
        .where(Observation.year == year, Observation.month == month)
        .where(Observation.is_current.is_(True) | (Submission.review_state != "published"))
    )
    return [(i, r, bool(c), s) for i, r, c, s in session.execute(query)]
