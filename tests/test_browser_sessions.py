"""Sign-ins and review in a real browser: refresh and shared links stay signed in, a disabled account is
refused at its next action, and a district upload reaches the overview only after a city statistician
approves it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard import auth
from dashboard.services import accounts
from dashboard.services.plans import open_database
from tests.live import screenshot, start_app, stop_app, wait_for_app

PASSWORD = "correct horse 42"
OWN = "330602"


@dataclass(frozen=True)
class LiveApp:
    base_url: str
    database_url: str


@pytest.fixture
def app_with_accounts(tmp_path: Path) -> Iterator[LiveApp]:
    """The app (README start command) on a store with a reporter, a city statistician and an admin."""
    url = f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    engine = open_database(url)
    accounts.add_user(engine, auth.SYSTEM, "yue", PASSWORD, auth.DISTRICT_REPORTER, "越城统计员", region_code=OWN)
    accounts.add_user(engine, auth.SYSTEM, "city", PASSWORD, auth.CITY_STATISTICIAN, "市统计员甲")
    accounts.add_user(engine, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN, "管理员")
    engine.dispose()
    process, base_url = start_app(url)
    try:
        yield LiveApp(base_url, url)
    finally:
        stop_app(process)


def sign_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url)
    wait_for_app(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="总览").wait_for(timeout=60_000)
    wait_for_app(page)


def session_cookie(page) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(40):  # the hidden frame sets it right after the sign-in
        found = [c for c in page.context.cookies() if c["name"] == "kpi_session"]
        if found:
            return found[0]
        page.wait_for_timeout(250)
    raise AssertionError("no kpi_session cookie was set")


def test_sign_in_survives_refresh_and_shared_links_and_ends_when_disabled(  # type: ignore[no-untyped-def]
        app_with_accounts: LiveApp, browser_page) -> None:
    page, base = browser_page, app_with_accounts.base_url
    page.set_default_timeout(60_000)  # the machine may be busy: wait longer, never assert sooner
    sign_in(page, base, "city")
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("kpi_session") == -1  # scripts cannot read it

    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name="总览").wait_for()
    assert page.get_by_text("市统计员甲（市统计员）").count() >= 1

    shared = page.context.new_page()  # a shared link opened in the same browser
    shared.goto(f"{base}/districts?year=2025")
    wait_for_app(shared)
    shared.get_by_role("heading", name="区县对比").wait_for()
    assert shared.get_by_text("市统计员甲（市统计员）").count() >= 1
    shared.close()

    engine = open_database(app_with_accounts.database_url)
    accounts.set_active(engine, auth.SYSTEM, "city", False)  # an admin disables the account
    engine.dispose()
    page.get_by_role("link", name="区县对比").click()  # the next action in the open tab
    page.get_by_role("heading", name="登录").wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_text("登录已失效").wait_for(timeout=60_000)
    screenshot(page, "session_ended_after_disable")
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name="登录").wait_for()


def test_reporter_uploads_statistician_approves_overview_shows(  # type: ignore[no-untyped-def]
        app_with_accounts: LiveApp, chromium_browser, tmp_path: Path) -> None:
    base = app_with_accounts.base_url
    reporter = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    reviewer = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    for page in (reporter, reviewer):
        page.set_default_timeout(60_000)
    try:
        sign_in(reporter, base, "yue")
        reporter.goto(f"{base}/upload")
        wait_for_app(reporter)
        reporter.get_by_role("heading", name="② 上传文件").wait_for()
        upload = tmp_path / "yue.csv"
        upload.write_text(f"indicator,region,year,value\nSX01,{OWN},2024,2468\n", encoding="utf-8")
        reporter.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
        reporter.get_by_role("heading", name="③ 预览变化").wait_for(timeout=60_000)
        wait_for_app(reporter)
        accept = reporter.get_by_text("我已核对以上提醒")
        if accept.count():
            accept.click()
            wait_for_app(reporter)
        reporter.get_by_role("button", name="确认提交").click()
        reporter.get_by_text(re.compile("待审核：市统计员审核通过后才会发布")).wait_for(timeout=60_000)
        screenshot(reporter, "review_reporter_submitted")

        sign_in(reviewer, base, "city")
        reviewer.goto(f"{base}/?year=2024&region={OWN}")
        wait_for_app(reviewer)
        # The overview's tiles (HTML text): the figure awaiting review is not published yet.
        reviewer.locator(".kpi-tiles").first.wait_for(timeout=30_000)
        assert "网络零售额" in reviewer.inner_text(".kpi-tiles") and "2,468" not in reviewer.inner_text(".kpi-tiles")
        reviewer.goto(f"{base}/review")
        wait_for_app(reviewer)
        reviewer.get_by_role("heading", name="审核").wait_for()
        screenshot(reviewer, "review_queue")
        reviewer.get_by_role("button", name="审核通过并发布").click()
        reviewer.get_by_text(re.compile("已审核通过并发布")).wait_for(timeout=60_000)

        reviewer.goto(f"{base}/?year=2024&region={OWN}")
        wait_for_app(reviewer)
        reviewer.locator(".kpi-tiles").filter(has_text="2,468").first.wait_for(timeout=30_000)
        assert "2,468 亿元" in reviewer.inner_text(".kpi-tiles")
        screenshot(reviewer, "review_overview_after_approval")
    finally:
        reporter.context.close()
        reviewer.context.close()


def test_cookie_routes_refuse_bad_codes_and_other_origins(app_with_accounts: LiveApp) -> None:
    def post(path: str, body: bytes = b"", origin: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(f"{app_with_accounts.base_url}{path}", data=body, method="POST")
        if origin:
            request.add_header("Origin", origin)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers.get("set-cookie", "")
        except urllib.error.HTTPError as error:
            return error.code, ""

    assert post("/api/session/adopt", b"guessed-code")[0] == 400
    assert post("/api/session/adopt", b"x", origin="https://evil.example")[0] == 403
    assert post("/api/session/forget", origin="https://evil.example")[0] == 403
    status, cookie = post("/api/session/forget")
    assert status == 204 and "kpi_session=" in cookie and "HttpOnly" in cookie
