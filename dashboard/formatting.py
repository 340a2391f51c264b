"""How numbers are written for people, in one place (pages, slides and sentences agree)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

# Times are stored in UTC; people in Shaoxing read Beijing time whatever the server's zone.
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


# Binary floats carry noise in the last digits: 100 × (1005 / 1000) is 100.49999999999999. Numbers are
# first read as the decimal they stand for (15 significant digits, the precision figures are stored
# at, see numbers.SIGNIFICANT_DIGITS), then rounded, so 100.5 is rounded as 100.5, never as 100.4999….
_DECIMAL_DIGITS = 15


def rounded(x: float, decimals: int) -> Decimal:
    """THE rounding rule of the product: 四舍五入 (round half up, away from zero) on the decimal value.

    Python's ``round`` and ``format`` round half to even on the binary value (``f"{268.5:.0f}"`` is
    "268"); every number shown to people goes through this function instead.
    """
    return Decimal(format(x, f".{_DECIMAL_DIGITS}g")).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_value(x: float, decimals: int) -> float:
    """:func:`rounded` as a float, for figures that are stored rounded (e.g. share-based estimates)."""
    return float(rounded(x, decimals))


def round_half_up(x: float, decimals: int) -> str:
    """Rounded for sentences: half up, trailing zeros dropped (12.0 -> "12", 91.70 -> "91.7")."""
    text = str(rounded(x, decimals))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure(value: float | None, decimals: int) -> str:
    """A figure at the indicator's decimals with thousands separators, half up; "—" when not reported."""
    if value is None:
        return "—"
    text = f"{rounded(value, decimals):,.{decimals}f}"  # already quantized: format adds only the commas
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


# Percentages are shown with one decimal everywhere (pages, sentences, deck, CLI), so that 199 of 200
# reads 99.5% wherever it appears, not "100%" in one place and "99.5%" in another.
PERCENT_DECIMALS = 1


def percent(ratio: float | None, decimals: int = PERCENT_DECIMALS) -> str:
    """A ratio as a percentage, half up, trailing zeros dropped (0.9167 -> "91.7%"); "—" when undefined."""
    return "—" if ratio is None else f"{round_half_up(100 * ratio, decimals)}%"


def percent_short_of_target(ratio: float) -> str:
    """A 完成率 of a target NOT reached: never shown as 100% or more (199.9 of 200 is "99.9%", not "100%").

    Rounding must never turn a verdict into a better-looking one, so where half up would reach
    100% the figure is cut (not rounded) to one decimal instead.
    """
    text = percent(ratio)
    if rounded(100 * ratio, PERCENT_DECIMALS) < 100:
        return text
    cut = Decimal(format(100 * ratio, f".{_DECIMAL_DIGITS}g")).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{min(cut, Decimal('99.9'))}%"


def signed_points(pp: float | None) -> str:
    """A signed gap in percentage points (进度差), one decimal half up: "+3.3", "-2.5", "0"; "—" when undefined."""
    if pp is None:
        return "—"
    text = round_half_up(pp, 1)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive datetimes; they were stored as UTC)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def local_time(moment: datetime) -> datetime:
    """A stored time in Beijing time."""
    return as_utc(moment).astimezone(LOCAL_TIME)


def format_time(moment: datetime, seconds: bool = False) -> str:
    """Beijing time as staff read it, e.g. ``2026-03-01 17:05``."""
    return local_time(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
