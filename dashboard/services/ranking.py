"""全省位次: the home city's rank among Zhejiang's 11 设区市, read from the store.

No rule lives here: this module gathers the figures of the 11 cities (and of 浙江省 when uploaded) for a
period, the same period a year earlier and the previous period of the same kind, and hands them to
:mod:`dashboard.ranking`. Periods are read as everywhere else in the store: month N holds the 1–N月累计
figure of a flow and the month-end position of a stock; the whole year is month 12; a final figure
(核实数) beats a preliminary one (初步数).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.aggregation import PRELIMINARY, city_figure
from dashboard.briefing import RankRow
from dashboard.errors import InputError
from dashboard.plan import DEFAULT_PLAN_CODE
from dashboard.ranking import (
    PEER_CITIES,
    PROVINCE_CODE,
    IndicatorRank,
    PeerFigure,
    effective_growth,
    indicator_rank,
    previous_period,
)
from dashboard.services.scope import named_indicators, plan_or_error
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Indicator, Plan

WHOLE_YEAR = 12
Period = tuple[int, int | None]  # (year, month); month None: the whole year


@dataclass(frozen=True)
class PeerBar:
    """One city's bar of the 11-city chart."""

    code: str
    name: str
    value: float | None
    growth: float | None  # % (published, else computed); None when undefined
    is_home: bool


@dataclass(frozen=True)
class PeerChart:
    """The 11 cities' figures of one indicator and period, with the province's rate when uploaded."""

    indicator: str
    name: str
    unit: str
    decimals: int
    year: int
    month: int | None
    bars: tuple[PeerBar, ...]  # in official order (杭州 … 丽水)
    province_growth: float | None

    @property
    def reported(self) -> int:
        return sum(1 for bar in self.bars if bar.value is not None)


def _month(month: int | None) -> int | None:
    """The period's month: None for the whole year (month 12 of the store is the whole year too)."""
    if month is None or month == WHOLE_YEAR:
        return None
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= WHOLE_YEAR:
        raise InputError(f"月份 {month!r} 无效，应为 1–12（12 表示全年）")
    return month


def _core_indicators(session: Session, plan_code: str, indicator: str | None) -> tuple[Plan, list[Indicator]]:
    plan = plan_or_error(session, plan_code)
    return plan, named_indicators(repo.indicators(session, plan_id=plan.id, tier="core"), indicator, "核心指标")


class _PeerFigures:
    """The effective figures of the peer regions (and the home city's districts) for some periods, read once."""

    def __init__(self, session: Session, plan: Plan, indicators: Sequence[Indicator], periods: Iterable[Period],
                 include_pending: bool) -> None:
        self.home = plan.city_code
        self.districts = [r.code for r in repo.all_regions(session) if r.parent_code == plan.city_code]
        self.codes = [PROVINCE_CODE, *(code for code, _ in PEER_CITIES)]
        wanted = {(y, m) for p in periods for y, m in (p, (p[0] - 1, p[1]))}  # each period and a year before
        ids = [i.id for i in indicators]
        years, months = {y for y, _ in wanted}, {m or WHOLE_YEAR for _, m in wanted}
        if include_pending:
            rows: Iterable = repo.current_observations(session, ids, [*self.codes, *self.districts], years, months,
                                                       include_pending=True)
        else:
            # The districts' figures only where the home city has none of its own (its sum needs them):
            # at 70 districts reading them all was a sixth of the overview.
            rows = [*reads.current_values(session, ids, self.codes, years, months),
                    *reads.current_values(session, ids, self.districts, years, months, unless_reported_by=self.home)]
        self.effective = reads.effective_by_period(rows)

    def _home_value(self, indicator: Indicator, year: int, month: int) -> tuple[float | None, float | None]:
        """The home city's figure and published rate: its own figure, else a sum of ALL its districts."""
        own = self.effective.get((indicator.id, self.home, year, month))
        if own is not None:
            return own.value, own.growth
        found = {d: o for d in self.districts if (o := self.effective.get((indicator.id, d, year, month)))}
        figure = city_figure(None, {d: o.value for d, o in found.items()}, self.districts,
                             additive=indicator.aggregation == "additive", decimals=indicator.decimals,
                             preliminary_districts=[d for d, o in found.items() if o.status == PRELIMINARY])
        return figure.value, None  # a partial sum has no value; a sum has no published rate of its own

    def _value(self, indicator: Indicator, code: str, year: int, month: int) -> tuple[float | None, float | None]:
        if code == self.home:
            return self._home_value(indicator, year, month)
        found = self.effective.get((indicator.id, code, year, month))
        return (None, None) if found is None else (found.value, found.growth)

    def of(self, indicator: Indicator, period: Period) -> dict[str, PeerFigure]:
        """Region code -> figure of ``period`` (with last year's same period), for the regions that have one."""
        year, month = period[0], period[1] or WHOLE_YEAR
        figures = {}
        for code in self.codes:
            value, growth = self._value(indicator, code, year, month)
            if value is not None:
                figures[code] = PeerFigure(value, growth, self._value(indicator, code, year - 1, month)[0])
        return figures


@dataclass(frozen=True)
class CoreIndicator:
    """What a rank line names besides the rank: the indicator's name, unit and decimals."""

    code: str
    name: str
    unit: str
    decimals: int


def core_indicators(engine: Engine, plan_code: str = DEFAULT_PLAN_CODE) -> list[CoreIndicator]:
    """The plan's core indicators in plan order (what :func:`indicator_ranks` ranks)."""
    with session_factory(engine)() as session:
        _plan, indicators = _core_indicators(session, plan_code, None)
        return [CoreIndicator(i.code, i.name, i.unit, i.decimals) for i in indicators]


def indicator_ranks(engine: Engine, year: int, month: int | None = None, indicator: str | None = None,
                    plan_code: str = DEFAULT_PLAN_CODE, include_pending: bool = False) -> list[IndicatorRank]:
    """The home city's 全省位次 on every core indicator (or one, by code or name) in plan order.

    ``month`` None or 12: the whole year, compared with the previous year; 1–11: 1–N月, compared with
    1–(N−1)月. Published figures only, unless ``include_pending`` (a reviewer's 含待审核 view).
    """
    month = _month(month)
    with session_factory(engine)() as session:
        plan, indicators = _core_indicators(session, plan_code, indicator)
        period: Period = (year, month)
        before = previous_period(year, month)
        figures = _PeerFigures(session, plan, indicators, [period, *([before] if before else [])], include_pending)
        return [
            indicator_rank(i.code, year, month, figures.of(i, period),
                           None if before is None else figures.of(i, before), home=plan.city_code,
                           lower_is_better=i.direction == "lower")
            for i in indicators
        ]


def has_peer_figures(engine: Engine, year: int, month: int | None = None,
                     plan_code: str = DEFAULT_PLAN_CODE) -> bool:
    """Whether any other city (or 浙江省) has a figure of a core indicator in the period (the deck's slide)."""
    return ranks_with_peers(engine, year, month, plan_code) is not None


def ranks_with_peers(engine: Engine, year: int, month: int | None = None,
                     plan_code: str = DEFAULT_PLAN_CODE) -> list[IndicatorRank] | None:
    """:func:`indicator_ranks`, or None when no other city (nor 浙江省) has a figure of the period."""
    ranks = indicator_ranks(engine, year, month, plan_code=plan_code)
    peers = any(r.cities_reported - (r.value is not None) > 0 or r.province_growth is not None for r in ranks)
    return ranks if peers else None


def peer_chart(engine: Engine, indicator: str, year: int, month: int | None = None,
               plan_code: str = DEFAULT_PLAN_CODE, include_pending: bool = False) -> PeerChart:
    """The 11 cities' figures and 同比 of one core indicator in one period, for the bar chart."""
    month = _month(month)
    with session_factory(engine)() as session:
        plan, (ind,) = _core_indicators(session, plan_code, indicator)
        figures = _PeerFigures(session, plan, [ind], [(year, month)], include_pending).of(ind, (year, month))
    bars = tuple(PeerBar(code, name, None if (f := figures.get(code)) is None else f.value, effective_growth(f),
                         code == plan.city_code) for code, name in PEER_CITIES)
    return PeerChart(ind.code, ind.name, ind.unit, ind.decimals, year, month, bars,
                     effective_growth(figures.get(PROVINCE_CODE)))


def briefing_rows(engine: Engine, year: int, month: int | None = None,
                  plan_code: str = DEFAULT_PLAN_CODE) -> tuple[str, tuple[RankRow, ...]] | None:
    """The deck's 全省位次 slide (title and one row per core indicator), or None without peer figures."""
    from dashboard.formatting import figure
    from dashboard.monthly import growth_phrase, period_label
    from dashboard.wording import place_words, province_gap_phrase, ranks_incomplete

    ranks = ranks_with_peers(engine, year, month, plan_code)
    if ranks is None:
        return None
    names = {i.code: i for i in core_indicators(engine, plan_code)}
    rows = []
    for r in ranks:
        ind = names[r.indicator]
        rows.append(RankRow(
            ind.name, "—" if r.value is None else f"{figure(r.value, ind.decimals)}{ind.unit}",
            "—" if r.growth is None else (growth_phrase(r.growth / 100) or "—"),
            "—" if r.value_rank is None else place_words(r.value_rank),
            place_words(r.growth_rank, r.rank_change) if r.growth_rank is not None else (ranks_incomplete(r) or "—"),
            province_gap_phrase(r, versus="") or "—"))
    period = f"{year}年" if _month(month) is None else f"{year}年{period_label(month)}"  # type: ignore[arg-type]
    return f"{period}全省位次（11个设区市）", tuple(rows)
