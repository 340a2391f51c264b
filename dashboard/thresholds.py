"""The one place for the configurable thresholds of the progress methodology.

Where the traffic lights change colour is a policy choice of the leadership group, not a fact of
arithmetic, so the numbers live here, in one frozen value that is passed to ``progress.assess``.
Nothing else in the code base may hard-code 0 / -10 / -30 / 0.95 / 0.60.

Where the defaults come from: 0 is the convention of 序时进度 itself ("时间过半、任务过半": at or above
序时进度 is 符合序时); −10 and −30 percentage points separate "slightly below" from "clearly" and
"seriously" behind and are this project's proposal, to be confirmed or changed by the plan's
leading group office (市平台经济工作领导小组办公室); 0.95 / 0.60 are the Open SDG / Statistics Canada
cut-offs of the second opinion.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from dashboard.errors import InputError, Issue

# Chinese names used in validation messages, so the user sees which setting is wrong.
_FIELD_NAMES: dict[str, str] = {
    "on_track_gap_pp": "“符合序时”进度差阈值（百分点）",
    "at_risk_gap_pp": "“略低于序时”进度差阈值（百分点）",
    "behind_gap_pp": "“明显滞后”进度差阈值（百分点）",
    "sdg_on_track": "国际参照“按计划推进”比率阈值",
    "sdg_acceleration": "国际参照“需要加速”比率阈值",
}


@dataclass(frozen=True)
class StatusThresholds:
    """Thresholds of the status (红黄绿灯) and of the SDG second opinion.

    Each gap threshold is the lower end of its band of the progress gap (目标进度 − 序时进度, in
    percentage points), worst band last:

    * ``on_track_gap_pp`` (0): at or above: ``on_track`` 符合序时;
    * ``at_risk_gap_pp`` (−10): at or above, below the previous: ``at_risk`` 略低于序时;
    * ``behind_gap_pp`` (−30): at or above, below the previous: ``behind`` 明显滞后; below: ``severe`` 严重滞后.
    * ``sdg_on_track`` / ``sdg_acceleration``: cut-offs of the Open SDG / Statistics Canada ratio of
      achieved to required compound growth.

    Construction validates, so an invalid value can never reach the formulas.
    """

    on_track_gap_pp: float = 0.0
    at_risk_gap_pp: float = -10.0
    behind_gap_pp: float = -30.0
    sdg_on_track: float = 0.95
    sdg_acceleration: float = 0.60

    def __post_init__(self) -> None:
        issues = _check(self)
        if issues:
            raise InputError(issues)


def _check(t: StatusThresholds) -> list[Issue]:
    issues: list[Issue] = []
    for f in fields(t):
        value = getattr(t, f.name)
        # bool is an int subclass; "True" as a threshold is always a slip.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            issues.append(Issue(f"{_FIELD_NAMES[f.name]}必须是有限的数值，收到：{value!r}"))
    if issues:
        return issues  # ordering checks below would only repeat the same problem
    for lower, upper in (("at_risk_gap_pp", "on_track_gap_pp"), ("behind_gap_pp", "at_risk_gap_pp")):
        if getattr(t, lower) > getattr(t, upper):
            issues.append(
                Issue(f"{_FIELD_NAMES[lower]}（{getattr(t, lower)}）不能高于{_FIELD_NAMES[upper]}（{getattr(t, upper)}）")
            )
    if t.sdg_acceleration < 0:
        # Below 0 is "deterioration" by definition, so the yellow band cannot start there.
        issues.append(Issue(f"{_FIELD_NAMES['sdg_acceleration']}不能小于 0，收到：{t.sdg_acceleration}"))
    if t.sdg_acceleration > t.sdg_on_track:
        issues.append(
            Issue(
                f"{_FIELD_NAMES['sdg_acceleration']}（{t.sdg_acceleration}）不能高于"
                f"{_FIELD_NAMES['sdg_on_track']}（{t.sdg_on_track}）"
            )
        )
    return issues


def from_mapping(values: Mapping[str, Any]) -> StatusThresholds:
    """Build thresholds from a settings mapping (e.g. parsed TOML/JSON); absent keys keep defaults.

    Unknown keys are rejected rather than ignored: a misspelt key would otherwise silently leave
    the default in force, which is exactly the kind of policy change nobody notices.
    """
    if not isinstance(values, Mapping):
        raise InputError(f"阈值设置必须是“名称: 数值”的映射，收到：{type(values).__name__}")
    known = {f.name for f in fields(StatusThresholds)}
    unknown = sorted(str(k) for k in values if k not in known)
    if unknown:
        raise InputError(
            [Issue(f"未知的阈值设置项“{k}”，可用的设置项为：{'、'.join(sorted(known))}") for k in unknown]
        )
    return StatusThresholds(**dict(values))


DEFAULT_THRESHOLDS = StatusThresholds()
