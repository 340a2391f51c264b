"""Concurrent writers: ``.venv/bin/python benchmarks/stress.py [--seconds 60] [--processes 8] [--postgres URL]``.

N processes import and roll back random overlapping files on one database for a fixed time (see
``tests/stress.py``). Prints per backend: committed operations, refusals, throughput, the latency of
one write (median and worst, lock wait included), whether ``kpi check`` passes, and whether the
current values equal a serial replay of the committed operations.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from dashboard.services.integrity import check_history  # noqa: E402
from dashboard.services.plans import open_database  # noqa: E402
from tests import stress  # noqa: E402


def fresh_postgres(base: str) -> str:
    """A new database beside ``base`` (dropped and created again)."""
    server = make_url(base)
    name = f"{server.database}_stress"
    admin = create_engine(server.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def measure(label: str, url: str, processes: int, seconds: float, work: Path) -> None:
    engine = open_database(url)
    result = stress.run(url, processes, seconds, work)
    problems = check_history(engine)
    replay = stress.serial_replay(result.committed, f"sqlite:///{work / 'replay.sqlite3'}")
    same = stress.current_values(engine) == replay
    engine.dispose()
    total = {k: sum(w[k] for w in result.workers) for k in ("import", "rollback", "refused", "unchanged", "ops")}
    p50 = sorted(w["p50"] for w in result.workers)[len(result.workers) // 2]
    worst = max(w["max"] for w in result.workers)
    print(f"{label}: {processes} processes × {seconds:g} s — {total['ops']} writes tried, "
          f"{total['import']} imports + {total['rollback']} rollbacks committed, {total['refused']} refused, "
          f"{total['unchanged']} unchanged; {(total['import'] + total['rollback']) / seconds:.1f} commits/s; "
          f"latency p50 {p50 * 1000:.0f} ms, max {worst * 1000:.0f} ms; "
          f"kpi check {'passes' if not problems else 'FAILS: ' + '; '.join(problems)}; "
          f"serial replay {'equal' if same else 'DIFFERENT'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--postgres", default=os.environ.get("KPI_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "sqlite").mkdir()
        measure("SQLite", f"sqlite:///{work / 'sqlite' / 'stress.sqlite3'}", args.processes, args.seconds,
                work / "sqlite")
        if args.postgres:
            (work / "pg").mkdir()
            measure("PostgreSQL", fresh_postgres(args.postgres), args.processes, args.seconds, work / "pg")


if __name__ == "__main__":
    main()
