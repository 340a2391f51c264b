"""Start-up of the ``kpi`` command line: median of 5 runs of ``kpi --help`` (and ``kpi user list``)
beside ``python -c "import click, sqlalchemy"``, the floor any click + SQLAlchemy tool pays.
Target: ``kpi --help`` within 1.5× of the floor.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--root /tmp/old-checkout]

``--root`` times another checkout's command line (``python -m dashboard`` from that folder) with the
same interpreter, for a before/after side by side. A benchmark that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``runs`` runs after one warm-up (which fills the OS file cache).

    CPU time (user + system) is the steadier figure on a shared machine, where wall time includes
    waiting for a core.
    """
    wall, cpu = [], []
    for n in range(runs + 1):
        start, start_cpu = time.perf_counter(), _children_cpu()
        subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if n:
            wall.append(time.perf_counter() - start)
            cpu.append(_children_cpu() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose command line is timed")
    args = parser.parse_args()
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="kpi-startup-") as folder:
        # `user list` opens (and migrates) a database: a throwaway SQLite file, created by the warm-up.
        env = {**os.environ, "KPI_DATABASE_URL": f"sqlite:///{Path(folder) / 'kpi.sqlite3'}",
               "PYTHONPATH": str(root)}
        floor = median_seconds([sys.executable, "-c", "import click, sqlalchemy"], root, env, args.runs)
        kpi = [sys.executable, "-m", "dashboard"]
        print(f"command line of {root}, median of {args.runs} runs; ratios to the first line")
        print(f"{'command':<40}{'wall s':>8}{'cpu s':>8}{'wall x':>8}{'cpu x':>8}")
        floor_label = 'python -c "import click, sqlalchemy"'
        print(f"{floor_label:<40}{floor[0]:>8.3f}{floor[1]:>8.3f}")
        for label, extra in (("kpi --help", ["--help"]), ("kpi user list", ["user", "list"])):
            wall, cpu = median_seconds(kpi + extra, root, env, args.runs)
            target = f"  (target <= {TARGET_RATIO}x)" if extra == ["--help"] else ""
            print(f"{label:<40}{wall:>8.3f}{cpu:>8.3f}{wall / floor[0]:>8.2f}{cpu / floor[1]:>8.2f}{target}")


if __name__ == "__main__":
    main()
