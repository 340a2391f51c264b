"""Read models of the dashboard pages: plain frozen dataclasses, no ORM objects, no Streamlit.

Every figure comes from :mod:`dashboard.services.progress` (which runs :mod:`dashboard.progress`);
this module only arranges assessments by year, region and measure, and adds the two shares the
district page needs (a district's part of the city total and of the city's growth).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard import glance
from dashboard.aggregation import DERIVED, FINAL, PARTIAL, CityFigure, partial_label, source_label
from dashboard.errors import NotFoundError
from dashboard.progress import Assessment, Milestone, MilestoneAssessment, SeriesInput, direction_sign, expected_value
from dashboard.services import progress as progress_service
from dashboard.services.progress import DEFAULT_PLAN_CODE, GridCell, ProgressRow, progress_by_year
from dashboard.services.scope import plan_or_error
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory

DEMO_KIND = "demo"


@dataclass(frozen=True)
class IndicatorInfo:
    """What a page shows about an indicator besides its figures."""

    code: str
    name: str
    unit: str
    decimals: int
    kind: str
    aggregation: str
    direction: str
    tier: str
    definition: str | None
    source_agency: str | None
    lead_unit: str | None
    measure_code: str | None
    measure_title: str | None
    target_note: str | None


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    is_city: bool


@dataclass(frozen=True)
class PlanContext:
    """The plan's frame: years, regions and indicators, for selectors and headings."""

    code: str
    title: str
    doc_number: str | None
    baseline_year: int
    target_years: tuple[int, ...]
    city: RegionInfo
    districts: tuple[RegionInfo, ...]
    indicators: tuple[IndicatorInfo, ...]
    # Region code -> the newest year after the baseline with a published figure of that region (for
    # the city: its own figure, or a sum of ALL districts; a few districts alone are not the city's).
    latest_years: dict[str, int]

    @property
    def regions(self) -> tuple[RegionInfo, ...]:
        return (self.city, *self.districts)

    def latest_year(self, region_code: str) -> int | None:
        """The newest year with published figures for ``region_code`` (None before any upload)."""
        return self.latest_years.get(region_code)

    @property
    def years(self) -> tuple[int, ...]:
        """The years one can assess: after the baseline up to the last target year."""
        return tuple(range(self.baseline_year + 1, max(self.target_years, default=self.baseline_year) + 1))


@dataclass(frozen=True)
class Assessed:
    """One indicator in one region for one year (a :class:`ProgressRow` without ORM objects)."""

    indicator: IndicatorInfo
    region: RegionInfo
    assessment: Assessment
    actual_source: str | None
    actual_status: str | None
    target_origins: dict[int, str]
    reconciliation: CityFigure | None
    pending: bool = False  # the actual awaits review (only in a reviewer's 含待审核 view)

    def next_milestone(self) -> MilestoneAssessment | None:
        """The milestone pages talk about (see :meth:`Assessment.next_milestone`)."""
        return self.assessment.next_milestone()


@dataclass(frozen=True)
class ScoreRow:
    """A scorecard line: the year's assessment plus the latest actual and the growth still required from it."""

    current: Assessed
    latest_year: int | None
    latest_value: float | None
    latest_label: str  # what kind of figure the latest actual is: 核实数 / 初步数 / 区县合计·含初步数
    required_from_latest: dict[int, float | None]  # milestone year -> 尚需年均增速 from the latest actual
    trend: tuple[tuple[int, float], ...] = ()  # (year, actual) of the region from the baseline up to the year viewed
    latest_pending: bool = False  # the latest actual awaits review (含待审核 view only)


@dataclass(frozen=True)
class Point:
    """One actual on a trajectory."""

    region_code: str
    year: int
    value: float
    status: str  # final / preliminary (a district sum: preliminary as soon as one district is)
    note: str | None
    source: str = "reported"  # reported / derived (the city's figure summed from all districts)

    @property
    def label(self) -> str:
        """核实数 / 初步数 / 区县合计 / 区县合计·含初步数."""
        return source_label(self.source, self.status)


@dataclass(frozen=True)
class IndicatorDetail:
    info: IndicatorInfo
    region: RegionInfo
    year: int
    assessed: Assessed  # the selected region in the selected year
    points: tuple[Point, ...]  # the selected region, every year up to the selected one, both statuses
    partial: tuple[tuple[int, float, str], ...]  # city years with only some districts: (year, sum, label)
    district_points: tuple[Point, ...]  # the districts' effective values (additive indicators)
    planned: tuple[tuple[int, float], ...]  # 计划轨迹 of the selected region
    targets: tuple[tuple[int, float, str], ...]  # (year, value, origin) of the selected region
    district_names: dict[str, str]


@dataclass(frozen=True)
class Contribution:
    """A district's part of the city figure of one indicator in one year."""

    region: RegionInfo
    actual: float | None
    baseline: float | None
    share_of_total: float | None  # district ÷ city figure
    increment: float | None  # actual − baseline
    share_of_increment: float | None  # district increment ÷ city increment
    remaining_gap: float | None  # allocated/estimated district target − actual (None without a target)
    share_of_remaining_gap: float | None
    target_origin: str | None


@dataclass(frozen=True)
class MeasureTarget:
    assessed: Assessed
    comparison: str
    target_basis: str


@dataclass(frozen=True)
class MeasureItem:
    code: str
    action: str
    title: str
    lead_unit: str | None
    other_units: str | None
    targets: tuple[MeasureTarget, ...]


# --------------------------------------------------------------------------- helpers


def _info(indicator) -> IndicatorInfo:  # type: ignore[no-untyped-def]
    measure = indicator.measure
    return IndicatorInfo(
        code=indicator.code, name=indicator.name, unit=indicator.unit, decimals=indicator.decimals,
        kind=indicator.kind, aggregation=indicator.aggregation, direction=indicator.direction,
        tier=indicator.tier,
        definition=indicator.definition, source_agency=indicator.source_agency,
        lead_unit=indicator.lead_unit or (measure.lead_unit if measure else None),
        measure_code=measure.code if measure else None, measure_title=measure.title if measure else None,
        target_note=indicator.target_note,
    )


def _region(region, city_code: str) -> RegionInfo:  # type: ignore[no-untyped-def]
    return RegionInfo(region.code, region.name, region.code == city_code)


class _Plain:
    """Turns progress rows into :class:`Assessed`, with one IndicatorInfo / RegionInfo per indicator and region.

    A page's read model holds up to regions × indicators rows (7,000 at 70 × 100): building the same
    info again for every row cost a tenth of the page.
    """

    def __init__(self, city_code: str) -> None:
        self.city_code = city_code
        self.indicators: dict[int, IndicatorInfo] = {}
        self.regions: dict[str, RegionInfo] = {}

    def assessed(self, row: ProgressRow) -> Assessed:
        info = self.indicators.get(row.indicator.id)
        if info is None:
            info = self.indicators[row.indicator.id] = _info(row.indicator)
        region = self.regions.get(row.region.code)
        if region is None:
            region = self.regions[row.region.code] = _region(row.region, self.city_code)
        return Assessed(info, region, row.assessment, row.actual_source, row.actual_status, dict(row.target_origins),
                        row.city, row.actual_pending)


def _ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


# --------------------------------------------------------------------------- read models


def data_version(engine: Engine) -> tuple[int, int]:
    """Changes with every write (figures, targets or metadata): the cache key of the pages."""
    with session_factory(engine)() as session:
        return reads.data_version(session)


def demo_in_use(engine: Engine) -> bool:
    """Whether any current figure was written by the synthetic demo sample (``kpi demo``)."""
    with session_factory(engine)() as session:
        return reads.current_values_written_by_kind(session, DEMO_KIND) > 0


def plan_context(engine: Engine, plan_code: str = DEFAULT_PLAN_CODE) -> PlanContext:
    with session_factory(engine)() as session:
        plan = plan_or_error(session, plan_code)
        indicators = repo.indicators(session, plan_id=plan.id)
        ids = [i.id for i in indicators]
        regions = repo.all_regions(session)
        city = next(r for r in regions if r.code == plan.city_code)
        districts = [r for r in regions if r.parent_code == plan.city_code]
        target_years = reads.target_years(session, ids, region_codes=[city.code])
        additive = [i.id for i in indicators if i.aggregation == "additive"]
        district_codes = [d.code for d in districts]
        # Aggregated in SQL (a store may hold millions of figures): each region's newest whole year, and
        # for the city also the newest year every district reported one additive indicator (a derived figure).
        latest = reads.newest_year_by_region(session, ids, [city.code, *district_codes], after=plan.baseline_year)
        derived = reads.newest_complete_year(session, additive, district_codes, after=plan.baseline_year)
        if derived is not None:
            latest[city.code] = max(derived, latest.get(city.code, derived))
        return PlanContext(
            code=plan.code, title=plan.title, doc_number=plan.doc_number, baseline_year=plan.baseline_year,
            target_years=tuple(target_years), city=_region(city, plan.city_code),
            districts=tuple(_region(d, plan.city_code) for d in districts),
            indicators=tuple(_info(i) for i in indicators), latest_years=latest,
        )


def assessments(engine: Engine, year: int, region: str | None = None, tier: str | None = "core",
                indicator: str | None = None, include_pending: bool = False) -> list[Assessed]:
    """The progress rows of a year as plain data (every region when ``region`` is None).

    Published figures only, unless ``include_pending`` (a reviewer's 含待审核 view).
    """
    return assessments_by_year(engine, [year], region, tier, indicator, include_pending)[year]


def assessments_by_year(engine: Engine, years: Iterable[int], region: str | None = None, tier: str | None = "core",
                        indicator: str | None = None, include_pending: bool = False) -> dict[int, list[Assessed]]:
    """:func:`assessments` of several years, from one read of the store."""
    by_year = progress_by_year(engine, years, region=region, tier=tier, indicator=indicator,
                               include_pending=include_pending)
    plain = _Plain(_city_code(engine))
    return {y: [plain.assessed(row) for row in rows] for y, rows in by_year.items()}


def _city_code(engine: Engine, plan_code: str = DEFAULT_PLAN_CODE) -> str:
    with session_factory(engine)() as session:
        plan = plan_or_error(session, plan_code)
        return plan.city_code


def scorecard(engine: Engine, year: int, region: str, tier: str = "core",
              include_pending: bool = False) -> list[ScoreRow]:
    """Every indicator of ``tier`` in ``region`` for ``year``, with its latest actual up to that year.

    With only the plan's baseline in the store, the latest actual is the baseline and the growth
    still required is measured from it, so the scorecard is useful before any upload.
    """
    read = progress_service.snapshot(engine, year, region=region, tier=tier, include_pending=include_pending)
    return _score_rows(read, year, region)


@dataclass(frozen=True)
class Overview:
    """The overview page's read model: the scorecard of the region and, for the city, the district grid.

    The grid holds each cell's judgement only, not the assessments behind it: 70 districts × 100
    indicators of full assessments cost more to store in and read back from the page cache (pickled)
    than to draw.
    """

    scores: list[ScoreRow]
    # (indicator name, district name) -> the district judged against its own next milestone (empty for a district)
    grid: dict[tuple[str, str], glance.Judged]
    district_actuals: bool = False  # any district has an actual in the year (else the grid has nothing to show)


def district_judgements(cells: Iterable[GridCell], indicator_names: dict[str, str],
                        region_names: dict[str, str]) -> dict[tuple[str, str], glance.Judged]:
    """Each cell judged against its district's own next milestone (NO_TARGET before an allocation),
    keyed by (indicator name, district name)."""
    judged = {}
    for cell in cells:
        name, m = indicator_names[cell.indicator_code], cell.next_milestone
        judged[(name, region_names[cell.region_code])] = (
            glance.Judged(name, glance.NO_TARGET, None) if m is None
            else glance.judge_milestone(name, m, cell.target_origins.get(m.year) == "estimated"))
    return judged


def district_grid(engine: Engine, year: int) -> list[GridCell]:
    """Every district × additive core indicator of ``year`` (published figures): what the heat map of
    区县对比 shows, without the full assessments (70 × 100 of them cost more than the page's budget)."""
    read = progress_service.snapshot(engine, year, tier="core", grid_year=year)
    return progress_service.district_cells(read, year)


def overview(engine: Engine, year: int, region: str, include_pending: bool = False) -> Overview:
    """:func:`scorecard` of ``region`` plus, when it is the city, the published district cells of ``year``.

    One read of the store serves both when it can (the grid shows published figures only, so a
    reviewer's 含待审核 scorecard needs a read of its own): at 70 districts × 100 indicators reading
    the same figures twice was a third of the page. The districts' figures are read for the grid's
    year only (and the baseline year): the city's series needs them only where the city has none.
    """
    city = _city_code(engine)
    if region not in {city, _region_name(engine, city)}:
        return Overview(scorecard(engine, year, region, include_pending=include_pending), {})
    read = progress_service.snapshot(engine, year, tier="core", grid_year=year)
    scores = scorecard(engine, year, region, include_pending=True) if include_pending else _score_rows(read, year, city)
    cells = progress_service.district_cells(read, year)
    judged = district_judgements(cells, {i.code: i.name for i in read.indicators}, {r.code: r.name for r in read.regions})
    return Overview(scores, judged, any(c.actual is not None for c in cells))


def _region_name(engine: Engine, code: str) -> str | None:
    with session_factory(engine)() as session:
        found = repo.region_by_code(session, code)
        return None if found is None else found.name


def _score_rows(read: progress_service.Snapshot, year: int, region: str) -> list[ScoreRow]:
    """The scorecard lines of ``region`` from a snapshot read through ``year``."""
    baseline_year = read.plan.baseline_year
    plain = _Plain(read.plan.city_code)
    by_year = {y: [plain.assessed(row) for row in rows]
               for y, rows in progress_service.assess_years(read, range(baseline_year, year + 1), region).items()}
    result = []
    for current in by_year[year]:
        latest: Assessed | None = None
        for y in range(year, baseline_year - 1, -1):
            candidate = next(a for a in by_year[y] if a.indicator.code == current.indicator.code)
            if candidate.assessment.actual is not None:
                latest = candidate
                break
        result.append(ScoreRow(
            current=current,
            latest_year=None if latest is None else latest.assessment.year,
            latest_value=None if latest is None else latest.assessment.actual,
            latest_label="" if latest is None else source_label(latest.actual_source, latest.actual_status),
            required_from_latest={} if latest is None else {
                m.year: m.required_growth for m in latest.assessment.milestones if m.year > latest.assessment.year},
            trend=tuple((y, a.assessment.actual) for y in sorted(by_year) for a in by_year[y]
                        if a.indicator.code == current.indicator.code and a.assessment.actual is not None),
            latest_pending=latest is not None and latest.pending,
        ))
    return result


def indicator_detail(engine: Engine, indicator: str, region: str, year: int) -> IndicatorDetail:
    """The trajectory of one indicator in one region (actuals of both statuses, targets, plan line)."""
    context = plan_context(engine)
    rows = assessments_by_year(engine, range(context.baseline_year, year + 1), indicator=indicator, tier=None)
    selected = [a for a in rows[year] if a.region.code == region]
    if not selected:
        raise NotFoundError(f"该指标不统计地区“{region}”")
    assessed = selected[0]
    district_codes = {d.code for d in context.districts}
    with session_factory(engine)() as session:
        ind = repo.indicator_by_code(session, assessed.indicator.code)
        observations = repo.current_observations(session, indicator_ids=[ind.id], region_codes=[region], months=[12])
        points = [Point(o.region_code, o.year, o.value, o.status, o.note) for o in observations if o.year <= year]
    partial: list[tuple[int, float, str]] = []
    if assessed.region.is_city:
        # Years without an official city figure show the sum of all districts, marked as such and
        # with its weakest status. A sum of SOME districts is never a point of the city's line.
        reported_years = {p.year for p in points}
        names = {d.code: d.name for d in context.districts}
        for y, year_rows in rows.items():
            city_row = next(a for a in year_rows if a.region.code == region)
            if y in reported_years:
                continue
            if city_row.actual_source == DERIVED:
                points.append(Point(region, y, city_row.assessment.actual, city_row.actual_status or FINAL, None, DERIVED))
            elif city_row.actual_source == PARTIAL and city_row.reconciliation is not None:
                figure = city_row.reconciliation
                partial.append((y, figure.district_sum, partial_label(figure, names)))
    district_points = tuple(
        Point(a.region.code, y, a.assessment.actual, a.actual_status or "final", None)
        for y, year_rows in rows.items() for a in year_rows
        if a.region.code in district_codes and a.assessment.actual is not None
    ) if assessed.region.is_city else ()
    a = assessed.assessment
    series = SeriesInput(direction=assessed.indicator.direction, baseline_year=a.baseline_year, baseline=a.baseline,
                         milestones=tuple(Milestone(m.year, m.target) for m in a.milestones))
    last = max((m.year for m in a.milestones), default=a.baseline_year)
    planned = tuple((y, v) for y in range(a.baseline_year, last + 1) if (v := expected_value(series, y)) is not None)
    targets = tuple((m.year, m.target, assessed.target_origins.get(m.year, "published")) for m in a.milestones)
    return IndicatorDetail(
        info=assessed.indicator, region=assessed.region, year=year, assessed=assessed,
        points=tuple(sorted(points, key=lambda p: (p.year, p.status))), partial=tuple(partial),
        district_points=district_points,
        planned=planned, targets=targets, district_names={d.code: d.name for d in context.districts},
    )


def contributions(engine: Engine, indicator: str, year: int) -> tuple[Assessed, list[Contribution]]:
    """Each district's part of the city total, of the growth since the baseline and of the remaining gap."""
    rows = assessments(engine, year, indicator=indicator, tier=None)
    city = next(a for a in rows if a.region.is_city)
    districts = [a for a in rows if not a.region.is_city]
    milestone = city.next_milestone()
    city_increment = None
    if city.assessment.actual is not None and city.assessment.baseline is not None:
        city_increment = city.assessment.actual - city.assessment.baseline
    gaps: dict[str, float | None] = {}
    origins: dict[str, str | None] = {}
    for d in districts:
        own = next((m for m in d.assessment.milestones if milestone and m.year == milestone.year), None)
        origins[d.region.code] = None if own is None else d.target_origins.get(own.year)
        gaps[d.region.code] = (None if own is None or d.assessment.actual is None
                               else max(0.0, direction_sign(d.indicator.direction) * (own.target - d.assessment.actual)))
    total_gap = sum(g for g in gaps.values() if g is not None) if any(g is not None for g in gaps.values()) else None
    result = []
    for d in districts:
        actual, baseline = d.assessment.actual, d.assessment.baseline
        increment = None if actual is None or baseline is None else actual - baseline
        result.append(Contribution(
            region=d.region, actual=actual, baseline=baseline,
            share_of_total=_ratio(actual, city.assessment.actual), increment=increment,
            share_of_increment=_ratio(increment, city_increment), remaining_gap=gaps[d.region.code],
            share_of_remaining_gap=_ratio(gaps[d.region.code], total_gap), target_origin=origins[d.region.code],
        ))
    return city, result


def measure_list(engine: Engine, year: int, plan_code: str = DEFAULT_PLAN_CODE) -> list[MeasureItem]:
    """The plan's measures in order, each with its lead unit and its targets assessed for the city."""
    with session_factory(engine)() as session:
        plan = plan_or_error(session, plan_code)
        city = plan.city_code
        measures = repo.measures_of(session, plan.id)
    by_measure: dict[str, list[MeasureTarget]] = {}
    # Measures are the city's, and only indicators linked to one are listed: the others are not read.
    read = progress_service.snapshot(engine, year, region=city, plan_code=plan_code, with_measure=True)
    plain = _Plain(city)
    for row in progress_service.assess_years(read, [year], region=city)[year]:
        if row.indicator.measure is not None:
            by_measure.setdefault(row.indicator.measure.code, []).append(
                MeasureTarget(plain.assessed(row), row.indicator.comparison, row.indicator.target_basis))
    return [
        MeasureItem(m.code, m.action or "", m.title, m.lead_unit, m.other_units, tuple(by_measure.get(m.code, ())))
        for m in measures
    ]
