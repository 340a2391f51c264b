"""Worked numbers and edge cases of the progress methodology (dashboard.progress, dashboard.thresholds).

Expected values are worked out by hand in the comments, from the plan's own indicator table
(绍政办发〔2023〕38号 主要指标表); the actuals are illustrative, not published statistics.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from dashboard.errors import InputError, NotFoundError
from dashboard.progress import (
    SDG_STATUS_LABELS,
    STATUS_LABELS,
    Milestone,
    SeriesInput,
    assess,
    assessment_to_dict,
    summarise,
)
from dashboard.wording import conclusion_sentence
from dashboard.thresholds import DEFAULT_THRESHOLDS, StatusThresholds, from_mapping

RETAIL = SeriesInput(  # 网络零售额, 亿元
    direction="higher",
    baseline_year=2022,
    baseline=921,
    milestones=(Milestone(2023, 1000), Milestone(2025, 1200), Milestone(2027, 1400)),
    actuals={2023: 1005},
)
ENTITIES = SeriesInput(  # 网络经营主体, 万家
    "higher", 2022, 6.7, (Milestone(2023, 12), Milestone(2025, 16), Milestone(2027, 20)), {}
)
DATA_IP = SeriesInput(  # 数据知识产权登记, 件, zero baseline
    "higher", 2022, 0, (Milestone(2023, 300), Milestone(2025, 500), Milestone(2027, 1000)), {}
)


def by_year(assessment):
    return {m.year: m for m in assessment.milestones}


# --------------------------------------------------------------------------- worked example


def test_retail_2024_worked_by_hand():
    a = assess(RETAIL, 2024, 1100)
    m = by_year(a)

    # 2023 milestone (already passed): judged on 2023's own actual 1005, not on 2024's 1100.
    # 1005 ≥ 1000 → achieved; attainment 1005/1000 = 1.005; progress (1005−921)/(1000−921) = 84/79
    # = 1.063291; time elapsed (2023−2022)/(2023−2022) = 1; trajectory value in 2023 = the target
    # 1000, so vs_expected 1.005; no growth "still required" in the milestone year.
    assert m[2023].status == "achieved"
    assert (m[2023].actual_year, m[2023].actual) == (2023, 1005)
    assert m[2023].attainment == pytest.approx(1.005)
    assert m[2023].progress == pytest.approx(1.063291, abs=1e-6)
    assert m[2023].time_elapsed == 1.0
    assert m[2023].required_growth is None
    assert (m[2023].expected, m[2023].vs_expected) == (pytest.approx(1000.0), pytest.approx(1.005))
    assert (m[2025].actual_year, m[2025].actual) == (2024, 1100)

    # 2025 milestone: attainment 1100/1200 = 0.916667; progress 179/279 = 0.641577;
    # time elapsed (2024−2022)/(2025−2022) = 2/3 = 0.666667; gap 100×(0.641577−0.666667) = −2.509 pp
    # → at_risk (略低于序时: −10 ≤ gap < 0); required growth (1200/1100)^(1/1) − 1 = 0.090909.
    assert m[2025].attainment == pytest.approx(0.916667, abs=1e-6)
    assert m[2025].progress == pytest.approx(0.641577, abs=1e-6)
    assert m[2025].time_elapsed == pytest.approx(0.666667, abs=1e-6)
    assert m[2025].gap_pp == pytest.approx(-2.50896, abs=1e-5)
    assert m[2025].status == "at_risk"
    assert m[2025].required_growth == pytest.approx(0.090909, abs=1e-6)

    # 2027 milestone: 1100/1400 = 0.785714; 179/479 = 0.373695; time 2/5 = 0.4; gap −2.6305 pp;
    # required (1400/1100)^(1/3) − 1 = 1.272727^(1/3) − 1 = 0.083707 (1.083707³ = 1.27273).
    assert m[2027].attainment == pytest.approx(0.785714, abs=1e-6)
    assert m[2027].progress == pytest.approx(0.373695, abs=1e-6)
    assert m[2027].time_elapsed == pytest.approx(0.4)
    assert m[2027].gap_pp == pytest.approx(-2.63048, abs=1e-5)
    assert m[2027].required_growth == pytest.approx(0.083707, abs=1e-6)

    # Planned trajectory in 2024: halfway between (2023, 1000) and (2025, 1200) = 1100 → ratio 1.0,
    # the same value against every milestone (one trajectory per indicator).
    assert [x.expected for x in a.milestones[1:]] == pytest.approx([1100.0] * 2)
    assert m[2025].vs_expected == pytest.approx(1.0)

    # Achieved growth (1100/921)^(1/2) − 1 = sqrt(1.194354) − 1 = 0.092865.
    # SDG: required (1400/921)^(1/5) − 1 = exp(ln 1.520087 / 5) − 1 = exp(0.083753) − 1
    # = 0.087361; ratio 0.092865/0.087361 = 1.0630.
    assert a.achieved_growth == pytest.approx(0.092865, abs=1e-6)
    assert a.sdg_ratio == pytest.approx(1.0630, abs=1e-4)
    assert a.sdg_status == "on_track"

    # Projection: points (2022, 921), (2023, 1005), (2024, 1100); mean year 2023, mean value
    # 3026/3 = 1008.667; slope = [(−1)(921−1008.667) + (1)(1100−1008.667)] / 2 = 179/2 = 89.5;
    # in 2027: 1008.667 + 89.5 × 4 = 1366.667; ÷ 1400 = 0.97619.
    assert a.projection is not None
    assert a.projection.year == 2027
    assert a.projection.value == pytest.approx(1366.667, abs=1e-3)
    assert a.projection.attainment == pytest.approx(0.97619, abs=1e-5)


def test_entities_behind_and_at_risk_on_plan_figures():
    # 网络经营主体 at 10 万家 in 2024, no 2023 figure: the 2023 milestone has nothing to be judged on.
    # 2025: progress (10−6.7)/(16−6.7) = 3.3/9.3 = 0.354839, time 2/3 → gap −31.18 pp → severe.
    # 2027: progress 3.3/13.3 = 0.248120, time 0.4 → gap −15.19 pp → behind.
    m = by_year(assess(ENTITIES, 2024, 10))
    assert m[2023].status == "no_data" and m[2023].actual_year == 2023
    assert m[2025].gap_pp == pytest.approx(-31.183, abs=1e-3)
    assert m[2025].status == "severe"
    assert m[2027].gap_pp == pytest.approx(-15.188, abs=1e-3)
    assert m[2027].status == "behind"


# --------------------------------------------------------------------------- thresholds exactly


@pytest.mark.parametrize(
    "actual, gap, status",
    [
        # baseline 0 → target 100 over 2022–2027, year 2024: time elapsed 0.4, gap = actual − 40.
        (40, 0.0, "on_track"),  # exactly at 序时进度: 符合序时
        (39.99, -0.01, "at_risk"),  # just below: 略低于序时
        (30, -10.0, "at_risk"),  # exactly on the −10 line: the better band
        (29.99, -10.01, "behind"),  # just below: 明显滞后
        (10, -30.0, "behind"),  # exactly on the −30 line: still 明显滞后
        (9.99, -30.01, "severe"),  # just below: 严重滞后
        (100, 60.0, "achieved"),
    ],
)
def test_threshold_boundaries(actual, gap, status):
    series = SeriesInput("higher", 2022, 0, (Milestone(2027, 100),), {})
    m = assess(series, 2024, actual).milestones[0]
    assert m.gap_pp == pytest.approx(gap, abs=1e-9)
    assert m.status == status


def test_custom_thresholds_change_status():
    series = SeriesInput("higher", 2022, 0, (Milestone(2027, 100),), {})
    lenient = StatusThresholds(on_track_gap_pp=-5.0, at_risk_gap_pp=-10.0, behind_gap_pp=-20.0)
    assert assess(series, 2024, 38, lenient).milestones[0].status == "on_track"  # gap −2
    assert assess(series, 2024, 38).milestones[0].status == "at_risk"
    assert assess(series, 2024, 15, lenient).milestones[0].status == "severe"  # gap −25
    assert assess(series, 2024, 15).milestones[0].status == "behind"


# --------------------------------------------------------------------------- edge cases


def test_zero_baseline_linear_measures_work_compound_rates_do_not():
    a = assess(DATA_IP, 2024, 350)
    m = by_year(a)
    # progress 350/500 = 0.7, time 2/3 → gap +3.33 pp; 350/1000 = 0.35, time 0.4 → gap −5 pp.
    assert m[2025].progress == pytest.approx(0.7)
    assert m[2025].gap_pp == pytest.approx(3.3333, abs=1e-4)
    assert m[2027].gap_pp == pytest.approx(-5.0)
    assert a.achieved_growth is None  # (350/0)^(1/2): undefined from a zero base
    assert a.sdg_ratio is None and a.sdg_status is None
    # Growth still required is from the current (non-zero) value: (500/350) − 1 = 0.428571.
    assert m[2025].required_growth == pytest.approx(0.428571, abs=1e-6)


@pytest.mark.parametrize(
    "actual, status",
    [(100, "achieved"), (95, "at_risk"), (75, "behind"), (60, "severe")],
)
def test_target_equal_to_baseline_is_judged_on_attainment_alone(actual, status):
    # Keep 100 from 2022 to 2026: progress is undefined (T = b), so the status rests on 完成率
    # alone: 100 × (actual/100 − 1) = −5 → 略低于序时, −25 → 明显滞后, −40 → 严重滞后.
    series = SeriesInput("higher", 2022, 100, (Milestone(2026, 100),), {})
    m = assess(series, 2024, actual).milestones[0]
    assert m.progress is None and m.gap_pp is None and m.basis == "attainment"
    assert m.status == status


def test_unknown_baseline():
    series = SeriesInput("higher", 2022, None, (Milestone(2023, 1000), Milestone(2025, 1200)), {})
    # Before the first milestone there is no trajectory to judge the pace by.
    before = assess(series, 2022, 900)
    assert [m.status for m in before.milestones] == ["no_data", "no_data"]
    assert before.milestones[0].attainment == pytest.approx(0.9)
    # In 2024 the trajectory runs between the milestones (1100); 1050/1100 → −4.5 pp → at_risk.
    after = by_year(assess(series, 2024, 1050))
    assert after[2025].progress is None and after[2025].basis == "trajectory"
    assert after[2025].expected == pytest.approx(1100)
    assert after[2025].status == "at_risk"
    assert assess(series, 2024, 1050).achieved_growth is None


@pytest.mark.parametrize(
    "year, actual, status",
    [
        (2025, 1199.9, "missed"),
        (2025, 1200, "achieved"),  # exactly the target counts as achieved
        # Seen from 2026, the 2025 milestone is judged on 2025's figure (here the same value).
        (2026, 1100, "missed"),
        (2026, 1300, "achieved"),
    ],
)
def test_milestone_year_reached(year, actual, status):
    series = dataclasses.replace(RETAIL, actuals={2023: 1005, 2025: actual})
    m = by_year(assess(series, year, 5000 if year > 2025 else actual))[2025]
    assert m.actual_year == 2025
    assert m.status == status
    assert m.required_growth is None  # no years left


def test_no_data():
    a = assess(RETAIL, 2024, None)
    assert by_year(a)[2023].status == "achieved"  # judged on 2023's own 1005
    for m in a.milestones[1:]:
        assert m.status == "no_data"
        assert m.attainment is None and m.progress is None and m.gap_pp is None
        assert m.required_growth is None and m.vs_expected is None
    assert by_year(a)[2025].time_elapsed == pytest.approx(2 / 3)  # time runs without data
    assert a.achieved_growth is None and a.sdg_status is None
    # The projection still uses the figures that exist: (2022, 921) and (2023, 1005).
    assert a.projection is not None and a.projection.value == pytest.approx(921 + 84 * 5)


def test_projection_needs_two_points():
    assert assess(RETAIL, 2022, 921).projection is None  # the baseline alone is one point
    series = SeriesInput("higher", 2022, None, (Milestone(2025, 10),), {})
    assert assess(series, 2024, 5).projection is None


@pytest.mark.parametrize(
    "actual, status, attainment, sdg_status",
    [
        # baseline 100 (2022), target 50 in 2027, year 2024 (time 0.4).
        (80, "on_track", 50 / 80, "acceleration_needed"),  # progress −20/−50 = 0.4 → gap 0
        (95, "behind", 50 / 95, "limited_progress"),  # progress 0.1 → gap −30
        (110, "severe", 50 / 110, "deterioration"),  # moved the wrong way: progress −0.2 → gap −60
        (50, "achieved", 1.0, "achieved"),
        (40, "achieved", 1.25, "achieved"),
    ],
)
def test_lower_is_better(actual, status, attainment, sdg_status):
    series = SeriesInput("lower", 2022, 100, (Milestone(2027, 50),), {})
    a = assess(series, 2024, actual)
    m = a.milestones[0]
    assert m.status == status
    assert m.attainment == pytest.approx(attainment)
    assert a.sdg_status == sdg_status


def test_lower_is_better_rates_worked():
    # achieved (80/100)^(1/2) − 1 = −0.105573; required (50/100)^(1/5) − 1 = −0.129449;
    # ratio 0.81555 (both negative: moving the right way); still required (50/80)^(1/3) − 1 = 0.625^(1/3) − 1
    # = 0.854988 − 1 = −0.145012 (0.854988³ = 0.625).
    series = SeriesInput("lower", 2022, 100, (Milestone(2027, 50),), {})
    a = assess(series, 2024, 80)
    assert a.achieved_growth == pytest.approx(-0.105573, abs=1e-6)
    assert a.sdg_ratio == pytest.approx(0.81555, abs=1e-5)
    assert a.milestones[0].required_growth == pytest.approx(-0.145012, abs=1e-6)
    assert a.milestones[0].vs_expected == pytest.approx(80 / 80)  # trajectory 100 − 20 = 80


@pytest.mark.parametrize(
    "share, sdg_status",
    [
        (1.2, "on_track"),
        (0.95, "on_track"),  # exactly on the line
        (0.94, "acceleration_needed"),
        (0.60, "acceleration_needed"),  # exactly on the line
        (0.59, "limited_progress"),
        (0.0, "limited_progress"),
        (-0.2, "deterioration"),
    ],
)
def test_sdg_bands(share, sdg_status):
    # Required rate for 网络零售额: (1400/921)^(1/5) − 1 = 0.087361. One year after the baseline
    # the achieved rate is simply a/921 − 1, so an actual of 921 × (1 + share × 0.087361) has
    # ratio = share.
    required = (1400 / 921) ** (1 / 5) - 1
    assert required == pytest.approx(0.087361, abs=1e-6)
    a = assess(RETAIL, 2023, 921 * (1 + share * required))
    assert a.sdg_ratio == pytest.approx(share, abs=1e-9)
    assert a.sdg_status == sdg_status


def test_target_below_the_baseline_is_judged_on_attainment_alone():
    # Higher is better, but the plan allows a fall from 100 to 90 by 2027. At 80 in 2024
    # progress would be (80−100)/(90−100) = 2 (an inverted "200%" while falling short): it is
    # not computed; 完成率 80/90 = 88.9% → 100 × (0.889 − 1) = −11.1 pp → behind.
    # SDG (Open SDG sign convention d × achieved / |required|): achieved sqrt(0.8) − 1 = −0.105573,
    # required 0.9^(1/5) − 1 = −0.020852 → ratio −0.105573 / 0.020852 = −5.063 → deterioration.
    series = SeriesInput("higher", 2022, 100, (Milestone(2027, 90),), {})
    a = assess(series, 2024, 80)
    assert (a.milestones[0].status, a.milestones[0].progress, a.milestones[0].basis) == ("behind", None, "attainment")
    assert a.sdg_ratio == pytest.approx(-5.063, abs=1e-3)
    assert a.sdg_status == "deterioration"
    assert conclusion_sentence("x", a, 2027) == "x完成2027年目标的88.9%，目标不高于基期，目标进度无意义，仅按完成率判断"


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(direction="up"),
        dict(milestones=(Milestone(2025, 1), Milestone(2023, 1))),
        dict(milestones=(Milestone(2022, 1),)),
        dict(baseline=float("nan")),
        dict(actuals={2023: float("inf")}),
    ],
)
def test_series_input_rejects_bad_definitions(kwargs):
    base = dict(
        direction="higher", baseline_year=2022, baseline=1.0, milestones=(Milestone(2027, 2),), actuals={}
    )
    with pytest.raises(InputError):
        SeriesInput(**{**base, **kwargs})


def test_blank_actuals_are_dropped_not_zero():
    s = SeriesInput("higher", 2022, 921, (Milestone(2027, 1400),), {2023: None, 2024: 1100})
    assert dict(s.actuals) == {2024: 1100}


def test_assess_rejects_nan_actual():
    with pytest.raises(InputError):
        assess(RETAIL, 2024, float("nan"))


def test_thresholds_from_mapping():
    assert from_mapping({}) == DEFAULT_THRESHOLDS
    t = from_mapping({"on_track_gap_pp": -5, "behind_gap_pp": -20})
    assert (t.on_track_gap_pp, t.at_risk_gap_pp, t.behind_gap_pp, t.sdg_on_track) == (-5, -10, -20, 0.95)


@pytest.mark.parametrize(
    "values",
    [
        {"on_track_gap_pp": -30, "behind_gap_pp": -10},  # behind above on_track
        {"at_risk_gap_pp": 5},  # at_risk above on_track
        {"sdg_on_track": 0.5, "sdg_acceleration": 0.6},
        {"sdg_acceleration": -0.1},
        {"on_track_gap_pp": "−10"},
        {"on_track_gap_pp": True},
        {"behind_gap_pp": float("nan")},
        {"on_track": -10},  # misspelt key must not silently keep the default
    ],
)
def test_thresholds_from_mapping_rejects(values):
    with pytest.raises(InputError) as err:
        from_mapping(values)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))  # message in Chinese


# --------------------------------------------------------------------------- output shapes


def test_assessment_to_dict_shape_and_json():
    d = assessment_to_dict(assess(RETAIL, 2024, 1100))
    assert list(d) == [
        "year", "actual", "baseline", "baseline_year", "milestones",
        "achieved_growth", "sdg_ratio", "sdg_status", "projection",
    ]  # fmt: skip
    assert list(d["milestones"][0]) == [
        "year", "target", "target_max", "actual_year", "actual", "preliminary", "attainment", "progress", "time_elapsed", "gap_pp",
        "status", "basis", "required_growth", "expected", "vs_expected",
    ]  # fmt: skip
    assert list(d["projection"]) == ["year", "value", "attainment"]
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    assert assessment_to_dict(assess(DATA_IP, 2024, 350))["sdg_ratio"] is None


def test_labels_are_icon_and_word():
    assert set(STATUS_LABELS) == {"achieved", "on_track", "at_risk", "behind", "severe", "missed", "no_data",
                                 "incomplete"}
    assert set(SDG_STATUS_LABELS) == {
        "achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration",
    }  # fmt: skip
    for icon, word in [*STATUS_LABELS.values(), *SDG_STATUS_LABELS.values()]:
        assert icon and word and icon != word
    # Every icon distinct, so the status is readable without colour.
    assert len({icon for icon, _ in STATUS_LABELS.values()}) == len(STATUS_LABELS)


def test_summarise_counts_keeping_pace():
    assessments = [assess(RETAIL, 2024, 1100), assess(ENTITIES, 2024, 10), assess(DATA_IP, 2024, None)]
    counts = summarise(assessments, 2025)
    # 2025: retail −2.5 pp (at_risk), entities −31.2 pp (severe), data IP no data.
    assert counts["at_risk"] == 1 and counts["severe"] == 1 and counts["no_data"] == 1
    assert counts["keeping_pace"] == 0 and counts["total"] == 3
    assert summarise(assessments, 2027)["keeping_pace"] == 0
    assert summarise(assessments, 2030)["total"] == 0


@pytest.mark.parametrize(
    "series, year, actual, milestone, sentence",
    [
        (RETAIL, 2024, 1100, 2025, "网络零售额完成2025年目标的91.7%，目标进度64.2%，慢于序时进度（66.7%）2.5个百分点"),
        # the 2023 milestone is judged on 2023's own 1005: 1005/1000 = 100.5% (not the float 100.4999…)
        (RETAIL, 2024, 1100, 2023, "网络零售额已完成2023年目标（完成率100.5%）"),
        (dataclasses.replace(ENTITIES, actuals={2023: 10}), 2024, 10, 2023, "网络零售额未完成2023年目标（完成率83.3%）"),
        (ENTITIES, 2024, 10, 2023, "网络零售额2023年暂无数据"),
        (DATA_IP, 2024, 350, 2025, "网络零售额完成2025年目标的70%，目标进度70%，快于序时进度（66.7%）3.3个百分点"),
        # 35.0 − 40.0: the difference of the two printed figures, trailing zero dropped
        (DATA_IP, 2024, 350, 2027, "网络零售额完成2027年目标的35%，目标进度35%，慢于序时进度（40%）5个百分点"),
        (RETAIL, 2024, None, 2025, "网络零售额2024年暂无数据"),
        # 10/16 = 62.5% exactly
        (ENTITIES, 2024, 10, 2025, "网络零售额完成2025年目标的62.5%，目标进度35.5%，慢于序时进度（66.7%）31.2个百分点"),
        # 1116.6/1200 = 93.05% is rounded half up (四舍五入) to 93.1%, not half-even to 93.0%;
        # progress 195.6/279 = 0.70108 vs 2/3 → +3.4 pp
        (RETAIL, 2024, 1116.6, 2025, "网络零售额完成2025年目标的93.1%，目标进度70.1%，快于序时进度（66.7%）3.4个百分点"),
        # progress 186/279 = 2/3 → level with time elapsed; 1107/1200 = 92.25% → 92.3%
        (RETAIL, 2024, 921 + 279 * 2 / 3, 2025, "网络零售额完成2025年目标的92.3%，目标进度66.7%，与序时进度（66.7%）持平"),
        # a final verdict decided on a preliminary figure says so
        (dataclasses.replace(RETAIL, preliminary_years={2025}), 2025, 1250, 2025,
         "网络零售额已完成2025年目标（据初步数），完成率104.2%"),
        # 199 of 200 in the milestone year is missed: 99.5%, never "100%" beside 未完成
        (RETAIL, 2025, 1199.99, 2025, "网络零售额未完成2025年目标（完成率99.9%）"),
    ],
)
def test_conclusion_sentence(series, year, actual, milestone, sentence):
    assert conclusion_sentence("网络零售额", assess(series, year, actual), milestone) == sentence


def test_conclusion_sentence_unknown_milestone():
    with pytest.raises(NotFoundError):
        conclusion_sentence("网络零售额", assess(RETAIL, 2024, 1100), 2026)


def test_overflowing_rates_are_undefined_not_inf():
    series = SeriesInput("higher", 2022, 1e-300, (Milestone(2027, 1e300),), {})
    a = assess(series, 2023, 1e300)
    assert a.achieved_growth is None or math.isfinite(a.achieved_growth)
    json.dumps(assessment_to_dict(a), allow_nan=False)


# --------------------------------------------------------------------------- per-year and "=" targets


def test_per_year_targets_judge_each_year_on_its_own_figure():
    # 参与省“双尖双领”攻关项目: 8 every year from 2024. A 2024 value of 9 meets 2024's 8 only.
    series = SeriesInput("higher", 2022, None, tuple(Milestone(y, 8) for y in (2024, 2025, 2026, 2027)),
                         {2024: 9}, per_year=True)
    m = by_year(assess(series, 2024, 9))
    assert m[2024].status == "achieved" and m[2024].attainment == pytest.approx(9 / 8)
    assert all(m[y].status == "no_data" and m[y].actual is None for y in (2025, 2026, 2027))
    later = by_year(assess(dataclasses.replace(series, actuals={2024: 9, 2025: 7}), 2025, 7))
    assert (later[2024].status, later[2025].status, later[2026].status) == ("achieved", "missed", "no_data")
    # Without per_year the same 9 would have "achieved" every later target: the bug this prevents.
    plain = assess(dataclasses.replace(series, per_year=False), 2024, 9)
    assert {x.status for x in plain.milestones} == {"achieved"}


@pytest.mark.parametrize(("actual", "status"), [(4, "achieved"), (4.4, "achieved"), (3, "missed"), (5, "missed")])
def test_equal_targets_are_met_within_the_indicators_rounding(actual, status):
    # 建成农业产业大脑4个 ("="), whole numbers: 4 ± 0.5 reaches it; 5 is not "4个".
    series = SeriesInput("higher", 2022, None, (Milestone(2027, 4),), {}, equal_tolerance=0.5)
    assert assess(series, 2027, actual).milestones[0].status == status


@pytest.mark.parametrize(("actual", "status"), [(0, "missed"), (1, "achieved"), (2, "achieved"), (3, "missed")])
def test_range_targets_are_met_inside_the_range(actual, status):
    # 力争1—2个区、县（市）入选省数据要素改革试点: 1 to 2 inclusive.
    series = SeriesInput("higher", 2022, None, (Milestone(2027, 1, upper=2),), {})
    m = assess(series, 2027, actual).milestones[0]
    assert (m.status, m.target, m.target_max) == (status, 1, 2)


def test_a_range_upper_end_below_its_lower_end_is_rejected():
    with pytest.raises(InputError):
        SeriesInput("higher", 2022, None, (Milestone(2027, 2, upper=1),), {})
