"""Per-run work stays small (issue 19): one data-version read per page run, charts shared across sessions."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts
from dashboard.services import importer, views
from dashboard.services.plans import open_database

ROOT = Path(__file__).resolve().parents[1]
FIGURES = "indicator,region,year,value\nSX01,330600,2023,1200\nSX03,330600,2023,80\n"


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    importer.commit_import(open_database(sqlite_url), "figures.csv", FIGURES.encode(), "测试", accept_warnings=True)
    return sqlite_url


def _page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard" / "ui" / "pages" / f"{name}.py"), default_timeout=60)


@pytest.mark.parametrize("page", ["overview", "present", "history", "districts"])
def test_a_page_run_reads_the_data_version_once(app_db: str, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    reads = []
    original = views.data_version
    monkeypatch.setattr(views, "data_version", lambda engine: reads.append(1) or original(engine))
    at = _page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    reads.clear()
    at.run()
    assert len(reads) == 1


def test_a_chart_is_built_once_for_every_session(app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    built = []

    @functools.wraps(charts.trajectory)
    def counted(*args: object, **kwargs: object) -> object:
        built.append(1)
        return original(*args, **kwargs)

    original = charts.trajectory
    monkeypatch.setattr(charts, "trajectory", counted)
    for _session in range(3):
        at = _page("indicator")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.get("plotly_chart")
    assert len(built) <= 1  # none when an earlier test in this process already built the same chart
