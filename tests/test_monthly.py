"""Examples and properties of the month-level formulas (dashboard/monthly.py)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dashboard.errors import InputError
from dashboard.monthly import (
    INCOMPLETE,
    TRAJECTORY,
    MonthInput,
    annual_target,
    assess_month,
    band,
    month_to_dict,
    period_label,
    time_elapsed,
)
from dashboard.progress import Milestone, SeriesInput
from dashboard.thresholds import StatusThresholds

RETAIL = SeriesInput("higher", 2022, 921.0, (Milestone(2023, 1000.0), Milestone(2025, 1200.0), Milestone(2027, 1400.0)))


def flow(**kw) -> MonthInput:
    base = dict(kind="flow", direction="higher", year=2026, month=9, ytd=1012.0, ytd_prior=925.0,
                prior_year_annual=1200.0, annual_target=1300.0, annual_target_origin=TRAJECTORY)
    return MonthInput(**{**base, **kw})


# ------------------------------------------------------------------------------------- examples


def test_flow_example_every_field():
    a = assess_month(flow())
    assert a.time_elapsed == 0.75
    assert a.ytd_attainment == pytest.approx(1012 / 1300)
    assert a.gap_pp == pytest.approx(100 * (1012 / 1300 - 0.75))  # +2.85 pp
    assert a.status == "on_track"
    assert a.yoy_growth == pytest.approx(1012 / 925 - 1)
    assert a.needed_yoy == pytest.approx(1300 / 1200 - 1)
    assert a.seasonal_expected == pytest.approx(1300 * 925 / 1200)
    assert a.vs_seasonal == pytest.approx(1012 / (1300 * 925 / 1200))
    assert a.annual_target_origin == TRAJECTORY


def test_stock_attainment_counts_from_prior_year_end():
    a = assess_month(MonthInput("stock", "higher", 2026, 6, ytd=17.0, ytd_prior=15.5, prior_year_annual=16.0,
                                annual_target=18.0, annual_target_origin="annual"))
    assert a.ytd_attainment == pytest.approx(0.5)  # (17 − 16) / (18 − 16)
    assert a.gap_pp == pytest.approx(0.0)
    assert a.status == "on_track"
    assert a.seasonal_expected is None and a.vs_seasonal is None  # flows only
    assert a.needed_yoy == pytest.approx(18 / 16 - 1)


def test_trajectory_target_between_milestones_and_explicit_target_wins():
    assert annual_target(None, RETAIL, 2026) == (1300.0, TRAJECTORY)
    assert annual_target((1320.0, "annual"), RETAIL, 2026) == (1320.0, "annual")
    assert annual_target(None, SeriesInput("higher", 2022, 5.0, ()), 2026) == (None, None)


def test_thresholds_exactly_on_the_band_edges_get_the_better_status():
    # 6/12 elapsed; attainment 0.5 → 0 pp (符合序时), 0.4 → −10 pp (略低于序时), 0.2 → −30 pp (明显滞后)
    assert assess_month(flow(month=6, ytd=650.0)).status == "on_track"
    assert assess_month(flow(month=6, ytd=520.0)).status == "at_risk"
    assert assess_month(flow(month=6, ytd=260.0)).status == "behind"
    assert assess_month(flow(month=6, ytd=259.0)).status == "severe"
    custom = StatusThresholds(on_track_gap_pp=-5, at_risk_gap_pp=-6, behind_gap_pp=-8)
    assert assess_month(flow(month=6, ytd=520.0), custom).status == "severe"


def test_achieved_before_the_year_ends_and_missed_at_month_twelve():
    assert assess_month(flow(month=10, ytd=1300.0)).status == "achieved"
    assert assess_month(flow(month=12, ytd=1290.0)).status == "missed"
    assert assess_month(flow(month=12, ytd=1300.0)).status == "achieved"


def test_zero_bases_give_no_rates_but_linear_measures_stay():
    a = assess_month(MonthInput("cumulative", "higher", 2023, 6, ytd=150.0, ytd_prior=0.0, prior_year_annual=0.0,
                                annual_target=300.0, annual_target_origin="published"))
    assert a.yoy_growth is None and a.needed_yoy is None
    assert a.ytd_attainment == pytest.approx(0.5)
    z = assess_month(flow(ytd_prior=0.0, prior_year_annual=0.0))
    assert z.yoy_growth is None and z.needed_yoy is None and z.seasonal_expected is None and z.vs_seasonal is None
    assert assess_month(flow(annual_target=0.0)).ytd_attainment is None


def test_missing_prior_year():
    a = assess_month(flow(ytd_prior=None, prior_year_annual=None))
    assert a.yoy_growth is None and a.needed_yoy is None and a.seasonal_expected is None
    assert a.ytd_attainment == pytest.approx(1012 / 1300) and a.status == "on_track"
    stock = assess_month(MonthInput("stock", "higher", 2026, 6, ytd=17.0, annual_target=18.0))
    assert stock.ytd_attainment is None and stock.status == "no_data"


def test_no_figure_and_no_target():
    assert assess_month(flow(ytd=None)).status == "no_data"
    a = assess_month(flow(annual_target=None, annual_target_origin=None))
    assert a.status == "no_data" and a.ytd_attainment is None and a.yoy_growth is not None


def test_partial_city_sum_is_shown_not_judged():
    a = assess_month(flow(ytd=700.0, complete=False))
    assert a.status == INCOMPLETE
    assert a.ytd == 700.0
    assert a.ytd_attainment is None and a.gap_pp is None and a.yoy_growth is None and a.vs_seasonal is None
    assert a.needed_yoy == pytest.approx(1300 / 1200 - 1)  # does not depend on this year's figure


def test_lower_is_better_flow_spends_its_cap_slower_than_time():
    # Energy use capped at 100 for the year: 60 used after 9 months is 15 pp under the time line.
    a = assess_month(MonthInput("flow", "lower", 2026, 9, ytd=60.0, ytd_prior=70.0, prior_year_annual=95.0,
                                annual_target=100.0))
    assert a.ytd_attainment == pytest.approx(0.6)
    assert a.gap_pp == pytest.approx(15.0)
    assert a.status == "on_track"
    assert a.vs_seasonal == pytest.approx((100 * 70 / 95) / 60)
    over = assess_month(MonthInput("flow", "lower", 2026, 6, ytd=80.0, annual_target=100.0))
    assert over.gap_pp == pytest.approx(-30.0) and over.status == "behind"
    assert assess_month(MonthInput("flow", "lower", 2026, 6, ytd=10.0, annual_target=100.0)).status == "on_track"
    assert assess_month(MonthInput("flow", "lower", 2026, 12, ytd=99.0, annual_target=100.0)).status == "achieved"
    assert assess_month(MonthInput("flow", "lower", 2026, 12, ytd=101.0, annual_target=100.0)).status == "missed"


def test_lower_is_better_stock_mirrors():
    a = assess_month(MonthInput("stock", "lower", 2026, 6, ytd=90.0, prior_year_annual=100.0, annual_target=80.0))
    assert a.ytd_attainment == pytest.approx(0.5) and a.gap_pp == pytest.approx(0.0)
    assert assess_month(MonthInput("stock", "lower", 2026, 6, ytd=79.0, prior_year_annual=100.0,
                                   annual_target=80.0)).status == "achieved"


def test_invalid_input_is_refused_in_chinese():
    with pytest.raises(InputError, match="月份"):
        flow(month=13)
    with pytest.raises(InputError, match="ytd"):
        flow(ytd=float("nan"))
    with pytest.raises(InputError, match="方向"):
        flow(direction="up")


def test_json_keys_and_labels():
    keys = list(month_to_dict(assess_month(flow())))
    assert keys[:2] == ["year", "month"]
    for key in ("ytd", "ytd_prior", "yoy_growth", "annual_target", "annual_target_origin", "time_elapsed",
                "ytd_attainment", "gap_pp", "status", "needed_yoy", "seasonal_expected", "vs_seasonal"):
        assert key in keys
    assert [period_label(m) for m in (1, 9, 12)] == ["1月", "1–9月", "全年"]
    assert time_elapsed(3) == 0.25 and band(None) == "no_data"


# ------------------------------------------------------------------------------------ properties

positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
month = st.integers(1, 11)
ORDER = ["severe", "behind", "at_risk", "on_track", "achieved"]


@given(positive, positive, positive, month, st.sampled_from(["flow", "stock"]))
def test_status_never_worse_as_ytd_rises_higher_is_better(lo, hi, target, n, kind):
    lo, hi = sorted((lo, hi))
    prior = target / 2 if kind == "stock" else None
    a_lo = assess_month(MonthInput(kind, "higher", 2026, n, ytd=lo, prior_year_annual=prior, annual_target=target))
    a_hi = assess_month(MonthInput(kind, "higher", 2026, n, ytd=hi, prior_year_annual=prior, annual_target=target))
    assert ORDER.index(a_lo.status) <= ORDER.index(a_hi.status)


@given(positive, positive, positive, month)
def test_status_never_worse_as_ytd_falls_lower_is_better(lo, hi, target, n):
    lo, hi = sorted((lo, hi))
    a_lo = assess_month(MonthInput("flow", "lower", 2026, n, ytd=lo, annual_target=target))
    a_hi = assess_month(MonthInput("flow", "lower", 2026, n, ytd=hi, annual_target=target))
    assert ORDER.index(a_hi.status) <= ORDER.index(a_lo.status)


@given(positive, positive, positive, positive, month)
def test_growth_identities(ytd, prior, target, annual, n):
    a = assess_month(flow(month=n, ytd=ytd, ytd_prior=prior, annual_target=target, prior_year_annual=annual))
    assume(a.yoy_growth is not None and a.needed_yoy is not None and a.vs_seasonal is not None)
    # 1 + rate loses digits when the rate is near −1 (ytd tiny against prior): tolerance scaled to the base.
    assert (1 + a.yoy_growth) * prior == pytest.approx(ytd, rel=1e-9, abs=1e-12 * prior)
    assert (1 + a.needed_yoy) * annual == pytest.approx(target, rel=1e-9, abs=1e-12 * annual)
    # On the seasonal path exactly when this year's share equals last year's: vs_seasonal = (1+yoy)/(1+needed),
    # written with the ratios themselves (no cancellation).
    assert a.vs_seasonal == pytest.approx((ytd / prior) / (target / annual), rel=1e-9)


@given(positive, positive, month)
def test_gap_is_attainment_minus_time_in_points(ytd, target, n):
    a = assess_month(flow(month=n, ytd=ytd, annual_target=target))
    assume(a.ytd_attainment is not None)
    assert a.gap_pp == pytest.approx(100 * (a.ytd_attainment - n / 12))
    assert a.status in ORDER


@given(st.one_of(st.none(), positive), st.one_of(st.none(), positive), st.one_of(st.none(), positive), month)
def test_partial_sums_are_never_judged(ytd, prior, target, n):
    a = assess_month(flow(month=n, ytd=ytd, ytd_prior=prior, annual_target=target, complete=False))
    assert a.status == (INCOMPLETE if ytd is not None else "no_data")
    assert a.ytd_attainment is None and a.gap_pp is None and a.yoy_growth is None and a.vs_seasonal is None


def test_target_path_reaches_the_target_in_december():
    from dashboard.monthly import target_path

    flow_path = target_path("flow", 1200.0, 1100.0)
    assert flow_path[0] == (1, 100.0) and flow_path[8] == (9, 900.0) and flow_path[-1] == (12, 1200.0)
    stock = target_path("stock", 18.0, 16.0)
    assert stock[5] == (6, 17.0) and stock[-1] == (12, 18.0)
    assert target_path("stock", 18.0, None) == []
