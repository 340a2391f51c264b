"""The year-end outlook (预计全年): properties of dashboard/outlook.py and its words."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.outlook import (
    LIKELY, NO_OUTLOOK, POSSIBLE, SEASONAL_INCREMENT, SEASONAL_SHARE, UNIFORM, UNLIKELY, PastYear, assess_outlook,
    backtest_points, outlook_sentence, outlook_to_dict, remaining_sentence, summarise_backtest, verdict,
)

positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
anything = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False))
months = st.integers(min_value=1, max_value=11)


def _cumulative(pattern: list[float], scale: float) -> dict[int, float]:
    """1–N月累计 of a year whose months follow ``pattern`` (weights) and add up to ``scale``."""
    total, running, out = sum(pattern), 0.0, {}
    for month, weight in enumerate(pattern, start=1):
        running += weight
        out[month] = scale * running / total
    return out


@given(ytd=positive, month=months, years=st.lists(st.tuples(positive, positive), min_size=1, max_size=8),
       target=st.one_of(st.none(), positive))
def test_the_range_contains_the_forecast(ytd: float, month: int, years: list[tuple[float, float]],
                                         target: float | None) -> None:
    past = [PastYear(2025 - i, a, b) for i, (a, b) in enumerate(years)]
    for kind in ("flow", "stock"):
        o = assess_outlook(kind, "higher", 2026, month, ytd, past, target)
        assert o.forecast is not None and o.forecast_low is not None and o.forecast_high is not None
        assert o.forecast_low <= o.forecast <= o.forecast_high
        assert len(o.forecast_basis_years) == min(5, len(years))  # at most the 5 most recent
        assert list(o.forecast_basis_years) == sorted(o.forecast_basis_years)
        assert o.forecast_basis_years[-1] == 2025


@given(pattern=st.lists(st.floats(min_value=0.1, max_value=100), min_size=12, max_size=12),
       scales=st.lists(positive, min_size=2, max_size=7))
def test_a_repeating_pattern_forecasts_the_true_annual_at_every_month(pattern: list[float],
                                                                     scales: list[float]) -> None:
    *earlier, this = scales
    history = {2020 + i: _cumulative(pattern, s) for i, s in enumerate(earlier)}
    year = 2020 + len(earlier)
    truth = _cumulative(pattern, this)
    for month in range(1, 12):
        past = [PastYear(k, v[month], v[12]) for k, v in history.items()]
        o = assess_outlook("flow", "higher", year, month, truth[month], past, this)
        assert o.forecast_method == SEASONAL_SHARE
        assert o.forecast == pytest.approx(this, rel=1e-9)
        assert o.forecast_low == pytest.approx(this, rel=1e-9) and o.forecast_high == pytest.approx(this, rel=1e-9)
        assert o.seasonal_time_elapsed == pytest.approx(truth[month] / this, rel=1e-9)


@given(pattern=st.lists(st.floats(min_value=-50, max_value=100), min_size=12, max_size=12),
       start=positive, n_years=st.integers(min_value=1, max_value=6))
def test_a_stock_repeating_its_increments_forecasts_the_true_year_end(pattern: list[float], start: float,
                                                                      n_years: int) -> None:
    def path(begin: float) -> dict[int, float]:
        return {m: begin + sum(pattern[:m]) for m in range(1, 13)}

    begins = [start + k * sum(pattern) for k in range(n_years + 1)]
    for month in range(1, 12):
        past = [PastYear(2020 + k, path(b)[month], path(b)[12]) for k, b in enumerate(begins[:-1])]
        this = path(begins[-1])
        o = assess_outlook("stock", "higher", 2020 + n_years, month, this[month], past)
        assert o.forecast_method == SEASONAL_INCREMENT
        assert o.forecast == pytest.approx(this[12], rel=1e-9, abs=1e-6)


@given(target=positive, low=positive, width=st.floats(min_value=0, max_value=1e5))
def test_lower_is_better_mirrors_the_verdict(target: float, low: float, width: float) -> None:
    high = low + width
    higher = verdict("higher", target, low, high, low)
    # Mirror the numbers around 0: a cap of −target against the range [−high, −low].
    assert verdict("lower", -target, -high, -low, -high) == higher
    assert higher in (LIKELY, POSSIBLE, UNLIKELY)


@given(ytd=anything, month=st.integers(min_value=1, max_value=12),
       past=st.lists(st.tuples(st.integers(2000, 2030), anything, anything), max_size=6),
       target=anything, prior_end=anything, kind=st.sampled_from(["flow", "stock", "cumulative"]),
       direction=st.sampled_from(["higher", "lower"]))
def test_zero_and_missing_bases_give_null_never_a_crash_or_infinity(ytd, month, past, target, prior_end, kind,
                                                                    direction) -> None:  # type: ignore[no-untyped-def]
    o = assess_outlook(kind, direction, 2026, month, ytd, [PastYear(*p) for p in past], target, prior_end)
    for value in outlook_to_dict(o).values():
        if isinstance(value, float):
            assert math.isfinite(value)
    if o.forecast_low is not None:
        assert o.forecast_low <= o.forecast <= o.forecast_high  # type: ignore[operator]


def test_zero_bases_are_left_out_and_no_base_falls_back_to_uniform() -> None:
    past = [PastYear(2024, 0.0, 100.0), PastYear(2025, 50.0, 0.0), PastYear(2023, None, 100.0)]
    o = assess_outlook("flow", "higher", 2026, 6, 60.0, past, 100.0)
    assert (o.forecast_method, o.forecast, o.forecast_low, o.forecast_high) == (UNIFORM, 120.0, None, None)
    assert o.forecast_basis_years == () and o.seasonal_time_elapsed is None
    assert o.forecast_verdict == POSSIBLE  # without a range, never "likely"
    assert o.remaining_needed_yoy is None  # last year's remaining months were −50: no rate from that
    assert assess_outlook("stock", "higher", 2026, 6, 60.0, [], 100.0) == NO_OUTLOOK  # no year end to start from
    assert assess_outlook("stock", "higher", 2026, 6, 60.0, [], 100.0, 40.0).forecast == 80.0
    assert assess_outlook("flow", "higher", 2026, 12, 60.0, past, 100.0) == NO_OUTLOOK
    assert assess_outlook("flow", "higher", 2026, 6, None, past, 100.0) == NO_OUTLOOK


def test_one_basis_year_is_a_single_point_and_said_so() -> None:
    o = assess_outlook("flow", "higher", 2026, 9, 1012.0, [PastYear(2025, 925.0, 1200.0)], 1300.0)
    assert o.forecast_low == o.forecast == o.forecast_high == pytest.approx(1012 * 1200 / 925)
    assert o.forecast_verdict == LIKELY
    assert outlook_sentence(o, "亿元", 0) == "预计全年1,313亿元（仅据1年规律），预计可完成"
    # (1300 − 1012) ÷ (1200 − 925) − 1 = 4.73%
    assert o.remaining_needed_yoy == pytest.approx(288 / 275 - 1)
    assert remaining_sentence(o, 9) == "后3个月需同比增长4.7%"


def test_a_met_target_says_done_and_a_cap_says_at_most() -> None:
    past = [PastYear(2025, 925.0, 1200.0)]
    met = assess_outlook("flow", "higher", 2026, 9, 1400.0, past, 1300.0)
    assert met.target_met and met.remaining_needed_yoy is None
    assert remaining_sentence(met, 9) == "已完成全年目标"
    cap = assess_outlook("flow", "lower", 2026, 9, 900.0, past, 1300.0)
    assert not cap.target_met and remaining_sentence(cap, 9, "lower") == "后3个月同比至多增长45.5%"
    assert cap.forecast_verdict == LIKELY  # 900 ÷ 0.77 = 1168 stays under the cap of 1300
    assert assess_outlook("flow", "lower", 2026, 9, 1100.0, past, 1300.0).forecast_verdict == UNLIKELY
    assert remaining_sentence(assess_outlook("flow", "lower", 2026, 9, 1100.0, past, 1300.0), 9, "lower") \
        == "后3个月需同比下降至少27.3%"  # (1300 − 1100) ÷ 275 − 1
    easy = assess_outlook("flow", "higher", 2026, 9, 1100.0, past, 1300.0)
    assert remaining_sentence(easy, 9) == "后3个月同比下降不超过27.3%即可"


def test_backtest_forecasts_each_year_only_from_earlier_ones() -> None:
    # Month 6 was a quarter of 2023 and of 2024; 2025 ended stronger than that pattern says.
    figures = {(2023, 6): 25.0, (2023, 12): 100.0, (2024, 6): 27.5, (2024, 12): 110.0,
               (2025, 6): 30.25, (2025, 12): 130.0, (2026, 6): 33.0}  # 2026: no year end, not tested
    points = backtest_points("flow", "higher", figures)
    assert [(p.year, p.method, p.forecast, p.low, p.high) for p in points] == [
        (2023, UNIFORM, 50.0, None, None),  # nothing earlier to learn from: 25 × 12 ÷ 6
        (2024, SEASONAL_SHARE, 110.0, 110.0, 110.0),  # from 2023 only
        (2025, SEASONAL_SHARE, 121.0, 121.0, 121.0),  # from 2023 and 2024, never from 2025 itself
    ]
    [summary] = summarise_backtest(points)
    assert (summary.month, summary.years) == (6, 2)  # 2023 had nothing seasonal to test
    assert summary.inside == 0.5  # 2024's actual inside its range, 2025's not
    assert summary.mape == pytest.approx((0.0 + 9 / 130) / 2)
    assert summary.mape_uniform == pytest.approx((55 / 110 + abs(60.5 - 130) / 130) / 2)  # 27.5 × 12 ÷ 6 = 55
