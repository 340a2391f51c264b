"""District targets: read the allocation table, write allocations or share-based estimates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard import auth
from dashboard.allocation import AllocationCheck, check_allocation, estimate_by_share
from dashboard.auth import Actor
from dashboard.errors import InputError, NotFoundError
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction
from dashboard.storage.models import Target

AUDIT_ALLOCATION = "allocation"


@dataclass(frozen=True)
class DistrictTarget:
    region_code: str
    region_name: str
    value: float | None
    origin: str | None
    baseline: float | None


@dataclass(frozen=True)
class AllocationView:
    indicator_code: str
    indicator_name: str
    unit: str
    decimals: int
    year: int
    districts: tuple[DistrictTarget, ...]
    check: AllocationCheck


def _plan_context(session, indicator_code: str):  # type: ignore[no-untyped-def]
    indicator = repo.indicator_by_code(session, indicator_code)
    if indicator is None:
        raise NotFoundError(f"没有指标“{indicator_code}”")
    if indicator.aggregation != "additive":
        raise InputError(f"“{indicator.name}”只统计全市，不分解到区县")
    plan = indicator.plan
    districts = [r for r in repo.all_regions(session) if r.parent_code == plan.city_code]
    return indicator, plan, districts


def allocation_view(engine: Engine, indicator_code: str, year: int) -> AllocationView:
    """The city target, each district's current target and baseline, and how they add up."""
    with session_factory(engine)() as session:
        indicator, plan, districts = _plan_context(session, indicator_code)
        targets = {t.region_code: t for t in repo.current_targets(session, [indicator.id]) if t.year == year}
        baselines = {
            region: o.value
            for (_id, region, year), o in reads.effective_annual(repo.current_observations(session, [indicator.id])).items()
            if year == plan.baseline_year
        }
        rows = tuple(
            DistrictTarget(d.code, d.name, targets[d.code].value if d.code in targets else None,
                           targets[d.code].origin if d.code in targets else None, baselines.get(d.code))
            for d in districts
        )
        city = targets.get(plan.city_code)
        check = check_allocation(None if city is None else city.value, {r.region_code: r.value for r in rows})
        return AllocationView(indicator.code, indicator.name, indicator.unit, indicator.decimals, year, rows, check)


def estimate(engine: Engine, indicator_code: str, year: int) -> dict[str, float]:
    """Share-based estimates of the district targets (not written; see :func:`save_allocations`)."""
    view = allocation_view(engine, indicator_code, year)
    if view.check.city_target is None:
        raise InputError(f"“{view.indicator_name}”没有 {year} 年的全市目标，无法估算")
    return estimate_by_share(view.check.city_target, {d.region_code: d.baseline for d in view.districts},
                             view.decimals, {d.region_code: d.region_name for d in view.districts})


def save_allocations(
    engine: Engine, actor: Actor, indicator_code: str, year: int, values: dict[str, float | None],
    origin: str = "allocated", note: str | None = None,
) -> int | None:
    """Write district targets in one transaction; blanks leave a target as it is. Returns the submission id.

    Each change supersedes the previous target, which stays in the history.
    """
    auth.require(actor, auth.ALLOCATE_TARGETS)
    if origin not in ("allocated", "estimated"):
        raise InputError(f"目标来源“{origin}”无效")
    negative = [code for code, v in values.items() if v is not None and v < 0]
    if negative:
        raise InputError(f"目标值不能为负数：{'、'.join(negative)}")
    with transaction(engine) as session:
        indicator, _plan, districts = _plan_context(session, indicator_code)
        names = {d.code: d.name for d in districts}
        unknown = [code for code in values if code not in names]
        if unknown:
            raise InputError(f"不是本计划的区县：{'、'.join(unknown)}")
        changes = []
        for code, value in values.items():
            if value is None:
                continue
            current = repo.current_target(session, indicator.id, code, year)
            if current is None or current.value != value or current.origin != origin:
                changes.append((code, value, current))
        if not changes:
            return None
        submission = repo.new_submission(session, "allocation", actor.label, n_new=sum(c[2] is None for c in changes),
                                         n_changed=sum(c[2] is not None for c in changes), note=note)
        for code, value, current in changes:
            repo.record_version(session, Target, submission, current, indicator_id=indicator.id, region_code=code,
                                year=year, value=value, origin=origin, note=note)
        summary = "，".join(f"{names[code]} {value:g}" for code, value, _ in changes)
        accounts_repo.add_audit_event(session, actor.label, AUDIT_ALLOCATION,
                                      target=f"{indicator.name} {year}年", detail=f"{origin}：{summary}",
                                      submission_id=submission.id)
        return submission.id
