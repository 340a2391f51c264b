"""The 通报 as plain data: title, sections of paragraphs, the 附表 and the 说明 (issue 17).

Pure: no SQL, no python-docx. The input is the month rows of the core indicators (city and districts,
plan order, as ``kpi progress --month N`` gives them) and the 全省位次 records by indicator code (as
``kpi rank`` gives them); the sentences come from :mod:`dashboard.report_text`, the lagging items from
the deck's own :func:`dashboard.month_briefing.month_behind_items`, so the 通报 and the deck cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from dashboard import report_text as text
from dashboard.aggregation import PARTIAL, PRELIMINARY
from dashboard.formatting import figure
from dashboard.month_briefing import month_behind_items
from dashboard.monthly import FLOW, period_label
from dashboard.ranking import IndicatorRank

NOT_REPORTED = "—"  # a table cell without a figure (tables only: sentences leave the clause out)


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``lead`` (e.g. "（一）网络零售额。") is set in 楷体 before the text."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Section:
    heading: str  # "一、总体情况", set in 黑体
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Grid:
    """附表: indicators (with units) × the city and its districts; a cell is its lines of text."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]  # per indicator: the name cell, then one cell per region
    note: str


@dataclass(frozen=True)
class Report:
    title: str
    as_of: str
    sections: tuple[Section, ...]
    grid: Grid
    notes: tuple[str, ...]
    demo: bool


def _cell(row: text.ReportRow) -> tuple[str, ...]:
    """The figure (marked * when preliminary, △ when a partial sum) over 完成全年目标 (估 when estimated)."""
    a, ind = row.assessment, row.indicator
    if a.ytd is None:
        return (NOT_REPORTED,)
    mark = "△" if row.ytd_source == PARTIAL else "*" if row.ytd_status == PRELIMINARY else ""
    value = figure(a.ytd, ind.decimals) + mark
    rate = text.shown_rate(a)
    if rate is None:
        return (value,)
    return value, rate + ("估" if a.annual_target_origin == "estimated" else "")


def grid(rows: Sequence[text.ReportRow], city_code: str, year: int, month: int) -> Grid:
    """Every core indicator (rows) × the city and each district (columns)."""
    regions: dict[str, str] = {}
    for row in rows:  # the city first, then the districts in plan order
        regions.setdefault(row.region.code, "全市" if row.region.code == city_code else row.region.name)
    cells: dict[str, dict[str, tuple[str, ...]]] = {}
    names: dict[str, str] = {}
    for row in rows:
        names[row.indicator.code] = f"{row.indicator.name}（{row.indicator.unit}）"
        cells.setdefault(row.indicator.code, {})[row.region.code] = _cell(row)
    body = tuple(((names[code],), *(by.get(r, (NOT_REPORTED,)) for r in regions)) for code, by in cells.items())
    kinds = {row.indicator.kind for row in rows}
    flow, stock = (f"{period_label(month)}累计", f"{month}月末") if month < 12 else ("全年", "年末")
    when = flow if kinds == {FLOW} else stock if FLOW not in kinds else f"本期（流量指标为{flow}，存量指标为{stock}）"
    note = (f"注：各格上行为{when}数，下行为完成全年目标的比例；“*”为初步数，“△”为已报区县合计（数据不全），"
            "“估”为对照估算目标的比例，“—”为未报送或不分区县统计。")
    return Grid(title=f"{text.period_words(year, month)}核心指标分地区完成情况",
                header=("指标（单位）", *regions.values()), rows=body, note=note)


def build_report(city_code: str, city_name: str, year: int, month: int, rows: Sequence[text.ReportRow],
                 ranks: Mapping[str, IndicatorRank] | None = None, data_as_of: date | None = None,
                 demo: bool = False) -> Report:
    """The 通报 of 1–``month``月 of ``year``.

    ``rows``: month rows of the core indicators, city and districts, plan order; ``ranks``: the city's
    全省位次 by indicator code for the same period (None or missing keys: no rank clause).
    """
    ranks = ranks or {}
    city = [r for r in rows if r.region.code == city_code]
    districts = [r for r in rows if r.region.code != city_code]
    district_names = {r.region.code: r.region.name for r in districts}
    n_districts = len(district_names)
    behind = month_behind_items(rows)
    indicators = tuple(
        Paragraph(text.indicator_paragraph(r, ranks.get(r.indicator.code), district_names, n_districts),
                  lead=f"{text.sub_number(k)}{r.indicator.name}。")
        for k, r in enumerate(city))
    problems = text.problem_paragraphs(behind, city_name)
    problem_paragraphs = (tuple(Paragraph(body, lead=f"{text.sub_number(k)}{lead}。") for k, (lead, body) in enumerate(problems))
                          + (Paragraph(text.PROBLEMS_CLOSING),) if problems
                          else (Paragraph(text.no_problems_sentence(rows)),))
    sections = (
        Section("一、总体情况", (Paragraph(text.overview_paragraph(city, month)),)),
        # Eight times "暂无本期数据" says less than once: a period without any figure gets one line.
        Section("二、分指标情况", (Paragraph(f"各项核心指标暂无{period_label(month)}数据。"),)
                if city and all(r.assessment.ytd is None for r in city)
                else indicators or (Paragraph("本计划没有核心指标。"),)),
        Section("三、分地区情况", tuple(Paragraph(body, lead=lead)
                                     for lead, body in text.district_paragraphs(districts, behind, month))),
        Section("四、存在问题", problem_paragraphs),
    )
    return Report(title=text.title(city_name, year, month), as_of=text.as_of_line(year, month, data_as_of),
                  sections=sections, grid=grid(rows, city_code, year, month),
                  notes=tuple(text.notes(rows, month, ranks, demo)), demo=demo)
