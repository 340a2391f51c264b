"""Alembic environment: uses the engine handed over by ``dashboard.storage.db.alembic_config``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from dashboard.storage.base import Base
from dashboard.storage import models  # noqa: F401  (registers the tables on Base.metadata)
from dashboard.storage.db import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, "OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
                render_as_batch=sqlite,
                # SQLite can roll DDL back too: a migration that fails leaves the database as it was,
                # not half upgraded (Alembic assumes otherwise for SQLite unless told).
                transactional_ddl=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_references(connection)
            connection.commit()
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection: Connection, state: str) -> None:
    """Switch SQLite's foreign-key enforcement off for a migration, and back on after it.

    Batch mode rebuilds a table by copy, DROP and rename; with enforcement on, dropping a table that
    others refer to (indicators, regions, submissions) fails as soon as the database holds figures, so
    a deployed database could never be upgraded. SQLite ignores this pragma inside a transaction,
    hence the raw driver connection before anything begins (and after everything ended).
    """
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


def _check_references(connection: Connection) -> None:
    """Fail (and roll the migration back) if it left a row referring to nothing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows with broken references (table, rowid, parent): {broken[:5]}")


run_migrations_online()
