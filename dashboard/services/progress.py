"""Progress of every indicator × region for a year: the store's figures run through the domain formulas.

No formula lives here: this module only gathers the effective actuals, baselines and targets and
hands them to :mod:`dashboard.progress` and :mod:`dashboard.aggregation`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Engine

from dashboard.aggregation import FINAL, NONE, PARTIAL, PRELIMINARY, CityFigure, city_figure
from dashboard.allocation import is_target
from dashboard.errors import NotFoundError
from dashboard.progress import Assessment, Milestone, SeriesInput, assess, assessment_to_dict
from dashboard.services.scope import named_regions, plan_scope
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Indicator, Observation, Plan, Region
from dashboard.thresholds import DEFAULT_THRESHOLDS, StatusThresholds

from dashboard.plan import DEFAULT_PLAN_CODE  # noqa: E402,F401  (re-exported for callers)


class EffectiveValue(NamedTuple):
    """A region's effective whole-year figure (a named tuple: a page builds tens of thousands of them)."""

    value: float
    status: str  # "final" | "preliminary"
    note: str | None
    pending: bool = False  # awaiting review: only in a 含待审核 view


@dataclass(frozen=True)
class ProgressRow:
    """The assessment of one indicator in one region for one year, with what it was computed from."""

    indicator: Indicator
    region: Region
    assessment: Assessment
    actual_source: str | None  # "reported" | "derived" | "partial" (no actual: only a partial sum) | None
    actual_status: str | None  # "final" | "preliminary" (a sum: its weakest district) | None (no actual)
    city: CityFigure | None  # city rows of additive indicators: the reconciliation with districts
    target_origins: dict[int, str]  # milestone year -> "published" | "allocated" | "estimated"
    # The actual (or, for a city sum, any district's) awaits review; only in a 含待审核 view.
    actual_pending: bool = False
    # 基期修订数: an uploaded baseline-year city figure that differs from the plan's published
    # baseline. Shown beside it, never used in place of it.
    baseline_revision: float | None = None


class _Figures:
    """Effective annual values and current targets of a plan, loaded once."""

    def __init__(self, observations: Iterable[Observation], targets: Iterable,
                 published_baselines: dict[int, float] | None = None) -> None:
        self.published_baselines = published_baselines or {}
        # Plain rows (published-only reads) are never pending: only ORM rows are asked.
        self.values = {key: EffectiveValue(o.value, o.status, o.note, type(o) is Observation and repo.is_pending(o))
                       for key, o in repo.effective_annual(observations).items()}
        self.targets: dict[tuple[int, str], dict[int, tuple[float, str, float | None]]] = {}
        # City figures by (indicator id, year): every year's row needs those of all earlier years.
        self.cities: dict[tuple[int, int], CityFigure] = {}
        for t in targets:
            self.targets.setdefault((t.indicator_id, t.region_code), {})[t.year] = (t.value, t.origin, t.upper)

    def value(self, indicator_id: int, region: str, year: int) -> EffectiveValue | None:
        return self.values.get((indicator_id, region, year))


def _city_figure(figures: _Figures, indicator: Indicator, city: str, districts: list[str], year: int) -> CityFigure:
    cached = figures.cities.get((indicator.id, year))
    if cached is None:
        cached = figures.cities[(indicator.id, year)] = _new_city_figure(figures, indicator, city, districts, year)
    return cached


def _new_city_figure(figures: _Figures, indicator: Indicator, city: str, districts: list[str], year: int) -> CityFigure:
    indicator_id, values = indicator.id, figures.values
    reported = values.get((indicator_id, city, year))
    own = {d: v for d in districts if (v := values.get((indicator_id, d, year))) is not None}
    return city_figure(
        None if reported is None else reported.value, {d: v.value for d, v in own.items()}, districts,
        additive=indicator.aggregation == "additive", decimals=indicator.decimals,
        reported_status=FINAL if reported is None else reported.status,
        preliminary_districts=[d for d, v in own.items() if v.status == PRELIMINARY],
    )


def _row(figures: _Figures, plan: Plan, indicator: Indicator, region: Region, districts: list[str], year: int,
         thresholds: StatusThresholds) -> ProgressRow:
    baseline_year = plan.baseline_year
    years = range(baseline_year, year + 1)
    city: CityFigure | None = None
    incomplete: set[int] = set()
    preliminary: set[int] = set()
    if region.code == plan.city_code:
        series_figures = {y: _city_figure(figures, indicator, region.code, districts, y) for y in years}
        # A partial sum is never an actual (no baseline, no past milestone, no projection point).
        actuals = {y: f.value for y, f in series_figures.items() if f.value is not None}
        incomplete = {y for y, f in series_figures.items() if f.source == PARTIAL}
        preliminary = {y for y, f in series_figures.items() if f.value is not None and f.status == PRELIMINARY}
        city = series_figures.get(year) or _city_figure(figures, indicator, region.code, districts, year)
        actual, source = city.value, (None if city.source == NONE else city.source)
        status = city.status if city.value is not None else None
        reported = figures.value(indicator.id, region.code, year)
        used = [reported] if source == "reported" else [figures.value(indicator.id, d, year) for d in districts]
    else:
        indicator_id, code, values = indicator.id, region.code, figures.values  # looked up once: 7,000 rows a page
        own_years = [(y, v) for y in years if (v := values.get((indicator_id, code, y))) is not None]
        actuals = {y: v.value for y, v in own_years}
        preliminary = {y for y, v in own_years if v.status == PRELIMINARY}
        own = values.get((indicator_id, code, year))
        actual, source, status = (None, None, None) if own is None else (own.value, "reported", own.status)
        used = [own]
    targets = {y: t for y, t in figures.targets.get((indicator.id, region.code), {}).items()
               if y > baseline_year and is_target(t[0], t[1])}
    # The baseline is the plan's published figure, always. Without one, the baseline-year figure:
    # the city's own, or the sum of ALL districts (a partial sum is not in ``actuals``).
    published = figures.published_baselines.get(indicator.id) if region.code == plan.city_code else None
    baseline = published if published is not None else actuals.get(baseline_year)
    uploaded = actuals.get(baseline_year)
    revision = uploaded if published is not None and uploaded is not None and uploaded != published else None
    series = SeriesInput(
        direction=indicator.direction, baseline_year=baseline_year, baseline=baseline,
        milestones=tuple(Milestone(y, value, upper) for y, (value, _origin, upper) in sorted(targets.items())),
        actuals=actuals, incomplete_years=frozenset(incomplete), preliminary_years=frozenset(preliminary),
        per_year=indicator.target_basis == "per_year",
        equal_tolerance=0.5 * 10.0 ** -indicator.decimals if indicator.comparison == "=" else None,
    )
    return ProgressRow(
        indicator=indicator, region=region, assessment=assess(series, year, actual, thresholds),
        actual_source=source, actual_status=status, city=city if indicator.aggregation == "additive" else None,
        target_origins={y: origin for y, (_value, origin, _upper) in targets.items()}, baseline_revision=revision,
        actual_pending=any(v is not None and v.pending for v in used),
    )


def progress(
    engine: Engine,
    year: int,
    region: str | None = None,
    indicator: str | None = None,
    plan_code: str = DEFAULT_PLAN_CODE,
    tier: str | None = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    include_pending: bool = False,
) -> list[ProgressRow]:
    """Assess every indicator of the plan in every region (or the ones named) for ``year``.

    Published figures only, unless ``include_pending`` (a reviewer's 含待审核 view: figures awaiting
    review count too, and their rows say so). City-only indicators are assessed for the city only. Raises :class:`NotFoundError` for an
    unknown plan, region or indicator code.
    """
    return progress_by_year(engine, [year], region, indicator, plan_code, tier, thresholds, include_pending)[year]


def progress_by_year(
    engine: Engine,
    years: Iterable[int],
    region: str | None = None,
    indicator: str | None = None,
    plan_code: str = DEFAULT_PLAN_CODE,
    tier: str | None = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    include_pending: bool = False,
) -> dict[int, list[ProgressRow]]:
    """:func:`progress` for several years from ONE read of the store (pages that show a series of years
    would otherwise read the same figures once per year)."""
    wanted = sorted(set(years))
    read = snapshot(engine, wanted[-1], region, indicator, plan_code, tier, include_pending)
    return assess_years(read, wanted, region, thresholds)


@dataclass(frozen=True)
class Snapshot:
    """One read of the store: what assessing the plan's indicators up to ``through`` needs.

    Pages that show several things (the overview's scorecard and district grid, the deck's city
    series and district table) assess them all from one snapshot instead of reading the same
    figures twice. The ORM objects are detached, loaded, and never written.
    """

    plan: Plan
    indicators: list[Indicator]
    regions: list[Region]  # the regions that can be assessed from this read
    districts: list[str]  # every district of the plan's city (a city figure sums them)
    figures: _Figures
    through: int  # the latest year assessable from this read


def snapshot(
    engine: Engine,
    through: int,
    region: str | None = None,
    indicator: str | None = None,
    plan_code: str = DEFAULT_PLAN_CODE,
    tier: str | None = None,
    include_pending: bool = False,
    with_measure: bool = False,
) -> Snapshot:
    """Read the figures and targets to assess the plan (or one indicator) in every region (or ``region``).

    Only what the assessment needs is read: whole-year figures from the baseline up to ``through``,
    for one district that district's own figures alone (a city figure needs every district's), and with
    ``with_measure`` the indicators linked to a measure (举措) only. Published figures only, unless
    ``include_pending`` (a reviewer's 含待审核 view). Raises :class:`NotFoundError` for an unknown plan,
    region or indicator.
    """
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, region, indicator, tier)
        plan, all_regions, districts, regions = scope.plan, scope.home_regions, scope.districts, scope.regions
        indicators = [i for i in scope.indicators if i.measure_id is not None] if with_measure else scope.indicators
        ids = [i.id for i in indicators]
        # A district's rows need its own figures only; the city's need every district's (its sum).
        codes = [r.code for r in (regions if all(r.code != plan.city_code for r in regions) else all_regions)]
        assessed_years = range(plan.baseline_year, through + 1)
        figures = _Figures(
            # Reviewers' 含待审核 view needs the rows themselves (pending ones are not current);
            # everyone else reads published figures as plain rows, filtered in SQL.
            repo.current_observations(session, indicator_ids=ids, region_codes=codes, years=assessed_years,
                                      months=[12], include_pending=True) if include_pending
            else repo.current_values(session, ids, codes, years=assessed_years, months=[12]),
            repo.current_target_values(session, ids, [r.code for r in regions]),
            repo.published_baselines(session, ids, plan.city_code, plan.baseline_year),
        )
    return Snapshot(plan, indicators, regions, districts, figures, through)


def assess_years(read: Snapshot, years: Iterable[int], region: str | None = None,
                 thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> dict[int, list[ProgressRow]]:
    """The progress rows of ``years`` (none after ``read.through``) for every region of the snapshot, or
    ``region``: indicators in plan order, each with its regions (city-only indicators: the city only)."""
    wanted = sorted(set(years))
    if wanted and wanted[-1] > read.through:
        raise ValueError(f"the snapshot reads up to {read.through}, not {wanted[-1]}")
    plan, districts, figures = read.plan, read.districts, read.figures
    regions = named_regions(read.regions, region)
    pairs = [(ind, reg) for ind in read.indicators for reg in regions
             if reg.code == plan.city_code or ind.aggregation == "additive"]
    return {y: [_row(figures, plan, ind, reg, districts, y, thresholds) for ind, reg in pairs] for y in wanted}


def row_to_dict(row: ProgressRow) -> dict:
    """The JSON object of ``kpi progress --json`` (keys documented in the README)."""
    assessment = assessment_to_dict(row.assessment)
    result = {"indicator": row.indicator.code, "region": row.region.code, "year": assessment.pop("year"),
              "actual": assessment.pop("actual"), "actual_source": row.actual_source,
              "actual_status": row.actual_status, "actual_pending": row.actual_pending,
              # Only some districts reported: their sum and who is missing, never assessed as the city.
              "partial_sum": row.city.district_sum if row.actual_source == PARTIAL and row.city else None,
              "missing_districts": list(row.city.missing_districts) if row.actual_source == PARTIAL and row.city else []}
    result.update(assessment)
    result["baseline_revised"] = row.baseline_revision
    for milestone in result["milestones"]:
        milestone["target_origin"] = row.target_origins.get(milestone["year"])
    if row.city is not None:
        result["reconciliation"] = {
            "district_sum": row.city.district_sum,
            "difference": row.city.reconciliation_diff,
            "flagged": row.city.reconciliation_flagged,
            "missing_districts": list(row.city.missing_districts),
        }
    return result
