"""Every table as plain rows and back: the portable backup, the same on SQLite and PostgreSQL.

The rows of each table are read in one consistent snapshot and written as JSON lines; values are
typed by their column (dates and times as ISO text in UTC, floats exactly as stored), so an archive
made on one backend loads into the other unchanged. Primary keys are kept, so submission numbers and
the history's links survive the move.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Engine, Table, func, select, text, update

from dashboard.storage import models  # noqa: F401  (registers every table on Base.metadata)
from dashboard.storage.base import Base

VERSION_TABLE = "alembic_version"


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at (None before the first migration)."""
    try:
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    except Exception:  # noqa: BLE001 - no version table: an unmigrated database
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # Stored times are UTC: SQLite hands them back naive, PostgreSQL aware.
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _typed(table: Table) -> dict[str, Callable[[Any], Any]]:
    """Per column, how a JSON value becomes what the column holds."""
    converters: dict[str, Callable[[Any], Any]] = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            converters[column.name] = lambda v: None if v is None else datetime.fromisoformat(v)
        elif isinstance(column.type, Date):
            converters[column.name] = lambda v: None if v is None else date.fromisoformat(v)
        elif isinstance(column.type, Boolean):
            converters[column.name] = lambda v: None if v is None else bool(v)
    return converters


def dump_rows(connection: Connection, table: Table) -> Iterator[str]:
    """The rows of ``table`` as JSON lines, ordered by primary key."""
    order = list(table.primary_key.columns) or list(table.columns)
    for row in connection.execute(select(table).order_by(*order)).mappings():
        yield json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False, allow_nan=False)


def snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one moment (REPEATABLE READ; SQLite's read transaction is one)."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    connection.begin()
    return connection


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per table."""
    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0) for t in tables()}


def clear_seeded_regions(connection: Connection) -> None:
    """Delete the reference rows the migrations seed (浙江省 and its cities, revision 0008p) when they are
    all a database holds: a freshly migrated database is empty for a restore, whose archive brings its own."""
    counts = row_counts(connection)
    if any(n for name, n in counts.items() if name != "regions"):
        return
    regions = next(t for t in tables() if t.name == "regions")
    seeded = (regions.c.level == "province") | (regions.c.parent_code == "330000")
    if counts.get("regions") == connection.execute(select(func.count()).select_from(regions).where(seeded)).scalar():
        connection.execute(update(regions).values(parent_code=None))
        connection.execute(regions.delete())


def _self_references(table: Table) -> list[str]:
    """Columns referring to the same table (a later row may be named by an earlier one)."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def load_rows(connection: Connection, table: Table, lines: Iterator[str], batch: int = 2000) -> int:
    """Insert JSON-lines rows into ``table`` keeping their ids; returns how many.

    Columns naming rows of the same table (a submission's rollback, a region's parent) are set
    after every row is in, so no row waits on one that comes later.
    """
    converters = _typed(table)
    deferred = _self_references(table)
    later: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    count = 0
    for line in lines:
        row = json.loads(line)
        for name, convert in converters.items():
            row[name] = convert(row.get(name))
        if deferred and any(row.get(name) is not None for name in deferred):
            later.append({"_key": {c.name: row[c.name] for c in table.primary_key.columns},
                          **{name: row[name] for name in deferred}})
            row = {**row, **dict.fromkeys(deferred)}
        pending.append(row)
        count += 1
        if len(pending) >= batch:
            connection.execute(table.insert(), pending)
            pending = []
    if pending:
        connection.execute(table.insert(), pending)
    for item in later:
        key = item.pop("_key")
        condition = [table.c[name] == value for name, value in key.items()]
        connection.execute(update(table).where(*condition).values(**item))
    return count


def reset_sequences(connection: Connection) -> None:
    """PostgreSQL: move each id sequence past the restored ids, so the next insert gets a new number."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        if "id" not in table.c:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
