"""Export every current value in the import's long format, so export → import changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine

from dashboard.errors import InputError
from dashboard.textsafety import guard_formula
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory

EXPORT_COLUMNS = ("indicator", "region", "year", "month", "value", "status", "note", "growth")


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (``921`` rather than ``921.0``)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def safe_text(text: str | None) -> str:
    """Neutralise spreadsheet formula injection in free text by prefixing an apostrophe.

    The import removes it again (:func:`dashboard.textsafety.unguard_formula`), so export → import
    is an identity.
    """
    return guard_formula(text)


def export_rows(engine: Engine) -> list[dict[str, object]]:
    """Every current observation as a long-format row (codes, not names, so names may change)."""
    with session_factory(engine)() as session:
        codes = {i.id: i.code for i in repo.indicators(session)}
        return [
            {
                "indicator": codes[o.indicator_id], "region": o.region_code, "year": o.year, "month": o.month,
                "value": o.value, "status": o.status, "note": o.note, "growth": o.growth,
            }
            for o in repo.current_observations(session)
        ]


def export_bytes(engine: Engine, file_name: str) -> bytes:
    """The export as CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX, chosen by extension."""
    rows = export_rows(engine)
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow(
                [row["indicator"], row["region"], row["year"], row["month"], format_number(float(row["value"])),
                 row["status"], safe_text(row["note"]),  # type: ignore[arg-type]
                 "" if row["growth"] is None else format_number(float(row["growth"]))]  # type: ignore[arg-type]
            )
        return buffer.getvalue().encode("utf-8-sig")
    if suffix == ".xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "数据"
        sheet.append(list(EXPORT_COLUMNS))
        for row in rows:
            sheet.append([row["indicator"], row["region"], row["year"], row["month"], row["value"], row["status"],
                          safe_text(row["note"]) or None, row["growth"]])  # type: ignore[arg-type]
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise InputError(f"无法导出为“{file_name}”：文件扩展名应为 .csv 或 .xlsx")


def export_file(engine: Engine, path: Path | str) -> int:
    """Write the export to ``path``; return the number of values written."""
    path = Path(path)
    data = export_bytes(engine, path.name)
    path.write_bytes(data)
    return len(export_rows(engine))
