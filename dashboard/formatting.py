"""How numbers are written for people, in one place (pages, slides and sentences agree)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

# Times are stored in UTC; people in Shaoxing read Beijing time whatever the server's zone.
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def round_half_up(x: float, decimals: int) -> str:
    """Round for people: 四舍五入 (half up, not Python's half-even), trailing zeros dropped (12.0 -> "12")."""
    text = str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure(value: float | None, decimals: int) -> str:
    """A figure with thousands separators at the indicator's decimals; "—" when not reported."""
    return "—" if value is None else f"{value:,.{decimals}f}"


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive datetimes; they were stored as UTC)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def local_time(moment: datetime) -> datetime:
    """A stored time in Beijing time."""
    return as_utc(moment).astimezone(LOCAL_TIME)


def format_time(moment: datetime, seconds: bool = False) -> str:
    """Beijing time as staff read it, e.g. ``2026-03-01 17:05``."""
    return local_time(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
