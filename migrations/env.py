"""Alembic environment: uses the engine handed over by ``dashboard.storage.db.alembic_config``."""

from __future__ import annotations

from alembic import context

from dashboard.storage.base import Base
from dashboard.storage import models  # noqa: F401  (registers the tables on Base.metadata)
from dashboard.storage.db import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
