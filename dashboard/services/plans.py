"""Load a plan definition into the store, idempotently.

Loading the same file twice changes nothing and records no submission. Reloading never
overwrites what people entered: a baseline actual or a target is only (re)written while the
current value still comes from the plan itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.plan import DEFAULT_PLAN_FILE, IndicatorDef, PlanDef, load_plan_file
from dashboard.storage import repository as repo
from dashboard.storage.db import as_unavailable, make_engine, session_factory, transaction, upgrade_to_head
from dashboard.storage.models import Indicator, Measure, Observation, Plan, Region, Submission, Target
from dashboard.storage.repository import PLAN_SOURCE  # noqa: F401  (re-exported: where plan figures come from)

SYSTEM_ACTOR = "系统（计划文件）"


@dataclass
class LoadReport:
    """What loading a plan changed."""

    plan_code: str
    metadata_changes: int = 0
    values_written: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.metadata_changes or self.values_written)


def _assign(row: object, values: dict[str, object]) -> int:
    """Set attributes that differ; return how many did."""
    changed = 0
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed += 1
    return changed


def _upsert(session: Session, row: object | None, model: type, values: dict[str, object]) -> tuple[object, int]:
    if row is None:
        row = model(**values)
        session.add(row)
        session.flush()
        return row, 1
    return row, _assign(row, values)


class _LazySubmission:
    """Creates the plan submission only when the first value is actually written."""

    def __init__(self, session: Session, plan: PlanDef):
        self._session, self._plan, self._submission = session, plan, None

    def get(self) -> Submission:
        if self._submission is None:
            self._submission = repo.new_submission(
                self._session, "plan", SYSTEM_ACTOR, file_name=self._plan.file or None, note=self._plan.title
            )
        return self._submission

    def counted(self, current: object | None) -> Submission:
        """The submission, with the value about to be written counted as new or changed (提交记录 shows these)."""
        submission = self.get()
        if current is None:
            submission.n_new = (submission.n_new or 0) + 1
        else:
            submission.n_changed = (submission.n_changed or 0) + 1
        return submission


def _indicator_values(defn: IndicatorDef, plan: Plan, measure: Measure | None, order: int) -> dict[str, object]:
    return {
        "plan_id": plan.id,
        "code": defn.code,
        "name": defn.name,
        "unit": defn.unit,
        "kind": defn.kind,
        "aggregation": defn.aggregation,
        "direction": defn.direction,
        "decimals": defn.decimals,
        "tier": defn.tier,
        "value_type": defn.value_type,
        "target_basis": defn.target_basis,
        "comparison": defn.comparison,
        "target_note": defn.target_note,
        "measure_id": None if measure is None else measure.id,
        "lead_unit": None if measure is None else measure.lead_unit,
        "definition": defn.definition,
        "source_agency": defn.source_agency,
        "sort_order": order,
    }


def _write_plan_values(
    session: Session, defn: IndicatorDef, indicator: Indicator, plan: PlanDef, submission: _LazySubmission
) -> int:
    written = 0
    for year, value in defn.targets.items():
        upper = defn.target_max.get(year)
        current = repo.current_target(session, indicator.id, plan.city, year)
        if current is not None and (current.origin != "published" or (current.value, current.upper) == (value, upper)):
            continue  # unchanged, or decided by people after the plan: leave it
        repo.record_version(
            session, Target, submission.counted(current), current,
            indicator_id=indicator.id, region_code=plan.city, year=year, value=value, upper=upper,
            origin="published", note=None,
        )
        written += 1
    if defn.baseline is not None:
        key = (indicator.id, plan.city, plan.baseline_year, 12, "final")
        current = repo.current_observation(session, *key)
        if current is None or (current.source == PLAN_SOURCE and current.value != defn.baseline):
            repo.record_version(
                session, Observation, submission.counted(current), current,
                indicator_id=indicator.id, region_code=plan.city, year=plan.baseline_year, month=12,
                status="final", value=defn.baseline, source=PLAN_SOURCE,
                note=f"基期实际值，来源：{plan.doc_number or plan.title}",
            )
            written += 1
    return written


def load_plan(engine: Engine, plan: PlanDef) -> LoadReport:
    """Write ``plan`` into the store in one transaction; return what changed.

    Every start loads the plan, and almost always nothing changes: a dry run, rolled back, finds
    that out without taking the database-wide write lock (a backup or a read never waits on it).
    """
    with session_factory(engine)() as session:
        report = _apply_plan(session, plan)
        session.rollback()
    if not report.changed:
        return report
    with transaction(engine) as session:
        return _apply_plan(session, plan)


def _apply_plan(session: Session, plan: PlanDef) -> LoadReport:
    """Bring the store in line with ``plan`` inside the caller's transaction."""
    report = LoadReport(plan.code)
    # Parents first, so a district's parent row exists when the district is flushed.
    region_order = {region.code: index for index, region in enumerate(plan.regions)}
    for region in sorted(plan.regions, key=lambda r: r.parent is not None):
        values = {
            "code": region.code, "name": region.name, "level": region.level,
            "parent_code": region.parent, "sort_order": region_order[region.code],
        }
        _, n = _upsert(session, repo.region_by_code(session, region.code), Region, values)
        report.metadata_changes += n
    plan_values = {
        "code": plan.code, "title": plan.title, "issuer": plan.issuer, "doc_number": plan.doc_number,
        "issued_on": plan.issued_on, "effective_from": plan.effective_from,
        "effective_to": plan.effective_to, "baseline_year": plan.baseline_year, "city_code": plan.city, "source": plan.source,
    }
    plan_row, n = _upsert(session, repo.plan_by_code(session, plan.code), Plan, plan_values)
    report.metadata_changes += n
    measures: dict[str, Measure] = {}
    for order, measure in enumerate(plan.measures):
        values = {
            "plan_id": plan_row.id, "code": measure.code, "action": measure.action, "title": measure.title,
            "lead_unit": measure.lead_unit, "other_units": measure.other_units, "sort_order": order,
        }
        row, n = _upsert(session, repo.measure_by_code(session, plan_row.id, measure.code), Measure, values)
        measures[measure.code] = row
        report.metadata_changes += n
    submission = _LazySubmission(session, plan)
    for order, defn in enumerate(plan.indicators):
        measure = measures.get(defn.measure) if defn.measure else None
        values = _indicator_values(defn, plan_row, measure, order)
        indicator, n = _upsert(session, repo.indicator_by_code(session, defn.code), Indicator, values)
        report.metadata_changes += n
        report.values_written += _write_plan_values(session, defn, indicator, plan, submission)
    return report


def open_database(url: str | None = None, load_default_plan: bool = True) -> Engine:
    """Open the database, creating and migrating it if needed, and (by default) load the default plan."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        if load_default_plan:
            load_plan(engine, load_plan_file(DEFAULT_PLAN_FILE))
    except Exception as error:
        if (unavailable := as_unavailable(error, url)) is not None:
            engine.dispose()
            raise unavailable from error
        raise
    return engine
