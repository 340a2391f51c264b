"""parse_number / parse_int_year: numbers as statistics staff type them."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.numbers import (
    NumberFormatError,
    normalise_text,
    parse_int,
    parse_int_year,
    parse_number,
    to_stored_precision,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (921, 921.0),
        (6.7, 6.7),
        (Decimal("1.5"), 1.5),
        ("1400", 1400.0),
        (" 12.5 ", 12.5),
        ("\u3000 12 \u00a0", 12.0),  # ideographic and no-break spaces
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("1，234", 1234.0),  # full-width comma as a thousands separator
        ("１２３．５", 123.5),  # full-width digits and point
        ("－５", -5.0),
        ("−3", -3.0),  # U+2212 minus sign pasted from Word
        ("+7", 7.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1.2E+3", 1200.0),
        ("0", 0.0),
    ],
)
def test_parse_number_accepts(raw: object, expected: float) -> None:
    assert parse_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", float("nan"), "-", "—", "——", "–", "--", "/", "／", "－"])
def test_blank_and_not_reported_markers_are_none(raw: object) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["约100", "N/A", "无", "abc", "nan", "inf", "-inf", "1e999", "1,23", "1,2", "12 3", "1_000", "1.2.3",
     "e5", ".", "+", "12.5%", "50％", "123。5", True, False, float("inf"), object()],
)
def test_parse_number_rejects(raw: object) -> None:
    with pytest.raises(NumberFormatError) as info:
        parse_number(raw)
    assert isinstance(info.value, ValueError)
    assert info.value.reason  # a Chinese explanation for the message


def test_percent_message_tells_what_to_do() -> None:
    with pytest.raises(NumberFormatError, match="%"):
        parse_number("12%")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(2024, 2024), (2024.0, 2024), ("2024", 2024), ("2024年", 2024), ("2024 年度", 2024), ("２０２４", 2024),
     ("2024.0", 2024), (None, None), ("  ", None)],
)
def test_parse_int_year(raw: object, expected: int | None) -> None:
    assert parse_int_year(raw) == expected


@pytest.mark.parametrize("raw", [2024.5, "2024.5", "二〇二四", "2024-01", "24年度x", True, "1,024", float("nan") + 1j])
def test_parse_int_year_rejects(raw: object) -> None:
    with pytest.raises(NumberFormatError):
        parse_int_year(raw)


def test_parse_int_suffixes_are_optional() -> None:
    assert parse_int("6月", suffixes=("月",)) == 6
    with pytest.raises(NumberFormatError):
        parse_int("6月")


@pytest.mark.parametrize(("raw", "expected"), [(" ａｂｃ ", "abc"), ("\u3000指标\u3000", "指标"), ("１２", "12")])
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@given(st.floats(min_value=-1e300, max_value=1e300))  # the largest floats round to infinity at 15 digits
def test_floats_round_trip_through_their_text(value: float) -> None:
    # Kept at Excel's 15 significant digits (see to_stored_precision), so equal after that rounding.
    assert parse_number(repr(value)) == to_stored_precision(value)
    assert parse_number(value) == to_stored_precision(value)


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_thousands_round_trip(value: int) -> None:
    assert parse_number(f"{value:,}") == value


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parse_number_only_raises_number_format_error(raw: object) -> None:
    try:
        result = parse_number(raw)
    except NumberFormatError:
        return
    assert result is None or math.isfinite(result)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [(0.1 + 0.2, 0.3), ("0.30000000000000004", 0.3), (123456789.123456, 123456789.123456), (6.7, 6.7),
     ("1234567890123456789", 1.23456789012346e18)],
)
def test_values_are_kept_at_excels_15_significant_digits(raw: object, stored: float) -> None:
    assert parse_number(raw) == stored
