"""The month-level progress service and explicit annual targets, on real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard import auth
from dashboard.errors import InputError, NotFoundError, PermissionDenied
from dashboard.services import importer
from dashboard.services import monthly as monthly_service
from dashboard.services import progress as progress_service

DISTRICTS = ["330602", "330603", "330604", "330624", "330681", "330683"]
ADMIN = auth.Actor(username="admin", role=auth.ADMIN, display_name="管理员")
KEYS = ["indicator", "region", "year", "month", "ytd", "ytd_prior", "yoy_growth", "annual_target",
        "annual_target_origin", "time_elapsed", "ytd_attainment", "gap_pp", "status", "needed_yoy",
        "seasonal_expected", "vs_seasonal"]


def load(engine: Engine, rows: list[tuple]) -> None:
    """Import (indicator, region, year, month, value[, status]) rows through the real import service."""
    lines = ["indicator,region,year,month,value,status"]
    lines += [",".join(str(x) for x in (*row, "final")[:6]) for row in rows]
    importer.commit_import(engine, "test.csv", "\n".join(lines).encode(), actor="test", accept_warnings=True)


def one(engine: Engine, indicator: str, region: str = "330600", year: int = 2026, month: int = 9) -> dict:
    (row,) = monthly_service.month_progress(engine, year, month, region=region, indicator=indicator)
    return monthly_service.row_to_dict(row)


def test_city_flow_against_the_trajectory(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2026, 9, 1012), ("SX01", "330600", 2025, 9, 925),
                    ("SX01", "330600", 2025, 12, 1200)])
    data = one(fresh_db, "SX01")
    assert [k for k in data if k in KEYS] == KEYS and set(KEYS) <= set(data)
    assert (data["ytd"], data["ytd_prior"], data["ytd_source"], data["ytd_status"]) == (1012, 925, "reported", "final")
    assert (data["annual_target"], data["annual_target_origin"]) == (pytest.approx(1300), "trajectory")
    assert data["ytd_attainment"] == pytest.approx(1012 / 1300)
    assert data["yoy_growth"] == pytest.approx(1012 / 925 - 1)
    assert data["needed_yoy"] == pytest.approx(1300 / 1200 - 1)
    assert data["seasonal_expected"] == pytest.approx(1300 * 925 / 1200)
    assert data["status"] == "on_track" and data["time_elapsed"] == 0.75


def test_preliminary_until_final(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2026, 9, 900, "preliminary")])
    assert (one(fresh_db, "SX01")["ytd"], one(fresh_db, "SX01")["ytd_status"]) == (900, "preliminary")
    load(fresh_db, [("SX01", "330600", 2026, 9, 950, "final")])
    assert (one(fresh_db, "SX01")["ytd"], one(fresh_db, "SX01")["ytd_status"]) == (950, "final")


def test_stock_from_prior_year_end_and_published_milestone_target(fresh_db: Engine) -> None:
    load(fresh_db, [("SX02", "330600", 2024, 12, 14), ("SX02", "330600", 2025, 6, 15.2)])
    data = one(fresh_db, "SX02", year=2025, month=6)
    assert (data["annual_target"], data["annual_target_origin"]) == (16, "published")
    assert data["ytd_attainment"] == pytest.approx((15.2 - 14) / (16 - 14))
    assert data["seasonal_expected"] is None and data["yoy_growth"] is None  # no 2024 mid-year figure


def test_partial_district_sum_is_incomplete_and_full_sum_is_judged(fresh_db: Engine) -> None:
    load(fresh_db, [("SX04", d, 2026, 6, 10) for d in DISTRICTS[:4]])
    data = one(fresh_db, "SX04", month=6)
    assert (data["ytd"], data["ytd_source"], data["status"]) == (40, "partial", "incomplete")
    assert data["missing_districts"] == DISTRICTS[4:] and data["ytd_attainment"] is None
    load(fresh_db, [("SX04", d, 2026, 6, 10) for d in DISTRICTS[4:]])
    data = one(fresh_db, "SX04", month=6)
    assert (data["ytd"], data["ytd_source"], data["missing_districts"]) == (60, "derived", [])
    assert data["status"] != "incomplete" and data["annual_target"] is not None


def test_partial_prior_year_is_no_base_for_yoy(fresh_db: Engine) -> None:
    load(fresh_db, [("SX04", "330600", 2026, 6, 70), ("SX04", DISTRICTS[0], 2025, 6, 10)])
    data = one(fresh_db, "SX04", month=6)
    assert data["ytd_prior"] is None and data["yoy_growth"] is None


def test_explicit_annual_target_wins_and_stays_out_of_the_annual_view(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2026, 9, 1012)])
    assert monthly_service.set_annual_target(fresh_db, ADMIN, "SX01", "绍兴市", 2026, 1320) is not None
    assert monthly_service.set_annual_target(fresh_db, ADMIN, "SX01", "330600", 2026, 1320) is None  # unchanged
    data = one(fresh_db, "SX01")
    assert (data["annual_target"], data["annual_target_origin"]) == (1320, "annual")
    (annual,) = progress_service.progress(fresh_db, 2026, region="330600", indicator="SX01")
    assert [m.year for m in annual.assessment.milestones] == [2023, 2025, 2027]


def test_annual_target_refusals(fresh_db: Engine) -> None:
    with pytest.raises(InputError, match="已有目标"):
        monthly_service.set_annual_target(fresh_db, ADMIN, "SX01", "330600", 2025, 1250)
    with pytest.raises(InputError, match="只统计全市"):
        monthly_service.set_annual_target(fresh_db, ADMIN, "SX07", "330602", 2026, 6)
    with pytest.raises(InputError, match="不小于 0"):
        monthly_service.set_annual_target(fresh_db, ADMIN, "SX01", "330600", 2026, -1)
    with pytest.raises(NotFoundError):
        monthly_service.set_annual_target(fresh_db, ADMIN, "SX01", "杭州市", 2026, 1)
    viewer = auth.Actor(username="v", role=auth.VIEWER, display_name="v")
    with pytest.raises(PermissionDenied):
        monthly_service.set_annual_target(fresh_db, viewer, "SX01", "330600", 2026, 1320)


def test_district_rows_use_district_targets_and_latest_month(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330602", 2026, 3, 40), ("SX01", "330602", 2026, 5, 70)])
    rows = monthly_service.month_progress(fresh_db, 2026, 5, indicator="SX01")
    assert {r.region.code for r in rows} == {"330600", *DISTRICTS}
    district = next(r for r in rows if r.region.code == "330602")
    assert district.assessment.ytd == 70 and district.assessment.annual_target is None  # no district targets
    assert monthly_service.latest_month(fresh_db, 2026) == 5
    assert monthly_service.latest_month(fresh_db, 2030) is None
    with pytest.raises(InputError, match="月份"):
        monthly_service.month_progress(fresh_db, 2026, 13)


def test_cli_month_json_text_and_annual_target(fresh_db: Engine) -> None:
    import json

    from click.testing import CliRunner

    from dashboard.cli import main

    url = fresh_db.url.render_as_string(hide_password=False)
    load(fresh_db, [("SX01", "330600", 2026, 9, 1012), ("SX01", "330600", 2025, 9, 925),
                    ("SX01", "330600", 2025, 12, 1200)])
    set_target = CliRunner().invoke(main, ["--database", url, "annual-target", "--indicator", "网络零售额",
                                           "--year", "2026", "--value", "1320"])
    assert set_target.exit_code == 0, set_target.output
    result = CliRunner().invoke(main, ["--database", url, "progress", "--year", "2026", "--month", "9",
                                       "--indicator", "SX01", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["region"]: r for r in json.loads(result.output)}
    assert set(KEYS) <= set(rows["330600"]) and len(rows) == 7
    assert (rows["330600"]["annual_target"], rows["330600"]["annual_target_origin"]) == (1320, "annual")
    text = CliRunner().invoke(main, ["--database", url, "progress", "--year", "2026", "--month", "9",
                                     "--region", "330600", "--indicator", "SX01"])
    assert "1–9月网络零售额1,012亿元，同比增长9.4%；完成全年目标的76.7%，快于序时进度1.7个百分点；全年需增长10%" in text.output
    assert "🟢符合序时" in text.output
    bad = CliRunner().invoke(main, ["--database", url, "progress", "--year", "2026", "--month", "13"])
    assert bad.exit_code != 0
    refused = CliRunner().invoke(main, ["--database", url, "annual-target", "--indicator", "SX01", "--year", "2025",
                                        "--value", "1"])
    assert refused.exit_code == 1 and "已有目标" in refused.output


def test_cumulative_series_and_latest_period(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2026, m, 100 * m) for m in (1, 2, 3)]
         + [("SX01", "330600", 2025, m, 90 * m) for m in range(1, 13)])
    series = monthly_service.cumulative_series(fresh_db, "SX01", "330600", 2026, 3)
    assert series.this_year == ((1, 100), (2, 200), (3, 300))
    assert len(series.last_year) == 12 and series.last_year[-1] == (12, 1080)
    assert series.target_path[-1] == (12, pytest.approx(1300)) and series.row.assessment.ytd == 300
    assert monthly_service.latest_period(fresh_db) == (2026, 3)
    with pytest.raises(NotFoundError):
        monthly_service.cumulative_series(fresh_db, "SX99", "330600", 2026, 3)


def test_peer_cities_do_not_move_the_default_period(fresh_db: Engine) -> None:
    """全省对比 figures of a later month than the city's own (the provincial bulletin came first) do not
    make the pages open on a month the city has no figure for."""
    load(fresh_db, [("SX01", "330600", 2026, 3, 300), ("SX01", "330602", 2026, 3, 50)])
    load(fresh_db, [("SX01", "330100", 2026, 5, 900), ("SX01", "330000", 2027, 1, 90)])
    assert monthly_service.latest_period(fresh_db) == (2026, 3)
    assert monthly_service.latest_month(fresh_db, 2026) == 3


def test_the_city_alone_reads_district_figures_only_where_it_has_none_and_gets_the_same_rows(fresh_db: Engine) -> None:
    """The overview asks for the city alone, and then reads the districts' figures only for the periods the
    city has no figure of its own: its rows equal the city rows of the all-regions view, for a reported
    figure, a derived sum, a partial sum, a preliminary district and a missing prior year."""
    rows = [("SX01", "330600", 2026, 9, 1012), ("SX01", "330600", 2025, 9, 925), ("SX01", "330600", 2025, 12, 1200)]
    rows += [("SX01", d, 2026, 9, 150 + k) for k, d in enumerate(DISTRICTS)]  # reconciles with nothing: unused
    rows += [("SX02", d, 2026, 9, 2 + k) for k, d in enumerate(DISTRICTS)]  # all six: a derived sum
    rows += [("SX02", d, 2025, 9, 1 + k) for k, d in enumerate(DISTRICTS[:4])]  # four: a partial prior year
    rows += [("SX03", d, 2026, 9, 10) for d in DISTRICTS[:5]]  # five of six: a partial sum, not judged
    load(fresh_db, rows)
    load(fresh_db, [("SX03", "330683", 2025, 9, 7, "preliminary")])
    city_alone = monthly_service.rows_to_dicts(monthly_service.month_progress(fresh_db, 2026, 9, region="330600"))
    every_region = monthly_service.rows_to_dicts(monthly_service.month_progress(fresh_db, 2026, 9))
    assert city_alone == [r for r in every_region if r["region"] == "330600"]
    by_code = {r["indicator"]: r for r in city_alone}
    assert (by_code["SX01"]["ytd"], by_code["SX01"]["ytd_source"]) == (1012, "reported")
    assert (by_code["SX02"]["ytd"], by_code["SX02"]["ytd_source"]) == (sum(2 + k for k in range(6)), "derived")
    assert by_code["SX02"]["ytd_prior"] is None  # a partial prior-year sum is no prior figure
    assert (by_code["SX03"]["status"], by_code["SX03"]["missing_districts"]) == ("incomplete", ["330683"])
