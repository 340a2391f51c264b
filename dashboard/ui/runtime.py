"""Process settings of the dashboard server, applied once when the first page is imported.

Garbage collection: a page at scale builds a few hundred thousand short-lived objects (figures,
judgements, HTML cells). With Python's default thresholds (700, 10, 10) that ran ~300 young and a few
full collections per page view, and every full one walked the whole interpreter (Streamlit, pandas,
plotly: a million objects): ~180 ms of a 650 ms page at a million figures (benchmarks/scale.py).
Freezing what exists after start-up takes those objects out of every later collection, and a larger
young generation collects less often; cycles are still collected, only later.
"""

from __future__ import annotations

import gc

# (young generation, middle, old): collections after this many allocations / collections.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_garbage_collector() -> None:
    """Freeze the objects alive now (modules, classes) and collect young objects less often."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
