"""read_table: the layouts staff produce are read; unusable files are rejected with located messages."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
import pytest

from dashboard.errors import InputError
from dashboard.tabular import HEADER_SYNONYMS, MAX_FILE_BYTES, RawTable, read_table

Row = Sequence[object]


def xlsx_bytes(*sheets: tuple[str, Sequence[Row | None]]) -> bytes:
    """An .xlsx with the given (title, rows) sheets; a ``None`` row is left blank."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row) if row else [])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def values(table: RawTable) -> list[tuple[int, dict[str, object]]]:
    return [(r.row, {k: c.value for k, c in r.cells.items()}) for r in table.rows]


# A realistic district submission: title rows, Chinese headers with units and stray spaces, an
# indicator code beside its name, an extra 单位 column, blank rows, numbers typed as text.
REALISTIC = [
    ["2024年越城区平台经济主要指标完成情况"],
    ["填报单位：越城区统计局", None, None, None, "单位：见各行"],
    None,
    [" 指标代码 ", "指标名称", "单位", "区县", "年度 ", "截至月份", "本年实际（亿元）", "数据状态", " 备注"],
    ["SX01", "网络零售额", "亿元", " 越城区 ", "2024", None, " 1,234.5 ", "初步数", None],
    None,
    ["SX06", "农村快递“共富驿站”", "个", "330602", 2024, "12", "１２３", None, "新增 5 个"],
    [None, None, "注：", None, None, None, None, None, None],  # text only in an ignored column
    ["SX02", "网络经营主体", "万家", "越城区", "２０２４", 6, "1，234", "核实", None],
]


def test_realistic_xlsx_is_read_with_rows_as_in_excel() -> None:
    table = read_table("越城区2024.xlsx", xlsx_bytes(("填报说明", [["指标", "地区", "年份", "数值"]]),
                                                  ("数据", REALISTIC)))
    assert (table.file, table.sheet, table.header_row) == ("越城区2024.xlsx", "数据", 4)
    assert dict(table.columns) == {
        "indicator": "指标代码", "region": "区县", "year": "年度", "month": "截至月份",
        "value": "本年实际（亿元）", "status": "数据状态", "note": "备注",
    }
    assert [r for r, _ in values(table)] == [5, 7, 9]
    assert values(table)[0][1]["value"] == " 1,234.5 "  # untouched: validation parses values
    assert table.rows[0].cells["value"].column == "本年实际（亿元）"


def test_csv_utf8_bom_and_gbk_read_the_same() -> None:
    text = "指标,地区,年份,数值\n网络零售额,越城区,2024,1\n"
    tables = [read_table("a.csv", data) for data in
              (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gbk"), text.encode("gb18030"),
               text.encode("utf-16"))]
    assert all(values(t) == values(tables[0]) for t in tables)
    assert values(tables[0]) == [(2, {"indicator": "网络零售额", "region": "越城区", "year": "2024", "value": "1"})]


def test_csv_tab_separated_and_quoted_commas() -> None:
    table = read_table("a.csv", 'indicator\tregion\tyear\tvalue\n网络零售额\t越城区\t2024\t"1,234"\n'.encode())
    assert values(table)[0][1]["value"] == '1,234'
    table = read_table("a.csv", 'Indicator_Code,Region Code,YEAR,Value\nSX01,330602,2024,"1,234"\n'.encode())
    assert values(table)[0][1] == {"indicator": "SX01", "region": "330602", "year": "2024", "value": "1,234"}


def test_csv_rows_keep_their_numbers_across_blank_lines_and_titles() -> None:
    table = read_table("a.csv", "标题\n\n指标,地区,年份,数值\n\n,,,\nA,B,2024,1\n".encode())
    assert table.header_row == 3
    assert [r.row for r in table.rows] == [6]


@pytest.mark.parametrize(("code", "name"), [("指标代码", "指标名称"), ("行政区划代码", "地区")])
@pytest.mark.parametrize("code_first", [True, False])
def test_code_column_is_preferred_over_name_column(code: str, name: str, code_first: bool) -> None:
    header = ["指标", "地区", "年份", "数值"]
    canonical = "indicator" if "指标" in code else "region"
    slot = header.index("指标" if canonical == "indicator" else "地区")
    header[slot] = code if code_first else name
    header.append(name if code_first else code)
    table = read_table("a.csv", (",".join(header) + "\nx,y,2024,1,z\n").encode())
    assert table.columns[canonical] == code


def test_every_synonym_maps_to_a_canonical_column() -> None:
    from dashboard.tabular import CANONICAL_COLUMNS

    assert set(HEADER_SYNONYMS.values()) == set(CANONICAL_COLUMNS)


def test_first_sheet_with_a_header_wins_and_instructions_are_skipped() -> None:
    data = xlsx_bytes(("Instructions", [["indicator", "region", "year", "value"], ["x", "y", 1, 2]]),
                      ("封面", [["绍兴市"]]),
                      ("2024", [["指标", "地区", "年份", "数值"], ["a", "b", 2024, 1]]),
                      ("2023", [["指标", "地区", "年份", "数值"], ["c", "d", 2023, 1]]))
    table = read_table("a.xlsx", data)
    assert table.sheet == "2024"
    assert values(table) == [(2, {"indicator": "a", "region": "b", "year": 2024, "value": 1})]


def test_cached_formula_values_are_used() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["指标", "地区", "年份", "数值"])
    wb.active.append(["a", "b", 2024, "=1+1"])
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl cannot compute formulas, so the uncached formula is reported, naming the cell.
    with pytest.raises(InputError, match="单元格 D2 的公式没有计算结果"):
        read_table("a.xlsx", buffer.getvalue())


def test_uncached_formula_in_an_ignored_column_is_harmless() -> None:
    data = xlsx_bytes(("S", [["指标", "地区", "年份", "数值", "合计"], ["a", "b", 2024, 1, "=D2*2"]]))
    assert len(read_table("a.xlsx", data).rows) == 1


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("big.csv", b"x" * (MAX_FILE_BYTES + 1), "上限为 10 MB"),
        ("a.xls", b"whatever", "另存为"),
        ("a.XLS", b"whatever", "另存为"),
        ("a.pdf", b"%PDF", "不支持“.pdf”"),
        ("noext", b"a,b", "无扩展名"),
        ("a.csv", b"   \n", "文件是空的"),
        ("a.xlsx", b"", "文件是空的"),
        ("a.xlsx", b"not a zip", "文件已损坏"),
        ("a.xlsx", b"PK\x03\x04" + b"\x00" * 100, "文件已损坏"),
        ("a.csv", "指标,数值\n1,2\n".encode(), "缺少必填列：地区（region）、年份（year）"),
        ("a.csv", "a,b\n1,2\n".encode(), "找不到表头"),
    ],
)
def test_unusable_files_are_rejected_naming_the_file(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as info:
        read_table(f"/tmp/uploads/{name}", data)
    message = str(info.value)
    assert expected in message
    assert f"文件“{name}”" in message  # the base name only, never the server path
    assert "/tmp/uploads" not in message


def test_two_columns_for_one_meaning_are_rejected() -> None:
    with pytest.raises(InputError, match="“数值”列和“完成值”列都表示数值"):
        read_table("a.csv", "指标,地区,年份,数值,完成值\na,b,2024,1,2\n".encode())
