"""Reporting periods (报送期) and the 报送情况 grid: indicator × region, who has reported what.

Administrators define, per indicator or for all, the periods to report and their deadlines; the grid
tells for a chosen period which cells are 已发布 / 待审核 / 已退回 / 未报 / 逾期, and exports it as XLSX
so the office can send a 催报 list. ``kpi status`` prints the same grid.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import Engine

from dashboard import auth, reporting
from dashboard.auth import Actor
from dashboard.errors import InputError, NotFoundError
from dashboard.reporting import Evidence, cell_state, cell_text, period_label
from dashboard.services.exporter import safe_text
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage import reporting as reporting_repo
from dashboard.storage.db import session_factory, write_transaction
from dashboard.storage.models import ReportingPeriod

ALL_INDICATORS = "全部指标"
AUDIT_PERIOD = "reporting_period"
BEIJING = timezone(timedelta(hours=8))
OVERDUE_FILL = "FDE2E1"  # a light red behind the word 逾期 in the export (the word carries the meaning)


@dataclass(frozen=True)
class PeriodRow:
    """A defined period, as the admin's table and the CLI show it."""

    indicator: str  # indicator name, or ALL_INDICATORS
    year: int
    month: int
    deadline: date
    created_by: str

    @property
    def label(self) -> str:
        return period_label(self.year, self.month)


@dataclass(frozen=True)
class StatusCell:
    indicator_code: str
    region_code: str
    state: str
    deadline: date | None
    # A published figure with a correction waiting for review: still 已发布, but said so.
    correction_pending: bool = False

    @property
    def text(self) -> str:
        return cell_text(self.state) + ("（更正待审核）" if self.correction_pending else "")


@dataclass(frozen=True)
class StatusGrid:
    """The 报送情况 of one period: rows are indicators, columns the city and its districts."""

    year: int
    month: int
    today: date
    indicators: tuple[tuple[str, str], ...]  # (code, name)
    regions: tuple[tuple[str, str], ...]  # (code, name)
    cells: dict[tuple[str, str], StatusCell]  # (indicator code, region code) -> cell
    deadlines: dict[str, date | None]  # indicator code -> its deadline (None: not required)

    @property
    def label(self) -> str:
        return period_label(self.year, self.month)

    def count(self, state: str) -> int:
        return sum(1 for c in self.cells.values() if c.state == state)

    def to_chase(self) -> list[StatusCell]:
        """The cells the office sends a reminder (催报) for, most urgent first."""
        order = {s: n for n, s in enumerate(reporting.TO_CHASE)}
        return sorted((c for c in self.cells.values() if c.state in order), key=lambda c: order[c.state])

    def to_dict(self) -> dict[str, object]:
        """The JSON object of ``kpi status --json``."""
        names = dict(self.indicators)
        return {
            "year": self.year, "month": self.month, "period": self.label, "today": self.today.isoformat(),
            "regions": [{"code": c, "name": n} for c, n in self.regions],
            "indicators": [
                {"code": code, "name": names[code],
                 "deadline": None if self.deadlines[code] is None else self.deadlines[code].isoformat(),  # type: ignore[union-attr]
                 "cells": {region: self.cells[(code, region)].state for region, _ in self.regions}}
                for code, _ in self.indicators
            ],
            "counts": {state: self.count(state) for state in reporting.CELL_LABELS},
        }


def today_in_beijing() -> date:
    """Deadlines are Beijing dates: a day ends at midnight there, wherever the server runs."""
    return datetime.now(BEIJING).date()


def define_period(engine: Engine, actor: Actor, year: int, month: int, deadline: date,
                  indicator: str | None = None) -> PeriodRow:
    """Set the deadline of a period for one indicator (code or name) or, with None, for all (admins only).

    Defining the same period again changes its deadline. An indicator's own row wins over the
    all-indicator row.
    """
    auth.require(actor, auth.DEFINE_PERIODS)
    if not 1 <= month <= 12:
        raise InputError(f"月份“{month}”无效：年度数据填 12，1–N月累计填 1–11")
    if deadline < date(year, month, 1):
        raise InputError(f"截止日期 {deadline.isoformat()} 早于报送期 {period_label(year, month)} 本身")
    with write_transaction(engine) as session:
        indicator_id, name = None, ALL_INDICATORS
        if indicator is not None:
            found = next((i for i in repo.indicators(session) if indicator in (i.code, i.name)), None)
            if found is None:
                raise NotFoundError(f"没有指标“{indicator}”，请填写指标代码或名称")
            indicator_id, name = found.id, found.name
        row = reporting_repo.period_for(session, indicator_id, year, month)
        if row is None:
            row = ReportingPeriod(indicator_id=indicator_id, year=year, month=month, deadline=deadline,
                                  created_by=actor.label)
            session.add(row)
        else:
            row.deadline, row.created_by = deadline, actor.label
        accounts_repo.add_audit_event(session, actor.label, AUDIT_PERIOD, target=f"{name}｜{period_label(year, month)}",
                                      detail=f"截止日期 {deadline.isoformat()}")
        return PeriodRow(name, year, month, deadline, actor.label)


def list_periods(engine: Engine) -> list[PeriodRow]:
    """Every defined period, newest first."""
    with session_factory(engine)() as session:
        names = {i.id: i.name for i in repo.indicators(session)}
        return [PeriodRow(ALL_INDICATORS if p.indicator_id is None else names[p.indicator_id], p.year, p.month,
                          p.deadline, p.created_by) for p in reporting_repo.periods(session)]


def status_grid(engine: Engine, year: int, month: int = reporting.ANNUAL, today: date | None = None) -> StatusGrid:
    """The indicator × region grid of one period (city-only indicators: the city alone reports)."""
    today = today or today_in_beijing()
    with session_factory(engine)() as session:
        plans = repo.all_plans(session)
        city_codes = {p.city_code for p in plans}
        regions = [r for r in repo.all_regions(session) if r.code in city_codes or r.parent_code in city_codes]
        indicators = repo.indicators(session)
        rows = {p.indicator_id: p for p in reporting_repo.periods(session, year, month)}
        evidence: dict[tuple[int, str], Evidence] = {}
        for indicator_id, region, current, state in reporting_repo.period_evidence(session, year, month):
            seen = evidence.get((indicator_id, region), Evidence())
            evidence[(indicator_id, region)] = Evidence(
                published=seen.published or current, pending=seen.pending or state == "pending",
                returned=seen.returned or state == "returned")
        cells, deadlines = {}, {}
        for ind in indicators:
            period = rows.get(ind.id) or rows.get(None)
            deadline = None if period is None else period.deadline
            deadlines[ind.code] = deadline
            for region in regions:
                applies = region.code in city_codes or ind.aggregation == "additive"
                seen = evidence.get((ind.id, region.code), Evidence())
                state = cell_state(seen, deadline if applies else None, today)
                cells[(ind.code, region.code)] = StatusCell(
                    ind.code, region.code, state, deadline,
                    correction_pending=state == reporting.PUBLISHED and seen.pending)
        return StatusGrid(year, month, today, tuple((i.code, i.name) for i in indicators),
                          tuple((r.code, r.name) for r in regions), cells, deadlines)


def status_rows(grid: StatusGrid) -> list[list[str]]:
    """The grid as text rows: 指标, 截止日期, then one cell per region (the page's and the export's table)."""
    return [
        [name, "未设报送期" if grid.deadlines[code] is None else grid.deadlines[code].isoformat(),  # type: ignore[union-attr]
         *(grid.cells[(code, region)].text for region, _ in grid.regions)]
        for code, name in grid.indicators
    ]


def status_header(grid: StatusGrid) -> list[str]:
    return ["指标", "截止日期", *(name for _code, name in grid.regions)]


def status_xlsx(grid: StatusGrid) -> bytes:
    """The grid and the 催报 list as an XLSX workbook (overdue cells also shaded; the word says it)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报送情况"
    sheet.append([f"报送情况：{grid.label}（截至 {grid.today.isoformat()}）"])
    sheet.append(status_header(grid))
    sheet["A2"].font = Font(bold=True)
    for row in status_rows(grid):
        sheet.append([safe_text(c) for c in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value == cell_text(reporting.OVERDUE):
                cell.fill = PatternFill("solid", fgColor=OVERDUE_FILL)
                cell.font = Font(bold=True, color="B00000")
    chase = workbook.create_sheet("催报清单")
    chase.append(["指标", "地区", "情况", "截止日期"])
    names, regions = dict(grid.indicators), dict(grid.regions)
    for c in grid.to_chase():
        chase.append([names[c.indicator_code], regions[c.region_code], c.text,
                      "" if c.deadline is None else c.deadline.isoformat()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
