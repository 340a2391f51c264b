"""Screenshots of the review pages at 1280×720 and 1920×1080, and the cost of what review adds to
every page run: the session check and the published-only read path (with and without 含待审核).

    .venv/bin/python benchmarks/review_screens.py [--out test-artifacts/review] [--repeat 200]

Starts the app with ``scripts/start.sh`` on a fresh demo database with a reporter, a city
statistician and an admin, a pending and a returned submission, and a reporting period; prints
median timings in milliseconds; writes PNGs to ``--out``.
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

from dashboard import auth  # noqa: E402
from dashboard.auth import Actor  # noqa: E402
from dashboard.services import accounts, demo, importer, reporting, review  # noqa: E402
from dashboard.services.plans import open_database  # noqa: E402
from dashboard.storage import repository as repo  # noqa: E402
from dashboard.storage.db import session_factory  # noqa: E402
from tests.live import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app, wait_for_app  # noqa: E402

PASSWORD = "correct horse 42"
SIZES = ((1280, 720), (1920, 1080))
# The overview is the default page: it lives at the root, not at /overview.
PAGES = {"review": "审核", "status": "报送情况", "upload": "数据填报", "?year=2024&region=330602": "总览"}


def median_ms(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def prepare(url: str) -> None:
    engine = open_database(url)
    accounts.add_user(engine, auth.SYSTEM, "yue", PASSWORD, auth.DISTRICT_REPORTER, "越城统计员", region_code="330602")
    accounts.add_user(engine, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN, "管理员")
    reporter = Actor("yue", auth.DISTRICT_REPORTER, "越城统计员", region_code="330602")
    for value, year in ((432.1, 2024), (999.0, 2023)):
        data = f"indicator,region,year,value,note\nSX01,330602,{year},{value},区县说明\n".encode()
        importer.commit_import(engine, f"越城区{year}年报送.csv", data, reporter, accept_warnings=True)
    returned = review.review_queue(engine, auth.SYSTEM)[-1].id
    review.return_submission(engine, auth.SYSTEM, returned, "与上年口径不一致，请核实")
    reporting.define_period(engine, auth.SYSTEM, 2024, 12, reporting.reporting.default_deadline(2024, 12))
    engine.dispose()


def timings(url: str, repeat: int) -> None:
    engine = open_database(url)
    token = accounts.open_session(engine, accounts.authenticate(engine, "admin", PASSWORD))
    print(f"session check (accounts.session_actor): {median_ms(lambda: accounts.session_actor(engine, token), repeat):.2f} ms")
    with session_factory(engine)() as session:
        for include in (False, True):
            ms = median_ms(lambda: repo.current_observations(session, include_pending=include), max(repeat // 10, 5))
            print(f"current_observations(include_pending={include}): {ms:.2f} ms"
                  f" ({len(repo.current_observations(session, include_pending=include))} rows)")
    engine.dispose()


def screenshots(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for width, height in SIZES:
            page = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
            page.set_default_timeout(60_000)
            page.goto(base)
            wait_for_app(page)
            page.get_by_label("用户名").fill("admin")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_role("heading", name="总览").wait_for()
            for path, heading in PAGES.items():
                page.goto(f"{base}/{path}")
                wait_for_app(page)
                page.get_by_role("heading", name=heading).first.wait_for()
                if path.startswith("?"):
                    page.locator("[data-testid='stSidebar'] label").filter(has_text="含待审核").first.click()
                    wait_for_app(page)
                page.wait_for_timeout(1500)
                name = path.split("?")[0] or "overview"
                page.screenshot(path=str(out / f"{name}_{width}x{height}.png"))
            page.context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "review")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kpi-review-"))
    url, _ = demo.create_demo_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    prepare(url)
    timings(url, args.repeat)
    process, base = start_app(url)
    try:
        screenshots(base, args.out)
    finally:
        stop_app(process)
    print(f"screenshots: {args.out}")


if __name__ == "__main__":
    main()
