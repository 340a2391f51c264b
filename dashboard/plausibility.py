"""Plausibility checks on validated records: warnings the user must confirm, never errors.

A figure can be valid (a non-negative number for a known indicator) and still be probably wrong:
67000 typed for 网络经营主体 (a unit in 万家, so 6.7) is the classic unit slip. These checks compare
each uploaded record with the figures around it — the same key already stored, the previous year,
the districts against the city — and return :class:`~dashboard.errors.Issue` objects with
``severity="warning"``, located like validation errors. Pure Python: the import service gathers
the stored figures and passes them in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dashboard.aggregation import safe_sum
from dashboard.errors import InputError, Issue
from dashboard.formatting import round_half_up
from dashboard.tabular import CANONICAL_LABELS
from dashboard.validation import Catalog, IndicatorRef, Record

# (indicator code, region code, year, month, status) — the key of one stored figure.
Key = tuple[str, str, int, int, str]
WARNING = "warning"
GROWTH_COLUMN = CANONICAL_LABELS["growth"]
# Published 同比 is on the comparable basis (last year revised), so it may differ from the figures'
# own ratio; beyond this many percentage points the difference is more likely a typing slip.
MAX_GROWTH_GAP_PP = 5.0
VALUE_COLUMN = CANONICAL_LABELS["value"]  # records do not keep the header as written; the Chinese label
_STATUS_WORDS = {"final": "核实数", "preliminary": "初步数"}


@dataclass(frozen=True)
class PlausibilityRules:
    """The configurable thresholds of the checks.

    * ``max_yoy_ratio``: a value more than this many times the previous year's (or less than its
      reciprocal) is flagged. 2.0 = "more than doubled or more than halved": the plan's own targets
      grow by up to ~80 % a year (网络经营主体 6.7 → 12 万家), so a tighter default would nag.
    * ``unit_factor`` / ``unit_tolerance``: a ratio within ``unit_factor`` ×/÷ ``unit_tolerance``
      (or its reciprocal) is a likely slip between 万 and 个/家 (10,000).
    * ``sum_tolerance``: relative slack before a district sum counts as above the city figure,
      on top of half a unit of the indicator's last decimal per district (rounding).
    """

    max_yoy_ratio: float = 2.0
    unit_factor: float = 10_000.0
    unit_tolerance: float = 3.0
    sum_tolerance: float = 0.001

    def __post_init__(self) -> None:
        problems = []
        if not (math.isfinite(self.max_yoy_ratio) and self.max_yoy_ratio > 1):
            problems.append("同比变化倍数阈值应大于 1")
        if not (math.isfinite(self.unit_factor) and self.unit_factor > 1):
            problems.append("单位换算倍数应大于 1")
        if not (math.isfinite(self.unit_tolerance) and 1 < self.unit_tolerance < self.unit_factor):
            problems.append("单位误填容差应大于 1 且小于单位换算倍数")
        if not (math.isfinite(self.sum_tolerance) and self.sum_tolerance >= 0):
            problems.append("区县合计容差不能为负")
        if problems:
            raise InputError([Issue(p) for p in problems])


DEFAULT_RULES = PlausibilityRules()


def _fmt(value: float) -> str:
    return f"{value:,.10g}"


def _period(record: Record) -> str:
    month = "" if record.month == 12 else f"1–{record.month}月"
    return f"{record.year}年{month}{_STATUS_WORDS.get(record.status, record.status)}"


def _warning(record: Record, file: str, column: str, message: str) -> Issue:
    return Issue(message, file=file, sheet=record.sheet, row=record.row, column=column, severity=WARNING)


def _ratio_is_about(ratio: float, factor: float, tolerance: float) -> bool:
    return factor / tolerance <= ratio <= factor * tolerance


# --------------------------------------------------------------------------------- the rules


def check_unit_slip(record: Record, indicator: IndicatorRef, reference: float | None, reference_label: str,
                    file: str, rules: PlausibilityRules = DEFAULT_RULES) -> list[Issue]:
    """A value about 10,000 times (or 1/10,000 of) the reference figure is likely a unit slip."""
    if reference is None or reference <= 0 or record.value <= 0:
        return []
    ratio = record.value / reference
    if _ratio_is_about(ratio, rules.unit_factor, rules.unit_tolerance):
        hint = f"约为{reference_label}（{_fmt(reference)}）的 1 万倍"
        suggestion = _fmt(record.value / rules.unit_factor)
    elif _ratio_is_about(1 / ratio, rules.unit_factor, rules.unit_tolerance):
        hint = f"约为{reference_label}（{_fmt(reference)}）的万分之一"
        suggestion = _fmt(record.value * rules.unit_factor)
    else:
        return []
    message = (f"{indicator.name} {_period(record)} 填写 {_fmt(record.value)}，{hint}，可能是单位填错"
               f"（单位为“{indicator.unit}”，是否应为 {suggestion}？）")
    return [_warning(record, file, VALUE_COLUMN, message)]


def check_year_on_year(record: Record, indicator: IndicatorRef, previous: float | None, file: str,
                       rules: PlausibilityRules = DEFAULT_RULES) -> list[Issue]:
    """A change from the previous year beyond ``rules.max_yoy_ratio`` in either direction.

    Undefined from a zero base (数据知识产权登记 starts at 0), so nothing is said then.
    """
    if previous is None or previous <= 0:
        return []
    ratio = record.value / previous
    if 1 / rules.max_yoy_ratio <= ratio <= rules.max_yoy_ratio:
        return []
    change = (ratio - 1) * 100
    same_period = "上年" if record.month == 12 else "上年同期"
    message = (f"{indicator.name} {_period(record)} 为 {_fmt(record.value)}{indicator.unit}，"
               f"比{same_period}（{_fmt(previous)}{indicator.unit}）{'增长' if change > 0 else '下降'} {abs(change):.0f}%，"
               f"超过提醒阈值（{rules.max_yoy_ratio:g} 倍），请核对")
    return [_warning(record, file, VALUE_COLUMN, message)]


def check_published_growth(record: Record, indicator: IndicatorRef, previous: float | None, file: str) -> list[Issue]:
    """A published 同比增速 more than :data:`MAX_GROWTH_GAP_PP` points from value ÷ last year's − 1, naming both."""
    if record.growth is None or previous is None or previous <= 0:
        return []
    computed = (record.value / previous - 1) * 100
    if abs(record.growth - computed) <= MAX_GROWTH_GAP_PP:
        return []
    same_period = "上年" if record.month == 12 else "上年同期"
    message = (f"{indicator.name} {_period(record)} 填报同比增速 {_fmt(record.growth)}%，按{same_period}"
               f"（{_fmt(previous)}{indicator.unit}）计算为 {round_half_up(computed, 1)}%，相差超过 {MAX_GROWTH_GAP_PP:g} 个百分点，"
               "请核对（可比口径调整可以解释小的差别）")
    return [_warning(record, file, GROWTH_COLUMN, message)]


def check_cumulative_order(record: Record, indicator: IndicatorRef, earlier: tuple[int, float] | None,
                           later: tuple[int, float] | None, file: str) -> list[Issue]:
    """A 1–N月累计 (flow) smaller than an earlier month's total of the same year, or larger than a later one's.

    ``earlier`` / ``later`` are the nearest (month, value) before and after ``record.month`` (12 = the
    whole year). A cumulative total can only grow through the year; stocks may fall, so they are not checked.
    """
    if indicator.kind != "flow":
        return []
    name = f"{indicator.name} {_period(record)} 为 {_fmt(record.value)}{indicator.unit}"
    if earlier is not None and record.value < earlier[1]:
        other = f"{record.year}年1–{earlier[0]}月（{_fmt(earlier[1])}{indicator.unit}）"
        return [_warning(record, file, VALUE_COLUMN, f"{name}，小于{other}：累计数不应比前几个月少，请核对")]
    if later is not None and record.value > later[1]:
        month = "全年" if later[0] == 12 else f"1–{later[0]}月"
        other = f"{record.year}年{month}（{_fmt(later[1])}{indicator.unit}）"
        return [_warning(record, file, VALUE_COLUMN, f"{name}，大于{other}：累计数不应比后面的月份多，请核对")]
    return []


def check_district_sum(indicator: IndicatorRef, city_value: float, district_values: Mapping[str, float],
                       at: Record, file: str, region_names: Mapping[str, str],
                       rules: PlausibilityRules = DEFAULT_RULES) -> list[Issue]:
    """Districts add up to more than the city's own figure (additive indicators only)."""
    if indicator.city_only or not district_values:
        return []
    total = safe_sum(district_values.values())
    if total is None:
        return []  # beyond floating point: values stored before the input bound; nothing sensible to compare
    rounding = 0.5 * 10 ** -indicator.decimals * len(district_values)
    if total <= city_value * (1 + rules.sum_tolerance) + rounding:
        return []
    names = "、".join(region_names.get(code, code) for code in sorted(district_values))
    message = (f"{indicator.name} {_period(at)}：区县合计 {_fmt(total)}{indicator.unit}（{names}）"
               f"大于全市数 {_fmt(city_value)}{indicator.unit}，请核对")
    return [_warning(at, file, VALUE_COLUMN, message)]


# ------------------------------------------------------------------------------- the driver


def check_records(records: Iterable[Record], stored: Mapping[Key, float], catalog: Catalog, file: str,
                  rules: PlausibilityRules = DEFAULT_RULES) -> list[Issue]:
    """Every warning for ``records`` given the ``stored`` current figures (uploaded values win).

    Unit slips are looked for against the figure being replaced, else the previous year's; a
    year-on-year warning is not added on top of a unit-slip warning for the same row.
    """
    records = list(records)
    indicators = {i.code: i for i in catalog.indicators}
    level = {r.code: r.level for r in catalog.regions if not r.peer}  # peer cities are no part of the city
    names = {r.code: r.name for r in catalog.regions}
    merged: dict[Key, float] = {**stored, **{_key(r): r.value for r in records}}
    in_file = {_key(r) for r in records}
    issues: list[Issue] = []
    for record in records:
        indicator = indicators[record.indicator]
        old = stored.get(_key(record))
        previous = _previous_year(merged, record)
        slips = check_unit_slip(record, indicator, old, "已有数值", file, rules) if old is not None else []
        if not slips and previous is not None:
            slips = check_unit_slip(record, indicator, previous, "上年数值", file, rules)
        issues += slips or check_year_on_year(record, indicator, previous, file, rules)
        issues += check_cumulative_order(record, indicator, *_neighbour_months(merged, record, in_file), file)
        issues += check_published_growth(record, indicator, previous, file)
    issues += _district_sum_issues(records, merged, indicators, level, names, file, rules)
    return issues


def _key(record: Record) -> Key:
    return (record.indicator, record.region, record.year, record.month, record.status)


def _figure(values: Mapping[Key, float], record: Record, year: int, month: int) -> float | None:
    """The figure of ``record``'s indicator and region for a period, preferring the same status, then the other."""
    statuses = (record.status, *(s for s in _STATUS_WORDS if s != record.status))
    for status in statuses:
        value = values.get((record.indicator, record.region, year, month, status))
        if value is not None:
            return value
    return None


def _previous_year(values: Mapping[Key, float], record: Record) -> float | None:
    """The previous year's figure for the same period (1–N月 against 1–N月 of the year before)."""
    return _figure(values, record, record.year - 1, record.month)


def _neighbour_months(values: Mapping[Key, float], record: Record,
                      in_file: set[Key]) -> tuple[tuple[int, float] | None, tuple[int, float] | None]:
    """The nearest earlier and later (month, figure) of the same year.

    A later month that is itself in the file is left out: that row is checked against this one,
    so one inconsistency gives one warning, not two.
    """
    earlier = later = None
    for month in range(record.month - 1, 0, -1):
        if (value := _figure(values, record, record.year, month)) is not None:
            earlier = (month, value)
            break
    for month in range(record.month + 1, 13):
        if (value := _figure(values, record, record.year, month)) is not None:
            if not any(key[:4] == (record.indicator, record.region, record.year, month) for key in in_file):
                later = (month, value)
            break
    return earlier, later


def _district_sum_issues(records: list[Record], merged: Mapping[Key, float], indicators: Mapping[str, IndicatorRef],
                         level: Mapping[str, str], names: Mapping[str, str], file: str,
                         rules: PlausibilityRules) -> list[Issue]:
    """One check per (indicator, year, month, status) the file touches, located at its first row."""
    groups: dict[tuple[str, int, int, str], Record] = {}
    for record in records:
        groups.setdefault((record.indicator, record.year, record.month, record.status), record)
    issues: list[Issue] = []
    for (indicator, year, month, status), first in groups.items():
        city_value = None
        districts: dict[str, float] = {}
        for (ind, region, y, m, s), value in merged.items():
            if (ind, y, m, s) != (indicator, year, month, status):
                continue
            if level.get(region) == "city":
                city_value = value
            elif level.get(region) == "district":
                districts[region] = value
        if city_value is not None:
            issues += check_district_sum(indicators[indicator], city_value, districts, first, file, names, rules)
    return issues
