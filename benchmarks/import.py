"""Import speed: ``.venv/bin/python benchmarks/import.py [ROWS]``.

Builds a fresh SQLite store, then times preview and commit of a long-format CSV of month-level test
values (new values), and of the same file with every value changed (corrections that supersede).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.services import importer  # noqa: E402
from dashboard.services.plans import open_database  # noqa: E402

REGIONS = ("330600", "330602", "330603", "330604", "330624", "330681", "330683")
INDICATORS = ("SX01", "SX02", "SX03", "SX04", "SX05", "SX06", "SX08")


def figures(rows: int, offset: float) -> bytes:
    """Up to ``rows`` rows: indicators × regions × years 2023–2027 × months 1–12 (test values)."""
    lines = ["indicator,region,year,month,value,status"]
    keys = [(i, r, y, m) for y in range(2023, 2028) for m in range(1, 13) for i in INDICATORS for r in REGIONS]
    for n, (indicator, region, year, month) in enumerate(keys[:rows]):
        lines.append(f"{indicator},{region},{year},{month},{n % 97 + offset},preliminary")
    return "\n".join(lines).encode()


def timed(label: str, action) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    print(f"{label:<34} {time.perf_counter() - start:7.2f} s")


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        new, changed = figures(rows, 1.0), figures(rows, 2.0)
        print(f"{rows} rows, SQLite")
        timed("preview (new values)", lambda: importer.preview_import(engine, "new.csv", new))
        timed("commit (new values)", lambda: importer.commit_import(engine, "new.csv", new, "bench", accept_warnings=True))
        timed("commit (every value corrected)", lambda: importer.commit_import(engine, "fix.csv", changed, "bench", accept_warnings=True))
        engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
