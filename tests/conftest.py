"""Shared fixtures, named for the state they give.

Storage and import tests take ``fresh_db`` / ``empty_db``, which run once on SQLite and once on the
PostgreSQL named by ``KPI_TEST_POSTGRES_URL`` (skipped without it; CI sets it and fails on skips).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from dashboard.services.plans import open_database
from dashboard.storage.db import make_engine

POSTGRES_URL_ENV = "KPI_TEST_POSTGRES_URL"
# Failing tests should show the app's traceback: .streamlit/config.toml's production setting
# (client.showErrorDetails = "none") would redact it in AppTest and in the test servers' pages.
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
FIXTURES = Path(__file__).parent / "fixtures"


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    """A PostgreSQL database of this test process's own, created beside ``KPI_TEST_POSTGRES_URL``.

    A database per process lets several test runs share one server without wiping each other.
    """
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set: no PostgreSQL to test against")
    server = make_url(make_engine(base).url.render_as_string(hide_password=False))
    name = f"{server.database}_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    url = request.getfixturevalue("postgres_session_url")
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
