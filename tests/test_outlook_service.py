"""预计全年 in ``kpi progress --month N --json``, on real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard.cli import main
from tests.test_monthly_service import DISTRICTS, load, one

OUTLOOK_KEYS = ["forecast", "forecast_low", "forecast_high", "forecast_basis_years", "forecast_method",
                "forecast_verdict", "remaining_needed_yoy", "seasonal_time_elapsed", "yoy_growth_source"]


def test_flow_outlook_from_two_earlier_years(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2024, 9, 700), ("SX01", "330600", 2024, 12, 1000),
                    ("SX01", "330600", 2025, 9, 750, "preliminary"), ("SX01", "330600", 2025, 9, 780),
                    ("SX01", "330600", 2025, 12, 1200), ("SX01", "330600", 2026, 9, 1012)])
    data = one(fresh_db, "SX01")
    assert [k for k in data if k in OUTLOOK_KEYS] == OUTLOOK_KEYS
    shares = [0.7, 780 / 1200]  # the final 2025 figure beats the preliminary one
    assert data["forecast_basis_years"] == [2024, 2025] and data["forecast_method"] == "seasonal_share"
    assert data["forecast"] == pytest.approx(1012 / (sum(shares) / 2))
    assert (data["forecast_low"], data["forecast_high"]) == (pytest.approx(1012 / 0.7), pytest.approx(1012 / 0.65))
    assert data["seasonal_time_elapsed"] == pytest.approx(sum(shares) / 2)
    assert data["forecast_verdict"] == "likely"  # the trajectory's 1300 ≤ 1012 ÷ 0.7 = 1445.7
    assert data["remaining_needed_yoy"] == pytest.approx((1300 - 1012) / (1200 - 780) - 1)
    assert data["yoy_growth_source"] == "computed"


def test_without_earlier_years_uniform_and_partial_sums_no_outlook(fresh_db: Engine) -> None:
    load(fresh_db, [("SX01", "330600", 2026, 6, 500)] + [("SX04", d, 2026, 6, 10) for d in DISTRICTS[:4]])
    data = one(fresh_db, "SX01", month=6)
    assert (data["forecast"], data["forecast_method"], data["forecast_low"]) == (1000, "uniform", None)
    assert data["forecast_basis_years"] == [] and data["yoy_growth_source"] is None
    partial = one(fresh_db, "SX04", month=6)
    assert partial["status"] == "incomplete" and partial["forecast"] is None and partial["forecast_method"] is None


def test_stock_outlook_from_increments(fresh_db: Engine) -> None:
    load(fresh_db, [("SX02", "330600", 2024, 6, 12.5), ("SX02", "330600", 2024, 12, 14),
                    ("SX02", "330600", 2025, 6, 15.2), ("SX02", "330600", 2025, 12, 16),
                    ("SX02", "330600", 2026, 6, 17.2)])
    data = one(fresh_db, "SX02", month=6)
    assert data["forecast_method"] == "seasonal_increment" and data["forecast_basis_years"] == [2024, 2025]
    assert data["forecast"] == pytest.approx(17.2 + (1.5 + 0.8) / 2)
    assert (data["forecast_low"], data["forecast_high"]) == (pytest.approx(18.0), pytest.approx(18.7))
    assert data["seasonal_time_elapsed"] is None and data["remaining_needed_yoy"] is None


def test_cli_json_carries_the_outlook(fresh_sqlite: Engine, sqlite_url: str) -> None:
    load(fresh_sqlite, [("SX01", "330600", 2025, 9, 780), ("SX01", "330600", 2025, 12, 1200),
                        ("SX01", "330600", 2026, 9, 1012)])
    result = CliRunner().invoke(main, ["--database", sqlite_url, "progress", "--year", "2026", "--month", "9", "--indicator", "SX01",
                                       "--region", "330600", "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["forecast"] == pytest.approx(1012 * 1200 / 780) and row["forecast_basis_years"] == [2025]


def test_kpi_outlook_backtest_and_sentences(fresh_sqlite: Engine, sqlite_url: str) -> None:
    # Month 9 was 70% of 2023 and of 2024; 2025 ended at 1250 where that pattern says 1200.
    load(fresh_sqlite, [("SX01", "330600", 2023, 9, 700), ("SX01", "330600", 2023, 12, 1000),
                        ("SX01", "330600", 2024, 9, 770), ("SX01", "330600", 2024, 12, 1100),
                        ("SX01", "330600", 2025, 9, 840), ("SX01", "330600", 2025, 12, 1250),
                        ("SX01", "330600", 2026, 9, 910)])
    runner = CliRunner()
    result = runner.invoke(main, ["--database", sqlite_url, "outlook", "--backtest", "--json", "--indicator", "SX01"])
    assert result.exit_code == 0, result.output
    [retail] = json.loads(result.output)
    [month9] = retail["months"]
    assert (retail["indicator"], month9["month"], month9["years"]) == ("SX01", 9, 2)  # 2024 and 2025
    assert month9["mape"] == pytest.approx((0 + 50 / 1250) / 2) and month9["inside"] == 0.5
    text = runner.invoke(main, ["--database", sqlite_url, "outlook", "--backtest", "--indicator", "SX01"]).output
    assert "网络零售额｜绍兴市｜9月｜检验2年｜平均误差2%" in text
    sentences = runner.invoke(main, ["--database", sqlite_url, "outlook", "--indicator", "SX01"]).output
    # 2026 at month 9 from 2023–2025 (shares 0.7, 0.7, 0.672): the default period is the newest month.
    assert sentences.startswith("2026年1–9月：预计全年") and "网络零售额｜绍兴市｜预计全年1,318亿元（1,300–1,354）" in sentences
    # The trajectory's 1300 − 910 over last year's 1250 − 840: the last months may fall 4.9% and still make it.
    assert sentences.rstrip().endswith("后3个月同比下降不超过4.9%即可")
