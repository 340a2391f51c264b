"""Rules for free text that people type (notes, file names): what is refused, and how it is kept.

Plain Python, shared by the validation (import side) and the exporter (export side), so that the
formula guard is removed on import exactly as it is added on export.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePath

MAX_NOTE_CHARS = 2000
# Longest file name kept in the history (the columns hold 200–255 characters; CJK names are long).
MAX_STORED_FILE_NAME = 120
# Cells starting with these are read as formulas by spreadsheet programs (formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"
# Bidirectional overrides and isolates can make a note read differently from what it holds.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\t\n")


def guard_formula(text: str | None) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (and to text already starting with one)."""
    if not text:
        return ""
    return _GUARD + text if text.startswith((*FORMULA_PREFIXES, _GUARD)) else text


def unguard_formula(text: str) -> str:
    """Undo :func:`guard_formula`: ``unguard_formula(guard_formula(t)) == t`` for every text."""
    if text.startswith(_GUARD) and text[1:].startswith((*FORMULA_PREFIXES, _GUARD)):
        return text[1:]
    return text


def forbidden_characters(text: str) -> list[str]:
    """Control and bidi characters in ``text`` (tab and newline are allowed), as ``U+202E`` codes."""
    found = []
    for char in text:
        if char in _ALLOWED_CONTROLS:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) == "Cc":
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def note_problem(text: str) -> str | None:
    """Why a note cannot be stored (Chinese), or None when it can."""
    if len(text) > MAX_NOTE_CHARS:
        return f"备注太长（{len(text)} 个字符），最多 {MAX_NOTE_CHARS} 个字符"
    if bad := forbidden_characters(text):
        return f"备注含有不可见的控制字符（{'、'.join(bad[:5])}），请删除后重新保存"
    return None


def stored_file_name(name: str, limit: int = MAX_STORED_FILE_NAME) -> str:
    """The file name as kept in the history: without folders, shortened in the middle, extension kept."""
    name = PurePath(name.replace("\\", "/")).name or name
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) > 10:
        suffix = ""
    keep = limit - len(suffix) - 1
    return name[: keep] + "…" + suffix
