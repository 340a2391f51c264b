"""Test helpers for reading the whole store."""

from __future__ import annotations

from sqlalchemy import Engine, select

from dashboard.storage.base import Base


def table_contents(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, as plain tuples (for "nothing changed" comparisons)."""
    contents = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            contents[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return contents
