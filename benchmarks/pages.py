"""Median server-side run time of each dashboard page (AppTest reruns), on the embedded default and on
the demo database. A benchmark, not a timed test; budget 300 ms per rerun on the 2-core machine.

    .venv/bin/python benchmarks/pages.py [--reruns 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard.services import demo  # noqa: E402
from dashboard.services.plans import open_database  # noqa: E402

PAGES = ("overview", "indicator", "districts", "measures")
BUDGET_MS = 300


def median_rerun_ms(page: str, reruns: int) -> tuple[float, float]:
    """(first run, median of the following reruns) in milliseconds, for one page in one AppTest session."""
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "pages" / f"{page}.py"), default_timeout=120)
    start = time.perf_counter()
    at.run()
    first = 1000 * (time.perf_counter() - start)
    if at.exception:
        raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(1000 * (time.perf_counter() - start))
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    default_url = f"sqlite:///{folder / 'default.sqlite3'}"
    open_database(default_url).dispose()
    demo_url, _ = demo.create_demo_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    print(f"{'database':<10}{'page':<12}{'first run ms':>14}{'median rerun ms':>18}  budget {BUDGET_MS} ms")
    for label, url in (("default", default_url), ("demo", demo_url)):
        os.environ["KPI_DATABASE_URL"] = url
        for page in PAGES:
            first, median = median_rerun_ms(page, args.reruns)
            verdict = "ok" if median <= BUDGET_MS else "OVER BUDGET"
            print(f"{label:<10}{page:<12}{first:>14.0f}{median:>18.0f}  {verdict}")


if __name__ == "__main__":
    main()
