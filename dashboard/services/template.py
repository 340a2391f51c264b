"""The Excel template statistics staff fill in: one row per indicator for one period and one scope.

The period is a year (month 12: whole-year or year-end figures) or 1–N月 of a year (month N:
1–N月累计 for flows, N月末 for stocks); a month template carries a locked 月份 column and the
same period of the previous year (上年同期) beside the value.

The template is an ordinary upload for the one import parser (:func:`dashboard.tabular.read_table`):
its header row uses the accepted Chinese headers, every row carries its indicator code, region code
and year (the code columns are hidden and the sheet is protected so only 数值/状态/备注 can be
edited), and the instructions sheet's name contains 说明, which the reader skips. Current values are
pre-filled, so uploading the template unchanged changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Engine

from dashboard.errors import InputError, NotFoundError
from dashboard.ranking import PEER_CITIES, PROVINCE_CODE, PROVINCE_NAME
from dashboard.services.catalog import build_catalog
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Indicator, Observation, Region

INSTRUCTIONS_SHEET = "填报说明"
STATUS_CHOICES = ("初步", "核实")
_STATUS_WORD = {"preliminary": "初步", "final": "核实"}
# (header as written, width, editable). The first three carry the keys; the reader prefers the
# code columns over the name columns, so renaming an indicator never breaks an old template.
COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("指标代码", 12, False),
    ("行政区划代码", 12, False),
    ("年份", 8, False),
    ("指标名称", 34, False),
    ("地区", 10, False),
    ("单位", 8, False),
    ("上年数值", 12, False),
    ("数值", 14, True),
    ("状态", 8, True),
    ("备注", 40, True),
)
HIDDEN_COLUMNS = ("A", "B")
MONTH_COLUMN = ("月份", 8, False)
GROWTH_COLUMN = ("同比增速", 10, True)  # % as published; the 全省对比 sheet only
# The scope of the 全省对比 template: 浙江省 and its 11 设区市, every core indicator, one period.
PEER_SCOPE_NAME = "全省对比"
PEER_SCOPES = ("province", PEER_SCOPE_NAME, "全省", PROVINCE_NAME, PROVINCE_CODE)
HEADER_ROW = 3
_EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "type here"
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def columns(month: int = 12, growth: bool = False) -> tuple[tuple[str, int, bool], ...]:
    """The template's columns: a month template adds 月份 after 年份 and names the reference 上年同期;
    the 全省对比 template (``growth``) adds 同比增速 after 数值."""
    layout = COLUMNS
    if growth:
        at = [c[0] for c in layout].index("数值") + 1
        layout = (*layout[:at], GROWTH_COLUMN, *layout[at:])
    if month == 12:
        return layout
    renamed = tuple(("上年同期", w, e) if h == "上年数值" else (h, w, e) for h, w, e in layout)
    return (*renamed[:3], MONTH_COLUMN, *renamed[3:])


@dataclass(frozen=True)
class TemplateFile:
    file_name: str
    data: bytes
    rows: int  # indicator rows in the template


@dataclass(frozen=True)
class TemplateOptions:
    """What a template may be made for: the years of the plan and the regions (the city first)."""

    years: tuple[int, ...]
    regions: tuple[tuple[str, str], ...]  # (code, name)


def template_options(engine: Engine) -> TemplateOptions:
    with session_factory(engine)() as session:
        catalog = build_catalog(session)
        return TemplateOptions(tuple(range(catalog.first_year, catalog.last_year + 1)),
                               (*((r.code, r.name) for r in catalog.regions if not r.peer),
                                (PROVINCE_CODE, PEER_SCOPE_NAME)))


def _scope_region(regions: list[Region], scope: str | None) -> Region:
    """The region of ``scope``: ``None``/"city"/绍兴市 for the city, a district code or name, or 浙江省 for
    the 全省对比 template (see :data:`PEER_SCOPES`). Another 设区市 has no template of its own."""
    if scope in PEER_SCOPES:
        province = next((r for r in regions if r.code == PROVINCE_CODE), None)
        if province is None:
            raise NotFoundError("数据库中没有浙江省（330000），请先升级数据库（kpi init）")
        return province
    if scope in (None, "", "city"):
        cities = [r for r in regions if r.level == "city" and r.parent_code != PROVINCE_CODE]
        if len(cities) != 1:
            raise NotFoundError("数据库中没有唯一的全市地区，请指定地区")
        return cities[0]
    for region in regions:
        if scope in (region.code, region.name):
            if region.parent_code == PROVINCE_CODE:
                raise NotFoundError(f"{region.name}的数据请用“{PEER_SCOPE_NAME}”模板填报（浙江省及11个设区市）")
            return region
    raise NotFoundError(f"没有地区“{scope}”，请填写行政区划代码或名称")


def _value_of(observations: dict[str, Observation]) -> Observation | None:
    """The figure to pre-fill: the final one when reported, else the preliminary one."""
    return observations.get("final") or observations.get("preliminary")


def template_file_name(region_name: str, year: int, month: int = 12) -> str:
    """``填报模板_绍兴市_2025年.xlsx`` / ``…_2026年1–9月.xlsx``: known before the file is built (the page builds it only when clicked)."""
    if region_name in PEER_SCOPES:
        region_name = PEER_SCOPE_NAME
    return f"填报模板_{region_name}_{_period(year, month)}.xlsx"


def build_template(engine: Engine, year: int, scope: str | None = None, month: int = 12) -> TemplateFile:
    """The .xlsx template for ``year`` (1–``month``月 when month < 12) and ``scope`` (the city by default).

    A district's template lists only indicators that districts report (not city-only ones).
    """
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InputError(f"月份 {month!r} 无效，应为 1–12（12 表示全年）")
    with session_factory(engine)() as session:
        catalog = build_catalog(session)
        if not catalog.first_year <= year <= catalog.last_year:
            raise InputError(f"年份 {year} 超出范围，应为 {catalog.first_year}–{catalog.last_year} 之间的年份")
        all_regions = repo.all_regions(session)
        region = _scope_region(all_regions, scope)
        peers = region.level == "province"
        if peers:  # 全省对比: every core indicator of 浙江省 and its 11 设区市 (the province first)
            regions = [region, *(r for code, _ in PEER_CITIES for r in all_regions if r.code == code)]
            indicators = repo.indicators(session, tier="core")
            pairs = [(i, r) for i in indicators for r in regions]
        else:
            regions = [region]
            pairs = [(i, region) for i in repo.indicators(session)
                     if region.level == "city" or i.aggregation != "city_only"]
        current: dict[tuple[int, str, int], dict[str, Observation]] = {}
        for o in repo.current_observations(session, region_codes=[r.code for r in regions], years=(year, year - 1),
                                           months=[month]):
            current.setdefault((o.indicator_id, o.region_code, o.year), {})[o.status] = o
        rows = [_row(i, r, year, month, current, growth=peers) for i, r in pairs]
    name = PEER_SCOPE_NAME if peers else region.name
    data = _workbook_bytes(rows, region, year, month, name)
    return TemplateFile(template_file_name(name, year, month), data, len(rows))


def _period(year: int, month: int) -> str:
    """"2026年" or "2026年1–9月"."""
    from dashboard.monthly import period_label

    return f"{year}年" if month == 12 else f"{year}年{period_label(month)}"


def _row(indicator: Indicator, region: Region, year: int, month: int,
         current: dict[tuple[int, str, int], dict[str, Observation]], growth: bool = False) -> list[object]:
    this_year = _value_of(current.get((indicator.id, region.code, year), {}))
    last_year = _value_of(current.get((indicator.id, region.code, year - 1), {}))
    return [
        indicator.code, region.code, year, *([] if month == 12 else [month]),
        indicator.name, region.name, indicator.unit,
        None if last_year is None else last_year.value,
        None if this_year is None else this_year.value,
        *([None if this_year is None else this_year.growth] if growth else []),
        None if this_year is None else _STATUS_WORD[this_year.status],
        None if this_year is None else this_year.note,
    ]


def _workbook_bytes(rows: list[list[object]], region: Region, year: int, month: int, name: str) -> bytes:
    peers = region.level == "province"
    layout = columns(month, growth=peers)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PEER_SCOPE_NAME if peers else f"{_period(year, month)}数据"
    sheet["A1"] = f"绍兴市平台经济“1215”目标监测　{name}{_period(year, month)}数据填报表"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "只填写黄色的“数值”“状态”“备注”列；数值留空表示不填报（不改变已有数据），不是 0。详见“填报说明”工作表。"
    for col, (header, width, _editable) in enumerate(layout, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    for offset, values in enumerate(rows, start=1):
        for col, ((_header, _width, editable), value) in enumerate(zip(layout, values), start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=col, value=value)
            if editable:
                cell.protection = Protection(locked=False)
                cell.fill = _EDITABLE_FILL
    last = HEADER_ROW + max(len(rows), 1)
    _add_validations(sheet, last, layout)
    for letter in HIDDEN_COLUMNS:
        sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=[c[0] for c in layout].index("指标名称") + 1)
    # Protection without a password: it prevents accidental edits of the keys, not a determined user
    # (the import validates every row anyway).
    sheet.protection.sheet = True
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), name, year, month, peers)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(header: str, layout: tuple[tuple[str, int, bool], ...] = COLUMNS) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([c[0] for c in layout].index(header) + 1)


def _add_validations(sheet, last_row: int, layout: tuple[tuple[str, int, bool], ...]) -> None:  # type: ignore[no-untyped-def]
    value_col, status_col = _column_letter("数值", layout), _column_letter("状态", layout)
    number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="数值有误", error="请填写不小于 0 的数字（单位见“单位”列），不要带单位或文字。")
    number.add(f"{value_col}{HEADER_ROW + 1}:{value_col}{last_row}")
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态有误", error="请选择“初步”或“核实”。")
    status.add(f"{status_col}{HEADER_ROW + 1}:{status_col}{last_row}")
    sheet.add_data_validation(number)
    sheet.add_data_validation(status)
    if any(c[0] == GROWTH_COLUMN[0] for c in layout):
        growth_col = _column_letter(GROWTH_COLUMN[0], layout)
        rate = DataValidation(type="decimal", operator="greaterThan", formula1="-100", allow_blank=True,
                              showErrorMessage=True, errorTitle="同比增速有误",
                              error="请按百分数填写同比增速（如 9.4 表示增长 9.4%），不要带 % 或文字。")
        rate.add(f"{growth_col}{HEADER_ROW + 1}:{growth_col}{last_row}")
        sheet.add_data_validation(rate)


def _instructions(sheet, name: str, year: int, month: int, peers: bool = False) -> None:  # type: ignore[no-untyped-def]
    if month == 12:
        period = "6. 数值为全年数（流量指标）或年末数（存量、累计指标）。"
    else:
        period = (f"6. 数值为1–{month}月累计数（流量指标，如网络零售额）或{month}月末数（存量、累计指标）；"
                  f"累计数不应小于前几个月的累计数。“上年同期”为{year - 1}年同期数，供核对。")
    lines = [
        f"{name}{_period(year, month)}数据填报说明",
        "",
        "1. 只填写黄色单元格：“数值”“状态”“备注”。其他列（含隐藏的代码列）请勿修改、删除或调整行顺序。",
        "2. 数值按“单位”列的单位填写。例如网络经营主体的单位是“万家”，6.7 万家填 6.7，不要填 67000。",
        "3. 数值留空表示“不填报”，不会改成 0，也不会删除已有数据；已预填的是当前数据库中的数值。",
        "4. 状态选择“初步”（初步数）或“核实”（核实数）；留空视为核实数。初步数和核实数分别保存。",
        "5. 备注可填写情况说明；留空则保留原有备注。",
        period,
        "7. 保存为 .xlsx 格式（不要另存为 .xls），在“数据填报”页面上传；上传后先预览变化，确认后才写入。",
        "8. 系统会提示可能的问题（如与上年相比变化过大、疑似单位填错、区县合计大于全市），核对无误后勾选确认即可提交。",
        "9. 每次提交都有记录，可在“提交记录”页面查看历史并撤销。",
    ]
    if peers:
        lines += [
            "10. 全省对比：浙江省及11个设区市的数值和“同比增速”（百分数，如 9.4 表示增长 9.4%），一般摘自省统计快报；"
            "同比增速留空时按上年同期数计算。只有市统计局人员或管理员可以导入。",
            "11. 位次只在11个设区市都有数据时计算；“高于/低于全省”只用浙江省的数据，不用各市平均数。",
        ]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=False)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110
