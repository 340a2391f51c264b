"""Shared fixtures, named for the state they give.

Storage and import tests take ``fresh_db`` / ``empty_db``, which run once on SQLite and once on the
PostgreSQL named by ``KPI_TEST_POSTGRES_URL`` (skipped without it; CI sets it and fails on skips).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from dashboard.services.plans import open_database
from dashboard.storage.db import make_engine

POSTGRES_URL_ENV = "KPI_TEST_POSTGRES_URL"
FIXTURES = Path(__file__).parent / "fixtures"


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set: no PostgreSQL to test against")
    _reset_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL of an empty SQLite database file (for tests about the embedded default only)."""
    return f"sqlite:///{tmp_path / 'kpi.sqlite3'}"


@pytest.fixture
def fresh_db(db_url: str) -> Iterator[Engine]:
    """A migrated database with the default Shaoxing plan loaded and nothing else."""
    engine = open_database(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_sqlite(sqlite_url: str) -> Iterator[Engine]:
    """Like ``fresh_db`` but on SQLite only."""
    engine = open_database(sqlite_url)
    yield engine
    engine.dispose()


# --- CI: a skipped test means a real component is missing, so it fails the run -------------------

def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not os.environ.get("KPI_FAIL_ON_SKIP"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        if reporter:
            reporter.write_line(f"KPI_FAIL_ON_SKIP: {skipped} test(s) skipped; in CI every component must be present",
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


from tests.live import browser_page, chromium_browser, running_app  # noqa: E402,F401  (fixtures)
