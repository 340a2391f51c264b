"""City figure from district figures, and the reconciliation of the two.

Rule (see docs/methodology.md, “市级数据与区县汇总”): the officially reported city value always
wins. Only for additive indicators, and only when the city value is missing, is the district sum
used, marked ``derived`` (all districts reported) or ``partial`` (some missing, named). A district
sum is never a silent substitute: when both exist the difference is reported, and flagged when it
exceeds rounding tolerance. A blank is "not reported", never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dashboard.errors import InputError

REPORTED = "reported"
DERIVED = "derived"
PARTIAL = "partial"
NONE = "none"

# Relative tolerance of the reconciliation: 0.05% of the reported city value.
RELATIVE_TOLERANCE = 0.0005
# Summing binary floats leaves noise around 1e-13; this keeps a difference of exactly the
# tolerance (e.g. 0.5 with decimals=0) on the "not flagged" side, as the rule says.
_FLOAT_NOISE = 1e-9


@dataclass(frozen=True)
class CityFigure:
    """The city value to show, where it came from, and how it squares with the districts."""

    value: float | None
    source: str  # "reported" | "derived" | "partial" | "none"
    missing_districts: tuple[str, ...]  # additive indicators only, in the order of district_codes
    district_sum: float | None  # sum of the districts that reported (None if none did / non-additive)
    reconciliation_diff: float | None  # reported − district_sum, only when every district reported
    reconciliation_flagged: bool


def reconciliation_tolerance(reported: float, decimals: int) -> float:
    """The larger of 0.05% of the reported value and half a unit of the last published digit."""
    return max(RELATIVE_TOLERANCE * abs(reported), 0.5 * 10.0 ** (-decimals))


def _check_value(what: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        # NaN from a spreadsheet is a blank: the caller must pass None, so that a blank is never
        # silently summed (NaN) or read as 0.
        raise InputError(f"{what}必须是有限的数值或空白（None），收到：{value!r}")


def safe_sum(values: Iterable[float]) -> float | None:
    """The exact sum, or None when it is beyond floating point (values stored before the input bound).

    An overflowing sum is no figure at all: showing it as ∞ or failing the page would both mislead.
    """
    try:
        total = math.fsum(values)
    except OverflowError:
        return None
    return total if math.isfinite(total) else None


def city_figure(
    reported: float | None,
    district_values: Mapping[str, float | None],
    district_codes: Sequence[str],
    additive: bool,
    decimals: int,
) -> CityFigure:
    """The city figure for one indicator and year.

    ``district_values`` maps district codes to values (None or absent = not reported);
    ``district_codes`` is the full list of districts expected to report; ``decimals`` is the number
    of decimals the indicator is published with (for the rounding tolerance).
    """
    _check_value("市级数值", reported)
    unknown = [code for code in district_values if code not in district_codes]
    if unknown:
        raise InputError(f"未知的区县代码：{'、'.join(map(str, unknown))}")
    for code, value in district_values.items():
        _check_value(f"区县 {code} 的数值", value)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise InputError(f"小数位数必须是非负整数，收到：{decimals!r}")

    if not additive:
        # City-only indicator (e.g. local standards): districts are never summed into it.
        source = REPORTED if reported is not None else NONE
        return CityFigure(reported, source, (), None, None, False)

    present = {code: v for code in district_codes if (v := district_values.get(code)) is not None}
    missing = tuple(code for code in district_codes if code not in present)
    district_sum = safe_sum(present.values()) if present else None

    diff: float | None = None
    flagged = False
    if reported is not None and district_sum is not None and not missing:
        diff = reported - district_sum
        excess = abs(diff) - reconciliation_tolerance(reported, decimals)
        flagged = excess > _FLOAT_NOISE * max(1.0, abs(reported))

    if reported is not None:
        return CityFigure(reported, REPORTED, missing, district_sum, diff, flagged)
    if district_sum is None:
        return CityFigure(None, NONE, missing, None, None, False)
    return CityFigure(district_sum, PARTIAL if missing else DERIVED, missing, district_sum, None, False)
