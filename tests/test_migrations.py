"""Migrations upgraded to head describe exactly the models (on both backends)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from dashboard.services.demo import write_demo
from dashboard.services.plans import open_database
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



# A deployment made at the first revision: figures, a superseded version, a rollback, a target.
_FIRST_REVISION_ROWS = (
    "INSERT INTO regions VALUES ('330600', '绍兴市', 'city', NULL, 0)",
    "INSERT INTO regions VALUES ('330602', '越城区', 'district', '330600', 1)",
    "INSERT INTO submissions VALUES (2, 'rollback', '乙', '2024-01-02 00:00:00', NULL, NULL, 0, 0, 0, NULL, NULL)",
    "INSERT INTO submissions VALUES (1, 'import', '甲', '2024-01-01 00:00:00', 'a.xlsx', NULL, 2, 0, 0, NULL, 2)",
    "INSERT INTO plans VALUES (1, 'old-plan', '旧方案', '绍兴市人民政府', NULL, NULL, NULL, NULL, 2022, '330600', NULL)",
    "INSERT INTO measures VALUES (1, 1, 'M1', NULL, '举措', '市商务局', NULL, 0)",
    "INSERT INTO indicators VALUES (1, 1, 'OLD1', '旧指标', '亿元', 'flow', 'additive', 'higher', 1, 'core', "
    "'number', 'by_year', '>=', NULL, 1, NULL, NULL, NULL, 0)",
    "INSERT INTO observations VALUES (1, '330602', 2023, 12, 'final', 10.5, 'a.xlsx', '备注', 1, FALSE, 1, 2, NULL)",
    "INSERT INTO observations VALUES (1, '330602', 2023, 12, 'final', 11.5, 'a.xlsx', NULL, 2, TRUE, 2, NULL, 1)",
    "INSERT INTO observations VALUES (1, '330600', 2023, 9, 'preliminary', 30.0, NULL, NULL, 3, TRUE, 1, NULL, NULL)",
    "INSERT INTO targets VALUES (1, '330600', 2025, 100.0, 'published', NULL, 1, TRUE, 1, NULL, NULL)",
)
_FIRST_REVISION_TABLES = ("regions", "submissions", "plans", "measures", "indicators", "observations", "targets")


def _rows(engine, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return {t: [tuple(r) for r in connection.exec_driver_sql(f"SELECT {', '.join(cs)} FROM {t} ORDER BY 1, 2")]
                for t, cs in columns.items()}


def test_a_database_with_figures_upgrades_from_the_first_revision(db_url: str) -> None:
    """A deployed database holds figures, and every later revision keeps them (SQLite and PostgreSQL).

    On SQLite batch mode rebuilds a table by copy and DROP; with foreign keys enforced, dropping a
    table others refer to (indicators) failed on any database with observations, so no deployment
    made before the newest revision could start.
    """
    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        for statement in _FIRST_REVISION_ROWS:
            connection.exec_driver_sql(statement)
        if engine.dialect.name == "postgresql":  # explicit ids do not move the id sequences on
            for table in _FIRST_REVISION_TABLES[1:]:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    columns = {t: [c["name"] for c in inspect(engine).get_columns(t)] for t in _FIRST_REVISION_TABLES}
    before = _rows(engine, columns)
    engine.dispose()

    engine = open_database(db_url)  # what the app does at start: upgrade to head, load the plan file
    after = _rows(engine, columns)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":  # enforcement is back on for the pool's next user
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    engine.dispose()
    assert sum(len(rows) for rows in before.values()) == len(_FIRST_REVISION_ROWS)
    for table in _FIRST_REVISION_TABLES:  # the plan file loaded at start adds rows of its own
        assert set(before[table]) <= set(after[table]), table


def test_downgrading_below_peer_regions_refuses_to_drop_peer_figures(db_url: str) -> None:
    """Without peer figures the peer regions go and come back; with some, the downgrade refuses."""
    engine = open_database(db_url)
    config = alembic_config(engine)
    command.downgrade(config, "0007o")
    command.upgrade(config, "head")
    write_demo(engine)  # the demo includes 全省对比 figures of the ten other cities
    with pytest.raises(RuntimeError, match="peer regions"):
        command.downgrade(config, "0007o")
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(config).get_current_head()
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == head
    engine.dispose()
