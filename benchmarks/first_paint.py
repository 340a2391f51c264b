"""First paint of the overview in a real browser (Debian's Chromium via Playwright) on the demo database.

Starts the app with the README's start command on a fresh copy of the demo database, opens the
overview once to warm the server (imports, database, caches), then loads it ``--runs`` times in new
browser pages and prints, per load and as median and worst, the seconds from navigation until the
summary sentence and the indicator tiles are on screen and Streamlit has finished the run. The
target is a warm first paint within 2.5 s.

    .venv/bin/python benchmarks/first_paint.py [--runs 5] [--width 1280 --height 720]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.services import demo  # noqa: E402
from tests.live import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app  # noqa: E402

TARGET_S = 2.5
# Painted: the tiles (the overview's last first-screen element) are visible and the script run is over.
PAINTED = """() => {
  const tiles = document.querySelector('.kpi-tiles');
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  return !!tiles && tiles.getBoundingClientRect().height > 0 && !(status && status.innerText.includes('Running'));
}"""


def measure(base_url: str, runs: int, width: int, height: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for n in range(runs + 1):
            page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
            start = time.perf_counter()
            page.goto(base_url)
            page.wait_for_function(PAINTED, timeout=60_000, polling=25)
            elapsed = time.perf_counter() - start
            page.close()
            if n == 0:
                print(f"cold (not counted): {elapsed:.2f} s")
                continue
            times.append(elapsed)
            print(f"run {n}: {elapsed:.2f} s")
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, _report = demo.create_demo_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        process, base_url = start_app(url)
        try:
            times = measure(base_url, args.runs, args.width, args.height)
        finally:
            stop_app(process)
    median, worst = statistics.median(times), max(times)
    verdict = "within" if median <= TARGET_S else "OVER"
    print(f"overview first paint, warm, {args.width}x{args.height}, demo database: "
          f"median {median:.2f} s, worst {worst:.2f} s of {len(times)} ({verdict} the {TARGET_S} s target)")


if __name__ == "__main__":
    main()
