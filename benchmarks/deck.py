"""Deck build time (budget: 3 s for the full deck): ``.venv/bin/python benchmarks/deck.py``.

Builds a fresh SQLite store with the plan and a year of city and district figures (test values),
then times gathering the briefing and rendering the .pptx, end to end, a few times.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.services import deck, importer  # noqa: E402
from dashboard.services.plans import open_database  # noqa: E402

BUDGET_S = 3.0
DISTRICTS = ("330602", "330603", "330604", "330624", "330681", "330683")


def _figures() -> bytes:
    lines = ["indicator,region,year,value,note"]
    for n, code in enumerate(f"SX0{i}" for i in range(1, 9)):
        for year in (2023, 2024):
            lines.append(f"{code},330600,{year},{100 + 10 * n + year - 2023},基准测试说明")
            if code != "SX07":
                lines += [f"{code},{d},{year},{10 + k + year - 2023}," for k, d in enumerate(DISTRICTS)]
    return "\n".join(lines).encode()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        importer.commit_import(engine, "bench.csv", _figures(), "benchmark", accept_warnings=True)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            data = deck.deck_bytes(engine, 2024)
            times.append(time.perf_counter() - start)
        engine.dispose()
    best, worst = min(times), max(times)
    verdict = "OK" if worst <= BUDGET_S else "OVER BUDGET"
    print(f"deck build: best {best:.3f} s, worst {worst:.3f} s over {len(times)} runs "
          f"({len(data) / 1024:.0f} KiB); budget {BUDGET_S:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
