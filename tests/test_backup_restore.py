"""Backups that travel: SQLite → PostgreSQL → SQLite keeps every row, `kpi export` and `kpi history`
output and the accounts; restores refuse what would mix or corrupt data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard import auth
from dashboard.cli import main
from dashboard.services import accounts, allocation, backup, history, importer
from dashboard.services.integrity import check_history
from dashboard.services.plans import open_database
from dashboard.storage.db import make_engine, upgrade_to_head
from tests.conftest import _reset_postgres
from tests.dbutil import table_contents

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse 42"


def kpi(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--database", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def populate(engine: Engine) -> None:
    """Values with history (a correction, a rollback), notes, allocations, an account, audit lines."""
    def load(name: str, text: str) -> int | None:
        return importer.commit_import(engine, name, text.encode(), "统计员", accept_warnings=True).submission_id

    first = load("a.csv", "indicator,region,year,month,value,note\nSX01,330602,2024,12,1100.25,\"=公式样\"\n"
                          "SX01,330603,2024,6,0.1,上半年\nSX02,330600,2024,12,3,\n")
    load("b.csv", "indicator,region,year,value\nSX01,330602,2024,1150\n")
    third = load("c.csv", "indicator,region,year,value\nSX03,330604,2025,7\n")
    assert first and third
    history.rollback_submission(engine, third, "管理员")
    allocation.save_allocations(engine, auth.SYSTEM, "SX01", 2025, {"330602": 200.5, "330603": 100.0})
    accounts.add_user(engine, auth.SYSTEM, "wang", PASSWORD, auth.ADMIN, display_name="王统计")
    accounts.authenticate(engine, "wang", PASSWORD)


def naive_utc(contents: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Table contents with times as naive UTC (PostgreSQL returns them aware, SQLite naive)."""
    def plain(value: object) -> object:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    return {name: sorted((tuple(plain(v) for v in row) for row in rows), key=repr) for name, rows in contents.items()}


def outputs(url: str, tmp_path: Path, tag: str) -> tuple[str, ...]:
    """What people see: `kpi export` (file bytes) and every view of `kpi history`."""
    exported = tmp_path / f"export-{tag}.csv"
    kpi(url, "export", str(exported))
    return (exported.read_text(encoding="utf-8-sig"), kpi(url, "history"), kpi(url, "history", "--submission", "2"),
            kpi(url, "history", "--indicator", "SX01", "--region", "330602", "--year", "2024"))


@pytest.mark.postgres
def test_sqlite_to_postgresql_to_sqlite_is_an_identity(tmp_path: Path, postgres_session_url: str) -> None:
    source = open_database(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    populate(source)
    before, seen = table_contents(source), outputs(url_of(source), tmp_path, "source")
    kpi(url_of(source), "backup", str(tmp_path / "from-sqlite.zip"))

    _reset_postgres(postgres_session_url)
    kpi(postgres_session_url, "restore", str(tmp_path / "from-sqlite.zip"))
    postgres = make_engine(postgres_session_url)
    assert naive_utc(table_contents(postgres)) == before
    assert outputs(postgres_session_url, tmp_path, "postgres") == seen
    kpi(postgres_session_url, "backup", str(tmp_path / "from-postgres.zip"))
    assert accounts.authenticate(postgres, "wang", PASSWORD).display_name == "王统计"

    back_url = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    kpi(back_url, "restore", str(tmp_path / "from-postgres.zip"))
    back = make_engine(back_url)
    assert table_contents(back) == before
    assert outputs(back_url, tmp_path, "back") == seen
    assert accounts.authenticate(back, "wang", PASSWORD).username == "wang"
    # New writes continue the numbering on both restored databases (PostgreSQL sequences moved on).
    for engine in (postgres, back):
        result = importer.commit_import(engine, "d.csv", b"indicator,region,year,value\nSX01,330681,2024,5\n", "x")
        assert result.submission_id == max(s.id for s in history.list_submissions(engine) if s.kind != "import"
                                           or s.id != result.submission_id) + 1
        assert check_history(engine) == []


def test_restore_refuses_a_database_that_is_not_empty(db_url: str, tmp_path: Path) -> None:
    source = open_database(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    populate(source)
    archive = backup.backup_archive(source, tmp_path / "b.zip").path
    target = open_database(db_url)  # the plan is loaded: not empty
    before = table_contents(target)
    result = CliRunner().invoke(main, ["--database", db_url, "restore", str(archive)])
    assert result.exit_code == 1 and "目标数据库不是空的" in result.output, result.output
    assert table_contents(target) == before


def test_a_tampered_archive_is_refused_and_nothing_is_written(sqlite_url: str, tmp_path: Path) -> None:
    import zipfile

    source = open_database(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    populate(source)
    archive = backup.backup_archive(source, tmp_path / "b.zip").path
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "tables/observations.jsonl":
                data = b"\n".join(data.splitlines()[:-1]) + b"\n"  # one row lost
            new.writestr(item, data)
    result = CliRunner().invoke(main, ["--database", sqlite_url, "restore", str(broken)])
    assert result.exit_code == 1 and "与其清单不符" in result.output
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    upgrade_to_head(fresh)  # what the migrations alone write: the seeded peer regions (浙江省 and its cities)
    assert table_contents(make_engine(sqlite_url)) == table_contents(fresh)


# A process that writes after the backup and is killed before any checkpoint: its -wal stays behind.
WRITE_AND_DIE = r"""
import os, signal, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint=0")
connection.execute("UPDATE observations SET value = value + 1000000")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_restoring_a_sqlite_copy_ignores_a_stale_wal_and_checks_integrity(tmp_path: Path) -> None:
    path = tmp_path / "kpi.sqlite3"
    live = open_database(f"sqlite:///{path}")
    populate(live)
    copy = backup.backup_sqlite(live, tmp_path / "copy.sqlite3")
    saved = table_contents(live)
    live.dispose()
    subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(path)], check=False)
    assert Path(f"{path}-wal").stat().st_size > 0  # post-backup changes wait in the WAL
    output = kpi(f"sqlite:///{path}", "restore", str(copy))
    assert "完整性检查通过" in output
    restored = make_engine(f"sqlite:///{path}")
    assert table_contents(restored) == saved
    # The replaced database is moved aside, not deleted, with the post-backup changes in it.
    [aside] = tmp_path.glob("kpi.sqlite3.before-restore-*")
    with sqlite3.connect(aside) as old:
        assert old.execute("SELECT min(value) FROM observations").fetchone()[0] >= 1_000_000


def test_restoring_a_sqlite_copy_refuses_while_the_app_has_the_database_open(tmp_path: Path) -> None:
    path = tmp_path / "kpi.sqlite3"
    live = open_database(f"sqlite:///{path}")
    copy = backup.backup_sqlite(live, tmp_path / "copy.sqlite3")
    live.dispose()
    app = sqlite3.connect(path)  # the running app's open connection
    app.execute("SELECT count(*) FROM observations").fetchone()
    try:
        result = CliRunner().invoke(main, ["--database", f"sqlite:///{path}", "restore", str(copy)])
        assert result.exit_code == 1 and "请先停止应用" in result.output, result.output
    finally:
        app.close()


def test_a_corrupt_sqlite_copy_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kpi.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    before = path.read_bytes()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    result = CliRunner().invoke(main, ["--database", f"sqlite:///{path}", "restore", str(bad)])
    assert result.exit_code == 1 and "完整性检查" in result.output, result.output
    assert path.read_bytes() == before
