"""The validation catalog (which indicators, regions and years an upload may name), from the store."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dashboard.storage import repository as repo
from dashboard.validation import Catalog, IndicatorRef, RegionRef


def home_region_codes(session: Session) -> set[str]:
    """The regions of the plans' own hierarchies: each plan's city and its districts.

    Every other region (浙江省 and the other 设区市, see :mod:`dashboard.ranking`) is there for the
    provincial comparison only: it is never listed, summed or allocated as part of the city.
    """
    cities = {p.city_code for p in repo.all_plans(session)}
    return {r.code for r in repo.all_regions(session) if r.code in cities or r.parent_code in cities}


def build_catalog(session: Session) -> Catalog:
    """Every indicator and region in the store; years from the earliest baseline to the last target."""
    plans = repo.all_plans(session)
    target_years = [t.year for t in repo.current_targets(session)] if plans else []
    first_year = min((p.baseline_year for p in plans), default=2022)
    last_year = max(target_years, default=first_year)
    home = home_region_codes(session)
    return Catalog(
        indicators=tuple(
            IndicatorRef(
                code=i.code, name=i.name, unit=i.unit, city_only=i.aggregation == "city_only", decimals=i.decimals,
                kind=i.kind,
            )
            for i in repo.indicators(session)
        ),
        regions=tuple(RegionRef(code=r.code, name=r.name, level=r.level, peer=r.code not in home)
                      for r in repo.all_regions(session)),
        first_year=first_year,
        last_year=last_year,
    )
