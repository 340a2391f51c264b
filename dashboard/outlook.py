"""预计全年: the year-end outlook from 1–N月 figures, with an honest range (docs/methodology.md, section 13).

Pure functions over plain values (no Streamlit, no SQL). The service gathers, for one indicator in
one region, this year's figure at month N, the same month and the whole year of earlier years
(final beats preliminary) and the year's target, and hands them to :func:`assess_outlook`.

The method is the statistics offices' own: months 1–N delivered a share of the year in earlier
years; this year's 1–N月累计 divided by that share is the year-end figure if this year follows the
usual pattern. The range comes from the earliest and the latest pattern seen, so it says how much the
answer depends on which past year this one resembles. Stocks (month-end positions) use the increase
from month N to the year end instead of a share.

Conventions as in :mod:`dashboard.monthly`: ``None`` means undefined (no figure, zero base), never 0
and never infinity; results are unrounded floats.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean

from dashboard.monthly import FLOW
from dashboard.progress import HIGHER

MAX_BASIS_YEARS = 5  # the most recent earlier years used: older patterns say little about this year
SEASONAL_SHARE = "seasonal_share"  # flows: ytd ÷ the share months 1–N delivered in earlier years
SEASONAL_INCREMENT = "seasonal_increment"  # stocks: value at N + the increase N→year end of earlier years
UNIFORM = "uniform"  # no usable earlier year: ytd × 12 ÷ N (flows) or the year's pace so far (stocks)
LIKELY = "likely"  # 预计可完成: the target is met even at the pessimistic end of the range
POSSIBLE = "possible"  # 有望完成: the target lies inside the range
UNLIKELY = "unlikely"  # 完成难度较大: the target is beyond even the optimistic end
VERDICT_WORDS = {LIKELY: "预计可完成", POSSIBLE: "有望完成", UNLIKELY: "完成难度较大"}
METHOD_WORDS = {SEASONAL_SHARE: "按往年各月占全年比重推算", SEASONAL_INCREMENT: "按往年N月末至年末增量推算",
                UNIFORM: "按时间均匀推算"}


@dataclass(frozen=True)
class PastYear:
    """One earlier year of the same indicator and region: its figure at month N and its whole year.

    For a flow, ``at_month`` is the 1–N月累计 and ``annual`` the 1–12月累计; for a stock, the
    end of month N and the year end.
    """

    year: int
    at_month: float | None
    annual: float | None


@dataclass(frozen=True)
class BasisYear:
    """An earlier year the outlook rests on, with what it contributes (a share or an increment)."""

    year: int
    at_month: float
    annual: float
    share: float | None  # flows: at_month ÷ annual, the part of the year months 1–N delivered
    increment: float | None  # stocks: annual − at_month, the change from month N to the year end


@dataclass(frozen=True)
class Outlook:
    """The year-end outlook; the first eight fields are keys of ``kpi progress --month N --json``."""

    forecast: float | None  # 预计全年
    forecast_low: float | None  # under the pattern least favourable to a large year end (None: no range)
    forecast_high: float | None
    forecast_basis_years: tuple[int, ...]  # the earlier years k used, ascending
    forecast_method: str | None  # seasonal_share / seasonal_increment / uniform; None without a forecast
    forecast_verdict: str | None  # likely / possible / unlikely; None without a target or a forecast
    remaining_needed_yoy: float | None  # 剩余月份需同比增长 (flows); None when met, see target_met
    seasonal_time_elapsed: float | None  # 按往年规律的序时进度 = mean share (flows)
    target_met: bool  # the year's target is already reached (higher-is-better flows): 已完成
    basis: tuple[BasisYear, ...]  # the years behind the forecast, for the table of past shares


NO_OUTLOOK = Outlook(None, None, None, (), None, None, None, None, False, ())


@dataclass(frozen=True)
class OutlookBand:
    """预计全年 on a cumulative chart: from the latest month's figure to the forecast range at 12月."""

    month: int  # N, the latest month with a figure, where the band starts
    value: float  # the figure at month N
    forecast: float
    low: float | None  # None: no range (按时间均匀推算), only the line to the forecast
    high: float | None


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def basis_years(kind: str, year: int, past: Iterable[PastYear], limit: int = MAX_BASIS_YEARS) -> tuple[BasisYear, ...]:
    """The ≤ ``limit`` most recent earlier years with both figures and a usable pattern, ascending.

    A flow year needs a positive whole year and a positive share (a zero share cannot be scaled up);
    a stock year needs both figures. Years at or after ``year`` are never used.
    """
    usable: dict[int, BasisYear] = {}
    for p in past:
        if p.year >= year or not (_number(p.at_month) and _number(p.annual)):
            continue
        at_month, annual = float(p.at_month), float(p.annual)  # type: ignore[arg-type]
        if kind == FLOW:
            if annual <= 0 or at_month <= 0:
                continue
            usable[p.year] = BasisYear(p.year, at_month, annual, at_month / annual, None)
        else:
            usable[p.year] = BasisYear(p.year, at_month, annual, None, annual - at_month)
    return tuple(usable[y] for y in sorted(usable)[-limit:]) if limit > 0 else ()


def uniform_forecast(kind: str, month: int, ytd: float, prior_year_end: float | None) -> float | None:
    """按时间均匀推算: a flow's ytd × 12 ÷ N; a stock's change since last year's end carried on at the
    same pace, prior_year_end + (ytd − prior_year_end) × 12 ÷ N (None without last year's end)."""
    if kind == FLOW:
        return _finite(ytd * 12 / month)
    if prior_year_end is None:
        return None
    return _finite(prior_year_end + (ytd - prior_year_end) * 12 / month)


def verdict(direction: str, target: float | None, low: float | None, high: float | None,
            forecast: float | None) -> str | None:
    """Where the target lies against the range (higher is better; lower mirrors).

    Higher: target ≤ low → likely; low < target ≤ high → possible; above high → unlikely. Lower is
    better mirrors: target ≥ high → likely; low ≤ target < high → possible; below low → unlikely.
    Without a range (the uniform fallback) the forecast alone is no evidence of "likely": reaching
    the target is at most possible.
    """
    if target is None or forecast is None:
        return None
    ranged = low is not None and high is not None
    lo, hi = (low, high) if ranged else (forecast, forecast)
    assert lo is not None and hi is not None
    if direction == HIGHER:
        result = LIKELY if target <= lo else POSSIBLE if target <= hi else UNLIKELY
    else:
        result = LIKELY if target >= hi else POSSIBLE if target >= lo else UNLIKELY
    return POSSIBLE if result == LIKELY and not ranged else result


def remaining_needed_yoy(ytd: float, target: float, prior_ytd: float | None,
                         prior_annual: float | None) -> float | None:
    """(target − ytd) ÷ (prior_annual − prior_ytd) − 1: what months N+1…12 need over the same months
    last year. None without last year's figures, when last year's remaining months were ≤ 0 (no
    rate from a zero base), or when nothing remains to be done (the target is met)."""
    if prior_ytd is None or prior_annual is None:
        return None
    base, still = prior_annual - prior_ytd, target - ytd
    if base <= 0 or still <= 0:
        return None
    return _finite(still / base - 1)


def assess_outlook(kind: str, direction: str, year: int, month: int, ytd: float | None,
                   past: Iterable[PastYear], annual_target: float | None = None,
                   prior_year_end: float | None = None) -> Outlook:
    """The year-end outlook of one indicator in one region from its figure at month N (1 ≤ N ≤ 11).

    ``past`` holds earlier years (any order, any number; the ≤ 5 most recent usable ones are used);
    ``prior_year_end`` is last year's whole year / year end, for the stock fallback. Month 12 or no
    figure give :data:`NO_OUTLOOK`: the year's figure is then the answer, not a forecast.
    """
    if ytd is None or not _number(ytd) or not 1 <= month <= 11:
        return NO_OUTLOOK
    past = tuple(past)
    basis = basis_years(kind, year, past)
    low = high = elapsed = None
    if basis and kind == FLOW:
        shares = [b.share for b in basis if b.share is not None]
        elapsed = fmean(shares)
        method, years = SEASONAL_SHARE, tuple(b.year for b in basis)
        forecast, low, high = _finite(ytd / elapsed), _finite(ytd / max(shares)), _finite(ytd / min(shares))
    elif basis:
        increments = [b.increment for b in basis if b.increment is not None]
        method, years = SEASONAL_INCREMENT, tuple(b.year for b in basis)
        forecast = _finite(ytd + fmean(increments))
        low, high = _finite(ytd + min(increments)), _finite(ytd + max(increments))
    else:
        method, years = UNIFORM, ()
        forecast = uniform_forecast(kind, month, ytd, prior_year_end)
    if forecast is None:
        return NO_OUTLOOK
    if low is None or high is None:
        low = high = None
    else:
        # A negative ytd turns ÷ around; and a mean may sit one float step outside its extremes.
        low, high = min(low, high), max(low, high)
        forecast = min(max(forecast, low), high)
    met = kind == FLOW and direction == HIGHER and annual_target is not None and ytd >= annual_target
    needed = None
    if kind == FLOW and annual_target is not None:
        last = next((p for p in past if p.year == year - 1), None)
        needed = None if last is None else remaining_needed_yoy(
            ytd, annual_target, last.at_month if _number(last.at_month) else None,
            last.annual if _number(last.annual) else None)
    return Outlook(forecast, low, high, years, method, verdict(direction, annual_target, low, high, forecast),
                   needed, elapsed, met, basis)


def outlook_band(o: Outlook, month: int, ytd: float | None) -> OutlookBand | None:
    """The band a chart draws for ``o``; None without a forecast."""
    if o.forecast is None or ytd is None:
        return None
    return OutlookBand(month, ytd, o.forecast, o.forecast_low, o.forecast_high)


def outlook_to_dict(o: Outlook) -> dict:
    """The outlook's keys of ``kpi progress --month N --json`` (README): unrounded, None where undefined."""
    return {"forecast": o.forecast, "forecast_low": o.forecast_low, "forecast_high": o.forecast_high,
            "forecast_basis_years": list(o.forecast_basis_years), "forecast_method": o.forecast_method,
            "forecast_verdict": o.forecast_verdict, "remaining_needed_yoy": o.remaining_needed_yoy,
            "seasonal_time_elapsed": o.seasonal_time_elapsed}


# ------------------------------------------------------------------------------------ backtest

@dataclass(frozen=True)
class BacktestPoint:
    """One past year's month-N forecast, made only from the years before it, against its actual."""

    year: int
    month: int
    forecast: float
    low: float | None
    high: float | None
    actual: float
    method: str
    uniform: float | None  # what 按时间均匀推算 would have said, for comparison


@dataclass(frozen=True)
class BacktestSummary:
    """Per month N, over the years that had an earlier year to learn from (seasonal forecasts)."""

    month: int
    years: int  # past years tested
    mape: float | None  # mean |forecast − actual| ÷ |actual| (actuals of 0 left out)
    mape_uniform: float | None  # the same for ytd × 12 ÷ N on the same years: what the seasons add
    inside: float | None  # share of years whose actual fell inside [low, high]


def backtest_points(kind: str, direction: str, figures: Mapping[tuple[int, int], float]) -> list[BacktestPoint]:
    """Every past year with a whole-year figure, forecast at every month N it has, from earlier years only.

    ``figures`` maps (year, month) to the effective figure (month 12 = the whole year / year end).
    """
    years = sorted({y for y, m in figures if m == 12})
    points = []
    for year in years:
        for month in range(1, 12):
            ytd = figures.get((year, month))
            if ytd is None:
                continue
            past = [PastYear(k, figures.get((k, month)), figures.get((k, 12))) for k in years if k < year]
            o = assess_outlook(kind, direction, year, month, ytd, past, None, figures.get((year - 1, 12)))
            if o.forecast is not None and o.forecast_method is not None:
                points.append(BacktestPoint(year, month, o.forecast, o.forecast_low, o.forecast_high,
                                            figures[(year, 12)], o.forecast_method,
                                            uniform_forecast(kind, month, ytd, figures.get((year - 1, 12)))))
    return points


def _mape(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    errors = [abs(f - a) / abs(a) for f, a in pairs if f is not None and a != 0]
    return fmean(errors) if errors else None


def summarise_backtest(points: Iterable[BacktestPoint]) -> list[BacktestSummary]:
    """The seasonal points grouped by month: MAPE (against the uniform one) and the share inside the range.

    Years without an earlier year (the uniform fallback) test nothing seasonal and are left out.
    """
    by_month: dict[int, list[BacktestPoint]] = {}
    for p in points:
        if p.method != UNIFORM:
            by_month.setdefault(p.month, []).append(p)
    result = []
    for month, group in sorted(by_month.items()):
        inside = [p for p in group if p.low is not None and p.high is not None and p.low <= p.actual <= p.high]
        result.append(BacktestSummary(month, len(group), _mape((p.forecast, p.actual) for p in group),
                                      _mape((p.uniform, p.actual) for p in group), len(inside) / len(group)))
    return result


# --------------------------------------------------------------------------------------- words

def range_text(o: Outlook, decimals: int) -> str:
    """The bracket after the forecast: "1,350–1,410", "仅据1年规律" or "按时间均匀推算"."""
    from dashboard.formatting import figure

    if o.forecast_method == UNIFORM:
        return METHOD_WORDS[UNIFORM]
    if len(o.forecast_basis_years) == 1:
        return "仅据1年规律"
    low, high = figure(o.forecast_low, decimals), figure(o.forecast_high, decimals)
    # "6–6" reads like a typo: when the ends round alike, say how many years agree instead.
    return f"{low}–{high}" if low != high else f"按{len(o.forecast_basis_years)}年规律"


def outlook_sentence(o: Outlook, unit: str, decimals: int) -> str | None:
    """"预计全年1,380亿元（1,350–1,410），有望完成"; None without a forecast."""
    from dashboard.formatting import figure

    if o.forecast is None:
        return None
    text = f"预计全年{figure(o.forecast, decimals)}{unit}（{range_text(o, decimals)}）"
    return text + (f"，{VERDICT_WORDS[o.forecast_verdict]}" if o.forecast_verdict else "")


def remaining_sentence(o: Outlook, month: int, direction: str = HIGHER) -> str | None:
    """What months N+1…12 need over the same months last year, e.g. "后3个月需同比增长6.2%".

    A target that allows a fall says so ("后3个月同比下降不超过4.9%即可"); a cap says what it allows
    ("后3个月同比至多增长6.2%") or demands ("后3个月需同比下降至少4.9%"); "已完成全年目标" once met; None
    without last year's months.
    """
    from dashboard.formatting import percent, round_half_up

    if o.target_met:
        return "已完成全年目标"
    rate = o.remaining_needed_yoy
    if rate is None:
        return None
    months, size = f"后{12 - month}个月", percent(abs(rate))
    if round_half_up(abs(100 * rate), 1) == "0":
        return f"{months}与上年同期持平即可" if direction == HIGHER else f"{months}不超过上年同期"
    if direction == HIGHER:
        return f"{months}需同比增长{size}" if rate > 0 else f"{months}同比下降不超过{size}即可"
    return f"{months}同比至多增长{size}" if rate > 0 else f"{months}需同比下降至少{size}"


BACKTEST_TABLE_MONTHS = (3, 6, 9, 11)  # the quarter ends and the month before the year's last


def backtest_row(name: str, summary: Iterable[BacktestSummary], months: Iterable[int] = BACKTEST_TABLE_MONTHS) -> str:
    """One Markdown row of the methodology's backtest table: "误差（均匀推算误差），落在区间内" per month."""
    from dashboard.formatting import percent

    by_month = {s.month: s for s in summary}
    cells = [f"{percent(s.mape)}（{percent(s.mape_uniform)}），{percent(s.inside)}" if (s := by_month.get(m)) else "—"
             for m in months]
    return f"| {name} | " + " | ".join(cells) + " |"


def outlook_line(o: Outlook, month: int, unit: str, decimals: int, direction: str = HIGHER) -> str | None:
    """The outlook as pages, decks and presentation mode say it: "预计全年1,380亿元（1,350–1,410），有望完成；
    后3个月需同比增长6.2%"; None without a forecast."""
    head = outlook_sentence(o, unit, decimals)
    if head is None:
        return None
    tail = remaining_sentence(o, month, direction)
    return head if tail is None else f"{head}；{tail}"


def basis_table(o: Outlook, month: int, unit: str, decimals: int) -> list[dict[str, object]]:
    """The earlier years behind the forecast, as the indicator page's table of past shares (formatted)."""
    from dashboard.formatting import figure, percent
    from dashboard.monthly import period_label

    period = period_label(month)
    rows: list[dict[str, object]] = []
    for b in o.basis:
        row: dict[str, object] = {"年份": f"{b.year}年", f"{period}（{unit}）": figure(b.at_month, decimals),
                                  f"全年（{unit}）": figure(b.annual, decimals)}
        if b.share is not None:
            row[f"{period}占全年比重"] = percent(b.share)
        if b.increment is not None:
            row[f"{month}月末至年末增量（{unit}）"] = figure(b.increment, decimals)
        rows.append(row)
    return rows
