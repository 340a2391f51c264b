"""Turn raw rows into validated records, one small check function per rule.

Every rule returns :class:`~dashboard.errors.Issue` objects instead of raising or printing, so one
upload yields *all* its problems and staff can fix the file in one go. Messages are plain Chinese and
located by file, sheet, row and the column header as the user wrote it.

Conventions carried from DOMAIN.md:

* A blank value means "not reported", never 0: such rows are skipped and counted, not stored.
* Month is optional and defaults to 12; month *m* means the cumulative figure for January..m.
* Status is optional and defaults to ``final`` (核实数); preliminary figures must be marked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from dashboard.errors import Issue
from dashboard.numbers import NumberFormatError, is_blank, normalise_text, parse_int, parse_int_year, parse_number
from dashboard.tabular import CANONICAL_LABELS, Cell, RawRow, RawTable
from dashboard.textsafety import note_problem, unguard_formula

T = TypeVar("T")
Checked = tuple[T | None, list[Issue]]

STATUS_ALIASES: Mapping[str, str] = {
    **dict.fromkeys(["初步", "初步数", "preliminary", "p"], "preliminary"),
    **dict.fromkeys(["核实", "核实数", "最终", "final", "f"], "final"),
}
DEFAULT_STATUS = "final"
DEFAULT_MONTH = 12  # the whole year / year-end position
CITY_ALIASES = ("绍兴市", "全市", "市本级")
# Quotes are dropped when matching names: 农村快递“共富驿站” is typed with any of these, or none.
_QUOTES_RE = re.compile(r"[\"'“”‘’「」『』〝〞]")
# "6", "6月", "1-6月", "1至6月累计": staff write the cumulative period in several ways.
_MONTH_RE = re.compile(r"^(?:1\s*月?\s*[-~—–至到]\s*)?(\d{1,2})\s*(?:月份|月)?\s*(?:累计)?$")
_YEAR_MONTH_WORDS = ("全年", "全年度", "年度")
_MAX_SHOWN = 40
# No indicator of the plan comes near this in its own unit; anything above is a slip (and summing a
# few such values would overflow the dashboard's arithmetic).
DEFAULT_MAX_VALUE = 1e12


@dataclass(frozen=True)
class IndicatorRef:
    code: str
    name: str
    unit: str
    city_only: bool
    decimals: int
    max_value: float = DEFAULT_MAX_VALUE  # the plausible bound: larger values are refused
    kind: str = "stock"  # "flow" figures are 1–N月累计 and may not shrink within a year


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: str  # "province" | "city" | "district"
    # A region of the provincial comparison only (浙江省, another 设区市): never a district of the home city.
    peer: bool = False


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[IndicatorRef, ...]
    regions: tuple[RegionRef, ...]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Record:
    indicator: str  # indicator code
    region: str  # region code
    year: int
    month: int
    status: str  # "preliminary" | "final"
    value: float
    note: str | None
    sheet: str | None
    row: int
    growth: float | None = None  # 同比增速 in percent as published (17.5 = 17.5%); None: not given


@dataclass(frozen=True)
class ValidationResult:
    records: tuple[Record, ...]
    errors: tuple[Issue, ...]
    skipped_blank: int  # rows with a figure-less value cell ("not reported"), not stored


@dataclass(frozen=True)
class _At:
    """Where a row is, so checks can build located issues without knowing about tables."""

    file: str
    sheet: str | None
    row: int

    def issue(self, cell: Cell | None, message: str) -> Issue:
        return Issue(message, file=self.file, sheet=self.sheet, row=self.row,
                     column=cell.column if cell is not None else None)


@dataclass(frozen=True)
class _Lookups:
    """Catalog entries keyed by every spelling staff use for them (see :func:`_key`)."""

    catalog: Catalog
    indicators: Mapping[str, IndicatorRef]
    regions: Mapping[str, RegionRef]

    @classmethod
    def of(cls, catalog: Catalog) -> _Lookups:
        indicators: dict[str, IndicatorRef] = {}
        for ind in catalog.indicators:
            indicators.setdefault(_key(ind.code), ind)
            indicators.setdefault(_key(ind.name), ind)
        regions: dict[str, RegionRef] = {}
        for reg in catalog.regions:
            regions.setdefault(_key(reg.code), reg)
            regions.setdefault(_key(reg.name), reg)
        cities = [r for r in catalog.regions if r.level == "city" and not r.peer]
        if len(cities) == 1:  # 全市/市本级 are only unambiguous with a single city
            for alias in CITY_ALIASES:
                regions.setdefault(_key(alias), cities[0])
        for reg in catalog.regions:
            # Short names (越城, 诸暨, 绍兴) are common; setdefault keeps full names authoritative.
            if len(reg.name) > 2 and reg.name[-1] in "区县市":
                regions.setdefault(_key(reg.name[:-1]), reg)
        return cls(catalog, indicators, regions)


def _key(raw: object) -> str:
    """Fold a code or name for lookup: NFKC, no spaces or quotes, case-insensitive, 330602.0 -> 330602."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel stores a typed code such as 330602 as a float
    text = normalise_text(str(raw))
    return _QUOTES_RE.sub("", re.sub(r"\s+", "", text)).casefold()


def _shown(raw: object) -> str:
    """The value as the user typed it, shortened for a one-line message."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _value_of(cell: Cell | None) -> object:
    return None if cell is None else cell.value


def _required_blank(at: _At, cell: Cell | None, canonical: str) -> list[Issue]:
    label = CANONICAL_LABELS[canonical]
    # Merged cells read as blank below their first row: the commonest cause of this error.
    return [at.issue(cell, f"“{label}”为空，请填写（如是合并单元格，请取消合并并逐行填写）")]


def _choices(names: list[str]) -> str:
    return "、".join(names) if len(names) <= 12 else "、".join(names[:12]) + "等"


# --------------------------------------------------------------------------------- the rules


def check_indicator(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[IndicatorRef]:
    """Indicator by code or Chinese name (full-width, spaces and quotes tolerated)."""
    raw = _value_of(cell)
    if is_blank(raw):
        return None, _required_blank(at, cell, "indicator")
    found = lookups.indicators.get(_key(raw))
    if found is None:
        names = _choices([i.name for i in lookups.catalog.indicators])
        return None, [at.issue(cell, f"“{_shown(raw)}”不是已知的指标，请填写指标代码或名称（{names}）")]
    return found, []


def check_region(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[RegionRef]:
    """Region by administrative code (330602) or name (越城区); 绍兴市/全市/市本级 mean the city."""
    raw = _value_of(cell)
    if is_blank(raw):
        return None, _required_blank(at, cell, "region")
    found = lookups.regions.get(_key(raw))
    if found is None:
        names = _choices([f"{r.name} {r.code}" for r in lookups.catalog.regions])
        return None, [at.issue(cell, f"“{_shown(raw)}”不是已知的地区，请填写行政区划代码或名称（{names}）")]
    return found, []


def check_year(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[int]:
    """A whole year within the catalog's range."""
    raw = _value_of(cell)
    first, last = lookups.catalog.first_year, lookups.catalog.last_year
    allowed = f"应为 {first}–{last} 之间的年份"
    try:
        year = parse_int_year(raw)
    except NumberFormatError:
        return None, [at.issue(cell, f"“{_shown(raw)}”不是有效的年份，{allowed}")]
    if year is None:
        return None, _required_blank(at, cell, "year")
    if not first <= year <= last:
        return None, [at.issue(cell, f"年份 {year} 超出范围，{allowed}")]
    return year, []


def check_month(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[int]:
    """Optional month 1–12 (default 12); m means the January..m cumulative figure."""
    raw = _value_of(cell)
    if is_blank(raw):
        return DEFAULT_MONTH, []
    month: int | None = None
    if isinstance(raw, str):
        text = normalise_text(raw)
        match = _MONTH_RE.match(text)
        month = DEFAULT_MONTH if text in _YEAR_MONTH_WORDS else int(match.group(1)) if match else None
    else:
        try:
            month = parse_int(raw)
        except NumberFormatError:
            month = None
    if month is None or not 1 <= month <= 12:
        hint = "应为 1–12 的整数（12 表示全年，6 表示 1–6 月累计），留空表示全年"
        return None, [at.issue(cell, f"“{_shown(raw)}”不是有效的月份，{hint}")]
    return month, []


def check_value(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[float]:
    """A non-negative number; ``(None, [])`` means blank = not reported (the row is skipped)."""
    raw = _value_of(cell)
    try:
        value = parse_number(raw)
    except NumberFormatError as exc:
        return None, [at.issue(cell, f"“{_shown(raw)}”{exc.reason}")]
    if value is not None and value < 0:
        return None, [at.issue(cell, f"“{_shown(raw)}”是负数，指标数值不能为负")]
    return value, []


def check_status(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[str]:
    """Optional status: 初步数 → preliminary, 核实数 → final; blank means final."""
    raw = _value_of(cell)
    if is_blank(raw):
        return DEFAULT_STATUS, []
    status = STATUS_ALIASES.get(_key(raw))
    if status is None:
        hint = "应填写“初步数”或“核实数”，留空表示核实数"
        return None, [at.issue(cell, f"“{_shown(raw)}”不是有效的数据状态，{hint}")]
    return status, []


def check_growth(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[float]:
    """Optional 同比增速 in percent (17.5 or "17.5%"), above −100%; blank = not given."""
    raw = _value_of(cell)
    text = raw.strip().rstrip("%％") if isinstance(raw, str) else raw  # a rate may carry its own % sign
    try:
        growth = parse_number(text)
    except NumberFormatError as exc:
        return None, [at.issue(cell, f"“{_shown(raw)}”{exc.reason}（同比增速按百分数填写，如 17.5）")]
    if growth is not None and growth <= -100:
        return None, [at.issue(cell, f"同比增速“{_shown(raw)}”不能小于或等于 −100%")]
    return growth, []


def check_city_only(indicator: IndicatorRef, region: RegionRef, cell: Cell | None, at: _At) -> list[Issue]:
    """City-only indicators (e.g. local standards, issued by the city) take no district figures (the
    province and the cities of the 全省对比 have figures of their own)."""
    if indicator.city_only and region.level == "district":
        return [at.issue(cell, f"指标“{indicator.name}”只统计全市数据，不能填写{region.name}的数值")]
    return []


def check_bound(indicator: IndicatorRef, value: float, cell: Cell | None, at: _At) -> list[Issue]:
    """A value beyond the indicator's plausible bound is a slip (a wrong unit, a pasted ID), never a figure."""
    if value > indicator.max_value:
        return [at.issue(cell, f"{_shown(value)} 超出“{indicator.name}”的合理范围（不超过 {indicator.max_value:g} "
                               f"{indicator.unit}），请检查单位或数值")]
    return []


def check_note(cell: Cell | None, at: _At, lookups: _Lookups) -> Checked[str]:
    """Optional free text, kept as typed; at most 2,000 characters, no control or bidi characters.

    The apostrophe the export puts before formula-like text is removed, so export → import is an
    identity.
    """
    raw = _value_of(cell)
    if is_blank(raw):
        return None, []
    text = unguard_formula(str(raw).replace("\r\n", "\n").strip())
    problem = note_problem(text)
    if problem is not None:
        return None, [at.issue(cell, problem)]
    return text, []


def check_duplicates(records: list[Record], file: str) -> list[Issue]:
    """The same indicator, region, year, month and status may appear only once per file."""
    first_seen: dict[tuple[str, str, int, int, str], Record] = {}
    issues: list[Issue] = []
    for rec in records:
        key = (rec.indicator, rec.region, rec.year, rec.month, rec.status)
        first = first_seen.setdefault(key, rec)
        if first is not rec:
            where = f"第 {first.row} 行" if first.sheet == rec.sheet else f"工作表“{first.sheet}”第 {first.row} 行"
            message = (f"与{where}重复（第 {first.row} 行和第 {rec.row} 行的指标、地区、年份、月份和状态相同），"
                       "请删除其中一行")
            issues.append(Issue(message, file=file, sheet=rec.sheet, row=rec.row))
    return issues


# ------------------------------------------------------------------------------- the driver


def validate_table(table: RawTable, catalog: Catalog) -> ValidationResult:
    """Validate every row of ``table`` against ``catalog``, collecting all errors."""
    lookups = _Lookups.of(catalog)
    records: list[Record] = []
    errors: list[Issue] = []
    skipped_blank = 0
    for raw_row in table.rows:
        cells = raw_row.cells
        if all(is_blank(c.value) for c in cells.values()):
            continue  # an entirely blank row is not even "not reported"
        at = _At(table.file, raw_row.sheet, raw_row.row)
        value, value_issues = check_value(cells.get("value"), at, lookups)
        if value is None and not value_issues:
            skipped_blank += 1
            continue
        issues: list[Issue] = []
        record = _check_row(raw_row, at, lookups, (value, value_issues), issues)
        errors += issues
        if record is not None:
            records.append(record)
    errors += check_duplicates(records, table.file)
    errors.sort(key=lambda issue: (issue.sheet or "", issue.row or 0))
    return ValidationResult(tuple(records), tuple(errors), skipped_blank)


def _check_row(raw_row: RawRow, at: _At, lookups: _Lookups, checked_value: Checked[float],
               issues: list[Issue]) -> Record | None:
    """Run the per-cell rules on one row (appending to ``issues`` in column order).

    The value was checked first by the caller (a blank value skips the row) and is passed in.
    """
    cells = raw_row.cells

    def run(check: Callable[[Cell | None, _At, _Lookups], Checked[T]], column: str) -> T | None:
        result, found = check(cells.get(column), at, lookups)
        issues.extend(found)
        return result

    indicator = run(check_indicator, "indicator")
    region = run(check_region, "region")
    year = run(check_year, "year")
    month = run(check_month, "month")
    value, value_issues = checked_value
    issues.extend(value_issues)
    status = run(check_status, "status")
    if indicator is not None and region is not None:
        issues.extend(check_city_only(indicator, region, cells.get("region"), at))
    if indicator is not None and value is not None:
        issues.extend(check_bound(indicator, value, cells.get("value"), at))
    note, note_issues = check_note(cells.get("note"), at, lookups)
    issues.extend(note_issues)
    growth = run(check_growth, "growth")
    if issues or indicator is None or region is None or year is None or month is None \
            or status is None or value is None:
        return None
    return Record(indicator.code, region.code, year, month, status, value, note, raw_row.sheet, raw_row.row, growth)
