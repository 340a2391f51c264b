"""Read models for the pages and the command line: plain rows, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory


@dataclass(frozen=True)
class PlanSummary:
    code: str
    title: str
    issuer: str
    doc_number: str | None
    baseline_year: int
    target_years: tuple[int, ...]


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the plan's indicator table: metadata, the city baseline and the city targets."""

    code: str
    name: str
    unit: str
    tier: str
    kind: str
    aggregation: str
    decimals: int
    lead_unit: str | None
    measure: str | None
    target_note: str | None
    baseline: float | None  # the plan's published baseline
    baseline_revision: float | None  # 基期修订数: an uploaded baseline-year city figure that differs from it
    targets: dict[int, float]


def plans(engine: Engine) -> list[PlanSummary]:
    """Every plan in the store with the years its city targets name."""
    with session_factory(engine)() as session:
        result = []
        for plan in repo.all_plans(session):
            ids = [i.id for i in repo.indicators(session, plan_id=plan.id)]
            years = reads.target_years(session, ids)
            result.append(PlanSummary(plan.code, plan.title, plan.issuer, plan.doc_number, plan.baseline_year,
                                      tuple(years)))
        return result


def indicator_table(engine: Engine, plan_code: str, tier: str | None = None) -> list[IndicatorRow]:
    """The plan's indicators with the city's baseline actual and its current targets."""
    with session_factory(engine)() as session:
        plan = repo.plan_by_code(session, plan_code)
        if plan is None:
            return []
        city = plan.city_code
        indicators = repo.indicators(session, plan_id=plan.id, tier=tier)
        ids = [i.id for i in indicators]
        targets: dict[int, dict[int, float]] = {}
        for target in repo.current_targets(session, indicator_ids=ids, region_codes=[city]):
            targets.setdefault(target.indicator_id, {})[target.year] = target.value
        baselines = repo.published_baselines(session, ids, city, plan.baseline_year)
        uploaded = {
            indicator_id: o.value
            for (indicator_id, _region, year), o in reads.effective_annual(
                repo.current_observations(session, indicator_ids=ids, region_codes=[city], years=[plan.baseline_year],
                                          months=[12])).items()
            if year == plan.baseline_year
        }
        revisions = {i: v for i, v in uploaded.items() if i in baselines and v != baselines[i]}
        return [
            IndicatorRow(
                code=i.code, name=i.name, unit=i.unit, tier=i.tier, kind=i.kind, aggregation=i.aggregation,
                decimals=i.decimals, lead_unit=i.lead_unit, measure=None if i.measure is None else i.measure.code,
                target_note=i.target_note, baseline=baselines.get(i.id, uploaded.get(i.id)),
                baseline_revision=revisions.get(i.id), targets=targets.get(i.id, {}),
            )
            for i in indicators
        ]
