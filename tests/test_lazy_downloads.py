"""Download buttons build their files only when clicked (issue 19): a page run never builds one.

Each builder is replaced by one that fails the test if called; the page must still run cleanly and
offer the button. A page that built its file on every run (the old eager ``data=bytes``) fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services import audit, deck, images, importer, report, template
from dashboard.services.plans import open_database
from dashboard.ui import widgets

ROOT = Path(__file__).resolve().parents[1]
FIGURES = "indicator,region,year,value\nSX01,330600,2023,1200\nSX01,330602,2023,300\n"


def _never(*_args: object, **_kwargs: object) -> bytes:
    raise AssertionError("a download was built during a page run")


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    importer.commit_import(open_database(sqlite_url), "figures.csv", FIGURES.encode(), "测试", accept_warnings=True)
    return sqlite_url


@pytest.mark.parametrize(("page", "builders"), [
    ("overview", [(widgets, "_xlsx")]),
    ("present", [(deck, "deck_bytes"), (images, "figure_png"), (report, "report_bytes")]),
    ("upload", [(template, "build_template")]),
    ("audit", [(audit, "audit_export")]),
])
def test_page_runs_without_building_its_downloads(app_db: str, monkeypatch: pytest.MonkeyPatch, page: str,
                                                  builders: list[tuple[object, str]]) -> None:
    for module, name in builders:
        monkeypatch.setattr(module, name, _never)
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "pages" / f"{page}.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("download_button"), f"{page} offers no download"
