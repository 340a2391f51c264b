"""The bulk reads behind the dashboard pages' read models: few queries, many rows, plain tuples.

A page assesses every indicator × region of a plan from one read: at a million stored figures that is
tens of thousands of rows, so these queries filter in SQL, aggregate in SQL where a page needs one
number, and hand back named tuples rather than ORM objects (see :func:`_driver_rows`). Everything that
finds one row or writes lives in :mod:`dashboard.storage.repository`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dashboard.storage.models import Observation, Submission, Target
from dashboard.storage.repository import current_clause

_period = attrgetter("indicator_id", "region_code", "year", "month")  # of an Observation or a plain row


class TargetValue(NamedTuple):
    """A current target as :func:`current_target_values` returns it."""

    indicator_id: int
    region_code: str
    year: int
    value: float
    origin: str
    upper: float | None


def current_target_values(
    session: Session,
    indicator_ids: Iterable[int],
    region_codes: Iterable[str],
    include_annual: bool = False,
) -> list[TargetValue]:
    """:func:`current_targets` as plain named tuples, ordered by indicator, region and year.

    The read models assess every indicator × region: building an ORM object per target cost more
    than assessing it once a plan has a few thousand (e.g. 70 regions × 100 indicators × 3 years).
    """
    query = select(Target.indicator_id, Target.region_code, Target.year, Target.value, Target.origin,
                   Target.upper).where(current_clause(Target), Target.indicator_id.in_(list(indicator_ids)),
                                       Target.region_code.in_(list(region_codes)))
    if not include_annual:
        query = query.where(Target.origin != "annual")
    ordered = query.order_by(Target.indicator_id, Target.region_code, Target.year)
    return list(map(TargetValue._make, _driver_rows(session, ordered)))


def effective_by_period(observations: Iterable[Observation]) -> dict[tuple[int, str, int, int], Observation]:
    """The figure per (indicator id, region, year, month): final (核实数) over preliminary (初步数)."""
    effective: dict[tuple[int, str, int, int], Observation] = {}
    for o in observations:
        key = _period(o)  # one C call instead of four attribute reads: pages run this over ~35,000 rows
        if o.status == "final" or key not in effective:
            effective[key] = o
    return effective


def effective_annual(observations: Iterable[Observation]) -> dict[tuple[int, str, int], Observation]:
    """The whole-year figure per (indicator id, region, year): final (核实数) over preliminary (初步数).

    Month-level 1–N月累计 figures (month < 12) are not annual actuals and are left out.
    """
    return {key[:3]: o for key, o in effective_by_period(o for o in observations if o.month == 12).items()}


# --- read models of the dashboard pages (issue 4) ----------------------------------------------


def data_version(session: Session) -> tuple[int, int]:
    """(newest submission id, newest audit event id): changes with every write, figures or metadata.

    Pages cache their read models on this, so an upload shows on the very next rerun.
    """
    from dashboard.storage.models import AuditEvent  # only here: the rest of this module never needs it

    submission = session.scalar(select(func.max(Submission.id)))
    event = session.scalar(select(func.max(AuditEvent.id)))
    return int(submission or 0), int(event or 0)


def current_values_written_by_kind(session: Session, kind: str) -> int:
    """How many current observations were written by submissions of ``kind`` (e.g. ``demo``)."""
    query = (
        select(func.count())
        .select_from(Observation)
        .join(Submission, Observation.submission_id == Submission.id)
        .where(current_clause(Observation), Submission.kind == kind)
    )
    return int(session.scalar(query) or 0)


def submission_kinds(session: Session) -> dict[str, int]:
    """How many submissions of each kind the store holds."""
    query = select(Submission.kind, func.count()).group_by(Submission.kind)
    return {kind: int(count) for kind, count in session.execute(query)}


# --- month-level view (issue 11) ---------------------------------------------------------------


def target_years(session: Session, indicator_ids: Iterable[int], region_codes: Iterable[str] | None = None) -> list[int]:
    """The distinct years current milestone targets name (annual targets left out), ascending."""
    query = select(Target.year).distinct().where(
        current_clause(Target), Target.origin != "annual", Target.indicator_id.in_(list(indicator_ids)))
    if region_codes is not None:
        query = query.where(Target.region_code.in_(list(region_codes)))
    return sorted(int(y) for y in session.scalars(query))


def latest_year(session: Session, indicator_ids: Iterable[int], after: int,
                region_codes: Iterable[str] | None = None) -> int | None:
    """The newest year after ``after`` with any current figure of the indicators (in ``region_codes``, when
    given), or None."""
    query = select(func.max(Observation.year)).where(
        current_clause(Observation), Observation.indicator_id.in_(list(indicator_ids)), Observation.year > after)
    if region_codes is not None:
        query = query.where(Observation.region_code.in_(list(region_codes)))
    found = session.scalar(query)
    return None if found is None else int(found)


def latest_month(session: Session, year: int, indicator_ids: Iterable[int] | None = None,
                 region_codes: Iterable[str] | None = None) -> int | None:
    """The latest month of ``year`` with any current figure (in ``region_codes``, when given; 12 = the whole
    year), or None."""
    query = select(func.max(Observation.month)).where(current_clause(Observation), Observation.year == year)
    if indicator_ids is not None:
        query = query.where(Observation.indicator_id.in_(list(indicator_ids)))
    if region_codes is not None:
        query = query.where(Observation.region_code.in_(list(region_codes)))
    found = session.scalar(query)
    return None if found is None else int(found)


class CurrentValue(NamedTuple):
    """A current figure as :func:`current_values` returns it."""

    indicator_id: int
    region_code: str
    year: int
    month: int
    status: str
    value: float
    note: str | None
    growth: float | None


def current_values(
    session: Session, indicator_ids: Iterable[int], region_codes: Iterable[str], years: Iterable[int],
    months: Iterable[int], unless_reported_by: str | None = None,
) -> list[CurrentValue]:
    """Current figures of some periods as plain named tuples.

    The filter runs in SQL and no ORM objects are built (five times cheaper per row): the views read a
    few periods out of a store that may hold a million figures. Named tuples, not SQLAlchemy rows:
    reading a field of a row by name costs twenty times more, and pages read ~35,000 of them.

    ``unless_reported_by`` (a region code) leaves out the figures of every (indicator, year, month) that
    region has a current figure of: the districts' figures a city figure needs only where the city has
    none of its own.
    """
    ids, codes, years, months = list(indicator_ids), list(region_codes), sorted(set(years)), sorted(set(months))
    if unless_reported_by is None:
        return _current_values(session, ids, codes, years, months)
    # The region's own periods first (a few hundred rows): where it reported everything, as a city
    # usually does, the districts need no read at all. A NOT EXISTS per row cost more than the read.
    own = select(Observation.indicator_id, Observation.year, Observation.month).where(
        current_clause(Observation), Observation.region_code == unless_reported_by, Observation.indicator_id.in_(ids),
        Observation.year.in_(years), Observation.month.in_(months))
    reported = set(_driver_rows(session, own))
    missing = {(i, y, m) for i in ids for y in years for m in months} - reported
    if not missing:
        return []
    rows = _current_values(session, sorted({i for i, _y, _m in missing}), codes, sorted({y for _i, y, _m in missing}),
                           sorted({m for _i, _y, m in missing}))
    return [r for r in rows if (r.indicator_id, r.year, r.month) in missing]


def _current_values(session: Session, indicator_ids: list[int], region_codes: list[str], years: list[int],
                    months: list[int]) -> list[CurrentValue]:
    query = select(Observation.indicator_id, Observation.region_code, Observation.year, Observation.month,
                   Observation.status, Observation.value, Observation.note, Observation.growth).where(
        current_clause(Observation), Observation.indicator_id.in_(indicator_ids), Observation.region_code.in_(region_codes),
        Observation.year.in_(years), Observation.month.in_(months))
    return list(map(CurrentValue._make, _driver_rows(session, query)))


def _driver_rows(session: Session, query: Select) -> list[tuple]:
    """The rows of ``query`` as the database driver returns them: plain tuples.

    For the bulk reads of pages (tens of thousands of figures and targets) SQLAlchemy's own row objects
    cost more than the database's work: the statement is compiled by SQLAlchemy (so it stays one query
    for both backends) and run on the session's connection, in its transaction. Only for columns whose
    driver values need no conversion (integers, floats, strings), and for read-side sessions: the
    session is not flushed first, so objects added to it and not yet flushed are not seen.
    """
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    positional = compiled.positiontup is not None
    params = [compiled.params[name] for name in compiled.positiontup] if positional else compiled.params
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def newest_year_by_region(session: Session, indicator_ids: Iterable[int], region_codes: Iterable[str],
                          after: int) -> dict[str, int]:
    """Per region, the newest year after ``after`` with a current whole-year figure of any of the indicators.

    Aggregated in SQL: the answer is a handful of rows however many figures the store holds.
    """
    query = (select(Observation.region_code, func.max(Observation.year))
             .where(current_clause(Observation), Observation.month == 12, Observation.year > after,
                    Observation.indicator_id.in_(list(indicator_ids)), Observation.region_code.in_(list(region_codes)))
             .group_by(Observation.region_code))
    return {str(region): int(year) for region, year in session.execute(query)}


def newest_complete_year(session: Session, indicator_ids: Iterable[int], region_codes: Sequence[str],
                         after: int) -> int | None:
    """The newest year after ``after`` in which EVERY one of ``region_codes`` has a whole-year figure of one
    same indicator (e.g. all districts: a derived city figure exists), or None."""
    if not region_codes:
        return None
    complete = (select(Observation.indicator_id, Observation.year)
                .where(current_clause(Observation), Observation.month == 12, Observation.year > after,
                       Observation.indicator_id.in_(list(indicator_ids)),
                       Observation.region_code.in_(list(region_codes)))
                .group_by(Observation.indicator_id, Observation.year)
                .having(func.count(func.distinct(Observation.region_code)) == len(set(region_codes)))
                .subquery())
    found = session.scalar(select(func.max(complete.c.year)))
    return None if found is None else int(found)
