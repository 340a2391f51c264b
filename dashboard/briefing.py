"""The content of a briefing (汇报材料) as plain data: what the deck and the presentation mode show.

Pure: no PowerPoint, no Streamlit, no SQL. The input is the progress service's rows (anything with
the same attributes, see :class:`RowLike`); every number and sentence comes from
:mod:`dashboard.progress`, this module only chooses which ones go on which slide and formats them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

# Every number goes through the product's one half-up rounding (dashboard.formatting): the key
# numbers on a slide must round exactly like the conclusion sentence beside them.
from dashboard import formatting
from dashboard.aggregation import DERIVED, PARTIAL, PRELIMINARY, CityFigure, source_label
from dashboard.formatting import figure
from dashboard.outlook import OutlookBand
from dashboard.progress import Assessment, Milestone, MilestoneAssessment, SeriesInput, expected_value
from dashboard.wording import (
    PRELIMINARY_VERDICT,
    attainment_text,
    conclusion_sentence,
    gap_points,
    progress_text,
    status_text,
)

# Statuses listed on the "behind schedule" slide, most serious first.
BEHIND_STATUSES = ("missed", "severe", "behind", "at_risk")


class IndicatorLike(Protocol):
    code: str
    name: str
    unit: str
    decimals: int
    direction: str
    aggregation: str
    lead_unit: str | None


class RegionLike(Protocol):
    code: str
    name: str


class RowLike(Protocol):
    """What a briefing reads of ``dashboard.services.progress.ProgressRow``."""

    indicator: IndicatorLike
    region: RegionLike
    assessment: Assessment
    actual_source: str | None
    actual_status: str | None
    city: CityFigure | None  # city rows of additive indicators: the partial sum and who is missing


@dataclass(frozen=True)
class ActualFigure:
    """One year's city figure on the chart, with what kind of figure it is (never a partial sum)."""

    value: float
    source: str  # reported / derived
    status: str | None  # final / preliminary (a derived sum: its weakest district)

    @property
    def label(self) -> str:
        return source_label(self.source, self.status)


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    data_as_of: str  # "数据截至2025年3月1日" or a plain statement that only plan figures exist
    demo: bool


@dataclass(frozen=True)
class ScoreRow:
    """One line of the summary scorecard (city figures)."""

    code: str
    name: str
    unit: str
    actual: str
    milestone_year: int | None
    target: str  # with its unit, like ``actual``
    attainment: str
    gap: str  # 进度差 in percentage points, signed
    status: str  # key of progress.STATUS_LABELS
    status_note: str  # "（据初步数）" when a final verdict rests on a preliminary figure, else ""


@dataclass(frozen=True)
class ChartData:
    """Series of an indicator chart, one value per category year (None = no point)."""

    categories: tuple[int, ...]
    actual: tuple[float | None, ...]
    actual_figures: tuple[ActualFigure | None, ...]  # per year: the figure with its kind (None: no point)
    target: tuple[float | None, ...]
    trajectory: tuple[float | None, ...]
    decimals: int
    # The month version (issue 11): categories are months, named "1月"…; the three series are this
    # year's 1–N月累计, last year's and the target path, named here instead of the annual names.
    labels: tuple[str, ...] = ()
    series_names: tuple[str, ...] = ()
    outlook: OutlookBand | None = None  # the month version: 预计全年 and its range at 12月 (issue 16)


@dataclass(frozen=True)
class IndicatorPage:
    """One indicator's slide: chart, key numbers, the one-line conclusion, staff notes."""

    code: str
    title: str
    name: str
    unit: str
    status: str
    status_note: str  # see ScoreRow.status_note
    milestone_year: int | None
    chart: ChartData
    key_numbers: tuple[tuple[str, str], ...]
    conclusion: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class DistrictCell:
    status: str
    status_note: str  # see ScoreRow.status_note
    attainment: str
    estimated: bool = False  # judged against a target estimated by baseline share (marked 估)


@dataclass(frozen=True)
class DistrictTable:
    """Additive indicators × districts: the status and 完成率 of each district against its own target."""

    title: str
    regions: tuple[str, ...]
    rows: tuple[tuple[str, tuple[DistrictCell, ...]], ...]
    note: str  # how to read a cell, and what 估 means when any cell is estimated


@dataclass(frozen=True)
class BehindItem:
    """One indicator × region behind its milestone: the figures a lead unit is asked about."""

    indicator: str
    region: str
    status: str
    status_note: str  # see ScoreRow.status_note
    attainment: str
    gap: str  # signed percentage points, as in the scorecard
    gap_pp: float | None  # the sort key: most negative first
    lead_unit: str
    estimated: bool = False  # judged against a share-based estimate (region marked （估）)


@dataclass(frozen=True)
class RankRow:
    """One line of the 全省位次 slide, as shown: "网络零售额", "1,012亿元", "增长9.4%", "第6位", "第2位（进1位）",
    "高于1.2个百分点" (see :mod:`dashboard.ranking`)."""

    name: str
    figure: str
    growth: str
    value_rank: str
    rank: str
    province: str


@dataclass(frozen=True)
class Briefing:
    year: int
    cover: Cover
    scorecard_title: str
    scorecard: tuple[ScoreRow, ...]
    indicators: tuple[IndicatorPage, ...]
    districts: DistrictTable
    behind_title: str
    behind: tuple[BehindItem, ...]
    scorecard_header: tuple[str, ...] = ()  # the month version names its columns (1–N月累计 …)
    ranks_title: str = ""  # 全省位次: a slide only when other cities' (or 浙江省's) figures were uploaded
    ranks: tuple[RankRow, ...] = ()


@dataclass(frozen=True)
class PlanInfo:
    title: str
    doc_number: str | None
    baseline_year: int
    city_code: str


# --------------------------------------------------------------------------- formatting


percent = formatting.percent
points = formatting.signed_points  # a signed gap in percentage points (百分点)


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- building blocks


def _actual_text(row: RowLike) -> str:
    a = row.assessment
    if row.actual_source == PARTIAL and row.city is not None:
        # Never the city's actual: say how many districts reported, not a sum that reads like one.
        return f"暂无全市数（数据不全：{row.city.n_reported}/{row.city.n_districts}个区县已报）"
    if a.actual is None:
        return "暂无数据"
    text = f"{figure(a.actual, row.indicator.decimals)}{row.indicator.unit}"
    if row.actual_source == DERIVED or row.actual_status == PRELIMINARY:
        text += f"（{source_label(row.actual_source, row.actual_status)}）"
    return text


def _score_row(row: RowLike) -> ScoreRow:
    m = row.assessment.next_milestone()
    ind = row.indicator
    return ScoreRow(
        code=ind.code, name=ind.name, unit=ind.unit, actual=_actual_text(row),
        milestone_year=None if m is None else m.year,
        target="—" if m is None else f"{figure(m.target, ind.decimals)}{ind.unit}",
        attainment="—" if m is None else attainment_text(m),
        gap=points(None if m is None or (diff := gap_points(m)) is None else float(diff)),
        status="no_data" if m is None else m.status, status_note=_note(m),
    )


def chart_data(row: RowLike, actuals: Mapping[int, ActualFigure]) -> ChartData:
    """Actuals (with what kind of figure each is), milestone targets and the planned trajectory."""
    a = row.assessment
    milestones = tuple(Milestone(m.year, m.target) for m in a.milestones)
    series = SeriesInput(direction=row.indicator.direction, baseline_year=a.baseline_year, baseline=a.baseline,
                         milestones=milestones)
    last = max([a.year, *(m.year for m in milestones)])
    years = tuple(range(a.baseline_year, last + 1))
    targets = {m.year: m.target for m in milestones}
    return ChartData(
        categories=years,
        actual=tuple(f.value if (f := actuals.get(y)) else None for y in years),
        actual_figures=tuple(actuals.get(y) for y in years),
        target=tuple(targets.get(y) for y in years),
        trajectory=tuple(expected_value(series, y) for y in years),
        decimals=row.indicator.decimals,
    )


def _key_numbers(row: RowLike, m: MilestoneAssessment | None) -> tuple[tuple[str, str], ...]:
    a, d = row.assessment, row.indicator.decimals
    numbers = [(f"{a.year}年实际", _actual_text(row))]
    if a.baseline is not None:
        # The plan's published baseline; an uploaded revision is shown beside it, never used.
        revision = getattr(row, "baseline_revision", None)
        note = "" if revision is None else f"（基期修订数{figure(revision, d)}，未采用）"
        numbers.append((f"{a.baseline_year}年基期", f"{figure(a.baseline, d)}{row.indicator.unit}{note}"))
    if m is not None:
        numbers += [
            (f"{m.year}年目标", f"{figure(m.target, d)}{row.indicator.unit}"),
            ("完成率", attainment_text(m)),
            ("目标进度 / 序时进度", f"{progress_text(m)} / {percent(m.time_elapsed)}"),
        ]
    growth = a.growth_milestone()  # in a milestone year: toward the next milestone, not "—"
    if growth is not None:
        numbers.append((f"尚需年均增速（至{growth.year}年）", percent(growth.required_growth)))
    return tuple(numbers)


def indicator_page(row: RowLike, actuals: Mapping[int, ActualFigure], notes: Sequence[str] = ()) -> IndicatorPage:
    m = row.assessment.next_milestone()
    ind = row.indicator
    if m is None:
        conclusion = f"{ind.name}未设定目标"
    else:
        conclusion = conclusion_sentence(ind.name, row.assessment, m.year)
    return IndicatorPage(
        code=ind.code, title=f"{ind.name}（{ind.unit}）", name=ind.name, unit=ind.unit,
        status="no_data" if m is None else m.status, status_note=_note(m), milestone_year=None if m is None else m.year,
        chart=chart_data(row, actuals), key_numbers=_key_numbers(row, m), conclusion=conclusion,
        notes=tuple(notes),
    )


def district_table(rows: Sequence[RowLike], city_code: str, year: int) -> DistrictTable:
    """Additive indicators (rows) × districts (columns); city-only indicators have no district figures."""
    regions: list[str] = []
    cells: dict[str, dict[str, DistrictCell]] = {}
    names: dict[str, str] = {}
    estimated = False
    # Shown as a gap in the grid; a missing figure is no_data, never a blank or "None".
    for row in rows:
        if row.region.code == city_code or row.indicator.aggregation != "additive":
            continue
        if row.region.name not in regions:
            regions.append(row.region.name)
        m = row.assessment.next_milestone()
        names[row.indicator.code] = row.indicator.name
        # An estimate by baseline share is never shown as if it were the city's allocation.
        is_estimate = m is not None and getattr(row, "target_origins", {}).get(m.year) == "estimated"
        estimated = estimated or is_estimate
        cells.setdefault(row.indicator.code, {})[row.region.name] = DistrictCell(
            status="no_data" if m is None else m.status, status_note=_note(m),
            attainment="—" if m is None else attainment_text(m), estimated=is_estimate)
    empty = DistrictCell("no_data", "", "—")
    table_rows = tuple((names[code], tuple(by_region.get(r, empty) for r in regions)) for code, by_region in cells.items())
    note = "格内为状态和完成率（实际值 ÷ 该区县分解目标）" + (
        "；“估”为按基期占比估算的目标，不是正式分解" if estimated else "")
    return DistrictTable(title=f"各区县对比（{year}年）", regions=tuple(regions), rows=table_rows, note=note)


def behind_items(rows: Sequence[RowLike], city_code: str) -> tuple[BehindItem, ...]:
    """Every indicator × region behind its milestone, largest gap first, with the lead unit (牵头单位).

    Ties (and items without a gap, which go last) keep the more serious status first, then plan order.
    """
    items: list[BehindItem] = []
    for row in rows:
        m = row.assessment.next_milestone()
        if m is None or m.status not in BEHIND_STATUSES:
            continue
        estimated = getattr(row, "target_origins", {}).get(m.year) == "estimated"
        item = BehindItem(indicator=row.indicator.name, region=row.region.name + ("（估）" if estimated else ""),
                          status=m.status, status_note=_note(m), estimated=estimated,
                          attainment=attainment_text(m), gap=points(m.gap_pp), gap_pp=m.gap_pp,
                          lead_unit=row.indicator.lead_unit or "—")
        items.append(item)
    return largest_gap_first(items)


def largest_gap_first(items: Sequence[BehindItem]) -> tuple[BehindItem, ...]:
    """Most negative gap first; ties (and items without a gap, last) by status severity, then as given."""
    def key(k: int) -> tuple[float, int, int]:
        item = items[k]
        return (float("inf") if item.gap_pp is None else item.gap_pp), BEHIND_STATUSES.index(item.status), k
    return tuple(items[k] for k in sorted(range(len(items)), key=key))


def by_lead_unit(items: Sequence[BehindItem]) -> tuple[tuple[str, tuple[BehindItem, ...]], ...]:
    """Items grouped by lead unit; groups in the order of their first (i.e. worst) item, items kept in order."""
    groups: dict[str, list[BehindItem]] = {}
    for item in items:
        groups.setdefault(item.lead_unit, []).append(item)
    return tuple((unit, tuple(group)) for unit, group in groups.items())


def _note(m: MilestoneAssessment | None) -> str:
    """"（据初步数）" for a final verdict decided on a preliminary figure (see wording.status_text)."""
    if m is None:
        return ""
    return PRELIMINARY_VERDICT if status_text(m).endswith(PRELIMINARY_VERDICT) else ""


def _common_year(years: Sequence[int | None]) -> int | None:
    distinct = {y for y in years if y is not None}
    return distinct.pop() if len(distinct) == 1 else None


def build_briefing(
    plan: PlanInfo,
    year: int,
    rows: Sequence[RowLike],
    city_actuals: Mapping[str, Mapping[int, ActualFigure]],
    notes: Mapping[str, Sequence[str]] | None = None,
    data_as_of: date | None = None,
    demo: bool = False,
) -> Briefing:
    """The whole briefing for ``year``.

    ``rows``: progress rows of the core indicators for ``year`` (city and districts, plan order);
    ``city_actuals``: indicator code → year → the city's effective actual (the chart's actual line);
    ``notes``: indicator code → the staff's explanations (情况说明) for the year.
    """
    notes = notes or {}
    city_rows = [r for r in rows if r.region.code == plan.city_code]
    scorecard = tuple(_score_row(r) for r in city_rows)
    milestone_year = _common_year([s.milestone_year for s in scorecard])
    against = f"（对照{milestone_year}年目标）" if milestone_year else ""
    as_of = f"数据截至{_date_text(data_as_of)}" if data_as_of else "尚无统计人员上报的数据，仅含计划公布数"
    cover = Cover(
        title=plan.title,
        subtitle=f"{year}年目标进展情况汇报" + (f"（{plan.doc_number}）" if plan.doc_number else ""),
        data_as_of=as_of, demo=demo,
    )
    return Briefing(
        year=year, cover=cover, scorecard_title=f"核心指标总览：{year}年{against}", scorecard=scorecard,
        indicators=tuple(
            indicator_page(r, city_actuals.get(r.indicator.code, {}), notes.get(r.indicator.code, ()))
            for r in city_rows
        ),
        districts=district_table(rows, plan.city_code, year),
        behind_title=f"进度滞后事项及牵头单位（{year}年）", behind=behind_items(rows, plan.city_code),
    )
