"""City figure from district figures, and the reconciliation of the two.

Rule (see docs/methodology.md, “市级数据与区县汇总”): the officially reported city value always
wins. Only for additive indicators, and only when the city value is missing, is the district sum
used, marked ``derived`` (all districts reported) or ``partial`` (some missing, named). A district
sum is never a silent substitute: when both exist the difference is reported, and flagged when it
exceeds rounding tolerance. A blank is "not reported", never 0.

A ``partial`` sum is NOT a city figure: :attr:`CityFigure.value` is None for it (the sum is kept in
``district_sum``), so nothing can assess it, plot it as the city or divide by it by accident.
A sum carries its weakest status: one preliminary district makes the sum preliminary.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from dashboard.errors import InputError

REPORTED = "reported"
DERIVED = "derived"
PARTIAL = "partial"
NONE = "none"
FINAL = "final"
PRELIMINARY = "preliminary"

# Relative tolerance of the reconciliation: 0.05% of the reported city value.
RELATIVE_TOLERANCE = 0.0005
# Summing binary floats leaves noise around 1e-13; this keeps a difference of exactly the
# tolerance (e.g. 0.5 with decimals=0) on the "not flagged" side, as the rule says.
_FLOAT_NOISE = 1e-9


@dataclass(frozen=True)
class CityFigure:
    """The city value to show, where it came from, and how it squares with the districts."""

    value: float | None  # the city's figure: reported or derived; None for a partial sum or nothing
    source: str  # "reported" | "derived" | "partial" | "none"
    missing_districts: tuple[str, ...]  # additive indicators only, in the order of district_codes
    district_sum: float | None  # sum of the districts that reported (None if none did / non-additive)
    reconciliation_diff: float | None  # reported − district_sum, only when every district reported
    reconciliation_flagged: bool
    status: str | None = None  # "final" | "preliminary" of value (or of the partial sum); None without one
    n_districts: int = 0  # districts expected to report (additive indicators)

    @property
    def n_reported(self) -> int:
        """How many districts reported (for "n/6")."""
        return self.n_districts - len(self.missing_districts)


def weakest_status(statuses: Iterable[str]) -> str:
    """The status of a sum: preliminary as soon as any part is preliminary, final otherwise."""
    return PRELIMINARY if PRELIMINARY in set(statuses) else FINAL


def partial_label(figure: CityFigure, district_names: Mapping[str, str]) -> str:
    """How a partial sum is always labelled: 已报区县合计（1/6，缺：越城区、…）."""
    missing = "、".join(district_names.get(code, code) for code in figure.missing_districts)
    return f"已报区县合计（{figure.n_reported}/{figure.n_districts}，缺：{missing}）"


def source_label(source: str | None, status: str | None) -> str:
    """What kind of figure a value is, in words: 核实数 / 初步数 / 区县合计·含初步数 / 已报区县合计."""
    if source in (DERIVED, PARTIAL):
        word = "区县合计" if source == DERIVED else "已报区县合计"
        return word + ("·含初步数" if status == PRELIMINARY else "")
    return {FINAL: "核实数", PRELIMINARY: "初步数"}.get(status or "", "")


def reconciliation_tolerance(reported: float, decimals: int, n_districts: int) -> float:
    """The larger of 0.05% of the reported value and half a unit of the last digit per district.

    Each district figure is rounded to ``decimals`` and may be off by half a unit of its last
    digit, so six one-decimal figures can add up to 0.3 away from the city's: the precision part
    of the tolerance scales with the number of districts summed.
    """
    return max(RELATIVE_TOLERANCE * abs(reported), 0.5 * 10.0 ** (-decimals) * max(1, n_districts))


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
    reported_status: str = FINAL,
    preliminary_districts: Collection[str] = (),
) -> CityFigure:
    """The city figure for one indicator and year.

    ``district_values`` maps district codes to values (None or absent = not reported);
    ``district_codes`` is the full list of districts expected to report; ``decimals`` is the number
    of decimals the indicator is published with (for the rounding tolerance); ``reported_status``
    is the status of the city's own figure and ``preliminary_districts`` the districts whose figure
    is preliminary (a sum including one is preliminary).
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
        if reported is None:
            return CityFigure(None, NONE, (), None, None, False)
        return CityFigure(reported, REPORTED, (), None, None, False, reported_status)

    present = {code: v for code in district_codes if (v := district_values.get(code)) is not None}
    missing = tuple(code for code in district_codes if code not in present)
    district_sum = safe_sum(present.values()) if present else None

    diff: float | None = None
    flagged = False
    if reported is not None and district_sum is not None and not missing:
        diff = reported - district_sum
        excess = abs(diff) - reconciliation_tolerance(reported, decimals, len(district_codes))
        flagged = excess > _FLOAT_NOISE * max(1.0, abs(reported))

    n = len(district_codes)
    if reported is not None:
        return CityFigure(reported, REPORTED, missing, district_sum, diff, flagged, reported_status, n)
    if district_sum is None:
        return CityFigure(None, NONE, missing, None, None, False, None, n)
    sum_status = weakest_status(PRELIMINARY if code in preliminary_districts else FINAL for code in present)
    if missing:
        return CityFigure(None, PARTIAL, missing, district_sum, None, False, sum_status, n)
    return CityFigure(district_sum, DERIVED, missing, district_sum, None, False, sum_status, n)
