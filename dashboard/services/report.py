"""The 通报 (``kpi report``, 下载通报（Word）): gather the figures of one period and render the document.

The figures are the ones ``kpi progress --month N`` prints (:func:`dashboard.services.monthly.month_progress`
of the core indicators) and, where the 全省位次 service exists, those of ``kpi rank``; the document model
is :func:`dashboard.report.build_report`, the layout :mod:`dashboard.services.report_docx`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import Engine

from dashboard.plan import DEFAULT_PLAN_CODE
from dashboard.ranking import IndicatorRank
from dashboard.report import Report, build_report
from dashboard.services import monthly
from dashboard.services.deck import plan_header
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory


def default_month(engine: Engine, year: int, plan_code: str = DEFAULT_PLAN_CODE) -> int:
    """The period of ``kpi report --year Y`` without --month: the latest month of Y with a figure, else 12."""
    return monthly.latest_month(engine, year, plan_code) or 12


def city_ranks(engine: Engine, year: int, month: int, plan_code: str = DEFAULT_PLAN_CODE
               ) -> Mapping[str, IndicatorRank] | None:
    """The city's 全省位次 by indicator code, exactly as ``kpi rank --year Y --month N --json`` gives them
    (month 12: the whole year); None when no other city or 浙江省 has a figure of the period."""
    from dashboard.services import ranking

    ranks = ranking.ranks_with_peers(engine, year, month, plan_code)
    return None if ranks is None else {r.indicator: r for r in ranks}


def report(engine: Engine, year: int, month: int, plan_code: str = DEFAULT_PLAN_CODE,
           ranks: Mapping[str, IndicatorRank] | None = None) -> Report:
    """The 通报 of 1–``month``月 of ``year`` (``ranks`` given: used instead of the ranks service)."""
    info, as_of, demo = plan_header(engine, plan_code)
    rows = monthly.month_progress(engine, year, month, plan_code=plan_code, tier="core")
    with session_factory(engine)() as session:
        city_name = repo.region_by_code(session, info.city_code).name  # type: ignore[union-attr]
    return build_report(info.city_code, city_name, year, month, rows,
                        city_ranks(engine, year, month, plan_code) if ranks is None else ranks, as_of, demo)


def report_bytes(engine: Engine, year: int, month: int | None = None, plan_code: str = DEFAULT_PLAN_CODE) -> bytes:
    """The 通报 as .docx bytes (``month`` None: the latest month of the year with a figure)."""
    from dashboard.services.report_docx import render

    return render(report(engine, year, month or default_month(engine, year, plan_code), plan_code))


def write_report(engine: Engine, year: int, path: Path, month: int | None = None,
                 plan_code: str = DEFAULT_PLAN_CODE) -> int:
    """Write the 通报 to ``path``; returns the month it reports on."""
    month = month or default_month(engine, year, plan_code)
    path.write_bytes(report_bytes(engine, year, month, plan_code))
    return month
