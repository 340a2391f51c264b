"""Progress methodology: how far an indicator is towards its targets, and whether it keeps pace.

Pure functions over plain values (no Streamlit, no SQL). ``docs/methodology.md`` is the prose
version of this module and carries a worked example that ``tests/test_methodology_doc.py``
recomputes, so the two cannot drift apart.

Conventions:
* every ratio is oriented so that larger is better, also for "lower is better" indicators;
* ``None`` means "undefined here" (zero denominator, unknown baseline, zero base for compound
  rates), never 0; results are unrounded finite floats so callers round only for display.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dashboard.errors import InputError, NotFoundError
from dashboard.thresholds import DEFAULT_THRESHOLDS, StatusThresholds

HIGHER = "higher"
LOWER = "lower"

# Status words: icon + Chinese word, so colour is never the only signal.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("✅", "已完成"),
    # Words true for each band of the gap (目标进度 − 序时进度), see thresholds.StatusThresholds.
    "on_track": ("🟢", "符合序时"),  # gap ≥ 0: at or above 序时进度
    "at_risk": ("🟡", "略低于序时"),  # −10 ≤ gap < 0
    "behind": ("🟠", "明显滞后"),  # −30 ≤ gap < −10
    "severe": ("🔴", "严重滞后"),  # gap < −30
    "missed": ("❌", "未完成"),
    "no_data": ("⚪", "暂无数据"),
    # Only some districts reported and there is no city figure: the partial sum is shown, never judged.
    "incomplete": ("◐", "数据不全"),
}

# The second opinion must always be shown under this caption, never as the verdict itself.
SDG_CAPTION = "国际参照（SDG进展评估方法，仅供参考）"
SDG_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("✅", "已实现"),
    "on_track": ("🟢", "按计划推进"),
    "acceleration_needed": ("🟡", "需要加速"),
    "limited_progress": ("🟠", "进展有限"),
    "deterioration": ("🔴", "出现倒退"),
}

# Threshold comparisons allow this much binary floating-point noise, so that a gap of exactly
# -10 in decimal arithmetic (e.g. 30% progress at 40% time, which is -10.000000000000004 in
# floats) gets the better status, as the published rule says. Far below any meaningful figure.
EPS = 1e-9


@dataclass(frozen=True)
class Milestone:
    """A target value for a year (目标值); a range target (力争1—2个) also has its upper end."""

    year: int
    target: float
    upper: float | None = None  # range targets: reached when target ≤ actual ≤ upper


@dataclass(frozen=True)
class SeriesInput:
    """Everything about one indicator in one region that the formulas need besides the year."""

    direction: str  # "higher" | "lower"
    baseline_year: int
    baseline: float | None  # None = unknown baseline
    milestones: tuple[Milestone, ...]  # sorted by year, all after the baseline year
    actuals: Mapping[int, float] = field(default_factory=dict)  # year -> effective annual value
    # Years whose only figure is a sum of SOME districts: not an actual, but not "no data" either.
    # A milestone judged on such a year is ``incomplete`` (数据不全), never assessed on the partial sum.
    incomplete_years: frozenset[int] = frozenset()
    # Years whose actual is a preliminary figure (初步数; for a district sum: any district's is):
    # a verdict decided on one says so (据初步数).
    preliminary_years: frozenset[int] = frozenset()
    # Per-year targets (每年新增8个): each year's figure is judged against its own year's amount
    # only; a good year never marks later years' targets achieved.
    per_year: bool = False
    # "=" targets (建成4个): reached when the figure equals the target within this tolerance (half a
    # unit of the indicator's last digit); None for "at least" / "at most" targets.
    equal_tolerance: float | None = None
    # 计划轨迹's points, (B, b) and the milestones: built once here, read by every expected_value call.
    trajectory: tuple[tuple[int, float], ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.direction not in (HIGHER, LOWER):
            problems.append(f"指标方向必须是“higher”（越高越好）或“lower”（越低越好），收到：{self.direction!r}")
        if self.equal_tolerance is not None and not (_is_number(self.equal_tolerance) and self.equal_tolerance >= 0):
            problems.append(f"“等于”目标的容差必须是非负的有限数值，收到：{self.equal_tolerance!r}")
        if self.baseline is not None and not _is_number(self.baseline):
            problems.append(f"基期值必须是有限的数值或空白，收到：{self.baseline!r}")
        milestones = tuple(self.milestones)
        years = [m.year for m in milestones]
        if years != sorted(set(years)):
            problems.append(f"目标年份必须按年份递增且不重复，收到：{years}")
        for m in milestones:
            if m.year <= self.baseline_year:
                problems.append(f"目标年份 {m.year} 必须晚于基期年份 {self.baseline_year}")
            if not _is_number(m.target):
                problems.append(f"{m.year} 年目标值必须是有限的数值，收到：{m.target!r}")
            elif m.upper is not None and not (_is_number(m.upper) and m.upper >= m.target):
                problems.append(f"{m.year} 年目标上限必须是不小于下限的有限数值，收到：{m.upper!r}")
        actuals: dict[int, float] = {}
        for year, value in dict(self.actuals).items():
            if value is None:  # a blank is "not reported": drop it, never read it as 0
                continue
            if not _is_number(value):
                problems.append(f"{year} 年实际值必须是有限的数值或空白，收到：{value!r}")
            actuals[year] = value
        if problems:
            raise InputError(problems[0] if len(problems) == 1 else "；".join(problems))
        # Freeze the containers too, so an Assessment cannot change under a caller's feet.
        object.__setattr__(self, "milestones", milestones)
        object.__setattr__(self, "actuals", MappingProxyType(actuals))
        object.__setattr__(self, "incomplete_years", frozenset(self.incomplete_years) - set(actuals))
        object.__setattr__(self, "preliminary_years", frozenset(self.preliminary_years))
        points = [] if self.baseline is None else [(self.baseline_year, self.baseline)]
        object.__setattr__(self, "trajectory", tuple(points + [(m.year, m.target) for m in milestones]))


@dataclass(frozen=True)
class MilestoneAssessment:
    """The measures of one year's actual against one milestone.

    A milestone already in the past (its year before the assessed year) is judged on the actual of
    its own year, never on a later year's figure: ``actual_year`` says which year's actual was used.
    """

    year: int
    target: float
    target_max: float | None  # the upper end of a range target, else None
    actual_year: int  # the year whose actual the measures below use (min(assessed year, milestone year))
    actual: float | None  # that year's actual (None: not reported, or only a partial sum)
    preliminary: bool  # that actual is a preliminary figure (初步数): a verdict on it reads 据初步数
    attainment: float | None  # 完成率
    progress: float | None  # 目标进度
    time_elapsed: float  # 序时进度
    gap_pp: float | None  # 进度差（百分点）
    status: str  # key of STATUS_LABELS
    basis: str  # what the pace is judged on: "progress" | "attainment" | "trajectory" (see pace_pp)
    required_growth: float | None  # 尚需年均增速
    expected: float | None  # 计划轨迹预期值
    vs_expected: float | None  # 实际 ÷ 预期（越大越好）


@dataclass(frozen=True)
class Projection:
    """Straight-line extrapolation to the last milestone year (直线外推). Not a forecast."""

    year: int
    value: float
    attainment: float | None


@dataclass(frozen=True)
class Assessment:
    """One indicator, one region, one year, against all its milestones."""

    year: int
    actual: float | None
    baseline: float | None
    baseline_year: int
    milestones: tuple[MilestoneAssessment, ...]
    achieved_growth: float | None  # 已实现年均增速
    sdg_ratio: float | None  # 国际参照比率 (second opinion)
    sdg_status: str | None  # key of SDG_STATUS_LABELS
    projection: Projection | None

    def next_milestone(self) -> MilestoneAssessment | None:
        """The milestone in or after the assessed year (else the last one); None without targets.

        This is the milestone pages and slides talk about by default.
        """
        years = upcoming_years([m.year for m in self.milestones], self.year)
        return next((m for m in self.milestones if m.year == years[0]), None) if years else None

    def growth_milestone(self) -> MilestoneAssessment | None:
        """The first milestone strictly after the assessed year: the one 尚需年均增速 points to.

        In a milestone year itself the growth still required toward that year is undefined, so
        pages show the growth toward the next milestone instead of "—". None after the last one.
        """
        return next((m for m in self.milestones if m.year > self.year), None)

    def milestone(self, year: int) -> MilestoneAssessment:
        """The assessment against the milestone of ``year``; NotFoundError if there is none."""
        for m in self.milestones:
            if m.year == year:
                return m
        raise NotFoundError(f"该指标没有 {year} 年的目标")


# --------------------------------------------------------------------------- small helpers


def _is_number(x: object) -> bool:
    if type(x) is float:  # the common case first: a series is checked for every cell of a grid
        return math.isfinite(x)
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _finite(x: float | None) -> float | None:
    """Overflowing or NaN results are "undefined", not values to put in JSON."""
    return x if x is not None and math.isfinite(x) else None


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else _finite(num / den)


def _oriented_ratio(direction: str, actual: float, reference: float) -> float | None:
    """actual ÷ reference, flipped for lower-is-better so that > 1 always means "better"."""
    return _ratio(actual, reference) if direction == HIGHER else _ratio(reference, actual)


def _compound_rate(start: float, end: float, years: float) -> float | None:
    """(end / start)^(1/years) − 1; undefined from a zero/negative base or across a sign change."""
    if years <= 0 or start <= 0 or end < 0:
        return None
    try:
        return _finite((end / start) ** (1.0 / years) - 1.0)
    except (OverflowError, ZeroDivisionError):
        return None


def _reaches(series: SeriesInput, actual: float, target: float, upper: float | None = None) -> bool:
    """Whether ``actual`` reaches ``target`` as the plan states it: inside a range, equal within
    rounding for "=", else at or beyond the target in the good direction."""
    if upper is not None:
        return target - EPS * max(1.0, abs(target)) <= actual <= upper + EPS * max(1.0, abs(upper))
    if series.equal_tolerance is not None:
        return abs(actual - target) <= series.equal_tolerance + EPS * max(1.0, abs(target))
    return _is_achieved(series.direction, actual, target)


def _is_achieved(direction: str, actual: float, target: float) -> bool:
    # Within float noise of the target counts as reaching it: otherwise 0.010000000000000002
    # against a lower-is-better 0.01 would be "not achieved" with progress rounding to exactly 1.
    slack = EPS * max(1.0, abs(target))
    return actual >= target - slack if direction == HIGHER else actual <= target + slack


def direction_sign(direction: str) -> int:
    """+1 when higher is better, −1 when lower is better: turns "better" into "larger"."""
    return 1 if direction == HIGHER else -1


# --------------------------------------------------------------------------- the formulas


def time_elapsed(year: int, baseline_year: int, milestone_year: int) -> float:
    """序时进度 = min(1, max(0, (y − B) / (m − B)))."""
    return min(1.0, max(0.0, (year - baseline_year) / (milestone_year - baseline_year)))


def expected_value(series: SeriesInput, year: int) -> float | None:
    """计划轨迹: piecewise-linear through (B, b) and the milestones.

    Before the baseline year (or, with an unknown baseline, before the first milestone) there is
    no trajectory: None. After the last milestone the trajectory stays at the last target.
    """
    points = series.trajectory
    if not points or year < points[0][0]:
        return None
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= year <= x1:
            return y0 + (y1 - y0) * (year - x0) / (x1 - x0)
    return points[-1][1]


# What the pace of a milestone not yet achieved is judged on (MilestoneAssessment.basis):
PROGRESS = "progress"  # 目标进度 against 序时进度: the plan asks for a change in the good direction
ATTAINMENT = "attainment"  # 完成率 alone: the target is at or below the baseline (above, for lower-is-better)
TRAJECTORY = "trajectory"  # against the planned trajectory: the baseline is unknown


def _basis(series: SeriesInput, target: float) -> str:
    """How a milestone's pace is judged; a property of the plan, not of the figure assessed.

    Progress from the baseline only reads "more is better" when the plan asks for a change in the
    indicator's good direction. With a target at or below the baseline (for higher-is-better) it
    is undefined (target = baseline) or inverted (新昌县: 目标进度 300% while falling short), so the
    milestone is judged on 完成率 alone.
    """
    if series.baseline is None:
        return TRAJECTORY
    return PROGRESS if direction_sign(series.direction) * (target - series.baseline) > 0 else ATTAINMENT


def pace_pp(m: MilestoneAssessment) -> float | None:
    """The figure a status band is read from, in percentage points (None: nothing to judge on).

    ``progress``: the gap 目标进度 − 序时进度; ``attainment``: 100 × (完成率 − 1);
    ``trajectory``: 100 × (实际 ÷ 计划轨迹预期值 − 1). Derived from the assessment's own fields, so
    the status and the sentence cannot disagree.
    """
    return _pace(m.basis, m.gap_pp, m.attainment, m.vs_expected, m.expected)


def _pace(basis: str, gap_pp: float | None, attainment: float | None, vs_expected: float | None,
          expected: float | None) -> float | None:
    """:func:`pace_pp` from the measures themselves, so a milestone's status is decided before its
    assessment is built (building it twice cost a fifth of a page at a million figures)."""
    if basis == PROGRESS:
        return gap_pp
    if basis == ATTAINMENT:
        return None if attainment is None else _finite(100.0 * (attainment - 1.0))
    if vs_expected is not None and expected is not None and expected > 0:
        return 100.0 * (vs_expected - 1.0)
    return None


def _status(
    achieved: bool | None, year: int, milestone_year: int, pace_pp: float | None, thresholds: StatusThresholds,
    incomplete: bool = False,
) -> str:
    if achieved is None:
        return "incomplete" if incomplete else "no_data"
    if achieved:
        return "achieved"
    if year >= milestone_year:
        return "missed"
    if pace_pp is None:
        return "no_data"  # nothing to judge the pace against (documented in methodology.md)
    return gap_band(pace_pp, thresholds)


def gap_band(pace_pp: float, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> str:
    """The band of a gap against 序时进度, in percentage points: on_track / at_risk / behind / severe.

    The one place the thresholds are applied (annual and month-level assessments alike); exactly
    on a threshold is the better band.
    """
    if pace_pp >= thresholds.on_track_gap_pp - EPS:
        return "on_track"
    if pace_pp >= thresholds.at_risk_gap_pp - EPS:
        return "at_risk"
    if pace_pp >= thresholds.behind_gap_pp - EPS:
        return "behind"
    return "severe"


def _assess_milestone(
    series: SeriesInput,
    year: int,
    actual: float | None,
    expected: float | None,
    m: Milestone,
    thresholds: StatusThresholds,
) -> MilestoneAssessment:
    b = series.baseline
    if m.year < year or (series.per_year and m.year != year):
        # A past milestone is judged on its own year's actual (None: no_data), with that year's
        # trajectory value; never on the later figure being assessed. A per-year target is judged
        # on its own year only, so a later year's target has no figure yet.
        year, actual, expected = m.year, series.actuals.get(m.year), expected_value(series, m.year)
    elapsed = time_elapsed(year, series.baseline_year, m.year)
    basis = _basis(series, m.target)
    attainment = progress = gap = required = vs_expected = None
    if actual is not None:
        attainment = _oriented_ratio(series.direction, actual, m.target)
        if basis == PROGRESS:  # undefined or inverted otherwise: never shown
            progress = _ratio(actual - b, m.target - b)
        if progress is not None:
            gap = _finite(100.0 * (progress - elapsed))
        # Signed compound rate in both directions (negative: "may still fall by"); undefined once
        # the milestone year is reached or from a non-positive actual.
        required = _compound_rate(actual, m.target, m.year - year)
        if expected is not None:
            vs_expected = _oriented_ratio(series.direction, actual, expected)
    achieved = None if actual is None else _reaches(series, actual, m.target, m.upper)
    status = _status(achieved, year, m.year, _pace(basis, gap, attainment, vs_expected, expected), thresholds,
                     incomplete=year in series.incomplete_years)
    return MilestoneAssessment(
        year=m.year, target=m.target, target_max=m.upper, actual_year=year, actual=actual,
        preliminary=actual is not None and year in series.preliminary_years, attainment=attainment, progress=progress,
        time_elapsed=elapsed, gap_pp=gap, status=status, basis=basis, required_growth=required,
        expected=expected, vs_expected=vs_expected,
    )


def _sdg(
    series: SeriesInput, actual: float | None, achieved_growth: float | None, thresholds: StatusThresholds
) -> tuple[float | None, str | None]:
    """Open SDG / Statistics Canada ratio against the LAST milestone, and its status."""
    if actual is None or not series.milestones:
        return None, None
    final = series.milestones[-1]
    ratio = None
    if achieved_growth is not None and series.baseline is not None:  # positive base, time elapsed
        required = _compound_rate(series.baseline, final.target, final.year - series.baseline_year)
        if required:  # neither undefined nor 0
            # R = d × CAGR_achieved / |CAGR_required|, d = +1 (higher) / −1 (lower): equal to
            # achieved ÷ required whenever the plan asks for a change in the good direction, and
            # still "> 0 = moving the good way" when the baseline already beats the target.
            ratio = _ratio(direction_sign(series.direction) * achieved_growth, abs(required))
    if _reaches(series, actual, final.target, final.upper):
        return ratio, "achieved"  # a fact, even where the ratio is undefined (zero base)
    if ratio is None:
        return None, None
    if ratio >= thresholds.sdg_on_track - EPS:
        return ratio, "on_track"
    if ratio >= thresholds.sdg_acceleration - EPS:
        return ratio, "acceleration_needed"
    return ratio, "limited_progress" if ratio >= 0 else "deterioration"


def _projection(series: SeriesInput, year: int, actual: float | None) -> Projection | None:
    """Least-squares line through the actuals from B to y, evaluated at the last milestone year."""
    if not series.milestones:
        return None
    points: dict[int, float] = {t: v for t, v in series.actuals.items() if series.baseline_year <= t < year}
    if series.baseline is not None:
        # The plan's published baseline is the anchor every other measure uses; keep it here too.
        points[series.baseline_year] = series.baseline
    if actual is not None and year >= series.baseline_year:
        points[year] = actual  # the figure being assessed wins over an older copy in ``actuals``
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(points) / n
    mean_y = math.fsum(points.values()) / n
    sxx = sum((x - mean_x) ** 2 for x in points)
    sxy = math.fsum((x - mean_x) * (v - mean_y) for x, v in points.items())
    final = series.milestones[-1]
    value = _finite(mean_y + sxy / sxx * (final.year - mean_x))
    if value is None:
        return None
    attainment = _oriented_ratio(series.direction, value, final.target)
    return Projection(year=final.year, value=value, attainment=attainment)


def upcoming_years(milestone_years: Iterable[int], year: int) -> list[int]:
    """The milestone years in or after ``year``, in order; after the last one, the last one alone.

    The milestones a page talks about for ``year``: the first is :meth:`Assessment.next_milestone`.
    """
    ordered = sorted(milestone_years)
    return [y for y in ordered if y >= year] or ordered[-1:]


def achieved_growth(series: SeriesInput, year: int, actual: float | None) -> float | None:
    """已实现年均增速: the compound rate from the baseline to ``actual`` (None without either)."""
    if actual is None or series.baseline is None:
        return None
    return _compound_rate(series.baseline, actual, year - series.baseline_year)


def assess_milestones(
    series: SeriesInput, year: int, actual: float | None, milestone_years: Iterable[int] | None = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> tuple[MilestoneAssessment, ...]:
    """The milestone part of :func:`assess`, for the milestones of ``milestone_years`` only (all with None).

    The same code as :func:`assess`, so a milestone judged here equals the one in the full assessment;
    grids of every district × indicator need one milestone a cell, not the projection and the other
    milestones (a third of the cost of a full assessment each).
    """
    if actual is not None and not _is_number(actual):
        raise InputError(f"{year} 年实际值必须是有限的数值或空白（None），收到：{actual!r}")
    wanted = None if milestone_years is None else set(milestone_years)
    expected = expected_value(series, year)  # one trajectory, shared by every milestone
    return tuple(_assess_milestone(series, year, actual, expected, m, thresholds)
                 for m in series.milestones if wanted is None or m.year in wanted)


def assess(
    series: SeriesInput, year: int, actual: float | None, thresholds: StatusThresholds = DEFAULT_THRESHOLDS
) -> Assessment:
    """Assess ``actual`` (the effective value for ``year``; None = not reported) against the plan."""
    milestones = assess_milestones(series, year, actual, thresholds=thresholds)
    growth = achieved_growth(series, year, actual)
    sdg_ratio, sdg_status = _sdg(series, actual, growth, thresholds)
    return Assessment(
        year=year,
        actual=actual,
        baseline=series.baseline,
        baseline_year=series.baseline_year,
        milestones=milestones,
        achieved_growth=growth,
        sdg_ratio=sdg_ratio,
        sdg_status=sdg_status,
        projection=_projection(series, year, actual),
    )


def assessment_to_dict(a: Assessment) -> dict:
    """JSON-ready dict: the dataclass fields as keys, unrounded floats, None where undefined."""
    d = dataclasses.asdict(a)  # field order is the documented key order
    d["milestones"] = list(d["milestones"])
    return d


def summarise(assessments: Iterable[Assessment], milestone_year: int) -> dict[str, int]:
    """Count statuses against the milestone of ``milestone_year``.

    Returns every status key (zeros included), ``keeping_pace`` (achieved + on_track, the
    "N 项指标符合序时进度" of the overview) and ``total`` (assessments that have this milestone;
    an indicator without a target for that year is not counted at all).
    """
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for a in assessments:
        for m in a.milestones:
            if m.year == milestone_year:
                counts[m.status] += 1
    counts["keeping_pace"] = counts["achieved"] + counts["on_track"]
    counts["total"] = sum(counts[s] for s in STATUS_LABELS)
    return counts
