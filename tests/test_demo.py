"""The demo sample: seeded, labelled, separate from real data, and visible as such."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from dashboard.cli import main
from dashboard.errors import InputError
from dashboard.services import demo, views
from dashboard.storage.db import session_factory
from dashboard.storage.models import Observation, Submission, Target
from tests.test_views import load_known


def test_the_sample_is_deterministic_and_depends_on_the_seed() -> None:
    assert demo.sample_rows(7) == demo.sample_rows(7)
    assert demo.sample_rows(7) != demo.sample_rows(8)


def test_district_baselines_add_up_to_the_published_city_baseline() -> None:
    rows, targets = demo.sample_rows()
    retail_2022 = [r["value"] for r in rows if r["indicator"] == "SX01" and r["year"] == 2022]
    assert len(retail_2022) == 6 and sum(retail_2022) == 921
    assert sum(v for (code, _r, year), v in targets.items() if code == "SX01" and year == 2027) == pytest.approx(1400)
    assert {r["note"] for r in rows} == {demo.DEMO_NOTE}
    assert {r["year"] for r in rows} == {2022, 2023, 2024, 2025}
    assert {r["month"] for r in rows if r["year"] == 2022} == {12}  # the baseline is a whole-year figure


def test_write_demo_labels_everything_and_is_detected(fresh_db: Engine) -> None:
    assert not views.demo_in_use(fresh_db)
    report = demo.write_demo(fresh_db)
    _rows, targets = demo.sample_rows()
    # Every district × milestone of the 7 additive indicators, less the estimates that round to 0:
    # a zero estimate is no target (未分解), so it is not written.
    assert 0 < len(targets) <= 7 * 6 * 2 and all(value != 0 for value in targets.values())
    assert report.observations > 0 and report.targets == len(targets)
    assert views.demo_in_use(fresh_db)
    with session_factory(fresh_db)() as session:
        kind = session.scalar(select(Submission.kind).where(Submission.id == report.submission_id))
        notes = set(session.scalars(select(Observation.note).where(Observation.submission_id == report.submission_id)))
        origins = set(session.scalars(select(Target.origin).where(Target.submission_id == report.submission_id)))
    assert kind == "demo"
    assert all("演示数据" in n for n in notes)
    assert origins == {"estimated"}
    assert demo.write_demo(fresh_db).submission_id is None  # same seed again: nothing to write


def test_demo_refuses_a_database_with_real_imports(fresh_db: Engine) -> None:
    load_known(fresh_db)
    with pytest.raises(InputError, match="真实数据"):
        demo.write_demo(fresh_db)
    assert not views.demo_in_use(fresh_db)


def test_kpi_demo_command_writes_a_separate_database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    monkeypatch.setenv("KPI_DATABASE_URL", real)  # must be ignored by kpi demo
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = CliRunner().invoke(main, ["demo", "--database", url])
    assert result.exit_code == 0, result.output
    assert "演示数据" in result.output and url in result.output
    assert not (tmp_path / "real.sqlite3").exists()
    again = CliRunner().invoke(main, ["demo", "--database", url])
    assert again.exit_code == 0 and "未写入" in again.output


def test_kpi_database_before_demo_names_the_demo_database_too(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """`kpi --database URL demo` writes to URL (it used to be ignored for instance/demo.sqlite3)."""
    monkeypatch.setenv("KPI_DATABASE_URL", f"sqlite:///{tmp_path / 'real.sqlite3'}")
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    result = CliRunner().invoke(main, ["--database", url, "demo"])
    assert result.exit_code == 0, result.output
    assert url in result.output and (tmp_path / "before.sqlite3").exists()
    assert not (tmp_path / "real.sqlite3").exists()


def test_the_sample_has_months_that_agree_with_its_years() -> None:
    rows, _targets = demo.sample_rows()
    months = [r for r in rows if r["month"] != 12]
    assert {r["year"] for r in months} == set(demo.DEMO_YEARS) and {r["month"] for r in months} == set(range(1, 12))
    assert {r["note"] for r in months} == {demo.DEMO_NOTE}
    # 网络零售额 is a flow: 1–N月累计 never shrinks and stays below the year's (final) total.
    for region in ("330602", "330683"):
        for year in demo.DEMO_YEARS:
            series = {r["month"]: r["value"] for r in rows if (r["indicator"], r["region"], r["year"]) == ("SX01", region, year)
                      and (r["month"] != 12 or r["status"] == "final" or year == 2025)}
            values = [series[m] for m in range(1, 13)]
            assert values == sorted(values), (region, year, values)


def test_demo_month_view(fresh_db: Engine) -> None:
    from dashboard.services import monthly

    demo.write_demo(fresh_db)
    rows = monthly.month_progress(fresh_db, 2025, 9, region="330600", tier="core")
    retail = next(r for r in rows if r.indicator.code == "SX01")
    assert retail.ytd_source == "derived" and retail.assessment.yoy_growth is not None
    assert retail.assessment.seasonal_expected is not None and retail.assessment.status != "no_data"
