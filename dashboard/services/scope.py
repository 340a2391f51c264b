"""What a read of one plan is about: the plan, its indicators and its home regions, named or all.

One place for the lookups every read service starts with, and for their "not found" messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from dashboard.errors import NotFoundError
from dashboard.storage import repository as repo
from dashboard.storage.models import Indicator, Plan, Region


def plan_or_error(session: Session, plan_code: str) -> Plan:
    """The plan with ``plan_code``; :class:`NotFoundError` if there is none."""
    plan = repo.plan_by_code(session, plan_code)
    if plan is None:
        raise NotFoundError(f"没有代码为“{plan_code}”的计划")
    return plan


Named = TypeVar("Named", Indicator, Region)


def _named(items: list[Named], name: str | None, what: str) -> list[Named]:
    """``items``, or the one whose code or name is ``name`` (NotFoundError naming ``what`` if none)."""
    if name is None:
        return items
    found = [item for item in items if name in (item.code, item.name)]
    if not found:
        raise NotFoundError(f"计划中没有{what}“{name}”")
    return found


def named_indicators(indicators: list[Indicator], indicator: str | None, what: str = "指标") -> list[Indicator]:
    """``indicators``, or the one named by code or name (NotFoundError if none)."""
    return _named(indicators, indicator, what)


def named_regions(regions: list[Region], region: str | None) -> list[Region]:
    """``regions``, or the one named by code or name (NotFoundError if none)."""
    return _named(regions, region, "地区")


@dataclass(frozen=True)
class Scope:
    plan: Plan
    indicators: list[Indicator]
    home_regions: list[Region]  # the plan's city and its districts (never the peer cities of 全省对比)
    regions: list[Region]  # the ones asked for
    districts: list[str]  # every district of the plan's city


def plan_scope(session: Session, plan_code: str, region: str | None = None, indicator: str | None = None,
               tier: str | None = None) -> Scope:
    """The plan, indicators and regions named (all by default); NotFoundError for an unknown name."""
    plan = plan_or_error(session, plan_code)
    indicators = named_indicators(repo.indicators(session, plan_id=plan.id, tier=tier), indicator)
    home = [r for r in repo.all_regions(session) if plan.city_code in (r.code, r.parent_code)]
    districts = [r.code for r in home if r.parent_code == plan.city_code]
    return Scope(plan, indicators, home, named_regions(home, region), districts)
