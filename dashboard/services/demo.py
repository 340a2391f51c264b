"""The synthetic demo sample (``kpi demo``): clearly labelled, seeded, and never mixed into real data.

It writes, in one transaction and one submission of kind ``demo``:
* district actuals 2022–2025 of the additive core indicators (2022 split from the plan's published
  city baseline; 2023–2024 final, 2024 also a preliminary figure, 2025 preliminary only) and city
  figures of the city-only indicator, every value with the note 演示数据;
* monthly figures for 2023–2025 (1–N月累计 of the flow with a seasonal profile, month-end stocks moving
  from the previous year-end towards the year-end), with the year's status;
* 全省对比 figures of 浙江省 and the other ten 设区市 (every month of 2024–2025, with a published 同比),
  so that the pages show 全省位次;
* estimated district targets for 2025 and 2027 (share of the demo baseline, origin ``estimated``), so
  district statuses can be shown.
The figures are random draws (seeded, so the same seed gives the same database) around the plan's
trajectory. The pages show a banner whenever any current figure comes from a demo submission.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from dashboard.allocation import estimate_by_share
from dashboard.errors import InputError
from dashboard.plan import DEFAULT_PLAN_FILE, PlanDef, load_plan_file
from dashboard.progress import Milestone, SeriesInput, expected_value
from dashboard.ranking import PEER_CITIES, PROVINCE_CODE
from dashboard.services.catalog import build_catalog
from dashboard.services.plans import open_database
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import PROJECT_ROOT, transaction
from dashboard.storage.models import Observation, Target
from dashboard.tabular import read_table
from dashboard.validation import Record, validate_table

DEMO_DATABASE = PROJECT_ROOT / "instance" / "demo.sqlite3"
DEMO_NOTE = "演示数据（合成样例，非真实统计）"
DEMO_TARGET_NOTE = "演示数据：按演示基期占比估算的区县目标（非正式分解）"
DEMO_ACTOR = "kpi demo"
DEMO_YEARS = (2023, 2024, 2025)
TARGET_YEARS = (2025, 2027)
PEER_YEARS = (2024, 2025)  # 全省对比: every month of these years (a rank change needs the period before)
# Kinds of submission that a database may already hold for the demo to be written into it.
_ALLOWED_KINDS = {"plan", "demo"}
# Monthly shares (percent) of a flow's year: e-commerce peaks in November (双十一) and December, so
# 1–9月 is about 69% of the year, not 75% — the seasonal case the 按上年同期进度 second opinion is for.
_FLOW_MONTH_SHARES = (7, 6, 8, 8, 8, 8, 8, 8, 8, 9, 12, 10)
# Rough district weights (share of the city) the random shares are drawn around.
_WEIGHTS = {"330602": 0.18, "330603": 0.26, "330604": 0.17, "330624": 0.08, "330681": 0.21, "330683": 0.10}


def demo_url(path: Path | str = DEMO_DATABASE) -> str:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class DemoReport:
    submission_id: int | None  # None when the database already held exactly this sample
    observations: int
    targets: int


def _split(total: float, weights: dict[str, float], decimals: int) -> dict[str, float]:
    """``total`` split by weights, rounded, the remainder on the largest so the parts add up."""
    return estimate_by_share(total, weights, decimals)  # type: ignore[arg-type]


def sample_rows(seed: int = 2023) -> tuple[list[dict[str, object]], dict[tuple[str, str, int], float]]:
    """The demo's long-format rows (as imported) and its estimated district targets; pure and seeded."""
    rng = random.Random(seed)
    plan = load_plan_file(DEFAULT_PLAN_FILE)
    rows: list[dict[str, object]] = []
    targets: dict[tuple[str, str, int], float] = {}

    def add(code: str, region: str, year: int, value: float, status: str) -> None:
        rows.append({"indicator": code, "region": region, "year": year, "month": 12, "value": value,
                     "status": status, "note": DEMO_NOTE})

    for indicator in (i for i in plan.indicators if i.tier == "core"):
        d = indicator.decimals
        milestones = tuple(Milestone(y, v) for y, v in sorted(indicator.targets.items()))
        planned = SeriesInput("higher", plan.baseline_year, indicator.baseline, milestones)
        pace = rng.uniform(0.82, 1.06)  # some indicators ahead of the plan, some behind
        if indicator.aggregation != "additive":
            for year in DEMO_YEARS:
                value = round(expected_value(planned, year) * pace, d)
                add(indicator.code, plan.city, year, value, "preliminary" if year == 2025 else "final")
            continue
        weights = {code: w * rng.uniform(0.8, 1.2) for code, w in _WEIGHTS.items()}
        base = _split(indicator.baseline, weights, d) if indicator.baseline else dict.fromkeys(weights, 0.0)
        for code, value in base.items():
            add(indicator.code, code, plan.baseline_year, value, "final")
        for year in DEMO_YEARS:
            city = expected_value(planned, year) * pace
            for code, share in _split(city, weights, d).items():
                value = round(max(0.0, share * rng.uniform(0.93, 1.07)), d)
                if year == 2025:
                    add(indicator.code, code, year, value, "preliminary")
                else:
                    add(indicator.code, code, year, value, "final")
                    if year == 2024:  # the preliminary figure published before the final one
                        add(indicator.code, code, year, round(value * rng.uniform(0.96, 1.0), d), "preliminary")
        shares = base if sum(base.values()) > 0 else weights
        for year in TARGET_YEARS:
            for code, value in estimate_by_share(indicator.targets[year], shares, d).items():
                targets[(indicator.code, code, year)] = value
    core = {i.code: i for i in plan.indicators if i.tier == "core"}
    return rows + _monthly_rows(rows, {c: i.kind for c, i in core.items()}, {c: i.decimals for c, i in core.items()},
                                random.Random(seed + 1)) + _peer_rows(plan, random.Random(seed + 2)), targets


def _monthly_rows(rows: list[dict[str, object]], kinds: dict[str, str], decimals: dict[str, int],
                  rng: random.Random) -> list[dict[str, object]]:
    """Months 1–11 of every demo year, derived from the year's figure (final over preliminary).

    A separate random stream, so the annual figures are the same as without months.
    """
    annual: dict[tuple[str, str, int], tuple[float, str]] = {}
    for r in rows:
        key = (str(r["indicator"]), str(r["region"]), int(r["year"]))  # type: ignore[call-overload]
        if r["status"] == "final" or key not in annual:
            annual[key] = (float(r["value"]), str(r["status"]))  # type: ignore[arg-type]
    monthly: list[dict[str, object]] = []
    for (code, region, year), (value, status) in sorted(annual.items()):
        if year not in DEMO_YEARS:
            continue
        start = annual.get((code, region, year - 1), (value, ""))[0]
        share = last = 0.0
        for month in range(1, 12):
            if kinds[code] == "flow":
                share += _FLOW_MONTH_SHARES[month - 1] / 100
                figure = max(last, value * share * rng.uniform(0.97, 1.03))  # a 1–N月累计 never shrinks
            else:
                figure = start + (value - start) * month / 12 * rng.uniform(0.8, 1.2)
            last = round(max(0.0, figure), decimals[code])
            monthly.append({"indicator": code, "region": region, "year": year, "month": month, "value": last,
                            "status": status, "note": DEMO_NOTE})
    return monthly


def _peer_rows(plan: PlanDef, rng: random.Random) -> list[dict[str, object]]:
    """全省对比 figures of 浙江省 and the other ten 设区市 for every month of PEER_YEARS, with a published 同比.

    Each city is a random multiple of the home city's plan baseline and grows at a random rate, so the
    home city (whose figure is the sum of its demo districts) lands somewhere among them.
    """
    rows: list[dict[str, object]] = []
    others = [code for code, _ in PEER_CITIES if code != plan.city]
    for indicator in (i for i in plan.indicators if i.tier == "core"):
        base = max(indicator.baseline or 0.0, 10.0)
        scale = {code: rng.uniform(0.3, 2.5) for code in others}
        scale[PROVINCE_CODE] = 11.0
        for code, factor in scale.items():
            rate = rng.uniform(-2.0, 25.0)
            for year in PEER_YEARS:
                growth = round(rate + rng.uniform(-3.0, 3.0), 1)
                annual = base * factor * (1 + rate / 100) ** (year - plan.baseline_year)
                for month in range(1, 13):
                    share = (sum(_FLOW_MONTH_SHARES[:month]) / 100 if indicator.kind == "flow"
                             else 0.9 + 0.1 * month / 12)
                    rows.append({"indicator": indicator.code, "region": code, "year": year, "month": month,
                                 "value": round(annual * share, indicator.decimals), "status": "final",
                                 "note": DEMO_NOTE, "growth": round(growth + rng.uniform(-0.5, 0.5), 1)})
    return rows


def _records(session, rows: list[dict[str, object]]) -> tuple[Record, ...]:  # type: ignore[no-untyped-def]
    """The rows through the import's own parser and validation, so the sample obeys every import rule."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["indicator", "region", "year", "month", "value", "status", "note",
                                                "growth"])
    writer.writeheader()
    writer.writerows(rows)
    result = validate_table(read_table("demo.csv", buffer.getvalue().encode("utf-8")), build_catalog(session))
    if result.errors:
        raise InputError(list(result.errors))
    return result.records


def write_demo(engine: Engine, seed: int = 2023) -> DemoReport:
    """Write the demo sample into ``engine``'s database, which must hold no real (non-demo) submissions."""
    rows, targets = sample_rows(seed)
    with transaction(engine) as session:
        real = {kind: n for kind, n in reads.submission_kinds(session).items() if kind not in _ALLOWED_KINDS}
        if real:
            raise InputError("该数据库已有真实数据（" + "、".join(f"{k} {n} 次" for k, n in sorted(real.items()))
                             + "），演示数据只能写入单独的数据库，例如 kpi demo --database sqlite:///instance/demo.sqlite3")
        indicators = {i.code: i.id for i in repo.indicators(session)}
        writes: list[tuple[type, object, dict[str, object]]] = []
        for r in _records(session, rows):
            key = (indicators[r.indicator], r.region, r.year, r.month, r.status)
            old = repo.current_observation(session, *key)
            if old is None or old.value != r.value or old.note != r.note or old.growth != r.growth:
                writes.append((Observation, old, dict(indicator_id=key[0], region_code=r.region, year=r.year,
                                                      month=r.month, status=r.status, value=r.value,
                                                      source="kpi demo", note=r.note, growth=r.growth)))
        for (code, region, year), value in targets.items():
            old = repo.current_target(session, indicators[code], region, year)
            if old is None or old.value != value or old.origin != "estimated":
                writes.append((Target, old, dict(indicator_id=indicators[code], region_code=region, year=year,
                                                 value=value, origin="estimated", note=DEMO_TARGET_NOTE)))
        if not writes:
            return DemoReport(None, 0, 0)
        submission = repo.new_submission(session, "demo", DEMO_ACTOR, note=DEMO_NOTE,
                                         n_new=sum(old is None for _m, old, _v in writes),
                                         n_changed=sum(old is not None for _m, old, _v in writes))
        for model, old, values in writes:
            repo.record_version(session, model, submission, old, **values)  # type: ignore[arg-type]
        n_obs = sum(model is Observation for model, _o, _v in writes)
        accounts_repo.add_audit_event(session, DEMO_ACTOR, "demo", target="演示数据",
                                      detail=f"写入演示数值 {n_obs} 个、估算目标 {len(writes) - n_obs} 个",
                                      submission_id=submission.id)
        return DemoReport(submission.id, n_obs, len(writes) - n_obs)


def create_demo_database(url: str | None = None, seed: int = 2023) -> tuple[str, DemoReport]:
    """Open (create, migrate, load the plan into) the demo database and write the sample into it."""
    url = url or demo_url()
    engine = open_database(url)
    try:
        return url, write_demo(engine, seed)
    finally:
        engine.dispose()
