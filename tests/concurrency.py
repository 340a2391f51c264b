"""Real processes that write at the same moment, for the write-lock and stress tests.

Each child imports the services, connects, says "ready" and waits for a shared go-file, so that
all of them start their write together; an SQLAlchemy hook installed by the child only (no test
hook in the product) pauses before the submission is inserted, which widens the window between
the checks a write makes and its writes. The child prints one JSON line: what happened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
from pathlib import Path
from sqlalchemy import event
from dashboard.errors import KpiError
from dashboard.services import history, importer
from dashboard.storage.db import make_engine

url, ready, go, pause, action, *args = sys.argv[1:]
engine = make_engine(url)
with engine.connect():
    pass  # connect before the start so every child begins at the same moment

@event.listens_for(engine, "before_cursor_execute")
def slow_down(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO SUBMISSIONS"):
        time.sleep(float(pause))

Path(ready).write_text("ready")
while not Path(go).exists():
    time.sleep(0.01)
try:
    if action == "rollback":
        result = history.rollback_submission(engine, int(args[0]), "并发测试")
        print(json.dumps({"ok": result.submission_id}))
    else:
        path = Path(args[0])
        result = importer.commit_import(engine, path.name, path.read_bytes(), "并发测试", accept_warnings=True)
        print(json.dumps({"ok": result.submission_id}))
except KpiError as error:
    print(json.dumps({"refused": str(error), "type": type(error).__name__}))
except Exception as error:
    print(json.dumps({"error": repr(error)[:500], "type": type(error).__name__}))
"""


def run_together(url: str, jobs: list[tuple[str, ...]], work: Path, pause: float = 0.5,
                 timeout: float = 120) -> list[dict]:
    """Run each job (``("rollback", "2")`` or ``("import", path)``) in its own process, all at once."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    go = work / f"go-{time.monotonic_ns()}"
    children = []
    for n, job in enumerate(jobs):
        ready = work / f"ready-{go.name}-{n}"
        children.append((ready, subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(ready), str(go), str(pause), *job], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + timeout
    while not all(ready.exists() for ready, _ in children):
        if time.monotonic() > deadline or any(p.poll() is not None for _, p in children):
            break
        time.sleep(0.05)
    go.write_text("go")
    results = []
    for _ready, process in children:
        out, err = process.communicate(timeout=timeout)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        results.append(json.loads(lines[-1]) if lines else {"error": err[-2000:], "type": "crash"})
    return results
