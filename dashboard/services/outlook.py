"""The outlook's backtest (``kpi outlook --backtest``): how the 预计全年 method would have done.

No formula lives here: the effective figures (final beats preliminary; for the city the official
figure, else the full district sum) of every year and month are gathered through the month-level
service's own reading and handed to :func:`dashboard.outlook.backtest_points`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard.outlook import BacktestPoint, BacktestSummary, backtest_points, summarise_backtest
from dashboard.services.monthly import DEFAULT_PLAN_CODE, MONTHS, _Figures, _whole
from dashboard.services.scope import plan_scope
from dashboard.storage import page_reads as reads
from dashboard.storage.db import session_factory


@dataclass(frozen=True)
class IndicatorBacktest:
    """The backtest of one indicator in one region."""

    code: str
    name: str
    kind: str
    region: str
    points: tuple[BacktestPoint, ...]
    summary: tuple[BacktestSummary, ...]


def backtest(engine: Engine, region: str | None = None, indicator: str | None = None,
             plan_code: str = DEFAULT_PLAN_CODE) -> list[IndicatorBacktest]:
    """For every indicator (or the one named) in the region (default: the city), every past year's
    month-N forecast from the years before it against the year's actual, summarised per month."""
    with session_factory(engine)() as session:
        scope = plan_scope(session, plan_code, region, indicator, None)
        plan = scope.plan
        place = next(r for r in scope.regions if region is not None or r.code == plan.city_code)
        ids = [i.id for i in scope.indicators]
        latest = reads.latest_year(session, ids, after=0, region_codes=[r.code for r in scope.regions])
        if latest is None:
            return []
        first = min(plan.baseline_year, latest)
        figures = _Figures(session, scope, latest, MONTHS, range(first, latest + 1))
        result = []
        for ind in scope.indicators:
            if place.code != plan.city_code and ind.aggregation != "additive":
                continue  # city-only indicators have no district figures
            values = {(y, m): v for y in range(first, latest + 1) for m in MONTHS
                      if (v := _whole(figures.figure(scope, ind, place.code, y, m))) is not None}
            points = backtest_points(ind.kind, ind.direction, values)
            result.append(IndicatorBacktest(ind.code, ind.name, ind.kind, place.name, tuple(points),
                                            tuple(summarise_backtest(points))))
        return result
