"""The stress run shared by ``tests/test_stress.py`` (short) and ``benchmarks/stress.py`` (long).

N real processes, started together, import random overlapping files and roll back random earlier
imports for a fixed time. Each logs what it committed (submission id, file or rollback target).
Afterwards the history invariants must hold (``kpi check``) and the current values must equal a
serial replay, in commit (= submission id) order, of the committed operations into a fresh database.

Run a worker: ``python -m tests.stress worker URL LOG GO SECONDS SEED``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[1]
# A small pool of keys, so that files overlap and rollbacks collide with later imports.
KEYS = [(i, r, y) for i in ("SX01", "SX02", "SX03") for r in ("330602", "330603", "330604", "330624")
        for y in (2024, 2025)]


def random_file(rng: random.Random) -> str:
    keys = rng.sample(KEYS, rng.randint(1, 6))
    return "indicator,region,year,value\n" + "".join(f"{i},{r},{y},{rng.randint(1, 40) * 5}\n" for i, r, y in keys)


def worker(url: str, log: Path, go: Path, seconds: float, seed: int) -> None:
    """Import and roll back at random until the time is up; log every committed operation."""
    from dashboard.errors import KpiError
    from dashboard.services import history, importer
    from dashboard.storage.db import make_engine

    engine = make_engine(url)
    rng = random.Random(seed)
    counts = {"import": 0, "rollback": 0, "refused": 0, "unchanged": 0}
    waits: list[float] = []
    with engine.connect():
        pass
    while not go.exists():
        time.sleep(0.01)
    deadline = time.monotonic() + seconds
    with log.open("w", encoding="utf-8") as out:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                if rng.random() < 0.35:
                    imports = [s.id for s in history.list_submissions(engine, limit=30) if s.kind == "import"]
                    if not imports:
                        continue
                    # Mostly the newest imports, which a rollback can still undo; older ones are
                    # usually overtaken by later changes and refused.
                    target = rng.choice(imports[:3])
                    result = history.rollback_submission(engine, target, f"压力测试{seed}")
                    out.write(json.dumps({"id": result.submission_id, "op": "rollback", "target": target}) + "\n")
                    counts["rollback"] += 1
                else:
                    text = random_file(rng)
                    done = importer.commit_import(engine, "stress.csv", text.encode(), f"压力测试{seed}",
                                                  accept_warnings=True)
                    if done.submission_id is None:
                        counts["unchanged"] += 1
                    else:
                        out.write(json.dumps({"id": done.submission_id, "op": "import", "file": text},
                                             ensure_ascii=False) + "\n")
                        counts["import"] += 1
            except KpiError:
                counts["refused"] += 1  # a rollback refused as ambiguous: expected under contention
            waits.append(time.monotonic() - started)
            out.flush()
    waits.sort()
    print(json.dumps({**counts, "ops": len(waits), "p50": waits[len(waits) // 2] if waits else 0,
                      "max": waits[-1] if waits else 0}), flush=True)


@dataclass(frozen=True)
class StressResult:
    committed: list[dict]  # every logged operation, in submission id order
    workers: list[dict]  # each worker's counts and latencies
    seconds: float


def run(url: str, processes: int, seconds: float, work: Path, seed: int = 1215) -> StressResult:
    """Start ``processes`` workers on ``url`` together and collect their logs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    go = work / "go"
    children = []
    for n in range(processes):
        log = work / f"worker-{n}.jsonl"
        children.append((log, subprocess.Popen(
            [sys.executable, "-m", "tests.stress", "worker", url, str(log), str(go), str(seconds), str(seed + n)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    time.sleep(1.0)  # let them import and connect
    started = time.monotonic()
    go.write_text("go")
    workers = []
    for _log, process in children:
        out, err = process.communicate(timeout=seconds + 300)
        if process.returncode != 0:
            raise RuntimeError(f"a stress worker failed:\n{err[-3000:]}")
        workers.append(json.loads(out.strip().splitlines()[-1]))
    committed = [json.loads(line) for log, _p in children for line in log.read_text(encoding="utf-8").splitlines()]
    return StressResult(sorted(committed, key=lambda c: c["id"]), workers, time.monotonic() - started)


def serial_replay(committed: list[dict], url: str) -> dict[tuple, float]:
    """Apply the committed operations one by one, in commit order, to a fresh database; its current values."""
    from dashboard.services import history, importer
    from dashboard.services.plans import open_database

    engine = open_database(url)
    ids: dict[int, int] = {}  # submission id in the stressed database -> in the replay
    for op in committed:
        if op["op"] == "import":
            result = importer.commit_import(engine, "stress.csv", op["file"].encode(), "重放", accept_warnings=True)
            assert result.submission_id is not None, op
            ids[op["id"]] = result.submission_id
        else:
            ids[op["id"]] = history.rollback_submission(engine, ids[op["target"]], "重放").submission_id
    values = current_values(engine)
    engine.dispose()
    return values


def current_values(engine: Engine) -> dict[tuple, float]:
    """Every current value by (indicator, region, year, month, status)."""
    from dashboard.services import exporter

    rows = exporter.export_rows(engine)
    return {(r["indicator"], r["region"], r["year"], r["month"], r["status"]): r["value"] for r in rows}


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    url_, log_, go_, seconds_, seed_ = sys.argv[2:7]
    worker(url_, Path(log_), Path(go_), float(seconds_), int(seed_))
