"""Read models of the dashboard pages, on known figures imported through the import service."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.services import importer, views

# Known figures (test values, never shown in the app): 网络零售额 for every district in 2022 and 2024,
# the city's own 2024 figure (10 above the district sum: a reconciliation difference) and its
# preliminary figure with a note; 网络经营主体 behind, 平台 ahead of the 2025 target.
KNOWN_CSV = """indicator,region,year,value,status,note
SX01,330602,2022,170,final,
SX01,330603,2022,240,final,
SX01,330604,2022,160,final,
SX01,330624,2022,70,final,
SX01,330681,2022,190,final,
SX01,330683,2022,91,final,
SX01,330602,2024,200,final,
SX01,330603,2024,290,final,
SX01,330604,2024,190,final,
SX01,330624,2024,80,final,
SX01,330681,2024,220,final,
SX01,330683,2024,100,final,
SX01,330600,2024,1090,final,直播电商带动增长
SX01,330600,2024,1085,preliminary,初步数据待核实
SX02,330600,2024,9,final,
SX03,330600,2024,160,final,
"""
KS = "330603"  # 柯桥区


def load_known(engine: Engine) -> None:
    importer.commit_import(engine, "known.csv", KNOWN_CSV.encode(), "测试", accept_warnings=True)


@pytest.fixture
def known(fresh_db: Engine) -> Engine:
    load_known(fresh_db)
    return fresh_db


def _row(rows: list[views.ScoreRow], code: str) -> views.ScoreRow:
    return next(r for r in rows if r.current.indicator.code == code)


def test_baseline_only_scorecard_measures_growth_from_the_plan_baseline(fresh_db: Engine) -> None:
    rows = views.scorecard(fresh_db, 2025, "330600")
    assert [r.current.indicator.code for r in rows] == [f"SX0{i}" for i in range(1, 9)]
    retail = _row(rows, "SX01")
    assert (retail.latest_year, retail.latest_value, retail.current.assessment.actual) == (2022, 921, None)
    assert retail.required_from_latest[2027] == pytest.approx((1400 / 921) ** (1 / 5) - 1)
    assert retail.current.next_milestone().status == "no_data"
    # 数据知识产权登记 starts from 0: a compound rate from a zero base is undefined, not 0 or infinite.
    assert _row(rows, "SX08").required_from_latest[2027] is None


def test_scorecard_with_known_figures(known: Engine) -> None:
    rows = views.scorecard(known, 2024, "330600")
    retail = _row(rows, "SX01").current
    m = retail.next_milestone()
    assert (retail.assessment.actual, retail.actual_status, m.year) == (1090, "final", 2025)
    assert m.progress == pytest.approx((1090 - 921) / (1200 - 921))
    assert m.time_elapsed == pytest.approx(2 / 3)
    assert m.status == "at_risk"  # −6.1 points: 略低于序时 (−10 ≤ gap < 0)
    assert _row(rows, "SX02").current.next_milestone().status == "severe"
    assert _row(rows, "SX03").current.next_milestone().status == "achieved"
    assert _row(rows, "SX04").latest_year == 2022


def test_indicator_detail_keeps_preliminary_beside_final_with_notes(known: Engine) -> None:
    detail = views.indicator_detail(known, "SX01", "330600", 2024)
    y2024 = {p.status: p for p in detail.points if p.year == 2024}
    assert (y2024["final"].value, y2024["preliminary"].value) == (1090, 1085)
    assert y2024["preliminary"].note == "初步数据待核实"
    assert dict(detail.planned)[2024] == pytest.approx(1100)  # halfway from 1000 (2023) to 1200 (2025)
    assert {p.region_code for p in detail.district_points} == {"330602", "330603", "330604", "330624", "330681", "330683"}
    assert detail.assessed.assessment.projection is not None


def test_city_trajectory_marks_a_district_sum_as_such(fresh_db: Engine) -> None:
    csv = "indicator,region,year,value\n" + "".join(f"SX03,{c},2023,{v}\n" for c, v in
                                                     [("330602", 10), ("330603", 20), ("330604", 5)])
    importer.commit_import(fresh_db, "part.csv", csv.encode(), "测试", accept_warnings=True)
    detail = views.indicator_detail(fresh_db, "SX03", "330600", 2023)
    # Three districts of six: never a point of the city's line, only a labelled partial sum.
    assert [p for p in detail.points if p.year == 2023] == []
    assert detail.partial == ((2023, 35, "已报区县合计（3/6，缺：新昌县、诸暨市、嵊州市）"),)
    rest = "".join(f"SX03,{c},2023,{v}\n" for c, v in [("330624", 1), ("330681", 2)]) + "SX03,330683,2023,3,preliminary\n"
    importer.commit_import(fresh_db, "rest.csv", ("indicator,region,year,value,status\n" + rest).encode(), "测试",
                           accept_warnings=True)
    detail = views.indicator_detail(fresh_db, "SX03", "330600", 2023)
    (summed,) = [p for p in detail.points if p.year == 2023]
    # All six: the city's figure, summed, and preliminary because one district's figure is.
    assert (summed.value, summed.source, summed.status, summed.label) == (41, "derived", "preliminary", "区县合计·含初步数")
    assert detail.partial == ()


def test_a_partial_sum_is_never_the_denominator_of_district_shares(fresh_db: Engine) -> None:
    importer.commit_import(fresh_db, "one.csv", b"indicator,region,year,value\nSX01,330603,2024,268.5\n", "测试",
                           accept_warnings=True)
    city, parts = views.contributions(fresh_db, "SX01", 2024)
    keqiao = next(p for p in parts if p.region.code == KS)
    assert city.assessment.actual is None and city.actual_source == "partial"
    assert keqiao.actual == 268.5 and keqiao.share_of_total is None  # not "100% of the city"


def test_contributions_share_of_total_and_of_growth(known: Engine) -> None:
    city, parts = views.contributions(known, "SX01", 2024)
    keqiao = next(p for p in parts if p.region.code == KS)
    assert keqiao.share_of_total == pytest.approx(290 / 1090)
    assert keqiao.increment == 50
    assert keqiao.share_of_increment == pytest.approx(50 / (1090 - 921))
    assert keqiao.remaining_gap is None  # no district targets allocated yet
    assert city.reconciliation.reconciliation_flagged
    assert city.reconciliation.district_sum == 1080


def test_district_targets_give_remaining_gaps(known: Engine) -> None:
    from dashboard.services import allocation
    from dashboard.ui.session import LOCAL_ADMIN

    values = {"330602": 220, "330603": 320, "330604": 210, "330624": 90, "330681": 250, "330683": 110}
    allocation.save_allocations(known, LOCAL_ADMIN, "SX01", 2025, values)
    _city, parts = views.contributions(known, "SX01", 2024)
    gaps = {p.region.code: p.remaining_gap for p in parts}
    assert gaps[KS] == 30
    assert sum(p.share_of_remaining_gap for p in parts) == pytest.approx(1)
    assert next(p for p in parts if p.region.code == KS).target_origin == "allocated"


def test_measure_list_follows_the_plan(fresh_db: Engine) -> None:
    items = views.measure_list(fresh_db, 2025)
    assert [i.code for i in items][:3] == ["G1", "M01", "M02"]
    assert len([i for i in items if i.code.startswith("M")]) == 20
    actions = list(dict.fromkeys(i.action for i in items if i.code.startswith("M")))
    assert actions == ["创新赋能行动", "环境提升行动", "要素激活行动", "规则优化行动", "治理迭代升级行动"]
    m01 = next(i for i in items if i.code == "M01")
    assert m01.lead_unit == "市商务局"
    assert "网络零售额" in [t.assessed.indicator.name for t in m01.targets]


def test_data_version_changes_with_an_import_and_demo_detection(fresh_db: Engine) -> None:
    before = views.data_version(fresh_db)
    load_known(fresh_db)
    assert views.data_version(fresh_db) > before
    assert not views.demo_in_use(fresh_db)


def test_plan_context_years_and_latest_actual(known: Engine) -> None:
    context = views.plan_context(known)
    assert context.years == (2023, 2024, 2025, 2026, 2027)
    assert context.latest_year("330600") == 2024 and context.latest_year(KS) == 2024
    assert context.latest_year("330624") == 2024  # 新昌县 reported 2024 网络零售额


def test_latest_year_of_the_city_ignores_a_few_districts(fresh_db: Engine) -> None:
    importer.commit_import(fresh_db, "one.csv", b"indicator,region,year,value\nSX01,330603,2024,268.5\n", "测试",
                           accept_warnings=True)
    context = views.plan_context(fresh_db)
    assert context.latest_year(KS) == 2024
    assert context.latest_year("330600") is None  # one district is not the city's published figure
    assert [r.name for r in context.regions][:2] == ["绍兴市", "越城区"]
    assert len(context.districts) == 6
