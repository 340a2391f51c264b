"""The 月度/季度通报 version of the briefing (``kpi brief --month N``): the same :class:`Briefing` model,
filled with 1–N月 figures, so the deck renders it with the same code as the annual one.

Pure: the deck service gathers the month rows and cumulative series and passes them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from dashboard.briefing import (
    BEHIND_STATUSES,
    largest_gap_first,
    BehindItem,
    Briefing,
    ChartData,
    Cover,
    DistrictCell,
    DistrictTable,
    IndicatorLike,
    IndicatorPage,
    PlanInfo,
    RegionLike,
    ScoreRow,
)
from dashboard.formatting import figure, percent
from dashboard.monthly import (
    MONTHS,
    TRAJECTORY,
    MonthAssessment,
    gap_text,
    month_sentence,
    period_label,
    target_text,
    ytd_attainment_text,
    ytd_text,
)
from dashboard.outlook import Outlook, outlook_band, outlook_sentence

SEASONAL_LABEL = "按上年同期进度（参考）"


class MonthRowLike(Protocol):
    """What the builder reads of :class:`dashboard.services.monthly.MonthRow`."""

    indicator: IndicatorLike
    region: RegionLike
    assessment: MonthAssessment
    ytd_source: str | None
    ytd_status: str | None
    missing_districts: tuple[str, ...]
    outlook: Outlook


class SeriesLike(Protocol):
    """What the builder reads of :class:`dashboard.services.monthly.CumulativeSeries`."""

    this_year: tuple[tuple[int, float], ...]
    last_year: tuple[tuple[int, float], ...]
    target_path: tuple[tuple[int, float], ...]


def title(year: int, month: int) -> str:
    """"2026年1–9月平台经济主要指标完成情况": the 通报's title by period."""
    return f"{year}年{period_label(month)}平台经济主要指标完成情况"


def _ytd(row: MonthRowLike) -> str:
    ind = row.indicator
    return ytd_text(row.assessment, ind.unit, ind.decimals, row.ytd_source, row.ytd_status,
                    len(row.missing_districts))


def _chart(row: MonthRowLike, series: SeriesLike | None, year: int, month: int) -> ChartData:
    def by_month(points: Sequence[tuple[int, float]]) -> tuple[float | None, ...]:
        values = dict(points)
        return tuple(values.get(m) for m in MONTHS)

    empty: tuple[float | None, ...] = (None,) * 12
    return ChartData(
        categories=tuple(MONTHS), actual=by_month(series.this_year) if series else empty,
        actual_figures=(None,) * 12, target=by_month(series.last_year) if series else empty,
        trajectory=by_month(series.target_path) if series else empty,
        decimals=row.indicator.decimals,
        labels=tuple(f"{m}月" for m in MONTHS),
        series_names=(f"{year}年{period_label(month)}", f"{year - 1}年同期", "目标进度（按序时）"),
        outlook=outlook_band(row.outlook, month, row.assessment.ytd),
    )


def _page(row: MonthRowLike, series: SeriesLike | None, year: int, month: int) -> IndicatorPage:
    ind, a, o = row.indicator, row.assessment, row.outlook
    growth = ("同比 / 全年需增长", f"{percent(a.yoy_growth)} / {percent(a.needed_yoy)}")
    if o.target_met or o.remaining_needed_yoy is not None:  # what the months left need, beside the year's need
        growth = (f"{growth[0]} / 后{12 - month}个月需增长",
                  f"{growth[1]} / {'已完成' if o.target_met else percent(o.remaining_needed_yoy)}")
    # The year-end outlook is the fuller form of the seasonal second opinion (both rest on past years'
    # shares): where there is one it takes that place, so the slide keeps its room.
    outlook = outlook_sentence(o, ind.unit, ind.decimals)
    numbers = (
        (f"{year}年{period_label(month)}", _ytd(row)),
        growth,
        ("年度目标", target_text(a, ind.decimals)),
        ("完成全年目标 / 序时进度", f"{ytd_attainment_text(a)} / {percent(a.time_elapsed)}"),
        ("预计全年（按往年规律）", outlook) if outlook is not None else (SEASONAL_LABEL, percent(a.vs_seasonal)),
    )
    return IndicatorPage(
        code=ind.code, title=f"{ind.name}（{ind.unit}）", name=ind.name, unit=ind.unit,
        status=a.status, status_note="", milestone_year=None, chart=_chart(row, series, year, month), key_numbers=numbers,
        conclusion=month_sentence(ind.name, ind.unit, ind.decimals, a), notes=(),
    )


def _districts(rows: Sequence[MonthRowLike], city_code: str, year: int, month: int) -> DistrictTable:
    regions: list[str] = []
    cells: dict[str, dict[str, DistrictCell]] = {}
    for row in rows:
        if row.region.code == city_code or row.indicator.aggregation != "additive":
            continue
        name = row.region.name
        if name not in regions:
            regions.append(name)
        cells.setdefault(row.indicator.name, {})[name] = DistrictCell(
            row.assessment.status, "", ytd_attainment_text(row.assessment))
    empty = DistrictCell("no_data", "", "—")
    return DistrictTable(title=f"各区县对比（{year}年{period_label(month)}）", regions=tuple(regions),
                         rows=tuple((ind, tuple(by.get(r, empty) for r in regions)) for ind, by in cells.items()),
                         note=f"格内为状态和完成全年目标的比例（{period_label(month)}，序时进度 {month}/12）")


def month_behind_items(rows: Sequence[MonthRowLike]) -> tuple[BehindItem, ...]:
    """Every indicator × region behind 序时进度 in 1–N月, largest gap first (the deck's 滞后事项, the 通报's 存在问题)."""
    return largest_gap_first([BehindItem(
        indicator=r.indicator.name, region=r.region.name, status=r.assessment.status, status_note="",
        attainment=ytd_attainment_text(r.assessment), gap=gap_text(r.assessment),
        gap_pp=r.assessment.gap_pp, lead_unit=r.indicator.lead_unit or "—")
        for r in rows if r.assessment.status in BEHIND_STATUSES])


def build_month_briefing(plan: PlanInfo, year: int, month: int, rows: Sequence[MonthRowLike],
                         series: Mapping[str, SeriesLike], data_as_of: date | None = None,
                         demo: bool = False) -> Briefing:
    """The briefing of 1–``month``月: ``rows`` are the month rows of the core indicators (city and
    districts, plan order), ``series`` the city's cumulative series by indicator code."""
    city = [r for r in rows if r.region.code == plan.city_code]
    period = period_label(month)
    # The table's target column is narrow: a target that is no published or allocated figure is
    # marked * and explained in the title, never shown as if it were one.
    marked = {TRAJECTORY, "estimated"}
    any_marked = any(r.assessment.annual_target_origin in marked for r in city)
    as_of = (f"数据截至{year}年{period}（{data_as_of.year}年{data_as_of.month}月{data_as_of.day}日更新）"
             if data_as_of else f"数据截至{year}年{period}")
    scorecard = tuple(
        ScoreRow(code=r.indicator.code, name=r.indicator.name, unit=r.indicator.unit,
                 actual=_ytd(r), milestone_year=None,
                 target="—" if r.assessment.annual_target is None else figure(r.assessment.annual_target, r.indicator.decimals)
                 + r.indicator.unit + ("*" if r.assessment.annual_target_origin in marked else ""),
                 attainment=ytd_attainment_text(r.assessment), gap=gap_text(r.assessment),
                 status=r.assessment.status, status_note="")
        for r in city)
    return Briefing(
        year=year,
        cover=Cover(title=title(year, month), subtitle=plan.title + (f"（{plan.doc_number}）" if plan.doc_number else ""),
                    data_as_of=as_of, demo=demo),
        scorecard_title=f"核心指标：{year}年{period}（序时进度{percent(month / 12)}）"
        + ("；*为推算目标" if any_marked else ""), scorecard=scorecard,
        indicators=tuple(_page(r, series.get(r.indicator.code), year, month) for r in city),
        districts=_districts(rows, plan.city_code, year, month),
        behind_title=f"进度滞后事项及牵头单位（{year}年{period}）", behind=month_behind_items(rows),
        scorecard_header=("指标", f"{period}累计/月末", "年度目标", "完成率", "快慢序时", "状态"),
    )
