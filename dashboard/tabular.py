"""Read a user's .csv or .xlsx file into located raw rows (no interpretation of the values yet).

The files come from statistics staff, so this module is deliberately lenient about *layout*
(title rows above the header, Chinese or English headers, extra columns, blank rows, stray spaces,
GBK-encoded CSV) and strict about anything that would make a figure ambiguous. Values are passed on
untouched: :mod:`dashboard.validation` parses them, so every problem can be reported with its row.

Every rejection is an :class:`~dashboard.errors.InputError` whose issues name the file (and the sheet,
row and column when they apply) in plain Chinese.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePath
from typing import Any, NoReturn

from dashboard.errors import InputError, Issue
from dashboard.numbers import is_blank, normalise_text

CANONICAL_COLUMNS = ("indicator", "region", "year", "month", "value", "status", "note", "growth")
REQUIRED_COLUMNS = ("indicator", "region", "year", "value")
CANONICAL_LABELS: Mapping[str, str] = {
    "indicator": "指标",
    "region": "地区",
    "year": "年份",
    "month": "月份",
    "value": "数值",
    "status": "状态",
    "note": "备注",
    "growth": "同比增速",
}
MAX_FILE_BYTES = 10 * 1024 * 1024
# Far more than a yearly submission needs (8 indicators x 7 regions x a few years); a bigger sheet
# is a wrong file, and stopping early keeps memory bounded.
MAX_DATA_ROWS = 50_000
# Staff put a title, a unit line and a blank row or two above the header.
HEADER_SCAN_ROWS = 20

# Header text (after _header_key) -> canonical column. The single source of truth for synonyms.
HEADER_SYNONYMS: Mapping[str, str] = {
    **dict.fromkeys(
        ["indicator", "indicatorcode", "indicatorname", "指标", "指标代码", "指标名称", "核心指标"],
        "indicator",
    ),
    **dict.fromkeys(
        ["region", "regioncode", "regionname", "地区", "区县", "行政区划", "行政区划代码", "地区代码"],
        "region",
    ),
    **dict.fromkeys(["year", "年份", "年度", "年"], "year"),
    **dict.fromkeys(["month", "月份", "月", "截至月份"], "month"),
    **dict.fromkeys(["value", "数值", "值", "实际值", "本年实际", "完成值"], "value"),
    **dict.fromkeys(["status", "状态", "数据状态", "口径"], "status"),
    **dict.fromkeys(["note", "备注", "说明", "情况说明"], "note"),
    **dict.fromkeys(["growth", "同比增速", "增速", "同比增长", "同比增长率", "同比增速%"], "growth"),
}

# Sheets with these words in their name hold instructions, never data, even if they quote a header.
_INSTRUCTION_SHEET_WORDS = ("说明", "instruction", "readme")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and password-protected .xlsx
_FORMULA_NO_VALUE = "公式没有计算结果，请在 Excel 中重新计算并保存，或粘贴为数值"


@dataclass(frozen=True)
class Cell:
    """One value as read, with the header of its column as written in the file (e.g. ``数值``)."""

    value: object
    column: str


@dataclass(frozen=True)
class RawRow:
    """A non-blank data row; ``row`` is the 1-based Excel row / CSV record the user sees."""

    sheet: str | None
    row: int
    cells: Mapping[str, Cell]  # keyed by canonical column name; absent optional columns are absent


@dataclass(frozen=True)
class RawTable:
    """The data rows of one sheet (or CSV), located, plus where the header was found."""

    file: str
    sheet: str | None
    rows: tuple[RawRow, ...]
    header_row: int
    columns: Mapping[str, str]  # canonical -> header as written


def column_label(canonical: str) -> str:
    """``数值（value）``: how a canonical column is named to users who may use either language."""
    return f"{CANONICAL_LABELS[canonical]}（{canonical}）"


def read_table(file_name: str, data: bytes) -> RawTable:
    """Read ``data`` (the bytes of the uploaded ``file_name``) into a :class:`RawTable`.

    Raises :class:`InputError` with located issues when the file cannot be used at all.
    """
    name = PurePath(file_name).name or file_name  # never echo a server-side temp path
    suffix = PurePath(name).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        size_mb = len(data) / 1024 / 1024
        limit_mb = MAX_FILE_BYTES // 1024 // 1024
        _reject(name, f"文件太大（{size_mb:.1f} MB），上限为 {limit_mb} MB")
    if suffix == ".xls":
        _reject(name, "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传")
    if suffix not in (".csv", ".xlsx"):
        _reject(name, f"不支持“{suffix or '无扩展名'}”类型的文件，请上传 .xlsx 或 .csv 文件")
    if not data.strip():
        _reject(name, "文件是空的")
    if suffix == ".csv":
        return _table_from_sheets(name, [(None, _csv_rows(name, data))])
    return _read_xlsx(name, data)


def _reject(file: str, message: str, *, sheet: str | None = None, row: int | None = None) -> NoReturn:
    raise InputError(Issue(message, file=file, sheet=sheet, row=row))


# --------------------------------------------------------------------------------------- CSV


def _decode_csv(file: str, data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (superset of GBK)."""
    if data.startswith(b"PK\x03\x04"):
        _reject(file, "这似乎是 Excel 文件而不是 CSV 文件，请把扩展名改为 .xlsx 后再上传")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        encodings: tuple[str, ...] = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        # WPS and older Excel on Chinese Windows save CSV in GBK; GB18030 decodes all of GBK.
        encodings = ("utf-8", "gb18030")
        _refuse_mixed_encodings(file, data)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            _reject(file, "文件内容不是文本，无法作为 CSV 读取；请确认文件没有损坏")
        return text
    _reject(file, "无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”格式")


def _refuse_mixed_encodings(file: str, data: bytes) -> None:
    """Refuse a file in which some lines are UTF-8 and others are not (pasted from two sources).

    GB18030 decodes almost any bytes, so such a file would be read as mojibake rather than
    refused: the encoding is decided once per file, and a file that is not cleanly one is refused.
    """
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            _reject(file, f"文件混用了两种文字编码（第 {utf8_line} 行是 UTF-8，第 {other_line} 行不是），"
                          "无法可靠读取；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”格式后再上传",
                    row=other_line)


def _csv_rows(file: str, data: bytes) -> list[Sequence[object]]:
    """All CSV records; record *i* is shown to the user as row *i* (as Excel/WPS display it)."""
    text = _decode_csv(file, data)
    sample = text.splitlines()[:HEADER_SCAN_ROWS]
    # Tab-separated text is what Excel produces when staff copy-paste or "save as Unicode text".
    delimiter = max((",", "\t", ";"), key=lambda d: sum(line.count(d) for line in sample))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Sequence[object]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as exc:
        _reject(file, f"CSV 格式有误，无法读取（{exc}）", row=len(rows) + 1)
    return rows


# -------------------------------------------------------------------------------------- XLSX


def _read_xlsx(file: str, data: bytes) -> RawTable:
    import openpyxl  # imported here so CSV-only callers do not pay for it

    if data.startswith(_OLE_MAGIC):
        _reject(file, "文件是旧版 .xls 格式或设置了打开密码，请去掉密码并另存为 .xlsx 格式")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        _reject(file, "文件已损坏或不是有效的 .xlsx 文件，请在 Excel 中打开并重新保存")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extensions (data validation, styles): harmless.
            warnings.simplefilter("ignore")
            values_wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            formulas_wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheets = []
                for values_ws, formulas_ws in zip(values_wb.worksheets, formulas_wb.worksheets):
                    if _is_instruction_sheet(values_ws.title):
                        continue
                    _refuse_oversized(file, values_ws)
                    values_ws.reset_dimensions()  # stored dimensions are often wrong; read everything
                    formulas_ws.reset_dimensions()
                    sheets.append((values_ws.title, _XlsxRows(values_ws, formulas_ws)))
                return _table_from_sheets(file, sheets)
            finally:
                values_wb.close()
                formulas_wb.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt zip/XML can fail anywhere inside openpyxl
        # The exception text is openpyxl internals, useless to staff; it stays chained for the log.
        raise InputError(Issue("文件已损坏或不是有效的 .xlsx 文件，请在 Excel 中打开并重新保存", file=file)) from exc


def _refuse_oversized(file: str, worksheet: Any) -> None:
    """Refuse, before reading it, a sheet whose stored dimension is beyond the row cap.

    The dimension may understate the sheet (then the row cap stops the reading); it never costs a
    full read to find out that a sheet declares a million rows.
    """
    declared = worksheet.max_row  # from the stored <dimension>, read without touching the rows
    if isinstance(declared, int) and declared > MAX_DATA_ROWS + HEADER_SCAN_ROWS:
        _reject(file, f"工作表有 {declared} 行（空白行也计算在内），超过上限 {MAX_DATA_ROWS} 行；请确认上传的是"
                      "正确的文件，并删除表格末尾多余的空行", sheet=worksheet.title)


def _is_instruction_sheet(title: str) -> bool:
    key = normalise_text(title).lower()
    return any(word in key for word in _INSTRUCTION_SHEET_WORDS)


@dataclass(frozen=True)
class _UncachedFormula:
    """Stands in for a formula cell saved without a computed value (e.g. written by a script)."""

    ref: str  # Excel cell reference such as "D5"


class _XlsxRows:
    """The rows of one worksheet as values, with uncached formulas marked as :class:`_UncachedFormula`.

    Two workbooks are read side by side because openpyxl gives either the cached values
    (``data_only=True``) or the formulas, never both, and an uncached formula reads as blank.
    The marker lets :func:`_build_table` report only formulas in columns we actually import.
    """

    def __init__(self, values_ws: Any, formulas_ws: Any):  # openpyxl read-only worksheets
        self.values_ws, self.formulas_ws = values_ws, formulas_ws

    def __iter__(self) -> Iterator[Sequence[object]]:
        from openpyxl.utils import get_column_letter

        values = self.values_ws.iter_rows(min_row=1, min_col=1, values_only=True)
        formulas = self.formulas_ws.iter_rows(min_row=1, min_col=1)
        for row_number, (row, formula_row) in enumerate(zip(values, formulas), start=1):
            marked: list[object] = list(row)
            for col, cell in enumerate(formula_row):
                if getattr(cell, "data_type", None) == "f" and (col >= len(row) or row[col] is None):
                    marked.extend([None] * (col + 1 - len(marked)))
                    marked[col] = _UncachedFormula(f"{get_column_letter(col + 1)}{row_number}")
            yield marked


# ---------------------------------------------------------------------------- header + rows


def _header_key(text: str) -> str:
    """Fold a header for lookup: ``" *数值（亿元） "`` -> ``数值``, ``Indicator_Code`` -> ``indicatorcode``."""
    key = normalise_text(text).lower()
    key = re.sub(r"[\s_\-*]", "", key)
    return re.sub(r"[(\[].*?[)\]]$", "", key)  # a trailing unit such as (亿元)


def _is_code_header(key: str) -> bool:
    return "代码" in key or key.endswith("code")


@dataclass(frozen=True)
class _Header:
    columns: Mapping[str, int]  # canonical -> 0-based column index
    written: Mapping[str, str]  # canonical -> header text as written
    clashes: tuple[tuple[str, str, str], ...]  # (canonical, header a, header b) left ambiguous


def _match_header(row: Sequence[object]) -> _Header:
    """Map one row's cells to canonical columns, preferring a code column over a name column."""
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    clashes: list[tuple[str, str, str]] = []
    for index, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        canonical = HEADER_SYNONYMS.get(_header_key(cell))
        if canonical is None:
            continue
        text = cell.strip()  # as written, so messages quote what the user sees
        if canonical not in columns:
            columns[canonical], written[canonical] = index, text
            continue
        old_is_code = _is_code_header(_header_key(written[canonical]))
        new_is_code = _is_code_header(_header_key(text))
        if new_is_code and not old_is_code:
            columns[canonical], written[canonical] = index, text
        elif new_is_code == old_is_code:
            clashes.append((canonical, written[canonical], text))
    return _Header(columns, written, tuple(clashes))


def _find_header(rows: Iterable[Sequence[object]]) -> tuple[int, _Header] | tuple[None, _Header | None]:
    """Return (1-based row, header) of the first row mapping all required columns.

    Otherwise ``(None, best partial header)`` so the error can say which columns are missing.
    """
    best: _Header | None = None
    for row_number, row in enumerate(islice(rows, HEADER_SCAN_ROWS), start=1):
        header = _match_header(row)
        if all(c in header.columns for c in REQUIRED_COLUMNS):
            return row_number, header
        if len(header.columns) >= 2 and (best is None or len(header.columns) > len(best.columns)):
            best = header
    return None, best


def _table_from_sheets(file: str, sheets: Sequence[tuple[str | None, Iterable[Sequence[object]]]]) -> RawTable:
    """Build the table from the first sheet with a recognisable header."""
    best: tuple[str | None, _Header] | None = None
    for sheet, rows in sheets:
        header_row, header = _find_header(rows)
        if header_row is not None and header is not None:
            return _build_table(file, sheet, rows, header_row, header)
        if header is not None and best is None:
            best = (sheet, header)
    required = "、".join(column_label(c) for c in REQUIRED_COLUMNS)
    if best is not None:
        sheet, header = best
        missing = "、".join(column_label(c) for c in REQUIRED_COLUMNS if c not in header.columns)
        _reject(file, f"缺少必填列：{missing}。必填列为：{required}", sheet=sheet)
    where = "所有工作表的" if len(sheets) > 1 else ""
    _reject(file, f"{where}前 {HEADER_SCAN_ROWS} 行中找不到表头。表头须包含必填列：{required}"
            + ("（“说明”类工作表不作为数据读取）" if not sheets else ""))


def _build_table(file: str, sheet: str | None, rows: Iterable[Sequence[object]],
                 header_row: int, header: _Header) -> RawTable:
    """Turn the rows below ``header_row`` into located :class:`RawRow` objects, skipping blank ones."""
    if header.clashes:
        issues = [
            Issue(f"“{a}”列和“{b}”列都表示{column_label(canonical)}，请只保留一列",
                  file=file, sheet=sheet, row=header_row)
            for canonical, a, b in header.clashes
        ]
        raise InputError(issues)
    raw_rows: list[RawRow] = []
    formula_issues: list[Issue] = []
    for row_number, row in enumerate(rows, start=1):
        if row_number <= header_row:
            continue
        if row_number - header_row > MAX_DATA_ROWS:
            # Blank rows count too: a sheet of a million empty rows costs as much to read as full ones.
            _reject(file, f"数据行太多（超过 {MAX_DATA_ROWS} 行，空白行也计算在内），请确认上传的是正确的文件，"
                          "并删除表格末尾多余的空行", sheet=sheet, row=row_number)
        cells = {
            canonical: Cell(row[index] if index < len(row) else None, header.written[canonical])
            for canonical, index in header.columns.items()
        }
        if all(is_blank(cell.value) for cell in cells.values()):
            continue  # blank rows (also those with text only in ignored columns) carry no figure
        formula_issues += [
            Issue(f"单元格 {cell.value.ref} 的{_FORMULA_NO_VALUE}", file=file, sheet=sheet,
                  row=row_number, column=cell.column)
            for cell in cells.values() if isinstance(cell.value, _UncachedFormula)
        ]
        raw_rows.append(RawRow(sheet, row_number, cells))
    if formula_issues:
        raise InputError(formula_issues)
    if not raw_rows:
        _reject(file, f"文件没有数据行：表头（第 {header_row} 行）下面没有填写任何内容", sheet=sheet)
    return RawTable(file, sheet, tuple(raw_rows), header_row, dict(header.written))
