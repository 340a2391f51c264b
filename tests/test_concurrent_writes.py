"""One writer at a time: concurrent rollbacks and imports in real processes, on SQLite and PostgreSQL.

Before the write lock, four simultaneous rollbacks of one submission all succeeded, and a rollback
racing an import of the same values let the import re-retire what the rollback had withdrawn.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.errors import WriteLockTimeout
from dashboard.services import importer
from dashboard.services.history import list_submissions
from dashboard.services.integrity import check_history
from dashboard.storage import db
from tests.concurrency import ROOT, run_together
from tests.dbutil import table_contents


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def write_csv(path: Path, rows: list[tuple[str, str, int, float]]) -> Path:
    path.write_text("indicator,region,year,value\n" + "".join(f"{i},{r},{y},{v}\n" for i, r, y, v in rows),
                    encoding="utf-8")
    return path


def imported(engine: Engine, path: Path) -> int:
    result = importer.commit_import(engine, path.name, path.read_bytes(), "测试", accept_warnings=True)
    assert result.submission_id is not None
    return result.submission_id


NEW_VALUES = [("SX01", "330602", 2024, 101.0), ("SX01", "330603", 2024, 102.0), ("SX02", "330602", 2024, 55.0)]


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_rollbacks_of_one_submission_succeed_once(fresh_db: Engine, tmp_path: Path, writers: int) -> None:
    first = imported(fresh_db, write_csv(tmp_path / "a.csv", NEW_VALUES))
    results = run_together(_url(fresh_db), [("rollback", str(first))] * writers, tmp_path)
    done = [r["ok"] for r in results if "ok" in r]
    assert len(done) == 1, results
    refusals = [r for r in results if "refused" in r]
    assert len(refusals) == writers - 1, results
    for refusal in refusals:
        assert f"提交 #{first} 已被提交 #{done[0]} 撤销" in refusal["refused"]
    assert [s.kind for s in list_submissions(fresh_db)].count("rollback") == 1
    assert check_history(fresh_db) == []


def test_rollback_racing_an_import_of_the_same_values(fresh_db: Engine, tmp_path: Path) -> None:
    first = imported(fresh_db, write_csv(tmp_path / "a.csv", NEW_VALUES))
    changed = write_csv(tmp_path / "b.csv", [(i, r, y, v + 10) for i, r, y, v in NEW_VALUES])
    results = run_together(_url(fresh_db), [("rollback", str(first)), ("import", str(changed))], tmp_path)
    assert not [r for r in results if "error" in r], results
    rollback, import_ = results
    # Whichever went first, the other saw it: either the import wrote on top of the rollback, or
    # the rollback was refused because the import had changed the values again.
    if "ok" in rollback:
        assert "ok" in import_
    else:
        assert "之后又被修改过" in rollback["refused"], results
    assert check_history(fresh_db) == []


def test_concurrent_imports_changing_the_same_values_both_commit_in_turn(fresh_db: Engine, tmp_path: Path) -> None:
    """Before the lock, the loser ended with a raw IntegrityError and a 300 kB SQL dump."""
    imported(fresh_db, write_csv(tmp_path / "a.csv", NEW_VALUES))
    files = [write_csv(tmp_path / f"{n}.csv", [(i, r, y, v + n) for i, r, y, v in NEW_VALUES]) for n in (1, 2, 3)]
    results = run_together(_url(fresh_db), [("import", str(f)) for f in files], tmp_path)
    assert all("ok" in r for r in results), results
    assert check_history(fresh_db) == []


HOLD_SQLITE = r"""
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""

HOLD_POSTGRES = r"""
import sys, time
import psycopg
from dashboard.storage.db import WRITE_LOCK_KEY
with psycopg.connect(sys.argv[1]) as connection:
    connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_writer_waiting_too_long_gets_a_message_and_writes_nothing(fresh_db: Engine, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holds the write lock; the import waits 1 s, then says so in Chinese."""
    if fresh_db.dialect.name == "sqlite":
        holder = [sys.executable, "-c", HOLD_SQLITE, str(fresh_db.url.database), "20"]
    else:
        plain = _url(fresh_db).replace("postgresql+psycopg://", "postgresql://")
        holder = [sys.executable, "-c", HOLD_POSTGRES, plain, "20"]
    process = subprocess.Popen(holder, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                               env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "holding"
        before = table_contents(fresh_db)
        monkeypatch.setenv(db.WRITE_LOCK_TIMEOUT_ENV, "1")
        path = write_csv(tmp_path / "a.csv", NEW_VALUES)
        started = time.monotonic()
        with pytest.raises(WriteLockTimeout, match=re.escape("另一项写入")):
            importer.commit_import(fresh_db, path.name, path.read_bytes(), "测试", accept_warnings=True)
        assert time.monotonic() - started < 10
        assert table_contents(fresh_db) == before
    finally:
        process.kill()
        process.wait()
