"""Parse numbers the way statistics staff actually type them into Excel and CSV files.

Decisions (documented here because they are policy, not accidents):

* Blank (``None``, ``""``, whitespace, a float NaN from a spreadsheet) -> ``None``.
* "Not reported" markers ``-``, ``—``, ``–``, ``--``, ``——``, ``/``, ``／`` -> ``None`` as well: staff
  use them in statistical tables for "no figure", and a blank never means 0 (see DOMAIN.md).
* Full-width characters are folded with NFKC, so ``１２３．５`` -> ``123.5`` and ``－５`` -> ``-5``.
* Thousands separators (``,`` and the Chinese full-width comma ``，``, which NFKC turns into ``,``) are
  accepted only in a correct 3-digit grouping (``1,234.5``, ``1，234``). ``1,23`` or ``1,2`` is
  rejected: it may be a decimal comma or two numbers typed in one cell, and guessing would store a
  wrong figure silently.
* A trailing ``%`` is rejected: percentages are entered as plain numbers in the indicator's unit, and
  ``50%`` could mean 50 or 0.5 depending on who typed it.
* Words (``约100``, ``N/A``, ``无``), ``nan``/``inf`` text, booleans and dates are rejected.
* Inner spaces are rejected (``12 3`` is ambiguous); leading/trailing spaces are ignored.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from decimal import Decimal

# Markers that mean "no figure reported". Compared after normalise_text (NFKC turns "／" into "/").
NOT_REPORTED_MARKERS = frozenset({"-", "--", "—", "——", "/"})

# Digits, optional sign, either plain digits or correctly grouped thousands, optional fraction and
# exponent. Written out explicitly because float() alone also accepts "nan", "inf" and "1_000".
_NUMBER_RE = re.compile(
    r"""^[+-]?
        (?: (?: \d{1,3}(?:,\d{3})+ | \d+ ) (?: \.\d* )?   # integer part, grouped or not
          | \.\d+ )                                      # or a bare fraction: ".5"
        (?: [eE][+-]?\d+ )?$              # exponent, as Excel writes large numbers as text
    """,
    re.VERBOSE,
)
_INT_RE = re.compile(r"^[+-]?\d+$")

# Minus signs NFKC leaves alone but people paste from Word or the web.
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-"})


# Excel keeps 15 significant digits; figures are stored at that precision so that every stored value
# survives an export to .xlsx and back unchanged (0.1 + 0.2 is kept as 0.3).
SIGNIFICANT_DIGITS = 15


def to_stored_precision(value: float) -> float:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


class NumberFormatError(ValueError):
    """The text is not a number; ``reason`` is a short Chinese explanation for the user."""

    def __init__(self, raw: object, reason: str):
        self.raw = raw
        self.reason = reason
        super().__init__(reason)


def normalise_text(s: str) -> str:
    """Fold full-width and compatibility characters (NFKC) and strip surrounding whitespace."""
    return unicodedata.normalize("NFKC", s).strip()


def is_blank(raw: object) -> bool:
    """True for None, empty or whitespace-only text, and a float NaN (how pandas marks empty cells)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return normalise_text(raw) == ""
    if isinstance(raw, float):
        return math.isnan(raw)
    return False


def parse_number(raw: object) -> float | None:
    """Return the number in ``raw``, ``None`` when blank or marked "not reported".

    Raises :class:`NumberFormatError` (a ``ValueError``) for anything that is not a clean number.
    """
    if is_blank(raw):
        return None
    # bool is an int subclass: an Excel TRUE/FALSE cell is not a figure.
    if isinstance(raw, bool):
        raise NumberFormatError(raw, "是逻辑值，不是数字")
    if isinstance(raw, (numbers.Real, Decimal)):
        value = float(raw)
        value = to_stored_precision(value)
        if not math.isfinite(value):  # rounding can carry the largest floats to infinity
            raise NumberFormatError(raw, "不是有限的数字")
        return value
    if not isinstance(raw, str):
        # datetime, time, and anything exotic a spreadsheet library might hand us.
        raise NumberFormatError(raw, "不是数字")
    text = normalise_text(raw).translate(_MINUS_SIGNS)
    if text in NOT_REPORTED_MARKERS:
        return None
    if text.endswith("%"):
        raise NumberFormatError(raw, "不是数字：请填写数值本身，不要带“%”")
    if not _NUMBER_RE.match(text):
        raise NumberFormatError(raw, "不是数字")
    value = to_stored_precision(float(text.replace(",", "")))
    if not math.isfinite(value):  # e.g. "1e999"
        raise NumberFormatError(raw, "不是有限的数字")
    return value


def parse_int(raw: object, suffixes: tuple[str, ...] = ()) -> int | None:
    """Return a whole number, ``None`` when blank; accepts ``2024``, ``2024.0``, ``"２０２４"``.

    ``suffixes`` are units staff append, e.g. ``("年",)`` for ``"2024年"``. Raises
    :class:`NumberFormatError` for fractions and text.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise NumberFormatError(raw, "是逻辑值，不是整数")
    if isinstance(raw, numbers.Integral):
        return int(raw)
    if isinstance(raw, (numbers.Real, Decimal)):
        value = float(raw)
        # Excel stores every number as a float: 2024.0 is a whole number, 2024.5 is not.
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise NumberFormatError(raw, "不是整数")
    if not isinstance(raw, str):
        raise NumberFormatError(raw, "不是整数")
    text = normalise_text(raw)
    for suffix in suffixes:
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    if _INT_RE.match(text):
        return int(text)
    # "2024.0" typed as text is still a whole number.
    if _NUMBER_RE.match(text) and "," not in text:
        value = float(text)
        if math.isfinite(value) and value.is_integer():
            return int(value)
    raise NumberFormatError(raw, "不是整数")


def parse_int_year(raw: object) -> int | None:
    """Parse a year cell: ``2024``, ``2024.0``, ``"2024年"``, ``"２０２４"``; ``None`` when blank."""
    return parse_int(raw, suffixes=("年度", "年"))
