"""``kpi progress`` and the progress service on real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.errors import NotFoundError
from dashboard.plan import load_plan_file
from dashboard.services import importer
from dashboard.services import progress as progress_service

DISTRICTS = ["330602", "330603", "330604", "330624", "330681", "330683"]


def load(engine: Engine, rows: list[tuple]) -> None:
    """Import (indicator, region, year, value[, status]) rows through the real import service."""
    lines = ["indicator,region,year,value,status"]
    lines += [",".join(str(x) for x in (*row, "final")[:5]) for row in rows]
    importer.commit_import(engine, "test.csv", "\n".join(lines).encode(), actor="test")


def by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["indicator"], r["region"]): r for r in rows}


def test_city_progress_on_the_plans_own_figures(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2024, 1100)])
    (row,) = progress_service.progress(fresh_db, 2024, region="330600", indicator="SX01")
    data = progress_service.row_to_dict(row)
    assert (data["actual"], data["actual_source"], data["baseline"], data["baseline_year"]) == (1100, "reported", 921, 2022)
    m2025 = next(m for m in data["milestones"] if m["year"] == 2025)
    assert m2025["attainment"] == pytest.approx(1100 / 1200)
    assert m2025["progress"] == pytest.approx((1100 - 921) / (1200 - 921))
    assert m2025["time_elapsed"] == pytest.approx(2 / 3)
    assert m2025["required_growth"] == pytest.approx(1200 / 1100 - 1)
    assert m2025["status"] == "at_risk" and m2025["target_origin"] == "published"  # −2.5 pp: 略低于序时
    m2023 = next(m for m in data["milestones"] if m["year"] == 2023)
    assert (m2023["status"], m2023["actual_year"], m2023["actual"]) == ("no_data", 2023, None)  # no 2023 figure
    assert data["achieved_growth"] == pytest.approx((1100 / 921) ** 0.5 - 1)


def test_preliminary_is_used_until_a_final_figure_exists(fresh_db: Engine) -> None:
    load(fresh_db, [("SX03", "330600", 2024, 90, "preliminary")])
    (row,) = progress_service.progress(fresh_db, 2024, region="330600", indicator="SX03")
    assert (row.assessment.actual, row.actual_status) == (90, "preliminary")
    load(fresh_db, [("SX03", "330600", 2024, 95, "final")])
    (row,) = progress_service.progress(fresh_db, 2024, region="330600", indicator="SX03")
    assert (row.assessment.actual, row.actual_status) == (95, "final")


def test_city_derived_partial_and_reconciled(fresh_db: Engine) -> None:
    load(fresh_db, [("SX04", d, 2024, 10) for d in DISTRICTS[:4]])
    (row,) = progress_service.progress(fresh_db, 2024, region="330600", indicator="SX04")
    data = progress_service.row_to_dict(row)
    assert (data["actual"], data["actual_source"], data["partial_sum"]) == (None, "partial", 40)
    assert data["missing_districts"] == data["reconciliation"]["missing_districts"] == ["330681", "330683"]
    assert [m["status"] for m in data["milestones"]] == ["no_data", "incomplete", "incomplete"]  # 2023: no figure
    load(fresh_db, [("SX04", d, 2024, 10) for d in DISTRICTS[4:]])
    (row,) = progress_service.progress(fresh_db, 2024, region="330600", indicator="SX04")
    assert (row.assessment.actual, row.actual_source) == (60, "derived")
    # Six whole-number districts may add up to 3 away from the city (6 × 0.5): 64 is beyond that.
    load(fresh_db, [("SX04", "330600", 2024, 64)])
    data = progress_service.row_to_dict(progress_service.progress(fresh_db, 2024, region="330600", indicator="SX04")[0])
    assert (data["actual"], data["actual_source"]) == (64, "reported")
    assert data["reconciliation"] == {"district_sum": 60, "difference": 4, "flagged": True, "missing_districts": []}
    load(fresh_db, [("SX04", "330600", 2024, 63)])
    assert _city(fresh_db, 2024, "SX04")["reconciliation"]["flagged"] is False  # 3: within rounding


def test_city_only_indicators_are_assessed_for_the_city_only(fresh_db: Engine) -> None:
    rows = progress_service.progress(fresh_db, 2024, indicator="SX07")
    assert [r.region.code for r in rows] == ["330600"]
    assert len(progress_service.progress(fresh_db, 2024, indicator="SX01")) == 7


def test_a_district_without_allocated_targets_has_no_milestones(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330602", 2022, 150), ("SX01", "330602", 2024, 180)])
    (row,) = progress_service.progress(fresh_db, 2024, region="越城区", indicator="网络零售额")
    assert row.assessment.milestones == ()
    assert row.assessment.baseline == 150
    assert row.assessment.achieved_growth == pytest.approx((180 / 150) ** 0.5 - 1)


def test_no_data_rows(fresh_db: Engine) -> None:
    (row,) = progress_service.progress(fresh_db, 2024, region="330600", indicator="SX05")
    assert row.assessment.actual is None and row.actual_source is None
    assert {m.status for m in row.assessment.milestones} == {"no_data"}


@pytest.mark.parametrize(("option", "value"), [("--region", "999999"), ("--indicator", "SX99"), ("--plan", "nope")])
def test_unknown_names_exit_1_with_a_message(fresh_db: Engine, option: str, value: str) -> None:
    result = CliRunner().invoke(main, ["--database", str(fresh_db.url.render_as_string(hide_password=False)),
                                       "progress", "--year", "2024", option, value])
    assert result.exit_code == 1
    assert value in result.output and "Traceback" not in result.output
    with pytest.raises(NotFoundError):
        progress_service.progress(fresh_db, 2024, **{option.strip("-").replace("plan", "plan_code"): value})


def test_kpi_progress_json_has_the_documented_keys(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2024, 1100)])
    url = fresh_db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database", url, "progress", "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    expected_rows = sum(7 if i.aggregation == "additive" else 1 for i in load_plan_file().indicators)
    assert len(rows) == expected_rows  # additive: the city and six districts; city-only: the city
    keys = ["indicator", "region", "year", "actual", "actual_source", "actual_status", "partial_sum",
            "missing_districts", "baseline", "baseline_year", "milestones",
            "achieved_growth", "sdg_ratio", "sdg_status", "projection"]
    assert all(set(keys) <= set(r) for r in rows)
    milestone_keys = {"year", "target", "actual_year", "actual", "attainment", "progress", "time_elapsed", "gap_pp", "status",
                      "required_growth", "expected", "vs_expected"}
    assert all(milestone_keys <= set(m) for r in rows for m in r["milestones"])
    retail = by_key(rows)[("SX01", "330600")]
    assert retail["projection"]["year"] == 2027
    # Readable Chinese table without --json.
    table = CliRunner().invoke(main, ["--database", url, "progress", "--year", "2024", "--region", "330600"])
    assert "网络零售额｜绍兴市｜1,100亿元（核实数）" in table.output and "略低于序时" in table.output


def test_kpi_progress_table_says_incomplete_and_rounds_half_up(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330603", 2024, 268.5), ("SX01", "330600", 2023, 1005)])
    url = fresh_db.url.render_as_string(hide_password=False)
    table = CliRunner().invoke(main, ["--database", url, "progress", "--year", "2024", "--indicator", "SX01"]).output
    city = next(line for line in table.splitlines() if line.startswith("网络零售额｜绍兴市"))
    assert "暂无全市数；已报区县合计（1/6，缺：越城区、上虞区、新昌县、诸暨市、嵊州市）269亿元，数据不全，不作评价" in city
    assert "◐ 数据不全" in city and not any(w in city for w in ("严重滞后", "明显滞后", "略低于序时", "符合序时"))
    # The 2023 milestone is judged on 2023's own 1005, and says so.
    assert "2023年目标1,000（按2023年实际值）：完成率100.5%" in city
    keqiao = next(line for line in table.splitlines() if line.startswith("网络零售额｜柯桥区"))
    assert "｜269亿元（核实数）｜" in keqiao  # 268.5 half up, never 268


# --------------------------------------------------------------------------- trust when data is incomplete


def _city(engine: Engine, year: int, indicator: str) -> dict:
    (row,) = progress_service.progress(engine, year, region="330600", indicator=indicator)
    return progress_service.row_to_dict(row)


def test_one_district_of_six_is_incomplete_never_judged(fresh_db: Engine) -> None:
    # 柯桥区 alone uploads 2024 网络零售额: the city is 数据不全, not 268.5 against a 1,200 target.
    load(fresh_db, [("SX01", "330603", 2024, 268.5)])
    data = _city(fresh_db, 2024, "SX01")
    assert (data["actual"], data["actual_source"], data["actual_status"]) == (None, "partial", None)
    assert data["partial_sum"] == 268.5 and data["missing_districts"] == [d for d in DISTRICTS if d != "330603"]
    # 2025 and 2027 are judged on 2024: 数据不全; 2023 is judged on 2023, which has no figure at all.
    assert [m["status"] for m in data["milestones"]] == ["no_data", "incomplete", "incomplete"]
    assert all(m[k] is None for m in data["milestones"] for k in ("attainment", "progress", "gap_pp", "required_growth"))
    assert data["achieved_growth"] is None and data["sdg_status"] is None
    # The district itself is judged on its own figures as usual.
    (district,) = progress_service.progress(fresh_db, 2024, region="330603", indicator="SX01")
    assert district.assessment.actual == 268.5


def test_all_six_districts_make_a_derived_city_figure_with_statuses(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", d, 2024, 200) for d in DISTRICTS])
    data = _city(fresh_db, 2024, "SX01")
    assert (data["actual"], data["actual_source"], data["actual_status"]) == (1200, "derived", "final")
    assert (data["partial_sum"], data["missing_districts"]) == (None, [])
    m2025 = next(m for m in data["milestones"] if m["year"] == 2025)
    assert m2025["status"] == "achieved" and m2025["attainment"] == pytest.approx(1.0)


def test_a_preliminary_district_makes_the_derived_sum_preliminary(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", d, 2024, 200) for d in DISTRICTS[:5]] + [("SX01", DISTRICTS[5], 2024, 200, "preliminary")])
    data = _city(fresh_db, 2024, "SX01")
    assert (data["actual_source"], data["actual_status"]) == ("derived", "preliminary")
    load(fresh_db, [("SX01", DISTRICTS[5], 2024, 200, "final")])
    assert _city(fresh_db, 2024, "SX01")["actual_status"] == "final"


def test_the_2023_milestone_seen_in_2024_uses_2023s_figure(fresh_db: Engine) -> None:
    # Flow (网络零售额) and stock (平台) alike: 2023 below its target, 2024 above it.
    load(fresh_db, [("SX01", "330600", 2023, 990), ("SX01", "330600", 2024, 1300),
                    ("SX03", "330600", 2023, 80), ("SX03", "330600", 2024, 90)])
    for code, own, target in (("SX01", 990, 1000), ("SX03", 80, 85)):
        m2023 = next(m for m in _city(fresh_db, 2024, code)["milestones"] if m["year"] == 2023)
        assert (m2023["actual_year"], m2023["actual"], m2023["status"]) == (2023, own, "missed")
        assert m2023["attainment"] == pytest.approx(own / target)


def test_a_partial_sum_never_becomes_a_past_milestones_actual(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330603", 2023, 300), ("SX01", "330600", 2024, 1100)])
    m2023 = next(m for m in _city(fresh_db, 2024, "SX01")["milestones"] if m["year"] == 2023)
    assert (m2023["status"], m2023["actual"]) == ("incomplete", None)


def test_a_zero_estimate_is_no_target(fresh_db: Engine) -> None:
    from dashboard.auth import Actor
    from dashboard.services import allocation as allocation_service

    admin = Actor("admin", "admin")
    allocation_service.save_allocations(fresh_db, admin, "SX01", 2025, {"330602": 0.0, "330603": 500.0},
                                        origin="estimated")
    load(fresh_db, [("SX01", "330602", 2024, 5), ("SX01", "330603", 2024, 300)])
    (zero,) = progress_service.progress(fresh_db, 2024, region="330602", indicator="SX01")
    (other,) = progress_service.progress(fresh_db, 2024, region="330603", indicator="SX01")
    assert zero.assessment.milestones == () and 2025 not in zero.target_origins  # 未分解, not 已完成
    assert [m.year for m in other.assessment.milestones] == [2025]


# --------------------------------------------------------------------------- methodology and wording (issue 14)


def test_an_uploaded_baseline_year_figure_never_replaces_the_published_baseline(fresh_db: Engine) -> None:
    # 省级工业互联网平台: published 42 for 2022; a city upload of 43 is a 基期修订数, shown, not used.
    load(fresh_db, [("SX04", "330600", 2022, 43), ("SX04", "330600", 2024, 55)])
    data = _city(fresh_db, 2024, "SX04")
    assert (data["baseline"], data["baseline_revised"]) == (42, 43)
    m2025 = next(m for m in data["milestones"] if m["year"] == 2025)
    assert m2025["progress"] == pytest.approx((55 - 42) / (62 - 42))
    from dashboard.services import deck, reading

    row = next(r for r in reading.indicator_table(fresh_db, "shaoxing-platform-2023") if r.code == "SX04")
    assert (row.baseline, row.baseline_revision) == (42, 43)
    page = next(p for p in deck.briefing(fresh_db, 2024).indicators if p.code == "SX04")
    assert dict(page.key_numbers)["2022年基期"] == "42个（基期修订数43，未采用）"


def test_a_partial_district_sum_never_becomes_a_baseline(fresh_db: Engine) -> None:
    # 未来农场 has no published baseline: three districts of six are not one.
    load(fresh_db, [("SX-M03-02", d, 2022, 1) for d in DISTRICTS[:3]] + [("SX-M03-02", "330600", 2024, 6)])
    assert _city(fresh_db, 2024, "SX-M03-02")["baseline"] is None
    load(fresh_db, [("SX-M03-02", d, 2022, 1) for d in DISTRICTS[3:]])
    assert _city(fresh_db, 2024, "SX-M03-02")["baseline"] == 6  # all six districts: a derived baseline
