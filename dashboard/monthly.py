"""Month-level tracking within a year: 1–N月累计, 同比 and 序时进度 (docs/methodology.md, section 12).

Pure functions over plain values (no Streamlit, no SQL), the month-level sibling of
:mod:`dashboard.progress`. The service (:mod:`dashboard.services.monthly`) gathers the figures —
the effective 1–N月 value (final beats preliminary), the same period of the previous year, the
previous year's annual / year-end figure and the year's target — and hands them to :func:`assess_month`.

Conventions, as in :mod:`dashboard.progress`: ``None`` means "undefined here" (no figure, zero base),
never 0; results are unrounded floats; ratios that judge (``ytd_attainment`` via ``gap_pp``,
``vs_seasonal``) are oriented so that larger is better also for lower-is-better indicators, while
growth rates (``yoy_growth``, ``needed_yoy``) are plain signed facts.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from dataclasses import dataclass

from dashboard.errors import InputError
from dashboard.formatting import (PERCENT_DECIMALS, percent, percent_short_of_target, round_half_up, rounded,
                                  signed_points)
from dashboard.progress import EPS, HIGHER, LOWER, SeriesInput, expected_value, gap_band
from dashboard.thresholds import DEFAULT_THRESHOLDS, StatusThresholds

FLOW = "flow"  # 1–N月累计; the other kinds ("stock", "cumulative") are month-end positions
MONTHS = range(1, 13)
INCOMPLETE = "incomplete"  # a partial city sum: some districts have not reported (数据不全)
TRAJECTORY = "trajectory"  # the annual target is the planned trajectory's value for the year
ANNUAL_ORIGIN = "annual"  # an explicit annual target (年度目标) set for a year that is no milestone
# Same tolerance as the annual methodology: a gap of exactly −10 pp is on track despite float noise.
_EPS = 1e-9


@dataclass(frozen=True)
class MonthInput:
    """One indicator in one region for 1–N月 of a year, as the formulas need it.

    ``prior_year_annual`` is the whole-year (flow) or year-end (stock) figure of the previous year;
    for stocks it is also the starting point of the year's progress (prior_year_end).
    ``complete`` is False when ``ytd`` is a partial city sum (some districts missing).
    """

    kind: str  # "flow" | "stock" | "cumulative"
    direction: str  # "higher" | "lower"
    year: int
    month: int  # N, 1–12 (12 = the whole year / year end)
    ytd: float | None
    ytd_prior: float | None = None
    prior_year_annual: float | None = None
    annual_target: float | None = None
    annual_target_origin: str | None = None
    complete: bool = True

    def __post_init__(self) -> None:
        problems = []
        if self.direction not in (HIGHER, LOWER):
            problems.append(f"指标方向必须是“higher”或“lower”，收到：{self.direction!r}")
        if isinstance(self.month, bool) or not isinstance(self.month, int) or self.month not in MONTHS:
            problems.append(f"月份必须是 1–12 的整数，收到：{self.month!r}")
        for name in ("ytd", "ytd_prior", "prior_year_annual", "annual_target"):
            value = getattr(self, name)
            if value is not None and not _is_number(value):
                problems.append(f"{name} 必须是有限的数值或空白，收到：{value!r}")
        if problems:
            raise InputError("；".join(problems))


@dataclass(frozen=True)
class MonthAssessment:
    """The month-level measures; field names are the keys of ``kpi progress --month N --json``."""

    year: int
    month: int
    ytd: float | None  # 1–N月累计 (flow) or end of month N (stock)
    ytd_prior: float | None  # 上年同期
    yoy_growth: float | None  # 同比增速
    annual_target: float | None  # 年度目标
    annual_target_origin: str | None  # published / allocated / estimated / annual / trajectory
    prior_year_annual: float | None  # 上年全年（流量）或上年末（存量）
    time_elapsed: float  # 序时进度 N/12
    ytd_attainment: float | None  # 完成全年目标的比例
    gap_pp: float | None  # 快于（+）/慢于（−）序时进度，百分点
    status: str  # achieved / on_track / at_risk / behind / severe / missed (month 12) / no_data / incomplete
    needed_yoy: float | None  # 全年目标需同比增长
    seasonal_expected: float | None  # 按上年同期进度的预期值（流量，第二意见）
    vs_seasonal: float | None  # 实际 ÷ 按上年同期进度的预期值（越大越好）


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _ratio(num: float | None, den: float | None) -> float | None:
    """num ÷ den; None when either is missing, the denominator is 0, or the result overflows."""
    if num is None or den is None or den == 0:
        return None
    result = num / den
    return result if math.isfinite(result) else None


def _growth(now: float | None, base: float | None) -> float | None:
    """now ÷ base − 1; undefined from a zero or negative base (a rate from 0 means nothing)."""
    if base is None or base <= 0:
        return None
    ratio = _ratio(now, base)
    return None if ratio is None else ratio - 1.0


def time_elapsed(month: int) -> float:
    """序时进度 within the year: N ÷ 12."""
    return month / 12


def annual_target(explicit: tuple[float, str] | None, series: SeriesInput, year: int) -> tuple[float | None, str | None]:
    """The year's target and its origin: an explicit target for ``year`` wins (its own origin);
    otherwise the planned trajectory's value expected(year), origin ``trajectory``.

    Without milestones there is no trajectory (only a baseline, which is no target): (None, None).
    """
    if explicit is not None:
        return explicit
    if not series.milestones:
        return None, None
    value = expected_value(series, year)
    return (None, None) if value is None else (value, TRAJECTORY)


def ytd_attainment(kind: str, ytd: float, target: float, prior_year_end: float | None) -> float | None:
    """Share of the year's target done by month N.

    Flow: ytd ÷ target. Stock: (ytd − prior_year_end) ÷ (target − prior_year_end), the part of the
    year's planned change already made; undefined without a prior year-end or when the target is it.
    """
    if kind == FLOW:
        return _ratio(ytd, target)
    if prior_year_end is None:
        return None
    return _ratio(ytd - prior_year_end, target - prior_year_end)


def _oriented_gap(m: MonthInput, attainment: float | None, elapsed: float) -> float | None:
    """Percentage points ahead (+) or behind (−) 序时进度.

    Higher is better: 100 × (attainment − N/12). A lower-is-better flow is a budget spent over the
    year, so spending slower than time is good: the sign flips. For stocks the progress ratio is
    symmetric already (numerator and denominator change sign together), as in the annual method.
    """
    if attainment is None:
        return None
    gap = 100.0 * (attainment - elapsed)
    return -gap if m.kind == FLOW and m.direction == LOWER else gap


def _achieved(m: MonthInput, attainment: float | None) -> bool:
    """Whether the year's target is already reached by month N."""
    if m.ytd is None or m.annual_target is None:
        return False
    slack = _EPS * max(1.0, abs(m.annual_target))
    if m.kind == FLOW:
        if m.direction == HIGHER:
            return attainment is not None and attainment >= 1 - _EPS
        # A spending cap is only met once the year is over: before that, more may still be spent.
        return m.month == 12 and m.ytd <= m.annual_target + slack
    return m.ytd >= m.annual_target - slack if m.direction == HIGHER else m.ytd <= m.annual_target + slack


def band(gap_pp: float | None, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> str:
    """The traffic-light band of a gap against 序时进度 (the annual thresholds); no_data without one."""
    return "no_data" if gap_pp is None else gap_band(gap_pp, thresholds)


def assess_month(m: MonthInput, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> MonthAssessment:
    """Every month-level measure of :class:`MonthInput` (formulas in docs/methodology.md, section 12).

    A partial city sum (``complete`` False) is shown but not judged: status ``incomplete`` and no
    ratio built on it.
    """
    elapsed = time_elapsed(m.month)
    target = m.annual_target
    ytd = m.ytd if m.complete else None  # what the judging ratios may use
    attainment = None if ytd is None or target is None else ytd_attainment(m.kind, ytd, target, m.prior_year_annual)
    gap = _oriented_gap(m, attainment, elapsed)
    if m.ytd is None:
        status = "no_data"
    elif not m.complete:
        status = INCOMPLETE
    elif _achieved(m, attainment):
        status = "achieved"
    elif m.month == 12 and target is not None:
        status = "missed"  # the year is over: as in the annual method, no band softens a miss
    else:
        status = band(gap, thresholds)
    seasonal = vs_seasonal = None
    if m.kind == FLOW and target is not None and m.ytd_prior is not None:
        share = _ratio(m.ytd_prior, m.prior_year_annual) if (m.prior_year_annual or 0) > 0 else None
        seasonal = None if share is None else target * share
        if ytd is not None and seasonal is not None:
            vs_seasonal = _ratio(ytd, seasonal) if m.direction == HIGHER else _ratio(seasonal, ytd)
    return MonthAssessment(
        year=m.year, month=m.month, ytd=m.ytd, ytd_prior=m.ytd_prior, yoy_growth=_growth(ytd, m.ytd_prior),
        annual_target=target, annual_target_origin=m.annual_target_origin if target is not None else None,
        prior_year_annual=m.prior_year_annual, time_elapsed=elapsed, ytd_attainment=attainment, gap_pp=gap,
        status=status, needed_yoy=_growth(target, m.prior_year_annual),
        seasonal_expected=seasonal, vs_seasonal=vs_seasonal,
    )


def target_path(kind: str, annual_target: float, prior_year_end: float | None) -> list[tuple[int, float]]:
    """The year's target spread evenly over the months: where 序时进度 says month N should be.

    Flow: annual_target × N/12 (a 1–N月累计). Stock: from last year's end towards the target,
    prior_year_end + (annual_target − prior_year_end) × N/12; without a prior year-end, no path.
    """
    if kind == FLOW:
        return [(n, annual_target * n / 12) for n in MONTHS]
    if prior_year_end is None:
        return []
    return [(n, prior_year_end + (annual_target - prior_year_end) * n / 12) for n in MONTHS]


def month_to_dict(a: MonthAssessment) -> dict:
    """JSON-ready dict in field order: unrounded floats, None where undefined."""
    return dataclasses.asdict(a)


def period_label(month: int) -> str:
    """How the period is named in reports: "1–9月", "1月", or "全年" for month 12."""
    if month == 12:
        return "全年"
    return "1月" if month == 1 else f"1–{month}月"


# ------------------------------------------------------------------------------------- words

def status_label(status: str) -> tuple[str, str]:
    """(icon, word) of a month-level status (the annual words), so colour is never the only signal."""
    from dashboard.progress import STATUS_LABELS

    return STATUS_LABELS[status]


def _pct(ratio: float) -> str:
    from dashboard.formatting import percent

    return percent(ratio)


def growth_phrase(rate: float | None) -> str | None:
    """"增长9.4%" / "下降2%" / "持平"; None when undefined."""
    if rate is None:
        return None
    from dashboard.formatting import round_half_up

    if round_half_up(abs(100 * rate), 1) == "0":
        return "持平"
    return ("增长" if rate > 0 else "下降") + _pct(abs(rate))


def ytd_attainment_text(a: MonthAssessment) -> str:
    """完成全年目标 as every table and tile shows it: :func:`shown_rate`, "—" without one."""
    return shown_rate(a) or "—"


def gap_text(a: MonthAssessment) -> str:
    """The signed gap to 序时进度 beside the two printed figures ("-10.9"), "—" without one (:func:`shown_gap`)."""
    gap = shown_gap(a)
    return "—" if gap is None else signed_points(float(gap))


def shown_rate(a: MonthAssessment) -> str | None:
    """完成全年目标 as shown: never 100% beside a target not yet reached (wording.attainment_text's rule)."""
    if a.ytd_attainment is None:
        return None
    return percent(a.ytd_attainment) if a.status == "achieved" else percent_short_of_target(a.ytd_attainment)


def shown_gap(a: MonthAssessment) -> Decimal | None:
    """The gap to 序时进度 as printed: the sign of the judged gap (``gap_pp``, oriented so that + is good),
    the size the difference of the two figures the sentence prints beside it.

    As :func:`dashboard.wording.gap_points` does for the annual view: "完成全年目标的42.1%，快于序时进度
    （41.7%）0.4个百分点" always adds up, even where the unrounded gap (0.48) would round to 0.5.
    """
    text = shown_rate(a)
    if text is None or a.gap_pp is None:
        return None
    size = abs(Decimal(text.rstrip("%")) - rounded(100 * a.time_elapsed, PERCENT_DECIMALS))
    return size if a.gap_pp >= 0 else -size


def at_pace(a: MonthAssessment) -> bool:
    """Exactly at 序时进度 (the status bands' tolerance): only then "持平"."""
    return a.gap_pp is not None and abs(a.gap_pp) <= EPS


def pace_phrase(a: MonthAssessment) -> str | None:
    """"完成全年目标的77.8%，快于序时进度2.8个百分点"; None when there is nothing to judge.

    The figures are the 通报's (:func:`shown_rate`, :func:`shown_gap`): the gap is the difference of the two
    printed percentages, so a page and the 通报 never differ by a rounding.
    """
    rate, gap = shown_rate(a), shown_gap(a)
    if rate is None or gap is None:
        return None
    if at_pace(a):
        word = "与序时进度持平"
    else:
        amount = f"{round_half_up(float(abs(gap)), 1)}个百分点" if gap else "不足0.1个百分点"
        word = f"{'快于' if a.gap_pp > 0 else '慢于'}序时进度{amount}"
    return f"完成全年目标的{rate}，{word}"


def month_sentence(name: str, unit: str, decimals: int, a: MonthAssessment) -> str:
    """The 通报 phrase of one figure, e.g. "1–9月网络零售额1,012亿元，同比增长9.4%；完成全年目标的77.8%，
    快于序时进度2.8个百分点；全年需增长8.3%"."""
    from dashboard.formatting import figure

    period = period_label(a.month) if a.month < 12 else f"{a.year}年"
    if a.ytd is None:
        return f"{period}{name}暂无数据"
    head = f"{period}{name}{figure(a.ytd, decimals)}{unit}"
    if a.status == INCOMPLETE:
        return head + "（部分区县合计，数据不全，暂不评价）"
    parts = [head + (f"，同比{g}" if (g := growth_phrase(a.yoy_growth)) else "")]
    if (pace := pace_phrase(a)) is not None:
        parts.append(pace)
    elif a.annual_target is None:
        parts.append("未设定年度目标")
    if (needed := growth_phrase(a.needed_yoy)) is not None:
        parts.append(f"全年需{needed}" if needed != "持平" else "全年需与上年持平")
    return "；".join(parts)


# Where the year's target came from; an estimate or the trajectory is never passed off as a published target.
# Short words: they stand in brackets after the figure, so they carry no brackets of their own.
TARGET_ORIGIN_WORDS = {"published": "计划公布", "allocated": "正式分解", "estimated": "估算，非正式",
                       ANNUAL_ORIGIN: "年度目标", TRAJECTORY: "按计划轨迹推算"}


def ytd_text(a: MonthAssessment, unit: str, decimals: int, source: str | None, status: str | None,
             n_missing: int = 0) -> str:
    """The 1–N月 figure as tables and slides show it, with what kind of figure it is."""
    from dashboard.aggregation import PARTIAL, source_label
    from dashboard.formatting import figure

    if a.ytd is None:
        return "暂无数据"
    text = f"{figure(a.ytd, decimals)}{unit}"
    if source == PARTIAL:
        return f"{text}（已报区县合计，缺{n_missing}个区县）"
    return f"{text}（{source_label(source, status)}）"


def target_text(a: MonthAssessment, decimals: int) -> str:
    """The year's target with where it came from, e.g. "1,300（按计划轨迹推算）"."""
    from dashboard.formatting import figure

    if a.annual_target is None:
        return "未设年度目标"
    origin = a.annual_target_origin or ""
    return f"{figure(a.annual_target, decimals)}（{TARGET_ORIGIN_WORDS.get(origin, origin)}）"
