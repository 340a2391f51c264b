"""The Excel template: generated from the store, read back by the one parser, with Excel's own guards."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import Engine

from dashboard.errors import InputError, NotFoundError
from dashboard.services import exporter, importer, template
from dashboard.services.catalog import build_catalog
from dashboard.storage.db import session_factory
from dashboard.tabular import read_table
from dashboard.validation import validate_table


def workbook(t: template.TemplateFile) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(t.data))


def fill(t: template.TemplateFile, values: dict[str, tuple[object, ...]]) -> bytes:
    """Write (value, status, note) into the rows of the given indicator codes, as a user would."""
    wb = workbook(t)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[template.HEADER_ROW]]
    for row in ws.iter_rows(min_row=template.HEADER_ROW + 1):
        code = row[headers.index("指标代码")].value
        for header, value in zip(("数值", "状态", "备注"), values.get(code, ())):
            row[headers.index(header)].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_city_template_lists_every_indicator_with_current_values(fresh_db: Engine) -> None:
    t = template.build_template(fresh_db, 2022)
    assert t.file_name == "填报模板_绍兴市_2022年.xlsx"
    wb = workbook(t)
    assert wb.sheetnames == ["2022年数据", "填报说明"]
    ws = wb.worksheets[0]
    rows = {r[0]: r for r in ws.iter_rows(min_row=template.HEADER_ROW + 1, values_only=True)}
    assert len(rows) == t.rows
    # The plan's 2022 baseline is pre-filled as a final figure, with name and unit beside it.
    assert rows["SX02"][3:9] == ("网络经营主体", "绍兴市", "万家", None, 6.7, "核实")
    assert rows["SX07"][7] == 3
    assert "67000" in "".join(str(c.value) for c in wb["填报说明"]["A"])


def test_excel_guards_hidden_codes_protection_and_validation(fresh_db: Engine) -> None:
    ws = workbook(template.build_template(fresh_db, 2024)).worksheets[0]
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden
    assert ws.protection.sheet
    first = template.HEADER_ROW + 1
    assert ws.cell(first, 1).protection.locked and not ws.cell(first, 8).protection.locked
    rules = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert rules["decimal"].operator == "greaterThanOrEqual" and rules["decimal"].formula1 == "0"
    assert "H" in str(rules["decimal"].sqref)
    assert rules["list"].formula1 == '"初步,核实"' and "I" in str(rules["list"].sqref)


def test_district_template_leaves_out_city_only_indicators(fresh_db: Engine) -> None:
    t = template.build_template(fresh_db, 2024, "越城区")
    codes = [r[0] for r in workbook(t).worksheets[0].iter_rows(min_row=template.HEADER_ROW + 1, values_only=True)]
    assert "SX01" in codes and "SX07" not in codes
    assert template.build_template(fresh_db, 2024, "330602").data  # by code too


def test_unchanged_template_changes_nothing_and_is_read_by_the_one_parser(fresh_db: Engine) -> None:
    t = template.build_template(fresh_db, 2022)
    table = read_table(t.file_name, t.data)
    with session_factory(fresh_db)() as session:
        result = validate_table(table, build_catalog(session))
    assert not result.errors
    assert {(r.region, r.year, r.month) for r in result.records} == {("330600", 2022, 12)}
    preview = importer.preview_import(fresh_db, t.file_name, t.data)
    assert not preview.has_changes and preview.count("unchanged") == 8


def test_filled_template_round_trips_through_the_import(fresh_db: Engine) -> None:
    t = template.build_template(fresh_db, 2024, "越城区")
    data = fill(t, {"SX01": (200.5, "初步", "快报"), "SX02": ("1.2", None, None)})
    result = importer.commit_import(fresh_db, t.file_name, data, actor="测试员")
    assert result.preview.count("new") == 2
    rows = {(r["indicator"], r["region"], r["year"], r["status"]): r for r in exporter.export_rows(fresh_db)}
    assert rows[("SX01", "330602", 2024, "preliminary")]["value"] == 200.5
    assert rows[("SX01", "330602", 2024, "preliminary")]["note"] == "快报"
    assert rows[("SX02", "330602", 2024, "final")]["value"] == 1.2
    # The next template shows the stored values, and the previous year's column the year before.
    again = workbook(template.build_template(fresh_db, 2024, "越城区")).worksheets[0]
    values = {r[0]: r for r in again.iter_rows(min_row=template.HEADER_ROW + 1, values_only=True)}
    assert values["SX01"][7:10] == (200.5, "初步", "快报")
    nxt = {r[0]: r for r in workbook(template.build_template(fresh_db, 2025, "越城区")).worksheets[0]
           .iter_rows(min_row=template.HEADER_ROW + 1, values_only=True)}
    assert nxt["SX01"][6] == 200.5 and nxt["SX01"][7] is None


def test_a_text_value_in_the_template_is_located(fresh_db: Engine) -> None:
    t = template.build_template(fresh_db, 2024)
    with pytest.raises(InputError) as caught:
        importer.preview_import(fresh_db, t.file_name, fill(t, {"SX03": ("约60",)}))
    [issue] = caught.value.issues
    assert (issue.sheet, issue.column) == ("2024年数据", "数值") and issue.row == template.HEADER_ROW + 3


def test_bad_scope_or_year(fresh_db: Engine) -> None:
    with pytest.raises(NotFoundError, match="没有地区“火星”"):
        template.build_template(fresh_db, 2024, "火星")
    with pytest.raises(InputError, match="2035"):
        template.build_template(fresh_db, 2035)


def test_cli_template_writes_the_file(fresh_db: Engine, db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli import kpi

    path = tmp_path / "t.xlsx"
    code, output = kpi(db_url, "template", "--year", "2024", "--region", "越城区", str(path))
    assert code == 0 and "12 个指标" in output, output
    assert importer.preview_import(fresh_db, path.name, path.read_bytes()).changes == ()
