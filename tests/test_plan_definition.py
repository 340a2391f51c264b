"""The plan definition file: published figures exactly as in DOMAIN.md, and clear errors on bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dashboard.errors import PlanDefinitionError
from dashboard.plan import DEFAULT_PLAN_FILE, load_plan_file, parse_plan

# The suite stands alone: the published table is a fixture inside the repository. DOMAIN.md (beside
# the clone, as in CI) is only used to check that the fixture is still a faithful copy.
CORE_TABLE = Path(__file__).resolve().parent / "fixtures" / "domain" / "core_indicators.md"
DOMAIN_MD = Path(__file__).resolve().parents[2] / "shared" / "DOMAIN.md"


def _table_rows(text: str) -> dict[str, tuple[str, list[float]]]:
    """The numbered rows of a 主要指标表: name -> (unit, [2022, 2023, 2025, 2027])."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"\d", cells[0]):
            rows[cells[1]] = (cells[2], [float(c) for c in cells[3:]])
    return rows


def test_core_indicators_match_the_published_table() -> None:
    published = _table_rows(CORE_TABLE.read_text(encoding="utf-8"))
    assert len(published) == 8
    plan = load_plan_file()
    core = [i for i in plan.indicators if i.tier == "core"]
    assert [i.name for i in core] == list(published)
    for indicator in core:
        unit, (y2022, y2023, y2025, y2027) = published[indicator.name]
        assert indicator.unit == unit
        assert indicator.baseline == y2022
        assert indicator.targets == {2023: y2023, 2025: y2025, 2027: y2027}


@pytest.mark.skipif(not DOMAIN_MD.exists(), reason="../shared/DOMAIN.md is not beside this clone")
def test_fixture_table_is_still_the_domain_primer_table() -> None:
    domain = _table_rows(DOMAIN_MD.read_text(encoding="utf-8"))
    assert domain and _table_rows(CORE_TABLE.read_text(encoding="utf-8")) == domain


def test_plan_semantics_follow_the_domain_primer() -> None:
    plan = load_plan_file()
    by_name = {i.name: i for i in plan.indicators}
    assert by_name["网络零售额"].kind == "flow"
    assert by_name["平台经济领域地方标准"].aggregation == "city_only"
    assert all(i.direction == "higher" for i in plan.indicators)
    assert by_name["网络经营主体"].decimals == 1
    assert by_name["参与省“双尖双领”攻关项目"].target_basis == "per_year"
    assert by_name["职业伤害保障政策覆盖"].value_type == "percent"
    pilot = by_name["入选省数据要素改革试点的区、县（市）"]  # 力争1—2个
    assert (pilot.comparison, pilot.targets, pilot.target_max) == ("[]", {2027: 1}, {2027: 2})
    assert plan.baseline_year == 2022 and plan.city == "330600"
    assert {r.code: r.name for r in plan.regions} == {
        "330600": "绍兴市", "330602": "越城区", "330603": "柯桥区", "330604": "上虞区",
        "330624": "新昌县", "330681": "诸暨市", "330683": "嵊州市",
    }


@pytest.mark.parametrize(
    ("measure", "lead_unit"),
    [("M01", "市商务局"), ("M02", "市经信局"), ("M03", "市农业农村局"), ("M04", "市文广旅游局"),
     ("M07", "市市场监管局"), ("M08", "市人力社保局"), ("M09", "市教育局"), ("M11", "市科技局"),
     ("M12", "市市场监管局"), ("M13", "市邮政管理局"), ("M16", "市市场监管局"), ("M19", "市市场监管局"),
     ("G1", "市平台经济工作领导小组办公室")],
)
def test_measure_lead_units(measure: str, lead_unit: str) -> None:
    plan = load_plan_file()
    assert plan.measure(measure) is not None
    assert plan.measure(measure).lead_unit == lead_unit
    assert any(i.measure == measure for i in plan.indicators), "each listed measure has a target"


def _raw() -> dict:
    return yaml.safe_load(DEFAULT_PLAN_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.pop("title"), "缺少必填项“title”"),
        (lambda r: r["core_indicators"][0].update(kind="rate"), "“kind”的取值“rate”无效"),
        (lambda r: r["core_indicators"][0].update(targets={}), "targets"),
        (lambda r: r["core_indicators"][0].update(targets={2025: "很多"}), "“很多”不是数字"),
        (lambda r: r["core_indicators"][1].update(code="SX01"), "指标代码重复：SX01"),
        (lambda r: r["core_indicators"][0].update(measure="M99"), "不存在的举措“M99”"),
        (lambda r: r.update(city="999999"), "城市代码 999999 不在 regions 中"),
        (lambda r: r["core_indicators"][0].update(comparison="[]"), "区间目标"),  # no target_max
        (lambda r: r["core_indicators"][0].update(target_max={2027: 2000}), "区间目标"),  # no comparison
        (lambda r: r["core_indicators"][0].update(comparison="[]", target_max={2023: 1, 2025: 1, 2027: 1}),
         "2023年目标上限 1 小于下限 1000"),
    ],
)
def test_bad_plan_definitions_are_rejected_with_a_chinese_message(mutate, message: str) -> None:
    raw = _raw()
    mutate(raw)
    with pytest.raises(PlanDefinitionError, match=re.escape(message)):
        parse_plan(raw, where="bad.yaml")


def test_unreadable_plan_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(PlanDefinitionError, match="YAML 格式错误"):
        load_plan_file(path)
