"""District target allocation (分解目标) arithmetic. Pure Python.

An *estimate* splits the city target in proportion to each district's baseline share. It is a
suggestion, stored with origin ``estimated`` and labelled as such wherever it appears — never
passed off as the city's official allocation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.errors import InputError
from dashboard.formatting import round_value

ORIGIN_LABELS = {"published": "计划公布", "allocated": "正式分解", "estimated": "按基期占比估算（非正式）"}


@dataclass(frozen=True)
class AllocationCheck:
    """How the district allocations of one indicator and year add up against the city target."""

    city_target: float | None
    allocated_sum: float
    missing_districts: tuple[str, ...]
    shortfall: float | None  # city target − sum of districts (positive: allocations fall short)

    @property
    def falls_short(self) -> bool:
        return self.shortfall is not None and self.shortfall > 1e-9 * max(1.0, abs(self.city_target or 0))


def is_target(value: float, origin: str) -> bool:
    """Whether a stored district target counts as one: an estimate of 0 does not.

    A share-based estimate comes out as 0 for a district without baseline share. That is "no
    estimate" (未分解), not a target the district has already reached (已完成).
    """
    return not (origin == "estimated" and value == 0)


def baseline_shares(baselines: Mapping[str, float | None], district_names: Mapping[str, str] | None = None) -> dict[str, float]:
    """Each district's share of the district total in the baseline year.

    Raises :class:`InputError` when a district has no baseline (a blank is not 0) or the total is 0.
    """
    names = district_names or {}
    missing = [names.get(code, code) for code, value in baselines.items() if value is None]
    if missing:
        raise InputError(f"以下区县缺少基期实际值，无法按占比估算：{'、'.join(missing)}")
    total = sum(v for v in baselines.values() if v is not None)
    if total <= 0:
        raise InputError("各区县基期实际值合计为 0，无法按占比估算")
    return {code: value / total for code, value in baselines.items() if value is not None}


def estimate_by_share(
    city_target: float, baselines: Mapping[str, float | None], decimals: int,
    district_names: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Split ``city_target`` by baseline shares, rounded half up to the indicator's decimals.

    The rounding remainder goes to the largest district so the estimates add up to the target.
    Districts whose estimate is 0 are left out: they get no estimated target (未分解).
    """
    shares = baseline_shares(baselines, district_names)
    # Half up (四舍五入) like every figure shown: equal districts get equal estimates.
    estimates = {code: round_value(city_target * share, decimals) for code, share in shares.items()}
    remainder = round_value(city_target - sum(estimates.values()), decimals)
    if remainder:
        largest = max(shares, key=lambda code: shares[code])
        estimates[largest] = round_value(estimates[largest] + remainder, decimals)
    # A district whose estimate comes out as 0 gets none (未分解): 0 is not a target (see is_target).
    return {code: value for code, value in estimates.items() if is_target(value, "estimated")}


def check_allocation(city_target: float | None, allocations: Mapping[str, float | None]) -> AllocationCheck:
    """Sum the districts' targets and compare with the city's."""
    present = {code: v for code, v in allocations.items() if v is not None}
    total = sum(present.values())
    missing = tuple(code for code, v in allocations.items() if v is None)
    shortfall = None if city_target is None else city_target - total
    return AllocationCheck(city_target, total, missing, shortfall)
