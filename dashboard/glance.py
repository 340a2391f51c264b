"""The overview's ten-second read: worst-first order, the naming sentence, tiles and the district grid.

Pure: no Streamlit, no SQL. Inputs are assessments (:class:`dashboard.progress.Assessment`) with the
indicator's name, unit and decimals; every figure is formatted by :mod:`dashboard.formatting` so a
tile, the table and the deck round alike. The page turns the results into HTML (real DOM text, not
a canvas) — see ``dashboard/ui/pages/overview.py``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dashboard.formatting import figure, percent, signed_points
from dashboard.monthly import MonthAssessment, shown_gap, ytd_attainment_text
from dashboard.progress import STATUS_LABELS, Assessment, MilestoneAssessment
from dashboard.wording import PRELIMINARY_MARK, attainment_text, gap_points, verdict_note

# Worst first: what a leader must ask about before what is fine. 数据不全 and 暂无数据 come after the
# judged laggards (they are not judged) but before the indicators on pace (they still need action).
SEVERITY = ("missed", "severe", "behind", "at_risk", "incomplete", "no_data", "on_track", "achieved")
LAGGING = ("missed", "severe", "behind", "at_risk", "incomplete", "no_data")
NO_TARGET = "no_target"  # no milestone for the focus year (a district before allocation)
# Okabe-Ito (colour-blind safe) RGB hex per status, shared by the deck, 演示模式 and the overview;
# a colour is never the only sign: the icon and the word always come with it.
STATUS_COLOURS = {"achieved": "009E73", "on_track": "009E73", "at_risk": "E69F00", "behind": "D55E00", "severe": "D55E00",
                  "missed": "D55E00", "no_data": "6E6E6E", "incomplete": "6E6E6E", NO_TARGET: "9E9E9E"}


@dataclass(frozen=True)
class Judged:
    """One indicator (in one region) judged against the focus milestone: what ordering needs."""

    name: str
    status: str  # a key of STATUS_LABELS, or NO_TARGET
    gap_pp: float | None
    estimated: bool = False  # judged against a target estimated by baseline share
    preliminary: bool = False  # a final verdict (已完成 / 未完成) resting on a preliminary figure (据初步数)


def judge(name: str, assessment: Assessment, focus: int, estimated: bool = False) -> Judged:
    """``name`` judged against the milestone of ``focus`` (NO_TARGET without one)."""
    m = assessment.milestone(focus) if any(x.year == focus for x in assessment.milestones) else None
    return Judged(name, NO_TARGET, None, estimated) if m is None else judge_milestone(name, m, estimated)


def judge_milestone(name: str, m: MilestoneAssessment, estimated: bool = False) -> Judged:
    """``name`` judged on one milestone's assessment; the gap as every surface prints it
    (:func:`dashboard.wording.gap_points`: the difference of the two printed percentages)."""
    shown = gap_points(m)
    return Judged(name, m.status, None if shown is None else float(shown), estimated, bool(verdict_note(m)))


def judge_month(name: str, a: MonthAssessment) -> Judged:
    """``name`` judged on its 1–N月 assessment, the gap as printed (:func:`dashboard.monthly.shown_gap`)."""
    shown = shown_gap(a)
    return Judged(name, a.status, None if shown is None else float(shown))


def severity_key(j: Judged) -> tuple[int, float]:
    """Sort key: status by severity, then the larger gap (more negative) first; no target last."""
    rank = SEVERITY.index(j.status) if j.status in SEVERITY else len(SEVERITY)
    return rank, (j.gap_pp if j.gap_pp is not None else float("inf"))


def worst_first(items: Sequence[Judged]) -> list[Judged]:
    return sorted(items, key=severity_key)


def named_laggards(items: Sequence[Judged]) -> str:
    """"7项未完成：省级工业互联网平台（−55）、网络零售额（−32.3）；1项数据不全：平台" — worst first.

    Empty when nothing lags. Gaps are 进度差 in percentage points (the caller says so once).
    """
    parts = []
    ordered = worst_first(items)
    for status in LAGGING:
        group = [j for j in ordered if j.status == status]
        if not group:
            continue
        names = "、".join(j.name + (f"（{signed_points(j.gap_pp)}）" if j.gap_pp is not None else "") for j in group)
        parts.append(f"{len(group)}项{STATUS_LABELS[status][1]}：{names}")
    return "；".join(parts)


@dataclass(frozen=True)
class Tile:
    """One core indicator on the overview: everything a leader reads in a glance, already as text."""

    code: str
    name: str
    status: str  # a key of STATUS_LABELS, or NO_TARGET
    icon: str
    word: str
    figure: str  # "1,110 亿元" or "暂无数据"
    period: str  # "2025年·区县合计·含初步数"
    progress: str  # "完成率 92.5%" / "目标进度 67.7%"
    pace: str  # "序时进度 100%"
    gap: str  # "进度差 −32.3个百分点" or ""
    estimated: bool
    trend: tuple[tuple[int, float], ...]  # (year, actual) of the region, oldest first (the sparkline)
    yoy: str = ""  # month view: "同比 +8.1%（全年需 +10%）"
    rank: str = ""  # 全省位次: "增速全省第2位（进1位）" (the home city, with peer figures only)


def tile(code: str, name: str, unit: str, decimals: int, assessment: Assessment, focus: int,
         latest: tuple[int, float, str] | None, trend: Sequence[tuple[int, float]], estimated: bool = False) -> Tile:
    """A tile; ``latest`` = (year, value, kind of figure) of the newest actual up to the viewed year."""
    m: MilestoneAssessment | None = (assessment.milestone(focus)
                                     if any(x.year == focus for x in assessment.milestones) else None)
    status = NO_TARGET if m is None else m.status
    icon, word = ("⚪", "无目标") if m is None else STATUS_LABELS[m.status]
    if m is None:
        progress, pace, gap = f"{focus}年无目标（未分解）", "", ""
    elif assessment.year >= focus:  # the milestone year itself (or after): the attainment is the verdict
        # A verdict on a preliminary figure says so (on the figure's line: the header has no room).
        progress = f"完成率 {attainment_text(m)}{verdict_note(m)}"
        pace = f"{focus}年目标 {figure(m.target, decimals)} {unit}"
        gap = ""
    else:
        progress, pace = f"目标进度 {percent(m.progress)}", f"序时进度 {percent(m.time_elapsed)}"
        gap = _gap_line(gap_points(m))
    return Tile(
        code=code, name=name, status=status, icon=icon, word=word,
        figure="暂无数据" if latest is None else f"{figure(latest[1], decimals)} {unit}",
        period="" if latest is None else f"{latest[0]}年" + (f"·{latest[2]}" if latest[2] else ""),
        progress=progress, pace=pace, gap=gap, estimated=estimated, trend=tuple(trend),
    )


def _gap_line(shown: Decimal | None) -> str:
    """A tile's 进度差: the difference of the two figures printed above it (``wording.gap_points`` /
    ``monthly.shown_gap``), so the tile adds up; "" without one."""
    return "" if shown is None else f"进度差 {signed_points(float(shown))}个百分点"


def month_tile(code: str, name: str, unit: str, decimals: int, a: MonthAssessment, period: str,
               source: str = "") -> Tile:
    """A tile of the month view (1–N月): the year-to-date figure, 完成全年目标 against 序时进度 N/12, 同比."""
    icon, word = STATUS_LABELS[a.status]
    return Tile(
        code=code, name=name, status=a.status, icon=icon, word=word,
        figure="暂无数据" if a.ytd is None else f"{figure(a.ytd, decimals)} {unit}",
        period=period + (f"·{source}" if source else ""),
        progress=f"完成全年目标 {ytd_attainment_text(a)}", pace=f"序时进度 {percent(a.time_elapsed)}",
        gap=_gap_line(shown_gap(a)), estimated=False, trend=(),
        yoy=f"同比 {percent(a.yoy_growth)}（全年需 {percent(a.needed_yoy)}）",
    )


def sparkline_svg(values: Sequence[float], width: int = 96, height: int = 28) -> str:
    """A small trend line as SVG markup (no chart library: the overview paints fast); "" under 2 points."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 6) / (len(values) - 1)
    xy = [(3 + i * step, height - 3 - (v - low) / span * (height - 6)) for i, v in enumerate(values)]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<polyline points="{points}" fill="none" stroke="#0072B2" stroke-width="2"/>'
            f'<circle cx="{xy[-1][0]:.1f}" cy="{xy[-1][1]:.1f}" r="3" fill="#0072B2"/></svg>')


def sparkline_img(trend: Sequence[tuple[int, float]]) -> str:
    """The sparkline of (year, value) pairs as an ``<img>`` (HTML sanitisers keep images but drop inline
    SVG), its alt text giving the figures by year."""
    svg = sparkline_svg([v for _y, v in trend])
    if not svg:
        return ""
    alt = "趋势：" + "，".join(f"{y}年 {v:g}" for y, v in trend)
    data = base64.b64encode(svg.encode()).decode()
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" title="{alt}" width="96" height="28">'


@dataclass(frozen=True)
class GridCell:
    icon: str
    word: str
    gap: str  # "−20.5" (percentage points) or ""
    estimated: bool


def grid_cell(j: Judged) -> GridCell:
    """A district × indicator cell: status icon and word, gap in pp, 估 for an estimated target."""
    if j.status == NO_TARGET:
        return GridCell("⚪", "未分解", "", False)
    icon, word = STATUS_LABELS[j.status]
    # "（据初步数）" is wider than a cell: the mark, explained under the grid (as on 区县对比's heat map).
    word += PRELIMINARY_MARK if j.preliminary else ""
    return GridCell(icon, word, "" if j.gap_pp is None else signed_points(j.gap_pp), j.estimated)


def grid(judged: Mapping[tuple[str, str], Judged], indicators: Sequence[str], regions: Sequence[str]
         ) -> list[tuple[str, list[GridCell]]]:
    """Rows of (indicator, cells by region) for the (indicator, region) pairs judged; missing pairs are 暂无数据."""
    empty = GridCell(*STATUS_LABELS["no_data"], "", False)
    return [(i, [grid_cell(judged[(i, r)]) if (i, r) in judged else empty for r in regions]) for i in indicators]
