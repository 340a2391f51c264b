"""Fuzzing: whatever a user uploads, only InputError (a located, explained rejection) may escape."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_inputs import SHAOXING_CATALOG
from test_tabular import xlsx_bytes

from dashboard.errors import InputError, Issue
from dashboard.services import importer
from dashboard.services.plans import open_database
from dashboard.tabular import read_table
from dashboard.validation import ValidationResult, validate_table
from tests.dbutil import table_contents

HEADER = ["指标", "地区", "年份", "月份", "数值", "状态", "备注"]

# Cell values that look like what staff type, plus hostile ones: mostly near-misses of valid data.
cell_values = st.one_of(
    st.none(),
    st.sampled_from(["网络零售额", "SX07", "越城区", "330600", "全市", "2024", "2024年", "1-6月", "初步数", "-", "—",
                     "1,234.5", "１２３", "12%", "abc", " ", "=A1", "#DIV/0!", "nan", "1e999", "\x00", "\u3000"]),
    st.text(max_size=12),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
rows = st.lists(st.lists(cell_values, min_size=0, max_size=len(HEADER) + 1), max_size=8)


def import_or_reject(name: str, data: bytes) -> ValidationResult | None:
    """Read and validate; an InputError is a correct outcome, but it must carry real issues."""
    try:
        table = read_table(name, data)
    except InputError as exc:
        assert exc.issues and all(isinstance(i, Issue) and i.message for i in exc.issues)
        return None
    result = validate_table(table, SHAOXING_CATALOG)
    assert all(i.file == name and i.row is not None for i in result.errors)
    assert len(result.records) + result.skipped_blank <= len(table.rows)
    return result


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a", "A.CSV"]))
def test_random_bytes(data: bytes, name: str) -> None:
    import_or_reject(name, data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_random_csv_text(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    import_or_reject("a.csv", data)
    # The same text below a valid header exercises validation rather than header detection.
    import_or_reject("b.csv", ("指标,地区,年份,月份,数值,状态,备注\n" + text).encode(encoding, errors="replace"))


@settings(max_examples=150, deadline=None)
@given(rows)
def test_random_csv_cells(body: list[list[object]]) -> None:
    lines = [",".join(HEADER)] + [",".join('"' + str(v).replace('"', '""') + '"' for v in row) for row in body]
    import_or_reject("c.csv", "\n".join(lines).encode("utf-8", errors="replace"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.integers(min_value=0, max_value=3))
def test_random_xlsx_cells(body: list[list[object]], title_rows: int) -> None:
    sheet = [["标题"]] * title_rows + [HEADER] + body
    try:
        data = xlsx_bytes(("Sheet1", sheet))
    except (IllegalCharacterError, ValueError, TypeError):
        return  # openpyxl refuses to write some values (control characters): not our concern
    import_or_reject("d.xlsx", data)


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.integers(min_value=0, max_value=4000))
def test_corrupted_xlsx(noise: bytes, position: int) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append(["网络零售额", "越城区", 2024, None, 1, None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = bytearray(buffer.getvalue())
    position %= len(data)
    data[position:position + len(noise)] = noise
    import_or_reject("e.xlsx", bytes(data))


# --- the whole import service against a real database: any rejection writes nothing -----------------


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One migrated SQLite store for all examples (accepted files change it; each example compares itself)."""
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'kpi.sqlite3'}")
    yield engine
    engine.dispose()


def commit_or_reject(engine, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    """Commit; a rejection (bad file or unconfirmed warnings) must leave every table exactly as it was."""
    before = table_contents(engine)
    try:
        importer.commit_import(engine, name, data, "模糊测试")
    except (InputError, importer.WarningsNotAccepted) as exc:
        assert str(exc)
        assert table_contents(engine) == before
        return


@settings(max_examples=80, deadline=None)
@given(rows)
def test_commit_writes_nothing_on_any_error_csv(fuzz_db, body: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    lines = [",".join(HEADER)] + [",".join('"' + str(v).replace('"', '""') + '"' for v in row) for row in body]
    commit_or_reject(fuzz_db, "c.csv", "\n".join(lines).encode("utf-8", errors="replace"))


# Mostly valid rows with one field perturbed: exercises "valid rows beside an invalid one".
_valid_row = st.tuples(
    st.sampled_from(["网络零售额", "SX03", "平台经济领域地方标准", "不存在"]),
    st.sampled_from(["越城区", "330600", "全市", "火星"]),
    st.sampled_from([2023, 2024, 2027, 2031, "2024年"]),
    st.sampled_from([None, 6, 12, 13]),
    st.one_of(st.floats(min_value=-5, max_value=1e6, allow_nan=False), st.sampled_from(["", "abc", "1,2"])),
    st.sampled_from([None, "初步", "核实", "估计"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_valid_row, min_size=1, max_size=6))
def test_commit_writes_nothing_on_any_error_xlsx(fuzz_db, body: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_bytes(("Sheet1", [HEADER] + [list(row) + [None] for row in body]))
    commit_or_reject(fuzz_db, "d.xlsx", data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=1024), st.sampled_from(["a.csv", "a.xlsx", "a.xls"]))
def test_commit_writes_nothing_for_random_bytes(fuzz_db, data: bytes, name: str) -> None:  # type: ignore[no-untyped-def]
    commit_or_reject(fuzz_db, name, data)
