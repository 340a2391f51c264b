"""The briefing's content, built from hand-made rows (no database): which numbers go where."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from dashboard import briefing
from dashboard.progress import Milestone, SeriesInput, assess

CITY = "330600"
PLAN = briefing.PlanInfo(title="测试计划", doc_number="测政发〔2023〕1号", baseline_year=2022, city_code=CITY)


def _row(code: str, region: str, actual: float | None, *, baseline: float = 921.0,
         targets: dict[int, float] | None = None, year: int = 2024, aggregation: str = "additive",
         lead_unit: str = "市商务局", name: str | None = None, decimals: int = 0):
    targets = targets if targets is not None else {2023: 1000.0, 2025: 1200.0, 2027: 1400.0}
    series = SeriesInput(direction="higher", baseline_year=2022, baseline=baseline,
                         milestones=tuple(Milestone(y, v) for y, v in sorted(targets.items())))
    indicator = SimpleNamespace(code=code, name=name or code, unit="亿元", decimals=decimals, direction="higher",
                                aggregation=aggregation, lead_unit=lead_unit)
    region_name = {"330600": "绍兴市", "330602": "越城区", "330603": "柯桥区"}[region]
    return SimpleNamespace(indicator=indicator, region=SimpleNamespace(code=region, name=region_name),
                           assessment=assess(series, year, actual), actual_source="reported" if actual else None,
                           actual_status="final" if actual else None, city=None)


def _final(value: float) -> briefing.ActualFigure:
    return briefing.ActualFigure(value, "reported", "final")


def test_chart_has_every_plan_year_with_targets_only_at_milestones_and_the_straight_trajectory() -> None:
    summed = briefing.ActualFigure(1104.0, "derived", "preliminary")
    chart = briefing.chart_data(_row("SX01", CITY, 1104.0), {2022: _final(921.0), 2023: _final(1010.0), 2024: summed})
    assert chart.categories == (2022, 2023, 2024, 2025, 2026, 2027)
    assert chart.actual == (921.0, 1010.0, 1104.0, None, None, None)
    assert [f.label if f else "" for f in chart.actual_figures] == ["核实数", "核实数", "区县合计·含初步数", "", "", ""]
    assert chart.target == (None, 1000.0, None, 1200.0, None, 1400.0)
    # Through (2022, 921), (2023, 1000), (2025, 1200), (2027, 1400): 2024 is halfway from 1000 to 1200.
    assert chart.trajectory == (921.0, 1000.0, 1100.0, 1200.0, 1300.0, 1400.0)


def test_indicator_page_says_the_conclusion_with_half_up_rounding_and_key_numbers() -> None:
    # 1104 / 1200 = 92%; progress (1104 − 921) / (1200 − 921) = 65.59%, time 2/3 → −1.08 pp.
    page = briefing.indicator_page(_row("SX01", CITY, 1104.0, name="网络零售额"), {}, ["全市：测试说明"])
    assert page.milestone_year == 2025
    assert page.conclusion == "网络零售额完成2025年目标的92%，目标进度65.6%，慢于序时进度（66.7%）1.1个百分点"
    numbers = dict(page.key_numbers)
    assert numbers["2024年实际"] == "1,104亿元"
    assert numbers["2025年目标"] == "1,200亿元"
    assert numbers["完成率"] == "92%"
    assert numbers["目标进度 / 序时进度"] == "65.6% / 66.7%"
    assert numbers["尚需年均增速（至2025年）"] == "8.7%"  # 1200 / 1104 − 1 = 8.696%
    assert page.notes == ("全市：测试说明",)
    assert page.status == "at_risk"


def test_in_a_milestone_year_the_growth_still_required_points_to_the_next_milestone() -> None:
    numbers = dict(briefing.indicator_page(_row("SX01", CITY, 1100.0, year=2025), {}).key_numbers)
    # (1400 / 1100)^(1/2) − 1 = 12.815%; never "—" only because 2025 is itself a milestone year.
    assert numbers["尚需年均增速（至2027年）"] == "12.8%"


def test_focus_milestone_is_the_next_one_and_the_last_after_the_plan() -> None:
    assert _row("A", CITY, 1000.0, year=2026).assessment.next_milestone().year == 2027
    assert _row("A", CITY, 1000.0, year=2025).assessment.next_milestone().year == 2025
    assert _row("A", CITY, 1000.0, year=2029).assessment.next_milestone().year == 2027
    assert _row("A", CITY, 1000.0, targets={}).assessment.next_milestone() is None


def test_behind_list_is_largest_gap_first_with_lead_units_and_leaves_out_rows_on_pace() -> None:
    rows = [
        _row("A", CITY, 1104.0, name="甲"),  # 65.6% vs 66.7%: slightly below (略低于序时)
        _row("B", CITY, 1000.0, name="乙", lead_unit="市经信局"),  # progress 28.3% vs 66.7% time: severe
        _row("C", "330602", 1050.0, name="丙", lead_unit="市邮政管理局"),  # 46.2% vs 66.7%: behind
        _row("D", CITY, None, name="丁"),  # no data is not "behind"
        _row("E", CITY, 1100.0, year=2025, name="戊"),  # 2025 reached without the target: missed, 64.2% vs 100%
    ]
    items = briefing.behind_items(rows, CITY)
    # Sorted by gap (−38.4, −35.8, −20.4 pp), not by status: the leader asks about the largest gap first.
    assert [(i.indicator, i.region, i.status, i.lead_unit) for i in items] == [
        ("乙", "绍兴市", "severe", "市经信局"), ("戊", "绍兴市", "missed", "市商务局"),
        ("丙", "越城区", "behind", "市邮政管理局"), ("甲", "绍兴市", "at_risk", "市商务局")]
    assert [(i.attainment, i.gap) for i in items[:3]] == [("83.3%", "-38.4"), ("91.7%", "-35.8"), ("87.5%", "-20.4")]
    assert [gap for gap in (i.gap_pp for i in items)] == sorted(i.gap_pp for i in items)


def test_behind_items_grouped_by_lead_unit_in_order_of_their_worst_item() -> None:
    def item(unit: str, gap: float) -> briefing.BehindItem:
        return briefing.BehindItem("甲", "绍兴市", "behind", "", "50%", briefing.points(gap), gap, unit)

    items = [item("市经信局", -50), item("市商务局", -40), item("市经信局", -30), item("市商务局", -20)]
    groups = briefing.by_lead_unit(items)
    assert [(unit, [i.gap_pp for i in group]) for unit, group in groups] == [
        ("市经信局", [-50, -30]), ("市商务局", [-40, -20])]


def test_district_table_has_additive_indicators_by_district_only() -> None:
    rows = [
        _row("A", CITY, 1104.0, name="甲"),
        _row("A", "330602", 150.0, baseline=100.0, targets={2025: 200.0}, name="甲"),
        _row("A", "330603", None, baseline=100.0, targets={2025: 200.0}, name="甲"),
        _row("S", CITY, 5.0, aggregation="city_only", name="标准"),
    ]
    table = briefing.district_table(rows, CITY, 2024)
    assert table.regions == ("越城区", "柯桥区")
    assert [name for name, _ in table.rows] == ["甲"]
    cells = table.rows[0][1]
    assert (cells[0].attainment, cells[1].attainment, cells[1].status) == ("75%", "—", "no_data")


def test_briefing_cover_scorecard_and_slides() -> None:
    rows = [_row("A", CITY, 1104.0, name="甲"), _row("B", CITY, 1000.0, name="乙", decimals=1)]
    b = briefing.build_briefing(PLAN, 2024, rows, {"A": {2024: _final(1104.0)}}, {"B": ["全市：说明"]},
                                data_as_of=date(2025, 3, 1), demo=True)
    assert b.cover.data_as_of == "数据截至2025年3月1日"
    assert b.cover.demo is True
    assert b.scorecard_title == "核心指标总览：2024年（对照2025年目标）"
    assert [(s.name, s.actual, s.target, s.attainment, s.gap) for s in b.scorecard] == [
        ("甲", "1,104亿元", "1,200亿元", "92%", "-1.1"), ("乙", "1,000.0亿元", "1,200.0亿元", "83.3%", "-38.4")]
    assert [p.name for p in b.indicators] == ["甲", "乙"]
    assert b.indicators[1].notes == ("全市：说明",)
    without_data = briefing.build_briefing(PLAN, 2024, rows, {})
    assert "尚无" in without_data.cover.data_as_of and without_data.cover.demo is False


def test_gap_points_are_signed() -> None:
    assert (briefing.points(6.45), briefing.points(-0.04), briefing.points(None)) == ("+6.5", "0", "—")


def test_district_table_marks_estimated_targets() -> None:
    plain_row = _row("A", "330602", 100.0, year=2024)
    estimated_row = SimpleNamespace(**{**vars(plain_row), "target_origins": {2025: "estimated", 2027: "estimated"}})
    table = briefing.district_table([estimated_row], CITY, 2024)
    assert table.rows[0][1][0].estimated and table.rows[0][1][0].attainment == "8.3%"
    assert "估" in table.note and "估" not in table.title
    plain = briefing.district_table([plain_row], CITY, 2024)
    assert not plain.rows[0][1][0].estimated and "估" not in plain.note
