"""validate_table: one parametrized test group per rule, plus a realistic end-to-end workbook."""

from __future__ import annotations

import pytest
from test_bad_inputs import SHAOXING_CATALOG
from test_tabular import REALISTIC, xlsx_bytes

from dashboard.tabular import Cell, RawRow, RawTable, read_table
from dashboard.validation import Record, ValidationResult, validate_table

GOOD = {"indicator": "网络零售额", "region": "越城区", "year": 2024, "value": 100}
HEADERS = {"indicator": "指标", "region": "地区", "year": "年份", "month": "月份", "value": "数值",
           "status": "状态", "note": "备注"}


def table(*rows: dict[str, object]) -> RawTable:
    """A table whose data rows start at row 2, built directly (no file) to test one rule at a time."""
    raw_rows = tuple(
        RawRow("Sheet1", number, {k: Cell(v, HEADERS[k]) for k, v in row.items()})
        for number, row in enumerate(rows, start=2)
    )
    return RawTable("t.xlsx", "Sheet1", raw_rows, 1, HEADERS)


def validate(**changes: object) -> ValidationResult:
    return validate_table(table({**GOOD, **changes}), SHAOXING_CATALOG)


def only_record(**changes: object) -> Record:
    result = validate(**changes)
    assert result.errors == ()
    (record,) = result.records
    return record


def only_error(**changes: object) -> str:
    result = validate(**changes)
    assert result.records == ()
    (issue,) = result.errors
    assert (issue.file, issue.sheet, issue.row) == ("t.xlsx", "Sheet1", 2)
    return str(issue)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("SX01", "SX01"), ("sx01", "SX01"), (" 网络零售额 ", "SX01"), ("网络 零售额", "SX01"),
     ("农村快递“共富驿站”", "SX06"), ('农村快递"共富驿站"', "SX06"), ("农村快递共富驿站", "SX06"),
     ("农村快递「共富驿站」", "SX06"), ("ＳＸ０８", "SX08")],
)
def test_indicator_by_code_or_name(raw: str, code: str) -> None:
    assert only_record(indicator=raw).indicator == code


@pytest.mark.parametrize("raw", ["网购交易额", "SX99", 1])
def test_unknown_indicator(raw: object) -> None:
    assert f"第 2 行，“指标”列：“{raw}”不是已知的指标" in only_error(indicator=raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("330602", "330602"), (330602, "330602"), (330602.0, "330602"), ("越城区", "330602"), ("越城", "330602"),
     ("绍兴市", "330600"), ("全市", "330600"), ("市本级", "330600"), ("诸暨", "330681"), ("３３０６８３", "330683")],
)
def test_region_by_code_or_name(raw: object, code: str) -> None:
    assert only_record(region=raw).region == code


@pytest.mark.parametrize("raw", ["越城新区", "330699", "杭州市"])
def test_unknown_region(raw: str) -> None:
    assert f"“地区”列：“{raw}”不是已知的地区" in only_error(region=raw)


@pytest.mark.parametrize(("raw", "year"), [(2022, 2022), ("2027", 2027), (2024.0, 2024), ("2024年", 2024)])
def test_year_accepted(raw: object, year: int) -> None:
    assert only_record(year=raw).year == year


@pytest.mark.parametrize(("raw", "expected"),
                         [(2021, "年份 2021 超出范围"), (2028, "年份 2028 超出范围"),
                          ("2024.5", "“2024.5”不是有效的年份"), ("明年", "“明年”不是有效的年份"),
                          (None, "“年份”为空")])
def test_year_rejected_with_the_allowed_range(raw: object, expected: str) -> None:
    message = only_error(year=raw)
    assert expected in message and "“年份”列" in message
    if raw is not None:
        assert "2022–2027" in message


@pytest.mark.parametrize(("raw", "month"),
                         [(None, 12), ("", 12), (1, 1), (6.0, 6), ("12", 12), ("6月", 6), ("1-6月", 6),
                          ("1—6月", 6), ("1至9月累计", 9), ("全年", 12), ("１２月", 12)])
def test_month_optional_default_year_end(raw: object, month: int) -> None:
    assert only_record(month=raw).month == month


def test_month_column_may_be_absent() -> None:
    assert only_record().month == 12


@pytest.mark.parametrize("raw", [0, 13, "13月", "2-6月", "六月", 6.5])
def test_month_rejected(raw: object) -> None:
    assert "“月份”列" in only_error(month=raw) and "1–12" in only_error(month=raw)


@pytest.mark.parametrize(("raw", "value"),
                         [(0, 0.0), (6.7, 6.7), ("1,234.5", 1234.5), ("１２３．５", 123.5), (" 12 ", 12.0)])
def test_value_parsed(raw: object, value: float) -> None:
    assert only_record(value=raw).value == value


@pytest.mark.parametrize(("raw", "expected"),
                         [("abc", "“abc”不是数字"), ("约100", "“约100”不是数字"), (-1, "“-1”是负数"),
                          ("50%", "不要带“%”"), (True, "逻辑值")])
def test_value_rejected(raw: object, expected: str) -> None:
    message = only_error(value=raw)
    assert "第 2 行，“数值”列" in message and expected in message


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "—", "/"])
def test_blank_value_is_skipped_and_counted_never_zero(raw: object) -> None:
    # Even a row with other mistakes is skipped: without a figure there is nothing to import.
    result = validate(value=raw, indicator="不存在")
    assert (result.records, result.errors, result.skipped_blank) == ((), (), 1)


def test_entirely_blank_row_is_skipped_silently() -> None:
    result = validate_table(table({k: None for k in HEADERS}, {k: " " for k in HEADERS}), SHAOXING_CATALOG)
    assert (result.records, result.errors, result.skipped_blank) == ((), (), 0)


@pytest.mark.parametrize(("raw", "status"),
                         [(None, "final"), ("初步", "preliminary"), ("初步数", "preliminary"), ("P", "preliminary"),
                          ("preliminary", "preliminary"), ("核实数", "final"), ("最终", "final"), ("f", "final"),
                          (" Final ", "final")])
def test_status(raw: object, status: str) -> None:
    assert only_record(status=raw).status == status


@pytest.mark.parametrize("raw", ["估计", "x", 1])
def test_unknown_status(raw: object) -> None:
    assert f"“状态”列：“{raw}”不是有效的数据状态" in only_error(status=raw)


@pytest.mark.parametrize(("region", "ok"), [("绍兴市", True), ("330600", True), ("越城区", False), ("嵊州市", False)])
def test_city_only_indicator(region: str, ok: bool) -> None:
    if ok:
        assert only_record(indicator="平台经济领域地方标准", region=region).region == "330600"
    else:
        assert "只统计全市数据" in only_error(indicator="平台经济领域地方标准", region=region)


def test_duplicates_name_both_rows_but_preliminary_and_final_may_coexist() -> None:
    rows = [GOOD, {**GOOD, "status": "初步数"}, {**GOOD, "month": 6}, {**GOOD, "value": 101, "year": "2024年"}]
    result = validate_table(table(*rows), SHAOXING_CATALOG)
    (issue,) = result.errors
    assert issue.row == 5 and "与第 2 行重复" in str(issue) and "第 2 行和第 5 行" in str(issue)
    assert len(result.records) == 4


def test_note_is_trimmed_but_keeps_chinese_punctuation() -> None:
    assert only_record(note="  新增　驿站，已验收 ").note == "新增　驿站，已验收"
    assert only_record(note="").note is None


def test_all_errors_are_collected_in_row_then_column_order() -> None:
    rows = [{**GOOD, "value": "abc", "indicator": "x"}, GOOD, {**GOOD, "year": 1999, "status": "?"}]
    result = validate_table(table(*rows), SHAOXING_CATALOG)
    located = [(i.row, i.column) for i in result.errors]
    assert located == [(2, "指标"), (2, "数值"), (4, "年份"), (4, "状态")]
    assert [r.row for r in result.records] == [3]


def test_realistic_workbook_end_to_end() -> None:
    raw = read_table("越城区2024.xlsx", xlsx_bytes(("数据", REALISTIC)))
    result = validate_table(raw, SHAOXING_CATALOG)
    assert result.errors == ()
    assert result.records == (
        Record("SX01", "330602", 2024, 12, "preliminary", 1234.5, None, "数据", 5),
        Record("SX06", "330602", 2024, 12, "final", 123.0, "新增 5 个", "数据", 7),
        Record("SX02", "330602", 2024, 6, "final", 1234.0, None, "数据", 9),
    )


def test_message_format_matches_the_house_style() -> None:
    raw = read_table("a.xlsx", xlsx_bytes(("Sheet1", [["标题"], None, ["指标", "地区", "年份", "数值"], *[[
        "网络零售额", "越城区", 2024, 1]] * 3, ["网络零售额", "柯桥区", 2024, "abc"]])))
    errors = [str(e) for e in validate_table(raw, SHAOXING_CATALOG).errors]
    assert "文件“a.xlsx”，工作表“Sheet1”，第 7 行，“数值”列：“abc”不是数字" in errors
