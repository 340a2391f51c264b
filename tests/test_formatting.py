"""The one rounding rule of the product (dashboard.formatting): 四舍五入 on the decimal value, everywhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.aggregation import city_figure, partial_label, source_label, weakest_status
from dashboard.allocation import estimate_by_share, is_target
from dashboard.formatting import figure, percent, percent_short_of_target, round_half_up, round_value, signed_points
from dashboard.numbers import to_stored_precision


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (268.5, 0, "269"),  # Python's format gives "268" (half to even)
        (267.5, 0, "268"),
        (0.125, 2, "0.13"),  # the binary 0.125 is exact; half-even would give 0.12
        (2.675, 2, "2.68"),  # the binary 2.675 is 2.67499999…; its decimal value is 2.675
        (1234567.25, 1, "1,234,567.3"),
        (-2.5, 0, "-3"),  # half away from zero
        (-0.4, 0, "0"),  # never "-0"
        (None, 1, "—"),
    ],
)
def test_figures_round_half_up_on_the_decimal_value(value: float | None, decimals: int, shown: str) -> None:
    assert figure(value, decimals) == shown


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_what_is_shown_equals_round_half_up_of_the_stored_value(raw: float, decimals: int) -> None:
    stored = to_stored_precision(raw)  # how every figure is stored (15 significant digits)
    expected = Decimal(repr(stored)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    shown = figure(stored, decimals).replace(",", "")
    assert Decimal(shown) == expected
    assert float(round_half_up(stored, decimals)) == float(expected) == round_value(stored, decimals)


def test_percentages_have_one_decimal_and_never_round_toward_a_better_verdict() -> None:
    assert percent(1005 / 1000) == "100.5%"  # the float 100.49999… is read as 100.5
    assert percent(199 / 200) == "99.5%"
    assert percent(None) == "—"
    assert percent_short_of_target(199.9 / 200) == "99.9%"  # half up would say 100% beside 未完成
    assert percent_short_of_target(0.9999999) == "99.9%"
    assert percent_short_of_target(0.5) == "50%"
    assert (signed_points(6.45), signed_points(-0.04), signed_points(-2.51), signed_points(None)) == ("+6.5", "0", "-2.5", "—")


def test_sums_carry_their_weakest_status() -> None:
    assert weakest_status(["final", "final"]) == "final"
    assert weakest_status(["final", "preliminary"]) == "preliminary"
    codes = ["A", "B", "C"]
    derived = city_figure(None, {"A": 1.0, "B": 2.0, "C": 3.0}, codes, True, 0, preliminary_districts=["C"])
    assert (derived.value, derived.source, derived.status) == (6.0, "derived", "preliminary")
    assert source_label(derived.source, derived.status) == "区县合计·含初步数"
    partial = city_figure(None, {"B": 2.0}, codes, True, 0)
    assert (partial.value, partial.district_sum, partial.n_reported, partial.n_districts) == (None, 2.0, 1, 3)
    assert partial_label(partial, {"A": "甲", "C": "丙"}) == "已报区县合计（1/3，缺：甲、丙）"
    reported = city_figure(5.0, {}, codes, True, 0, reported_status="preliminary")
    assert source_label(reported.source, reported.status) == "初步数"


def test_zero_estimates_are_left_out_and_estimates_round_half_up() -> None:
    # 10 split 1:3 is 2.5 and 7.5: half up gives 3 and 8 (half-even would give 2 and 8); the
    # remainder −1 goes to the largest district, so the estimates still add up to the target.
    assert estimate_by_share(10, {"A": 1, "B": 3}, 0) == {"A": 3.0, "B": 7.0}
    assert estimate_by_share(5, {"A": 50, "B": 49, "C": 1}, 0) == {"A": 3.0, "B": 2.0}  # C: 0.05 → 0, no target
    assert not is_target(0.0, "estimated") and is_target(0.0, "allocated") and is_target(2.0, "estimated")
