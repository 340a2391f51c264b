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
from dashboard.progress import (Assessment, Milestone, MilestoneAssessment, SeriesInput, achieved_growth, assess,
                                assess_milestones, assessment_to_dict, upcoming_years)
from dashboard.services.scope import named_regions, plan_scope
from dashboard.storage import page_reads as reads
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
                 published_baselines: dict[int, float] | None = None,
                 district_years: frozenset[int] | None = None) -> None:
        self.published_baselines = published_baselines or {}
        # None: every district figure was read. Else those of these years, and of the other years only
        # where the city has no figure of its own (its sum needs them).
        self.district_years = district_years
        # Plain rows (published-only reads) are never pending: only ORM rows are asked.
        self.values = {key: EffectiveValue(o.value, o.status, o.note, type(o) is Observation and repo.is_pending(o))
                       for key, o in reads.effective_annual(observations).items()}
        self.targets: dict[tuple[int, str], dict[int, tuple[float, str, float | None]]] = {}
        # City figures by (indicator id, year): every year's row needs those of all earlier years.
        self.cities: dict[tuple[int, int], CityFigure] = {}
        for t in targets:
            self.targets.setdefault((t.indicator_id, t.region_code), {})[t.year] = (t.value, t.origin, t.upper)

    def value(self, indicator_id: int, region: str, year: int) -> EffectiveValue | None:
        return self.values.get((indicator_id, region, year))

    def all_districts_read(self, year: int) -> bool:
        """Whether every district figure of ``year`` was read (else only those a city sum needs)."""
        return self.district_years is None or year in self.district_years


def _city_figure(figures: _Figures, indicator: _Spec, city: str, districts: list[str], year: int) -> CityFigure:
    cached = figures.cities.get((indicator.id, year))
    if cached is None:
        cached = figures.cities[(indicator.id, year)] = _new_city_figure(figures, indicator, city, districts, year)
    return cached


def _new_city_figure(figures: _Figures, indicator: _Spec, city: str, districts: list[str], year: int) -> CityFigure:
    indicator_id, values = indicator.id, figures.values
    reported = values.get((indicator_id, city, year))
    own = {d: v for d in districts if (v := values.get((indicator_id, d, year))) is not None}
    return city_figure(
        None if reported is None else reported.value, {d: v.value for d, v in own.items()}, districts,
        additive=indicator.aggregation == "additive", decimals=indicator.decimals,
        reported_status=FINAL if reported is None else reported.status,
        preliminary_districts=[d for d, v in own.items() if v.status == PRELIMINARY],
    )


class _Inputs(NamedTuple):
    """What assessing one indicator in one region for one year starts from."""

    series: SeriesInput
    actual: float | None
    source: str | None
    status: str | None
    city: CityFigure | None
    targets: dict[int, tuple[float, str, float | None]]
    revision: float | None
    pending: bool


class _Spec(NamedTuple):
    """What assessing reads of an indicator, read off the ORM object once (an attribute read of a mapped
    object costs ten times a tuple's, and a grid reads them for 7,000 cells)."""

    id: int
    aggregation: str
    direction: str
    target_basis: str
    comparison: str
    decimals: int

    @classmethod
    def of(cls, indicator: Indicator) -> _Spec:
        return cls(indicator.id, indicator.aggregation, indicator.direction, indicator.target_basis,
                   indicator.comparison, indicator.decimals)


def _inputs(figures: _Figures, baseline_year: int, city_code: str, indicator: _Spec, region_code: str,
            districts: list[str], year: int, years: Iterable[int] | None = None,
            targets: dict[int, tuple[float, str, float | None]] | None = None) -> _Inputs:
    """The series, actual and sources of one row; a district's actuals of ``years`` only (default: every
    year from the baseline to ``year``); ``targets`` as :func:`_targets` gives them, if already known."""
    years = range(baseline_year, year + 1) if years is None else years
    city: CityFigure | None = None
    incomplete: set[int] = set()
    preliminary: set[int] = set()
    if region_code == city_code:
        series_figures = {y: _city_figure(figures, indicator, region_code, districts, y) for y in years}
        # A partial sum is never an actual (no baseline, no past milestone, no projection point).
        actuals = {y: f.value for y, f in series_figures.items() if f.value is not None}
        incomplete = {y for y, f in series_figures.items() if f.source == PARTIAL}
        preliminary = {y for y, f in series_figures.items() if f.value is not None and f.status == PRELIMINARY}
        city = series_figures.get(year) or _city_figure(figures, indicator, region_code, districts, year)
        actual, source = city.value, (None if city.source == NONE else city.source)
        status = city.status if city.value is not None else None
        reported = figures.value(indicator.id, region_code, year)
        used = [reported] if source == "reported" else [figures.value(indicator.id, d, year) for d in districts]
        if source == "reported" and not figures.all_districts_read(year):
            city = None  # the districts' figures of this year were not read: no reconciliation to give
    else:
        indicator_id, values = indicator.id, figures.values  # looked up once: 7,000 rows a page
        own_years = [(y, v) for y in years if (v := values.get((indicator_id, region_code, y))) is not None]
        actuals = {y: v.value for y, v in own_years}
        preliminary = {y for y, v in own_years if v.status == PRELIMINARY}
        own = values.get((indicator_id, region_code, year))
        actual, source, status = (None, None, None) if own is None else (own.value, "reported", own.status)
        used = [own]
    if targets is None:
        targets = _targets(figures, indicator.id, region_code, baseline_year)
    # The baseline is the plan's published figure, always. Without one, the baseline-year figure:
    # the city's own, or the sum of ALL districts (a partial sum is not in ``actuals``).
    published = figures.published_baselines.get(indicator.id) if region_code == city_code else None
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
    return _Inputs(series, actual, source, status, city if indicator.aggregation == "additive" else None, targets,
                   revision, any(v is not None and v.pending for v in used))


def _targets(figures: _Figures, indicator_id: int, region_code: str,
             baseline_year: int) -> dict[int, tuple[float, str, float | None]]:
    """A region's milestones: its current targets after the baseline year that are targets at all."""
    return {y: t for y, t in figures.targets.get((indicator_id, region_code), {}).items()
            if _is_milestone(baseline_year, y, t[0], t[1])}


def _is_milestone(baseline_year: int, year: int, value: float, origin: str) -> bool:
    """A target that is a milestone: after the baseline year, and a target at all (:func:`is_target`)."""
    return year > baseline_year and is_target(value, origin)


def _cell_years(baseline_year: int, year: int, target_years: Iterable[int]) -> set[int]:
    """The years a district's grid cell reads: the baseline year (its baseline), the year, and after the
    last milestone that milestone's year (a past milestone is judged on its own year's figure)."""
    return {baseline_year, year, *(y for y in upcoming_years(target_years, year) if y < year)}


def _row(figures: _Figures, plan: Plan, indicator: Indicator, region: Region, districts: list[str], year: int,
         thresholds: StatusThresholds) -> ProgressRow:
    got = _inputs(figures, plan.baseline_year, plan.city_code, _Spec.of(indicator), region.code, districts, year)
    return ProgressRow(
        indicator=indicator, region=region, assessment=assess(got.series, year, got.actual, thresholds),
        actual_source=got.source, actual_status=got.status, city=got.city,
        target_origins={y: origin for y, (_value, origin, _upper) in got.targets.items()},
        baseline_revision=got.revision, actual_pending=got.pending,
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

    def check_districts_read(self, years: Iterable[int]) -> None:
        """Raise ValueError unless every district figure of ``years`` was read (see ``district_years``)."""
        missing = [y for y in years if not self.figures.all_districts_read(y)]
        if missing:
            raise ValueError(f"the snapshot read the districts' figures of {sorted(self.figures.district_years or ())}"
                             f" only, not of {missing}")


def snapshot(
    engine: Engine,
    through: int,
    region: str | None = None,
    indicator: str | None = None,
    plan_code: str = DEFAULT_PLAN_CODE,
    tier: str | None = None,
    include_pending: bool = False,
    with_measure: bool = False,
    grid_year: int | None = None,
) -> Snapshot:
    """Read the figures and targets to assess the plan (or one indicator) in every region (or ``region``).

    Only what the assessment needs is read: whole-year figures from the baseline up to ``through``,
    for one district that district's own figures alone (a city figure needs every district's), and with
    ``with_measure`` the indicators linked to a measure (举措) only. Published figures only, unless
    ``include_pending`` (a reviewer's 含待审核 view). With ``grid_year`` (published figures only), the
    districts' figures :func:`district_cells` of that year needs, and of other years only where the city
    has no figure of its own: enough for the city's series and the district grid, a fraction of a full
    read at 70 districts. Raises :class:`NotFoundError` for an unknown plan, region or indicator.
    """
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, region, indicator, tier)
        plan, all_regions, districts, regions = scope.plan, scope.home_regions, scope.districts, scope.regions
        indicators = [i for i in scope.indicators if i.measure_id is not None] if with_measure else scope.indicators
        ids = [i.id for i in indicators]
        # A district's rows need its own figures only; the city's need every district's (its sum).
        codes = [r.code for r in (regions if all(r.code != plan.city_code for r in regions) else all_regions)]
        assessed_years = range(plan.baseline_year, through + 1)
        targets = reads.current_target_values(session, ids, [r.code for r in regions])
        slim = None if include_pending or grid_year is None else frozenset(
            _grid_years(plan.baseline_year, grid_year, targets, plan.city_code))
        if include_pending:
            # Reviewers' 含待审核 view needs the rows themselves (pending ones are not current).
            values: Iterable = repo.current_observations(session, indicator_ids=ids, region_codes=codes,
                                                         years=assessed_years, months=[12], include_pending=True)
        elif slim is None or plan.city_code not in codes:
            values = reads.current_values(session, ids, codes, years=assessed_years, months=[12])
        else:  # everyone else reads published figures as plain rows, filtered in SQL
            others = [c for c in codes if c != plan.city_code]
            rest = [y for y in assessed_years if y not in slim]
            values = [*reads.current_values(session, ids, [plan.city_code], years=assessed_years, months=[12]),
                      *reads.current_values(session, ids, others, years=sorted(slim), months=[12]),
                      *(reads.current_values(session, ids, others, years=rest, months=[12],
                                            unless_reported_by=plan.city_code) if rest else ())]
        figures = _Figures(
            values,
            targets,
            repo.published_baselines(session, ids, plan.city_code, plan.baseline_year),
            district_years=slim,
        )
    return Snapshot(plan, indicators, regions, districts, figures, through)


def _grid_years(baseline_year: int, year: int, targets: Iterable[reads.TargetValue], city: str) -> set[int]:
    """The years of district figures the grid of ``year`` reads (:func:`_cell_years` of every district)."""
    by_cell: dict[tuple[int, str], list[int]] = {}
    for t in targets:
        if t.region_code != city and _is_milestone(baseline_year, t.year, t.value, t.origin):
            by_cell.setdefault((t.indicator_id, t.region_code), []).append(t.year)
    distinct = {tuple(years) for years in by_cell.values()}  # a handful of patterns among 7,000 cells
    return {baseline_year, year}.union(*(_cell_years(baseline_year, year, years) for years in distinct))


def assess_years(read: Snapshot, years: Iterable[int], region: str | None = None,
                 thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> dict[int, list[ProgressRow]]:
    """The progress rows of ``years`` (none after ``read.through``) for every region of the snapshot, or
    ``region``: indicators in plan order, each with its regions (city-only indicators: the city only)."""
    wanted = sorted(set(years))
    if wanted and wanted[-1] > read.through:
        raise ValueError(f"the snapshot reads up to {read.through}, not {wanted[-1]}")
    plan, districts, figures = read.plan, read.districts, read.figures
    regions = named_regions(read.regions, region)
    if any(r.code != plan.city_code for r in regions):
        read.check_districts_read(wanted)
    pairs = [(ind, reg) for ind in read.indicators for reg in regions
             if reg.code == plan.city_code or ind.aggregation == "additive"]
    return {y: [_row(figures, plan, ind, reg, districts, y, thresholds) for ind, reg in pairs] for y in wanted}


@dataclass(frozen=True)
class GridCell:
    """One district and indicator in one year, as the grids of every district × indicator need it.

    The milestones are those a page talks about for the year (:func:`dashboard.progress.upcoming_years`),
    judged by the same code as the full assessment; no projection, no second opinion.
    """

    indicator_code: str
    region_code: str
    actual: float | None
    achieved_growth: float | None
    milestones: tuple[MilestoneAssessment, ...]  # the upcoming ones (after the last: the last)
    target_origins: dict[int, str]

    def milestone(self, year: int | None) -> MilestoneAssessment | None:
        """The assessment against the milestone of ``year`` (None: the district has no such target)."""
        return next((m for m in self.milestones if m.year == year), None)

    @property
    def next_milestone(self) -> MilestoneAssessment | None:
        """:meth:`dashboard.progress.Assessment.next_milestone` of the full assessment."""
        return self.milestones[0] if self.milestones else None


def district_cells(read: Snapshot, year: int, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> list[GridCell]:
    """Every district × additive indicator of the snapshot in ``year`` (published figures), indicators in
    plan order, each with its districts: what :func:`assess_years` gives of them, cut to the grids' needs."""
    if year > read.through:
        raise ValueError(f"the snapshot reads up to {read.through}, not {year}")
    figures, baseline_year, city = read.figures, read.plan.baseline_year, read.plan.city_code
    regions = [r.code for r in read.regions if r.code != city]
    cells = []
    # Milestone years -> (the years the cell reads, its upcoming milestones): a few patterns, 7,000 cells.
    patterns: dict[tuple[int, ...], tuple[list[int], list[int]]] = {}
    for indicator in read.indicators:
        if indicator.aggregation != "additive":
            continue
        spec = _Spec.of(indicator)
        for region in regions:
            targets = _targets(figures, spec.id, region, baseline_year)
            found = patterns.get(key := tuple(targets))
            if found is None:
                found = patterns[key] = (sorted(_cell_years(baseline_year, year, key)), upcoming_years(key, year))
                read.check_districts_read(found[0])
            years, upcoming = found
            got = _inputs(figures, baseline_year, city, spec, region, read.districts, year, years, targets)
            cells.append(GridCell(
                indicator.code, region, got.actual, achieved_growth(got.series, year, got.actual),
                assess_milestones(got.series, year, got.actual, upcoming, thresholds),
                {y: targets[y][1] for y in upcoming}))
    return cells


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
