"""How numbers are written for people, in one place (pages, slides and sentences agree)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(x: float, decimals: int) -> str:
    """Round for people: 四舍五入 (half up, not Python's half-even), trailing zeros dropped (12.0 -> "12")."""
    text = str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure(value: float | None, decimals: int) -> str:
    """A figure with thousands separators at the indicator's decimals; "—" when not reported."""
    return "—" if value is None else f"{value:,.{decimals}f}"
