"""Engine, sessions and schema migrations.

``KPI_DATABASE_URL`` selects the database; without it the embedded SQLite file
``instance/kpi.sqlite3`` beside the project is used. Migrations are applied on start, so a
fresh machine needs no extra command.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError

from dashboard.errors import DatabaseUnavailable, WriteLockTimeout
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "kpi.sqlite3"
DATABASE_URL_ENV = "KPI_DATABASE_URL"
# How long a writer waits for another writer to finish before giving up with a Chinese message
# (seconds; ``KPI_WRITE_LOCK_TIMEOUT`` overrides it).
WRITE_LOCK_TIMEOUT_S = 30.0
WRITE_LOCK_TIMEOUT_ENV = "KPI_WRITE_LOCK_TIMEOUT"
READ_BUSY_TIMEOUT_MS = 10000
SQLITE_MMAP_BYTES = 1 << 30  # 1 GiB of address space for memory-mapped reads
SQLITE_CACHE_KIB = 32 * 1024  # page cache per connection
# The key of the PostgreSQL advisory lock that stands for "the store is being written" (any
# 64-bit number no other application on the same database uses; this one spells "KPI1215").
WRITE_LOCK_KEY = 0x4B50_4931_3231_35
_WRITE_LOCK_OPTION = "kpi_write_lock_timeout_ms"


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``KPI_DATABASE_URL``, else the embedded SQLite file."""
    if url:
        return url
    from_env = os.environ.get(DATABASE_URL_ENV, "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _normalise_url(url: str) -> str:
    # Plain "postgresql://" would pick psycopg2, which we do not ship; psycopg 3 is the driver.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # pysqlite would emit its own (deferred) BEGIN only before the first write, after our reads;
    # switching that off lets the "begin" hook below emit BEGIN itself (SQLAlchemy's documented
    # pysqlite recipe), so a writer can ask for BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the app read while an import or a backup runs; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")
    # Pages read a few tens of thousands of figures out of a file that may hold millions: SQLite's
    # default 2,000-page cache missed on every page view. Memory-mapped reads share the operating
    # system's cache between connections (address space, not memory); a 32 MiB cache per connection.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Emit BEGIN: IMMEDIATE (the database-wide write lock) for :func:`write_transaction`."""
    timeout_ms = connection.get_execution_options().get(_WRITE_LOCK_OPTION)
    if timeout_ms is None:
        connection.exec_driver_sql("BEGIN")
        return
    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(timeout_ms)}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (see :func:`database_url`), creating the SQLite folder if needed."""
    resolved = _normalise_url(database_url(url))
    if resolved.startswith("sqlite:///") and resolved != "sqlite:///:memory:":
        try:
            Path(resolved.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a folder that cannot be created: the database cannot be opened either
            raise DatabaseUnavailable(shown_address(url)) from error
    engine = create_engine(resolved)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending migration."""
    command.upgrade(alembic_config(engine), "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def write_lock_timeout() -> float:
    """The writer's wait in seconds: ``KPI_WRITE_LOCK_TIMEOUT`` when set to a positive number, else 30."""
    try:
        value = float(os.environ.get(WRITE_LOCK_TIMEOUT_ENV, ""))
    except ValueError:
        return WRITE_LOCK_TIMEOUT_S
    return value if value > 0 else WRITE_LOCK_TIMEOUT_S


@contextmanager
def write_transaction(engine: Engine, timeout: float | None = None) -> Iterator[Session]:
    """One write: a transaction that first takes the database-wide write lock.

    Only one writer at a time, on every backend: ``BEGIN IMMEDIATE`` on SQLite,
    ``pg_advisory_xact_lock`` on PostgreSQL (released by the commit or rollback itself). Everything
    the block reads is read after the lock is held, so checks made inside it ("already rolled
    back?", "changed since the preview?") cannot be overtaken by another writer. Commits when the
    block ends normally, rolls back on any exception. A writer that waits longer than ``timeout``
    seconds (default: :func:`write_lock_timeout`) raises :class:`~dashboard.errors.WriteLockTimeout`
    having written nothing.
    """
    timeout = write_lock_timeout() if timeout is None else timeout
    timeout_ms = max(1, int(timeout * 1000))
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection = connection.execution_options(**{_WRITE_LOCK_OPTION: timeout_ms})
        try:
            outer = connection.begin()
            if not sqlite:
                # SET LOCAL: the timeout ends with this transaction and never leaks into the pool.
                connection.execute(text(f"SET LOCAL lock_timeout = {timeout_ms}"))
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        except OperationalError as error:
            if _is_lock_timeout(error):
                raise WriteLockTimeout(timeout) from error
            raise
        with outer:
            if not sqlite:
                # The lock is held: later statements wait as the server is configured to.
                connection.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
            # The session joins the connection's transaction; ``outer`` commits or rolls back.
            with Session(bind=connection, expire_on_commit=False) as session:
                yield session
                session.flush()


def _is_lock_timeout(error: OperationalError) -> bool:
    """SQLite's "database is locked" or PostgreSQL's lock_not_available (55P03)."""
    code = getattr(error.orig, "sqlstate", None)
    return code == "55P03" or "database is locked" in str(error.orig)


# How a lost or refused connection reads in the drivers' messages (psycopg, sqlite3).
_CONNECTION_FAILURES = ("connection failed", "could not connect", "server closed the connection",
                        "connection is closed", "terminating connection", "connection refused",
                        "unable to open database file", "connection timeout", "the connection is lost")


def shown_address(url: str | None = None) -> str:
    """The database address for messages, with any password hidden."""
    try:
        return make_url(_normalise_url(database_url(url))).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL may hold a password in any place: show none of it
        return "（地址无法解析）"


def as_unavailable(error: BaseException, url: str | None = None) -> DatabaseUnavailable | None:
    """A :class:`DatabaseUnavailable` when ``error`` (or its cause) is a failed database connection, else None."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DatabaseUnavailable):
            return seen
        if isinstance(seen, DBAPIError) and (seen.connection_invalidated or any(
                words in str(seen.orig).lower() for words in _CONNECTION_FAILURES)):
            return DatabaseUnavailable(shown_address(url))
        seen = seen.__cause__ or seen.__context__
    return None


def transaction(engine: Engine) -> Iterator[Session]:
    """The same as :func:`write_transaction` with the default timeout: every write takes the lock."""
    return write_transaction(engine)
