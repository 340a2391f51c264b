"""Plan definitions: the plain-data description of a policy plan, read from YAML under ``data/plans``.

Pure Python: parsing and validation only. Writing a plan into the store is the plan-loading
service's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dashboard.errors import PlanDefinitionError

PLANS_DIR = Path(__file__).resolve().parents[1] / "data" / "plans"
DEFAULT_PLAN_FILE = PLANS_DIR / "shaoxing_platform_2023.yaml"
# The code of the plan in DEFAULT_PLAN_FILE: what pages, the CLI and services show unless told otherwise.
DEFAULT_PLAN_CODE = "shaoxing-platform-2023"

_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": ("flow", "stock", "cumulative"),
    "aggregation": ("additive", "city_only"),
    "direction": ("higher", "lower"),
    "value_type": ("number", "percent", "boolean"),
    "target_basis": ("by_year", "per_year"),
    "comparison": (">=", ">", "<=", "<", "=", "[]"),  # "[]": a range, both ends included
    "level": ("city", "district"),
}


@dataclass(frozen=True)
class RegionDef:
    code: str
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True)
class MeasureDef:
    code: str
    title: str
    action: str | None = None
    lead_unit: str | None = None
    other_units: str | None = None


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit: str
    kind: str
    aggregation: str
    tier: str
    targets: dict[int, float]
    baseline: float | None = None
    direction: str = "higher"
    decimals: int = 0
    value_type: str = "number"
    target_basis: str = "by_year"
    comparison: str = ">="
    # comparison "[]" (a range such as 力争1—2个): year -> the upper end; ``targets`` holds the lower end.
    target_max: dict[int, float] = field(default_factory=dict)
    target_note: str | None = None
    measure: str | None = None
    definition: str | None = None
    source_agency: str | None = None


@dataclass(frozen=True)
class PlanDef:
    code: str
    title: str
    issuer: str
    baseline_year: int
    city: str
    regions: tuple[RegionDef, ...]
    measures: tuple[MeasureDef, ...]
    indicators: tuple[IndicatorDef, ...]
    doc_number: str | None = None
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    source: str | None = None
    file: str = field(default="", compare=False)

    def measure(self, code: str) -> MeasureDef | None:
        """The measure with ``code``, if the plan has it."""
        return next((m for m in self.measures if m.code == code), None)


def _fail(where: str, message: str) -> PlanDefinitionError:
    return PlanDefinitionError(f"计划定义文件 {where}：{message}")


def _require(mapping: dict[str, Any], key: str, where: str) -> Any:
    if key not in mapping or mapping[key] in (None, ""):
        raise _fail(where, f"缺少必填项“{key}”")
    return mapping[key]


def _choice(mapping: dict[str, Any], key: str, default: str, where: str) -> str:
    value = str(mapping.get(key, default))
    if value not in _CHOICES[key]:
        raise _fail(where, f"“{key}”的取值“{value}”无效，应为 {', '.join(_CHOICES[key])} 之一")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"“{value}”不是数字")
    return float(value)


def _indicator(raw: dict[str, Any], tier: str, measures: set[str], where: str) -> IndicatorDef:
    code = str(_require(raw, "code", where))
    where = f"{where}，指标 {code}"
    targets_raw = raw.get("targets") or {}
    if not isinstance(targets_raw, dict) or not targets_raw:
        raise _fail(where, "“targets”应为 年份: 目标值 的映射，且至少有一项")
    targets = {int(year): _number(value, f"{where} {year}年目标") for year, value in targets_raw.items()}
    comparison = _choice(raw, "comparison", ">=", where)
    max_raw = raw.get("target_max") or {}
    if not isinstance(max_raw, dict):
        raise _fail(where, "“target_max”应为 年份: 目标上限 的映射")
    target_max = {int(year): _number(value, f"{where} {year}年目标上限") for year, value in max_raw.items()}
    if (comparison == "[]") != bool(target_max) or (target_max and set(target_max) != set(targets)):
        raise _fail(where, "区间目标（comparison: '[]'）须为每个目标年份同时给出 targets（下限）和 target_max（上限）")
    for year, upper in target_max.items():
        if upper < targets[year]:
            raise _fail(where, f"{year}年目标上限 {upper:g} 小于下限 {targets[year]:g}")
    measure = raw.get("measure")
    if measure is not None and str(measure) not in measures:
        raise _fail(where, f"引用了不存在的举措“{measure}”")
    baseline = raw.get("baseline")
    return IndicatorDef(
        code=code,
        name=str(_require(raw, "name", where)),
        unit=str(_require(raw, "unit", where)),
        kind=_choice(raw, "kind", "stock", where),
        aggregation=_choice(raw, "aggregation", "additive", where),
        tier=tier,
        targets=dict(sorted(targets.items())),
        baseline=None if baseline is None else _number(baseline, f"{where} 基期值"),
        direction=_choice(raw, "direction", "higher", where),
        decimals=int(raw.get("decimals", 0)),
        value_type=_choice(raw, "value_type", "number", where),
        target_basis=_choice(raw, "target_basis", "by_year", where),
        comparison=comparison,
        target_max=dict(sorted(target_max.items())),
        target_note=raw.get("target_note"),
        measure=None if measure is None else str(measure),
        definition=raw.get("definition"),
        source_agency=raw.get("source_agency"),
    )


def parse_plan(raw: Any, where: str = "<内存>") -> PlanDef:
    """Validate a plan definition mapping (as loaded from YAML) and return it as :class:`PlanDef`."""
    if not isinstance(raw, dict):
        raise _fail(where, "顶层应为映射（键: 值）")
    regions = tuple(
        RegionDef(
            code=str(_require(r, "code", where)),
            name=str(_require(r, "name", where)),
            level=_choice(r, "level", "district", where),
            parent=None if r.get("parent") is None else str(r["parent"]),
        )
        for r in raw.get("regions") or []
    )
    region_codes = {r.code for r in regions}
    city = str(_require(raw, "city", where))
    if city not in region_codes:
        raise _fail(where, f"城市代码 {city} 不在 regions 中")
    for region in regions:
        if region.parent is not None and region.parent not in region_codes:
            raise _fail(where, f"地区 {region.code} 的上级 {region.parent} 不在 regions 中")
    measures = tuple(
        MeasureDef(
            code=str(_require(m, "code", where)),
            title=str(_require(m, "title", where)),
            action=m.get("action"),
            lead_unit=m.get("lead_unit"),
            other_units=m.get("other_units"),
        )
        for m in raw.get("measures") or []
    )
    measure_codes = {m.code for m in measures}
    indicators = tuple(
        [_indicator(i, "core", measure_codes, where) for i in raw.get("core_indicators") or []]
        + [_indicator(i, "measure", measure_codes, where) for i in raw.get("measure_indicators") or []]
    )
    for label, values in (("指标代码", [i.code for i in indicators]), ("指标名称", [i.name for i in indicators])):
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise _fail(where, f"{label}重复：{'、'.join(duplicates)}")
    if not indicators:
        raise _fail(where, "没有任何指标")
    return PlanDef(
        code=str(_require(raw, "code", where)),
        title=str(_require(raw, "title", where)),
        issuer=str(_require(raw, "issuer", where)),
        baseline_year=int(_require(raw, "baseline_year", where)),
        city=city,
        regions=regions,
        measures=measures,
        indicators=indicators,
        doc_number=raw.get("doc_number"),
        issued_on=raw.get("issued_on"),
        effective_from=raw.get("effective_from"),
        effective_to=raw.get("effective_to"),
        source=raw.get("source"),
        file=where,
    )


def load_plan_file(path: Path | str = DEFAULT_PLAN_FILE) -> PlanDef:
    """Read and validate a plan definition YAML file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(str(path), f"无法读取（{exc.strerror}）") from exc
    except yaml.YAMLError as exc:
        raise _fail(str(path), f"YAML 格式错误：{exc}") from exc
    return parse_plan(raw, where=path.name)
