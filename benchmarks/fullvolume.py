"""A full-volume database for the page benchmarks: every indicator and region, monthly, 2022–2027.

Every indicator of the plan in every region it is reported for (districts only for additive ones),
every month of 2022–2027, both 初步数 and 核实数: about 14k current values, written through the real
import path. Each ``--revisions`` round re-imports the whole file with every value corrected, so the
store also holds that many superseded versions of each value (``--revisions 70`` gives ~1M rows).
Test values only, not statistics.

    .venv/bin/python benchmarks/fullvolume.py instance/full.sqlite3 [--revisions 3]
    .venv/bin/python benchmarks/pages.py --database sqlite:///instance/full.sqlite3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine  # noqa: E402

from dashboard.services import importer  # noqa: E402
from dashboard.services.plans import open_database  # noqa: E402
from dashboard.storage import repository as repo  # noqa: E402
from dashboard.storage.db import session_factory  # noqa: E402

YEARS = range(2022, 2028)


def figures(engine: Engine, revision: int) -> bytes:
    """The long-format CSV of every value; ``revision`` shifts every value so each round corrects all."""
    with session_factory(engine)() as session:
        regions = repo.all_regions(session)
        pairs = [(i.code, r.code) for i in repo.indicators(session) for r in regions
                 if r.level == "city" or i.aggregation == "additive"]
    lines = ["indicator,region,year,month,status,value"]
    for n, (indicator, region) in enumerate(pairs):
        for year in YEARS:
            for month in range(1, 13):
                value = (20 + n % 17) * (1 + 0.08 * (year - 2022)) * month / 12 + 0.01 * revision
                for status in ("初步数", "核实数"):
                    lines.append(f"{indicator},{region},{year},{month},{status},{value:.2f}")
    return "\n".join(lines).encode()


def build(url: str, revisions: int) -> None:
    """Create (or extend) the store at ``url`` with the full volume and ``revisions`` correction rounds."""
    engine = open_database(url)
    try:
        for revision in range(revisions + 1):
            start = time.perf_counter()
            result = importer.commit_import(engine, f"full-r{revision}.csv", figures(engine, revision), "基准测试",
                                            accept_warnings=True)
            print(f"round {revision}: submission {result.submission_id}, {time.perf_counter() - start:.1f} s",
                  flush=True)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="SQLite file to create")
    parser.add_argument("--revisions", type=int, default=3, help="correction rounds after the first import")
    args = parser.parse_args()
    if args.path.exists():
        raise SystemExit(f"{args.path} exists; choose a new file")
    build(f"sqlite:///{args.path.resolve()}", args.revisions)


if __name__ == "__main__":
    main()
