"""Property tests of the progress methodology: invariants that must hold for any plan and figure."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import re
from decimal import Decimal

from dashboard.formatting import percent
from dashboard.progress import (Milestone, SeriesInput, achieved_growth, assess, assess_milestones, assessment_to_dict,
                                time_elapsed, upcoming_years)
from dashboard.wording import attainment_text, conclusion_sentence

# Status order, worst to best, as the leadership reads it. "no_data" (with a figure present: no
# baseline to judge pace by) is outside the order and may only be followed by "achieved".
ORDER = ["missed", "severe", "behind", "at_risk", "on_track", "achieved"]

value = st.floats(min_value=0.01, max_value=1e5, allow_nan=False, allow_infinity=False)
year = st.integers(2015, 2035)


@st.composite
def plans(draw, direction="higher", baseline=st.one_of(st.none(), st.floats(0, 1e5)), increasing=False):
    """A baseline year, a baseline (maybe unknown or zero) and 1–3 milestones after it."""
    b_year = draw(st.integers(2015, 2025))
    b = draw(baseline)
    years = sorted(draw(st.sets(st.integers(b_year + 1, b_year + 12), min_size=1, max_size=3)))
    if increasing:  # targets strictly beyond the baseline, in the good direction
        assume(b is not None)
        steps = draw(st.lists(st.floats(0.5, 1e4), min_size=len(years), max_size=len(years)))
        targets, t = [], b
        for step in steps:
            t = t + step
            targets.append(t)
    else:
        targets = draw(st.lists(value, min_size=len(years), max_size=len(years)))
    return SeriesInput(direction, b_year, b, tuple(Milestone(y, t) for y, t in zip(years, targets)), {})


@given(plans(), year, value, value)
def test_status_never_worse_as_actual_rises(series, y, a1, a2):
    lo, hi = sorted((a1, a2))
    for m_lo, m_hi in zip(assess(series, y, lo).milestones, assess(series, y, hi).milestones):
        if m_lo.status == "no_data":
            assert m_hi.status in ("no_data", "achieved")
        else:
            assert ORDER.index(m_lo.status) <= ORDER.index(m_hi.status), (m_lo, m_hi)


@given(plans(direction="lower"), year, value, value)
def test_status_never_worse_as_actual_falls_lower_is_better(series, y, a1, a2):
    lo, hi = sorted((a1, a2))
    for m_lo, m_hi in zip(assess(series, y, lo).milestones, assess(series, y, hi).milestones):
        if m_hi.status == "no_data":
            assert m_lo.status in ("no_data", "achieved")
        else:
            assert ORDER.index(m_hi.status) <= ORDER.index(m_lo.status), (m_lo, m_hi)


@given(plans(), year, value, value)
def test_attainment_monotone_in_actual(series, y, a1, a2):
    lo, hi = sorted((a1, a2))
    # Only milestones judged on the assessed actual (past ones use their own year's figure).
    for m_lo, m_hi in zip(assess(series, y, lo).milestones, assess(series, y, hi).milestones):
        assert m_lo.year < y or m_lo.attainment <= m_hi.attainment
    lower = SeriesInput("lower", series.baseline_year, series.baseline, series.milestones, {})
    for m_lo, m_hi in zip(assess(lower, y, lo).milestones, assess(lower, y, hi).milestones):
        assert m_lo.year < y or m_lo.attainment >= m_hi.attainment


@given(plans(), year, value, value)
def test_required_growth_decreasing_in_actual(series, y, a1, a2):
    lo, hi = sorted((a1, a2))
    for m_lo, m_hi in zip(assess(series, y, lo).milestones, assess(series, y, hi).milestones):
        if y < m_lo.year:
            assert m_lo.required_growth >= m_hi.required_growth
            # Growing at the required rate for the remaining years lands on the target.
            grown = lo * (1 + m_lo.required_growth) ** (m_lo.year - y)
            assert grown == pytest.approx(m_lo.target, rel=1e-6)
        else:
            assert m_lo.required_growth is None


@given(st.integers(1900, 2100), st.integers(1900, 2099), st.integers(1, 50))
def test_time_elapsed_in_unit_interval(y, b_year, span):
    t = time_elapsed(y, b_year, b_year + span)
    assert 0.0 <= t <= 1.0
    if y <= b_year:
        assert t == 0.0
    if y >= b_year + span:
        assert t == 1.0


@given(plans(baseline=st.floats(0, 1e5), increasing=True), year, value)
def test_mirror_negation_lower_is_better(series, y, a):
    """Lower-is-better on negated figures is the same story: same progress, gap and status."""
    mirrored = SeriesInput(
        "lower",
        series.baseline_year,
        -series.baseline,
        tuple(Milestone(m.year, -m.target) for m in series.milestones),
        {},
    )
    for m, mm in zip(assess(series, y, a).milestones, assess(mirrored, y, -a).milestones):
        assert mm.progress == m.progress
        assert mm.gap_pp == m.gap_pp
        assert mm.time_elapsed == m.time_elapsed
        assert mm.status == m.status


@given(plans(baseline=st.floats(0.01, 1e5)), year, value)
def test_mirror_reciprocal_attainment(series, y, a):
    """Lower-is-better on reciprocal figures has the same attainment (T/a ↔ a/T)."""
    mirrored = SeriesInput(
        "lower",
        series.baseline_year,
        1 / series.baseline,
        tuple(Milestone(m.year, 1 / m.target) for m in series.milestones),
        {},
    )
    for m, mm in zip(assess(series, y, a).milestones, assess(mirrored, y, 1 / a).milestones):
        if m.year >= y:  # past milestones have no actual of their own year here
            assert mm.attainment == pytest.approx(m.attainment, rel=1e-9)


@given(plans(), year, value, value, value)
def test_past_milestones_are_judged_on_their_own_year(series, y, own, later_a, later_b):
    """A milestone before the assessed year uses its own year's actual, whatever the later figure is."""
    first = series.milestones[0]
    assume(first.year < y)
    with_own = SeriesInput(series.direction, series.baseline_year, series.baseline, series.milestones,
                           {first.year: own})
    m_a, m_b = assess(with_own, y, later_a).milestones[0], assess(with_own, y, later_b).milestones[0]
    assert m_a == m_b and (m_a.actual_year, m_a.actual) == (first.year, own)
    assert m_a == assess(with_own, first.year, own).milestones[0]
    # Without a figure for the milestone year there is nothing to judge: no_data, never a later figure.
    assert assess(series, y, later_a).milestones[0].status == "no_data"


@given(
    plans(),
    st.sampled_from(["higher", "lower"]),
    year,
    st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    st.dictionaries(st.integers(2010, 2040), st.floats(-1e6, 1e6, allow_nan=False), max_size=6),
)
def test_output_is_always_json_ready(series, direction, y, a, actuals):
    series = SeriesInput(direction, series.baseline_year, series.baseline, series.milestones, actuals)
    d = assessment_to_dict(assess(series, y, a))
    json.dumps(d, allow_nan=False)  # no NaN/inf ever leaks out
    for m in d["milestones"]:
        assert 0.0 <= m["time_elapsed"] <= 1.0
        if m["progress"] is None:
            assert m["gap_pp"] is None
        if m["actual"] is None:
            assert m["status"] == "no_data"
        assert m["actual"] == (a if m["year"] >= y else actuals.get(m["year"]))


@given(plans(baseline=st.floats(0.01, 1e5)), st.integers(0, 12), value)
def test_sdg_status_consistent_with_ratio(series, offset, a):
    result = assess(series, series.baseline_year + offset, a)
    if result.sdg_status not in (None, "achieved"):
        assert result.sdg_ratio is not None
        assert (result.sdg_status == "deterioration") == (result.sdg_ratio < 0)
    if offset == 0 and result.sdg_status != "achieved":
        assert result.sdg_ratio is None  # no time has passed: no achieved rate yet


_NUMBER = r"(-?[\d.]+)"


@given(plans(), st.sampled_from(["higher", "lower"]), year, st.one_of(st.none(), value), st.booleans())
def test_every_sentence_states_the_numbers_of_its_row(series, direction, y, a, preliminary):
    """Parse the sentence of every milestone, whatever its status, and check each number against the row.

    A gap is stated with the two figures it compares (目标进度 vs 序时进度) and equals their
    difference as printed; 完成率 is the one of the row; 据初步数 appears exactly on final verdicts
    decided on a preliminary figure.
    """
    series = SeriesInput(direction, series.baseline_year, series.baseline, series.milestones, {},
                         preliminary_years=frozenset({y}) if preliminary else frozenset())
    assessment = assess(series, y, a)
    for m in assessment.milestones:
        sentence = conclusion_sentence("指标", assessment, m.year)
        if m.actual is None:
            assert sentence == f"指标{m.actual_year}年暂无数据"
            continue
        if m.attainment is not None:
            assert attainment_text(m) in sentence and "完成率" in sentence or f"目标的{attainment_text(m)}" in sentence
        assert ("据初步数" in sentence) == (m.status in ("achieved", "missed") and m.preliminary)
        if m.status in ("achieved", "missed"):
            assert ("已完成" if m.status == "achieved" else "未完成") in sentence
            assert "序时进度" not in sentence
            continue
        gap = re.search(f"目标进度{_NUMBER}%，(快于|慢于|与)序时进度（{_NUMBER}%）(?:{_NUMBER}个百分点|持平|不足0.1个百分点)",
                        sentence)
        if m.basis != "progress":
            assert gap is None and "目标进度" + percent(m.progress) not in sentence
            continue
        assert gap, sentence
        shown_progress, word, shown_time, shown_gap = gap.groups()
        assert f"{shown_progress}%" == percent(m.progress) and f"{shown_time}%" == percent(m.time_elapsed)
        difference = Decimal(shown_progress) - Decimal(shown_time)
        if shown_gap is not None:
            assert Decimal(shown_gap) == abs(difference) and difference != 0
        assert word == ("与" if abs(m.gap_pp) <= 1e-9 else "快于" if m.gap_pp > 0 else "慢于")
        # The words of the status are true for its band.
        assert (m.status == "on_track") == (m.gap_pp >= -1e-9)


@given(plans(), year, value)
def test_targets_at_or_below_the_baseline_never_get_a_progress(series, y, a):
    for m in assess(series, y, a).milestones:
        if series.baseline is not None and m.target <= series.baseline:
            assert m.basis == "attainment" and m.progress is None and m.gap_pp is None


@st.composite
def series_with_actuals(draw):
    """A plan of either direction, per-year or not, with actuals in some years (past milestones use theirs)."""
    base = draw(plans(direction=draw(st.sampled_from(["higher", "lower"]))))
    years = draw(st.sets(st.integers(base.baseline_year, base.baseline_year + 14), max_size=6))
    actuals = {y: draw(value) for y in years}
    return SeriesInput(base.direction, base.baseline_year, base.baseline, base.milestones, actuals,
                       preliminary_years=frozenset(draw(st.sets(st.sampled_from(sorted(years) or [0]), max_size=2))),
                       per_year=draw(st.booleans()))


@given(series_with_actuals(), year, st.one_of(st.none(), value))
def test_assess_milestones_is_the_milestone_part_of_assess(series, y, actual):
    """The grids judge one milestone per cell with ``assess_milestones``: it must be ``assess``'s judgement."""
    full = assess(series, y, actual)
    upcoming = upcoming_years([m.year for m in series.milestones], y)
    assert assess_milestones(series, y, actual, upcoming) == tuple(m for m in full.milestones if m.year in upcoming)
    assert assess_milestones(series, y, actual) == full.milestones
    assert achieved_growth(series, y, actual) == full.achieved_growth
    assert full.next_milestone() is not None and full.next_milestone().year == upcoming[0]


@pytest.mark.parametrize(("years", "year", "expected"), [
    ([2023, 2025, 2027], 2022, [2023, 2025, 2027]),
    ([2023, 2025, 2027], 2025, [2025, 2027]),  # a milestone year itself is still upcoming
    ([2023, 2025, 2027], 2026, [2027]),
    ([2023, 2025, 2027], 2030, [2027]),  # after the last one: the last one
    ([2027, 2023], 2024, [2027]),  # any order in
    ([], 2024, []),
])
def test_upcoming_years(years, year, expected):
    assert upcoming_years(years, year) == expected
