"""Migrations upgraded to head describe exactly the models (on both backends)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from dashboard.storage.base import Base
from dashboard.storage.db import alembic_config, make_engine, upgrade_to_head


def test_migrations_at_head_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_partial_unique_indexes_exist(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("observations")}
    engine.dispose()
    assert indexes["uq_observations_current"]["unique"]


def test_one_linear_history_of_revisions() -> None:
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(script.get_heads()) == 1
