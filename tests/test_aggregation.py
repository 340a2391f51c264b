"""City figure from district figures (dashboard.aggregation)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.aggregation import city_figure, reconciliation_tolerance
from dashboard.errors import InputError

# 越城区, 柯桥区, 上虞区, 新昌县, 诸暨市, 嵊州市
DISTRICTS = ("330602", "330603", "330604", "330624", "330681", "330683")
FULL = dict(zip(DISTRICTS, (300.0, 250.0, 200.0, 100.0, 350.0, 200.0)))  # sums to 1400


def test_reported_city_value_wins_and_is_reconciled():
    f = city_figure(1400.0, FULL, DISTRICTS, additive=True, decimals=0)
    assert (f.value, f.source) == (1400.0, "reported")
    assert f.district_sum == 1400.0
    assert f.reconciliation_diff == 0.0
    assert not f.reconciliation_flagged
    assert f.missing_districts == ()


def test_derived_from_all_districts():
    f = city_figure(None, FULL, DISTRICTS, additive=True, decimals=0)
    assert (f.value, f.source) == (1400.0, "derived")
    assert f.reconciliation_diff is None and not f.reconciliation_flagged


@pytest.mark.parametrize("blank", ["absent", None])
def test_partial_names_missing_districts_and_never_reads_blank_as_zero(blank):
    values = dict(FULL)
    if blank == "absent":
        del values["330624"], values["330683"]
    else:
        values["330624"] = values["330683"] = None
    f = city_figure(None, values, DISTRICTS, additive=True, decimals=0)
    assert f.source == "partial"
    assert f.missing_districts == ("330624", "330683")
    assert f.value is None  # a partial sum is never the city's figure
    assert f.district_sum == 1400.0 - 100.0 - 200.0  # sum of those that reported


def test_zero_is_a_value_not_a_blank():
    values = dict(FULL, **{"330624": 0.0})
    f = city_figure(None, values, DISTRICTS, additive=True, decimals=0)
    assert f.source == "derived" and f.missing_districts == ()


def test_nothing_reported():
    f = city_figure(None, {}, DISTRICTS, additive=True, decimals=0)
    assert (f.value, f.source, f.district_sum) == (None, "none", None)
    assert f.missing_districts == DISTRICTS


def test_reported_city_with_partial_districts_is_not_reconciled():
    values = dict(FULL)
    del values["330602"]
    f = city_figure(1400.0, values, DISTRICTS, additive=True, decimals=0)
    assert (f.value, f.source) == (1400.0, "reported")
    assert f.missing_districts == ("330602",)
    assert f.district_sum == 1100.0
    assert f.reconciliation_diff is None and not f.reconciliation_flagged


@pytest.mark.parametrize("reported, source", [(7.0, "reported"), (None, "none")])
def test_non_additive_never_derives(reported, source):
    # 平台经济领域地方标准 is issued at city level: district figures are never summed into it.
    values = dict.fromkeys(DISTRICTS, 2.0)
    f = city_figure(reported, values, DISTRICTS, additive=False, decimals=0)
    assert (f.value, f.source) == (reported, source)
    assert f.district_sum is None and f.reconciliation_diff is None and f.missing_districts == ()


@pytest.mark.parametrize(
    "reported, district_total, decimals, flagged",
    [
        # 1400 亿元, 0 decimals, six districts: tolerance max(0.05% × 1400 = 0.7, 6 × 0.5 = 3) = 3
        (1400.0, 1403.0, 0, False),  # exactly on the tolerance
        (1400.0, 1397.0, 0, False),
        (1400.0, 1403.1, 0, True),
        # 6.7 万家, 1 decimal: six figures each off by up to 0.05 → max(0.00335, 6 × 0.05) = 0.3
        (6.7, 7.0, 1, False),  # exactly on the tolerance
        (6.7, 6.4, 1, False),
        (6.7, 7.01, 1, True),
        # 51 个, 0 decimals: tolerance 3; off by four is flagged
        (51.0, 55.0, 0, True),
        (51.0, 54.0, 0, False),
    ],
)
def test_reconciliation_tolerance(reported, district_total, decimals, flagged):
    # Spread the district total over six districts so the sum carries real float noise.
    values = {code: district_total / 6 for code in DISTRICTS}
    f = city_figure(reported, values, DISTRICTS, additive=True, decimals=decimals)
    assert f.reconciliation_diff == pytest.approx(reported - district_total, abs=1e-9)
    assert f.reconciliation_flagged is flagged


def test_tolerance_formula():
    assert reconciliation_tolerance(1400, 0, 6) == pytest.approx(3)
    assert reconciliation_tolerance(1400, 0, 1) == pytest.approx(0.7)
    assert reconciliation_tolerance(6.7, 1, 6) == pytest.approx(0.3)
    assert reconciliation_tolerance(200000, 2, 6) == pytest.approx(100)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(reported=float("nan")),
        dict(district_values={"330602": float("nan")}),
        dict(district_values={"999999": 1.0}),  # unknown district would be silently dropped
        dict(decimals=-1),
        dict(reported="1400"),
    ],
)
def test_rejects_bad_input(kwargs):
    base = dict(reported=None, district_values={}, district_codes=DISTRICTS, additive=True, decimals=0)
    with pytest.raises(InputError):
        city_figure(**{**base, **kwargs})


values_st = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False))


@given(
    reported=values_st,
    district=st.fixed_dictionaries({code: values_st for code in DISTRICTS}),
    additive=st.booleans(),
    decimals=st.integers(0, 4),
)
def test_properties(reported, district, additive, decimals):
    f = city_figure(reported, district, DISTRICTS, additive, decimals)
    present = [v for v in district.values() if v is not None]
    if reported is not None:
        assert (f.value, f.source) == (reported, "reported")  # the official figure always wins
    elif not additive or not present:
        assert (f.value, f.source) == (None, "none")
    else:
        assert f.district_sum == pytest.approx(math.fsum(present))
        assert f.source == ("derived" if len(present) == len(DISTRICTS) else "partial")
        assert f.value == (f.district_sum if f.source == "derived" else None)
    if additive:
        assert f.missing_districts == tuple(c for c in DISTRICTS if district[c] is None)
    if f.reconciliation_flagged:
        assert abs(f.reconciliation_diff) > reconciliation_tolerance(reported, decimals, len(DISTRICTS))
    if f.reconciliation_diff is not None:
        assert reported is not None and additive and not f.missing_districts
