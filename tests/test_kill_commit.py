"""A process SIGKILLed in the middle of a large commit leaves the whole submission or none of it.

The committing process is a real subprocess running the import service; the slow-down that makes the
kill land mid-write is an SQLAlchemy event hook installed by that subprocess only (no test hook in the
product). Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import AuditEvent, Observation, Submission
from tests.dbutil import table_contents

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ("SX01", "SX02", "SX03", "SX04", "SX05", "SX06", "SX08")  # additive: every district may report
REGIONS = ("330600", "330602", "330603", "330604", "330624", "330681", "330683")
YEARS = range(2023, 2028)
ROWS = len(INDICATORS) * len(REGIONS) * len(YEARS) * 12 * 2

# The child: announce the first observation INSERT (then pause after each one), commit, say "done".
CHILD = r"""
import sys, time
from pathlib import Path
from sqlalchemy import event
from dashboard.services import importer
from dashboard.storage.db import make_engine

url, data_file, marker, pause = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
engine = make_engine(url)
inserts = 0

@event.listens_for(engine, "before_cursor_execute")
def slow_down(conn, cursor, statement, parameters, context, executemany):
    global inserts
    if statement.lstrip().upper().startswith("INSERT INTO OBSERVATIONS"):
        inserts += 1
        if inserts == 1:
            marker.write_text("writing")
        # Rows may be batched into one multi-VALUES statement or an executemany: pause per row.
        rows = len(parameters) if executemany else statement.count("), (") + 1
        time.sleep(pause * rows)

result = importer.commit_import(engine, data_file.name, data_file.read_bytes(), "断电测试", accept_warnings=True)
print("done", result.submission_id, inserts, flush=True)
"""


def large_file(path: Path) -> Path:
    """Month-level rows for every additive indicator, region, year and status: thousands of new values."""
    lines = ["indicator,region,year,month,status,value"]
    for n, (ind, reg, year, month, status) in enumerate(
        (i, r, y, m, s) for i in INDICATORS for r in REGIONS for y in YEARS for m in range(1, 13)
        for s in ("preliminary", "final")
    ):
        lines.append(f"{ind},{reg},{year},{month},{status},{10 + n % 7}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(engine: Engine) -> tuple[int, int, int]:
    with session_factory(engine)() as session:
        return (repo.count_rows(session, Observation), repo.count_rows(session, Submission),
                repo.count_rows(session, AuditEvent))


def start_child(db_url: str, data: Path, marker: Path, pause: float = 0.002) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CHILD, db_url, str(data), str(marker), str(pause)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("delay", [0.0, 1.5])
def test_sigkill_mid_commit_leaves_all_or_nothing(fresh_db: Engine, db_url: str, tmp_path: Path,
                                                  delay: float) -> None:
    data, marker = large_file(tmp_path / "large.csv"), tmp_path / "writing"
    before, before_counts = table_contents(fresh_db), counts(fresh_db)
    child = start_child(db_url, data, marker)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never started writing"
        time.sleep(0.01)
    time.sleep(delay)  # kill right at the first row written, or well into the write
    assert child.poll() is None, "the commit finished before the kill: make it slower"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    fresh_db.dispose()  # forget pooled connections; read what a restarted app would read
    after = counts(fresh_db)
    whole = (before_counts[0] + ROWS, before_counts[1] + 1, before_counts[2] + 1)
    assert after in (before_counts, whole), f"partial submission: {before_counts} -> {after}"
    # The kill came long before the last of thousands of slowed inserts: nothing may be there.
    assert after == before_counts
    assert table_contents(fresh_db) == before


def test_the_same_commit_completes_when_left_alone(fresh_db: Engine, db_url: str, tmp_path: Path) -> None:
    """The control: the child really does write the whole submission when not killed."""
    data, marker = large_file(tmp_path / "large.csv"), tmp_path / "writing"
    before_counts = counts(fresh_db)
    started = time.monotonic()
    out, err = start_child(db_url, data, marker, pause=0).communicate(timeout=600)
    assert out.startswith("done"), err
    assert counts(fresh_db) == (before_counts[0] + ROWS, before_counts[1] + 1, before_counts[2] + 1)
    print(f"{ROWS} rows committed in {time.monotonic() - started:.1f} s (no slow-down)")
