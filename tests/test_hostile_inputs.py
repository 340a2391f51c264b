"""Inputs a hostile tester tried: none may take the dashboard down or write something silently wrong."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from dashboard.aggregation import NONE, city_figure
from dashboard.errors import InputError
from dashboard.services import exporter, importer
from dashboard.services.history import list_submissions
from dashboard.tabular import MAX_DATA_ROWS, read_table
from dashboard.textsafety import guard_formula, unguard_formula
from tests.dbutil import table_contents

HEADER = "indicator,region,year,value,note\n"


def commit(engine: Engine, name: str, data: bytes) -> importer.ImportResult:
    return importer.commit_import(engine, name, data, "测试", accept_warnings=True)


def refused(engine: Engine, name: str, data: bytes) -> InputError:
    before = table_contents(engine)
    with pytest.raises(InputError) as error:
        commit(engine, name, data)
    assert table_contents(engine) == before
    return error.value


def test_values_beyond_the_plausible_bound_are_refused_with_row_and_column(fresh_db: Engine) -> None:
    text = "indicator,region,year,value\n" + "".join(f"SX01,{r},2024,1.7e308\n" for r in ("330602", "330603", "330604"))
    error = refused(fresh_db, "huge.csv", text.encode())
    assert [(i.row, i.column) for i in error.issues] == [(2, "value"), (3, "value"), (4, "value")]
    assert "超出“" in error.issues[0].message and "合理范围" in error.issues[0].message


def test_district_sum_beyond_floating_point_is_no_figure_not_a_crash() -> None:
    codes = ("a", "b", "c")
    figure = city_figure(None, dict.fromkeys(codes, 1.7e308), codes, additive=True, decimals=0)
    assert figure.source == NONE and figure.value is None


@pytest.mark.parametrize("note", ["响铃\x07", "转义\x1b[31m红", "反向\u202e文字"])
def test_notes_with_control_or_bidi_characters_are_refused(fresh_db: Engine, note: str) -> None:
    data = (HEADER + f'SX01,330602,2024,100,"{note}"\n').encode()
    error = refused(fresh_db, "notes.csv", data)
    assert error.issues[0].row == 2 and error.issues[0].column == "note"
    assert "控制字符" in error.issues[0].message


def test_notes_are_limited_to_2000_characters_but_keep_tabs_and_newlines(fresh_db: Engine) -> None:
    error = refused(fresh_db, "long.csv", (HEADER + "SX01,330602,2024,100," + "长" * 2001 + "\n").encode())
    assert "最多 2000 个字符" in error.issues[0].message
    commit(fresh_db, "ok.csv", (HEADER + 'SX01,330602,2024,100,"第一行\n第二行\t制表"\n').encode())
    [row] = [r for r in exporter.export_rows(fresh_db) if r["indicator"] == "SX01" and r["region"] == "330602"]
    assert row["note"] == "第一行\n第二行\t制表"


def test_a_csv_mixing_utf8_and_gbk_is_refused_not_guessed() -> None:
    data = HEADER.encode() + "SX01,330602,2024,100,说明一\n".encode("utf-8") + "SX01,330603,2024,90,说明二\n".encode("gbk")
    with pytest.raises(InputError, match="混用了两种文字编码") as error:
        read_table("mixed.csv", data)
    assert error.value.issues[0].row == 3
    # A file that is wholly GBK is still read.
    table = read_table("gbk.csv", (HEADER + "SX01,330603,2024,90,说明二\n").encode("gbk"))
    assert table.rows[0].cells["note"].value == "说明二"


NOTES = ["=SUM(A1:A3)", "-5%，同比回落", "+3", "@某人", "'引号开头", "'=已带引号", "''两个引号", "普通备注"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_is_an_identity_for_formula_like_notes(fresh_db: Engine, tmp_path: Path,
                                                                   suffix: str) -> None:
    regions = ("330602", "330603", "330604", "330624", "330681", "330683", "330600", "330602")
    lines = [f"SX0{1 + n // 7},{regions[n]},2024,{100 + n},{note}" for n, note in enumerate(NOTES)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["indicator", "region", "year", "value", "note"],
                                  *[line.split(",", 4) for line in lines]])
    commit(fresh_db, "notes.csv", buffer.getvalue().encode())
    before = {(r["indicator"], r["region"]): r["note"] for r in exporter.export_rows(fresh_db)}
    # A typed leading apostrophe means "text" as in Excel; every other character is kept.
    assert {unguard_formula(n) for n in NOTES} <= set(before.values())
    exported = tmp_path / f"export{suffix}"
    exporter.export_file(fresh_db, exported)
    result = commit(fresh_db, exported.name, exported.read_bytes())
    assert result.submission_id is None and result.preview.count("changed") == 0
    assert {(r["indicator"], r["region"]): r["note"] for r in exporter.export_rows(fresh_db)} == before


@pytest.mark.parametrize("text", NOTES + ["'", "", "'-"])
def test_the_formula_guard_is_undone_exactly(text: str) -> None:
    assert unguard_formula(guard_formula(text)) == text


def test_a_file_without_data_rows_is_refused(fresh_db: Engine) -> None:
    error = refused(fresh_db, "header-only.csv", "indicator,region,year,value\n\n,,,\n".encode())
    assert "文件没有数据行" in str(error)
    assert [s for s in list_submissions(fresh_db) if s.kind == "import"] == []


def test_blank_rows_count_toward_the_row_cap() -> None:
    data = ("indicator,region,year,value\n" + ",,,\n" * (MAX_DATA_ROWS + 5) + "SX01,330602,2024,1\n").encode()
    with pytest.raises(InputError, match="空白行也计算在内"):
        read_table("blank-rows.csv", data)


def test_an_xlsx_declaring_more_rows_than_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "region", "year", "value"])
    sheet.append(["SX01", "330602", 2024, 1])
    sheet.cell(row=1_000_000, column=1, value=None).value = " "  # one far cell makes the dimension huge
    path = tmp_path / "tall.xlsx"
    workbook.save(path)
    with pytest.raises(InputError, match="超过上限") as error:
        read_table(path.name, path.read_bytes())
    assert error.value.issues[0].sheet == sheet.title


def test_a_very_long_file_name_is_shortened_for_storage(fresh_db: Engine) -> None:
    name = "绍兴市平台经济" * 29 + ".csv"  # 207 characters
    result = commit(fresh_db, name, "indicator,region,year,value\nSX01,330602,2024,100\n".encode())
    [stored] = [s for s in list_submissions(fresh_db) if s.id == result.submission_id]
    assert stored.file_name is not None and len(stored.file_name) <= 120
    assert stored.file_name.endswith(".csv") and stored.file_name.startswith("绍兴市平台经济")
