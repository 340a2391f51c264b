"""Median server-side run time of every dashboard page (AppTest reruns). A benchmark, not a timed
test; budget 300 ms per rerun on the 2-core machine.

Without ``--database`` it runs on a fresh embedded default and on the demo database. For full volume,
build the store once with ``benchmarks/fullvolume.py`` and pass it; ``--root`` runs another checkout's
pages (and code) on the same database, for a before/after side by side:

    .venv/bin/python benchmarks/pages.py [--reruns 15]
    .venv/bin/python benchmarks/fullvolume.py /tmp/full.sqlite3 --revisions 3
    .venv/bin/python benchmarks/pages.py --database sqlite:////tmp/full.sqlite3 [--root /tmp/old-checkout]

演示模式 reruns are clicks on 下一项 ▶; 提交记录 shows the newest submission (the largest at full volume).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "indicator", "districts", "measures", "plan", "present", "history", "upload", "allocation",
         "audit")
BUDGET_MS = 300
CLICKS = {"present": "kpi_present_next"}  # pages whose rerun is a button click, by the button's key


def median_rerun_ms(root: Path, page: str, reruns: int) -> tuple[float, float]:
    """(first run, median of the following reruns) in milliseconds, for one page in one AppTest session."""
    from streamlit.testing.v1 import AppTest

    # AppTest's "missing ScriptRunContext" noise
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    at = AppTest.from_file(str(root / "dashboard" / "ui" / "pages" / f"{page}.py"), default_timeout=300)
    start = time.perf_counter()
    at.run()
    first = 1000 * (time.perf_counter() - start)
    times = []
    for _ in range(reruns):
        if at.exception:
            raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
        start = time.perf_counter()
        if page in CLICKS:
            at.button(key=CLICKS[page]).click().run()
        else:
            at.run()
        times.append(1000 * (time.perf_counter() - start))
    return first, statistics.median(times)


def _databases(args: argparse.Namespace) -> list[tuple[str, str]]:
    if args.database:
        return [("given", args.database)]
    from dashboard.services import demo
    from dashboard.services.plans import open_database

    folder = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    default_url = f"sqlite:///{folder / 'default.sqlite3'}"
    open_database(default_url).dispose()
    demo_url, _ = demo.create_demo_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    return [("default", default_url), ("demo", demo_url)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--database", help="database URL (default: a fresh default and a demo database)")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose pages and code are run")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))  # before any import of ``dashboard``: the chosen checkout's code runs
    print(f"pages of {root}")
    print(f"{'database':<10}{'page':<12}{'first run ms':>14}{'median rerun ms':>18}  budget {BUDGET_MS} ms")
    for label, url in _databases(args):
        os.environ["KPI_DATABASE_URL"] = url
        for page in args.pages:
            first, median = median_rerun_ms(root, page, args.reruns)
            verdict = "ok" if median <= BUDGET_MS else "OVER BUDGET"
            print(f"{label:<10}{page:<12}{first:>14.0f}{median:>18.0f}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
