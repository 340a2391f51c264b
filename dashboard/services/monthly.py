"""Month-level progress (1–N月累计, 同比, 序时进度) of every indicator × region, and explicit annual targets.

No formula lives here: this module gathers the effective figures of four periods — 1–N月 of the
year and of the year before, the previous year's whole-year figure and the baseline — plus the
targets, and hands them to :mod:`dashboard.monthly` and :mod:`dashboard.aggregation`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import auth
from dashboard.aggregation import FINAL, NONE, PARTIAL, PRELIMINARY, REPORTED, CityFigure, city_figure
from dashboard.auth import Actor
from dashboard.errors import InputError, NotFoundError
from dashboard.monthly import ANNUAL_ORIGIN, MONTHS, MonthAssessment, MonthInput, annual_target, assess_month
from dashboard.monthly import month_to_dict, target_path
from dashboard.outlook import MAX_BASIS_YEARS, NO_OUTLOOK, Outlook, PastYear, assess_outlook, outlook_to_dict
from dashboard.progress import Milestone, SeriesInput
from dashboard.storage import accounts as accounts_repo
from dashboard.services.scope import Scope, plan_scope
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction
from dashboard.storage.models import Indicator, Region, Target
from dashboard.thresholds import DEFAULT_THRESHOLDS, StatusThresholds

DEFAULT_PLAN_CODE = "shaoxing-platform-2023"
AUDIT_ANNUAL_TARGET = "annual_target"
Key = tuple[int, str, int, int]  # (indicator id, region code, year, month)
# How far back the outlook looks for its ≤ 5 usable earlier years (a year may lack month N or its end).
OUTLOOK_LOOKBACK_YEARS = 2 * MAX_BASIS_YEARS
PUBLISHED, COMPUTED = "published", "computed"  # where the 同比 shown comes from (yoy_growth_source)


@dataclass(frozen=True)
class MonthRow:
    """The month-level assessment of one indicator in one region, with where its figure came from."""

    indicator: Indicator
    region: Region
    assessment: MonthAssessment
    ytd_source: str | None  # "reported" | "derived" | "partial" | None (no figure)
    ytd_status: str | None  # "final" | "preliminary" | None (derived or no figure)
    missing_districts: tuple[str, ...]  # city rows of additive indicators: districts not yet reported
    outlook: Outlook = NO_OUTLOOK  # 预计全年 (months 1–11 with a figure)
    yoy_growth_source: str | None = None  # "published" (given with the figure) / "computed" / None (no 同比)




class _Figures:
    """Effective figures (final beats preliminary) and current targets, loaded once."""

    def __init__(self, session: Session, scope: Scope, year: int, months: Iterable[int],
                 years: Iterable[int] = ()) -> None:
        ids = [i.id for i in scope.indicators]
        city = scope.plan.city_code
        # Districts alone need their own figures only; the city's figure may be a sum of every district's.
        alone = all(r.code != city for r in scope.regions)
        codes = [r.code for r in scope.regions] if alone else [city, *scope.districts]
        years = {*range(year - OUTLOOK_LOOKBACK_YEARS, year + 1), scope.plan.baseline_year, *years}
        if all(r.code == city for r in scope.regions):
            # The city alone (the overview, its charts): the districts' figures only for the periods the
            # city has no figure of its own, where its figure is their sum. Elsewhere the month view uses
            # the city's own figure and never reconciles, and reading every district's figure of ten
            # years was most of the overview's cost at 70 districts.
            rows = (reads.current_values(session, ids, [city], years, months)
                    + reads.current_values(session, ids, scope.districts, years, months, unless_reported_by=city))
        else:
            rows = reads.current_values(session, ids, codes, years, months)
        effective = reads.effective_by_period(rows)
        self.values = {key: (o.value, o.status) for key, o in effective.items()}
        # 同比增速 as published with the region's own figure (a district sum has none of its own).
        self.growth = {key: o.growth for key, o in effective.items() if o.growth is not None}
        self.targets: dict[tuple[int, str], dict[int, tuple[float, str]]] = {}
        for t in reads.current_target_values(session, ids, codes, include_annual=True):
            self.targets.setdefault((t.indicator_id, t.region_code), {})[t.year] = (t.value, t.origin)

    def city(self, indicator: Indicator, city: str, districts: list[str], year: int, month: int) -> CityFigure:
        reported = self.values.get((indicator.id, city, year, month))
        own = {d: v for d in districts if (v := self.values.get((indicator.id, d, year, month))) is not None}
        return city_figure(None if reported is None else reported[0], {d: v[0] for d, v in own.items()}, districts,
                           additive=indicator.aggregation == "additive", decimals=indicator.decimals,
                           reported_status=FINAL if reported is None else reported[1],
                           preliminary_districts=[d for d, v in own.items() if v[1] == PRELIMINARY])

    def figure(self, scope: Scope, indicator: Indicator, region: str, year: int, month: int) -> CityFigure | None:
        """The figure of one period: a city figure (maybe a district sum) for the city, the own one else."""
        if region == scope.plan.city_code:
            return self.city(indicator, region, scope.districts, year, month)
        own = self.values.get((indicator.id, region, year, month))
        return None if own is None else CityFigure(own[0], REPORTED, (), None, None, False, own[1])


def _whole(figure: CityFigure | None) -> float | None:
    """A reference figure (last year, baseline) only when it is the region's whole figure, never a partial sum."""
    return None if figure is None else figure.value  # a partial sum has no value: it is not the region's


def _row(figures: _Figures, scope: Scope, indicator: Indicator, region: Region, year: int, month: int,
         thresholds: StatusThresholds) -> MonthRow:
    plan = scope.plan
    current = figures.figure(scope, indicator, region.code, year, month)
    targets = figures.targets.get((indicator.id, region.code), {})
    milestones = tuple(Milestone(y, v) for y, (v, origin) in sorted(targets.items())
                       if origin != ANNUAL_ORIGIN and y > plan.baseline_year)
    baseline = _whole(figures.figure(scope, indicator, region.code, plan.baseline_year, 12))
    series = SeriesInput(indicator.direction, plan.baseline_year, baseline, milestones)
    target, origin = annual_target(targets.get(year), series, year)
    source = None if current is None or current.source == NONE else current.source
    # A partial sum is shown (and never judged): it is the districts' sum, not the region's value.
    ytd = None if source is None else current.district_sum if source == PARTIAL else current.value
    assessment = assess_month(MonthInput(
        kind=indicator.kind, direction=indicator.direction, year=year, month=month, ytd=ytd,
        ytd_prior=_whole(figures.figure(scope, indicator, region.code, year - 1, month)),
        prior_year_annual=_whole(figures.figure(scope, indicator, region.code, year - 1, 12)),
        annual_target=target, annual_target_origin=origin, complete=source != PARTIAL,
    ), thresholds)
    published = figures.growth.get((indicator.id, region.code, year, month)) if source == REPORTED else None
    if published is not None:  # the published rate (可比口径) is the 同比 shown everywhere
        assessment = dataclasses.replace(assessment, yoy_growth=published / 100)
    past = [PastYear(k, _whole(figures.figure(scope, indicator, region.code, k, month)),
                     _whole(figures.figure(scope, indicator, region.code, k, 12)))
            for k in range(year - OUTLOOK_LOOKBACK_YEARS, year)]
    # Only the region's whole figure is extrapolated: a partial district sum is no 1–N月累计 of the region.
    outlook = assess_outlook(indicator.kind, indicator.direction, year, month,
                             ytd if source != PARTIAL else None, past, target, assessment.prior_year_annual)
    return MonthRow(indicator, region, assessment, source, None if source is None else current.status,
                    current.missing_districts if source == PARTIAL else (), outlook,
                    None if assessment.yoy_growth is None else PUBLISHED if published is not None else COMPUTED)


def _check_month(month: int) -> None:
    if isinstance(month, bool) or month not in MONTHS:
        raise InputError(f"月份 {month} 无效，应为 1–12（12 表示全年）")


def month_progress(
    engine: Engine, year: int, month: int, region: str | None = None, indicator: str | None = None,
    plan_code: str = DEFAULT_PLAN_CODE, tier: str | None = None, thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> list[MonthRow]:
    """Assess 1–``month``月 of ``year`` for every indicator in every region (or the ones named).

    City-only indicators are assessed for the city only. Raises :class:`NotFoundError` for an
    unknown plan, region or indicator and :class:`InputError` for a month outside 1–12.
    """
    _check_month(month)
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, region, indicator, tier)
        figures = _Figures(session, scope, year, {month, 12})
        return [
            _row(figures, scope, ind, reg, year, month, thresholds)
            for ind in scope.indicators
            for reg in scope.regions
            if reg.code == scope.plan.city_code or ind.aggregation == "additive"
        ]


@dataclass(frozen=True)
class CumulativeSeries:
    """The classic cumulative chart of one indicator in one region: this year, last year, the target path."""

    row: MonthRow  # the assessment of 1–N月, with the indicator, region and annual target
    this_year: tuple[tuple[int, float], ...]  # (month, 1–N月累计 or month-end value), months 1..N
    last_year: tuple[tuple[int, float], ...]  # the same for every month of the year before
    target_path: tuple[tuple[int, float], ...]  # the annual target spread evenly (序时进度)


def cumulative_series(engine: Engine, indicator: str, region: str, year: int, month: int,
                      plan_code: str = DEFAULT_PLAN_CODE) -> CumulativeSeries:
    """Every month of ``year`` up to ``month`` and of the year before, with the target path.

    Partial city sums are left out of the lines: they are not the city's figure.
    """
    _check_month(month)
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, region, indicator, None)
        if len(scope.indicators) != 1 or len(scope.regions) != 1:
            raise NotFoundError(f"请指定一个指标和一个地区（收到：{indicator}、{region}）")
        ind, reg = scope.indicators[0], scope.regions[0]
        figures = _Figures(session, scope, year, MONTHS)
        row = _row(figures, scope, ind, reg, year, month, DEFAULT_THRESHOLDS)

        def line(y: int, last: int) -> tuple[tuple[int, float], ...]:
            points = ((m, _whole(figures.figure(scope, ind, reg.code, y, m))) for m in range(1, last + 1))
            return tuple((m, v) for m, v in points if v is not None)

    a = row.assessment
    path = () if a.annual_target is None else tuple(target_path(ind.kind, a.annual_target, a.prior_year_annual))
    return CumulativeSeries(row, line(year, month), line(year - 1, 12), path)


def latest_period(engine: Engine, plan_code: str = DEFAULT_PLAN_CODE) -> tuple[int, int] | None:
    """The newest (year, month) with any figure of the plan after its baseline: the pages' default period.

    Only the city's and its districts' figures count: peer cities' figures (全省对比) uploaded before the
    city's own must not move the period the pages open on.
    """
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, None, None, None)
        ids, codes = [i.id for i in scope.indicators], [r.code for r in scope.regions]
        year = reads.latest_year(session, ids, after=scope.plan.baseline_year, region_codes=codes)
        month = None if year is None else reads.latest_month(session, year, ids, codes)
        return None if year is None or month is None else (year, month)


def latest_month(engine: Engine, year: int, plan_code: str = DEFAULT_PLAN_CODE) -> int | None:
    """The latest month of ``year`` with any figure of the city or its districts (12 = the whole year), or None."""
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, None, None, None)
        return reads.latest_month(session, year, [i.id for i in scope.indicators], [r.code for r in scope.regions])


def row_to_dict(row: MonthRow) -> dict:
    """The JSON object of ``kpi progress --year Y --month N --json`` (keys documented in the README)."""
    result: dict = {"indicator": row.indicator.code, "region": row.region.code}
    result.update(month_to_dict(row.assessment))
    result.update(ytd_source=row.ytd_source, ytd_status=row.ytd_status, missing_districts=list(row.missing_districts))
    result.update(outlook_to_dict(row.outlook))
    result["yoy_growth_source"] = row.yoy_growth_source
    return result


def rows_to_dicts(rows: Iterable[MonthRow]) -> list[dict]:
    """Every row as :func:`row_to_dict`."""
    return [row_to_dict(r) for r in rows]


def set_annual_target(engine: Engine, actor: Actor, indicator_code: str, region: str, year: int, value: float,
                      note: str | None = None) -> int | None:
    """Set the explicit annual target (年度目标, origin ``annual``) of one indicator, region and year.

    One transaction; the previous annual target stays in the history. Refused for a year that has
    a milestone target (published, allocated or estimated): that target already is the year's
    target. Returns the submission id, or None when the value was already set.
    """
    auth.require(actor, auth.ALLOCATE_TARGETS)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or value == float("inf"):
        raise InputError(f"年度目标必须是不小于 0 的数值，收到：{value!r}")
    with transaction(engine) as session:
        indicator = next((i for i in repo.indicators(session) if indicator_code in (i.code, i.name)), None)
        if indicator is None:
            raise NotFoundError(f"没有指标“{indicator_code}”")
        plan = indicator.plan
        regions = [r for r in repo.all_regions(session) if plan.city_code in (r.code, r.parent_code)]
        found = [r for r in regions if region in (r.code, r.name)]
        if not found:
            raise NotFoundError(f"计划中没有地区“{region}”")
        place = found[0]
        if place.code != plan.city_code and indicator.aggregation != "additive":
            raise InputError(f"“{indicator.name}”只统计全市，不设区县年度目标")
        if year <= plan.baseline_year:
            raise InputError(f"年度目标的年份应晚于基期 {plan.baseline_year} 年，收到：{year}")
        current = repo.current_target(session, indicator.id, place.code, year)
        if current is not None and current.origin != ANNUAL_ORIGIN:
            raise InputError(f"{indicator.name} {place.name} {year} 年已有目标 {current.value:g}{indicator.unit}"
                             f"（{current.origin}），它就是该年的年度目标，不另设")
        if current is not None and current.value == value and current.note == note:
            return None
        submission = repo.new_submission(session, "allocation", actor.label, n_new=int(current is None),
                                         n_changed=int(current is not None), note=note)
        repo.record_version(session, Target, submission, current, indicator_id=indicator.id, region_code=place.code,
                            year=year, value=float(value), origin=ANNUAL_ORIGIN, note=note)
        accounts_repo.add_audit_event(session, actor.label, AUDIT_ANNUAL_TARGET,
                                      target=f"{indicator.name} {place.name} {year}年",
                                      detail=f"年度目标 {value:g}{indicator.unit}", submission_id=submission.id)
        return submission.id
