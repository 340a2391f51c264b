"""AppTest of sign-in, target allocation and the audit log pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.services import accounts, importer
from dashboard.services import progress as progress_service
from dashboard.services.plans import open_database
from tests.test_pages import html_tables

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse 42"
DISTRICTS = ["330602", "330603", "330604", "330624", "330681", "330683"]


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("KPI_PUBLIC_READONLY", raising=False)
    engine = open_database(sqlite_url)
    yield engine
    engine.dispose()


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_single_user_mode_before_any_account(app_db) -> None:  # type: ignore[no-untyped-def]
    at = app()
    assert "本机用户" in at.sidebar.caption[0].value
    at.switch_page("dashboard/ui/pages/login.py").run()
    assert "单机模式" in at.info[0].value and "kpi user add" in at.info[0].value


def test_sign_in_is_required_once_accounts_exist(app_db) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(app_db, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN, display_name="管理员甲")
    at = app()
    assert [t.value for t in at.title] == ["登录"]
    sign_in(at, "admin", "wrong password")
    assert "用户名或密码错误" in at.error[0].value
    sign_in(at, "admin", PASSWORD)
    assert "管理员甲" in at.sidebar.caption[0].value
    assert [t.value for t in at.title] == ["总览"]  # signing in lands on the overview


def test_public_read_only_mode_shows_pages_without_sign_in(app_db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(app_db, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN)
    monkeypatch.setenv("KPI_PUBLIC_READONLY", "1")
    at = app()
    assert [t.value for t in at.title] == ["总览"]  # the default page
    assert "公开只读" in at.sidebar.caption[0].value
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not offered to viewers
        at.switch_page("dashboard/ui/pages/allocation.py")


def test_allocation_page_estimates_and_saves_labelled_targets(app_db) -> None:  # type: ignore[no-untyped-def]
    rows = "\n".join(f"SX01,{d},2022,{v}" for d, v in zip(DISTRICTS, [150, 200, 160, 60, 230, 121]))
    importer.commit_import(app_db, "b.csv", f"indicator,region,year,value\n{rows}\nSX01,330602,2024,180\n".encode(), "t")
    at = app()
    at.switch_page("dashboard/ui/pages/allocation.py").run()
    assert "低于全市目标" in at.warning[0].value  # nothing allocated yet
    at.button(key="alloc_estimate").click().run()
    assert "估算的建议值" in at.info[0].value
    at.button(key="alloc_save_estimate").click().run()
    assert not at.exception
    assert "已保存" in at.success[0].value
    table = at.dataframe[0].value if at.dataframe else None
    (row,) = progress_service.progress(app_db, 2024, region="330602", indicator="SX01")
    assert row.target_origins == {2025: "estimated"}
    assert row.assessment.milestones[0].status != "no_data"
    del table


def test_audit_page_lists_failed_logins_and_allocations(app_db) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(app_db, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN, display_name="管理员甲")
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(app_db, "admin", "=cmd|' /C calc'!A0")
    at = sign_in(app(), "admin", PASSWORD)
    at.switch_page("dashboard/ui/pages/audit.py").run()
    log = at.dataframe[0].value
    assert {"登录", "登录失败", "新增账号"} <= set(log["操作"])
    assert at.get("download_button")


def test_viewers_do_not_see_admin_pages(app_db) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(app_db, auth.SYSTEM, "leader", PASSWORD, auth.VIEWER, display_name="领导乙")
    at = sign_in(app(), "leader", PASSWORD)
    # Not in this role's navigation at all.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("dashboard/ui/pages/audit.py")


def test_district_statuses_appear_once_targets_exist_and_estimates_are_labelled(app_db) -> None:  # type: ignore[no-untyped-def]
    rows = "\n".join(f"SX01,{d},2022,{v}" for d, v in zip(DISTRICTS, [150, 200, 160, 60, 230, 121]))
    importer.commit_import(app_db, "b.csv", f"indicator,region,year,value\n{rows}\nSX01,330602,2024,180\n".encode(), "t")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["region"] = "330602"
    at.query_params["year"] = "2024"
    at.run()
    retail = html_tables(at)[0].iloc[0]
    assert retail["状态"] == "⚪ 无目标（未分解）"  # no district target yet
    from dashboard.services import allocation

    estimates = allocation.estimate(app_db, "SX01", 2025)
    allocation.save_allocations(app_db, auth.SYSTEM, "SX01", 2025, estimates, origin="estimated")
    at.run()
    retail = html_tables(at)[0].iloc[0]
    assert retail["2025年目标"] == f"{estimates['330602']:,.0f}（估算，非正式）"
    assert retail["状态"].endswith("（对照估算目标）") and "符合序时" in retail["状态"]
    allocation.save_allocations(app_db, auth.SYSTEM, "SX01", 2025, {"330602": 200.0})
    at.run()
    retail = html_tables(at)[0].iloc[0]
    assert retail["2025年目标"] == "200" and "估算" not in retail["状态"]


def test_a_session_expires_after_its_lifetime(app_db) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    from sqlalchemy import update

    from dashboard.storage.models import UserSession

    accounts.add_user(app_db, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN)
    at = sign_in(app(), "admin", PASSWORD)
    assert [t.value for t in at.title] == ["总览"]
    # The session's lifetime is kept on the server: let it run out there.
    with app_db.begin() as connection:
        connection.execute(update(UserSession).values(expires_at=datetime.now(timezone.utc) - auth.BASE_LOCKOUT))
    at.run()
    assert [t.value for t in at.title] == ["登录"]
    assert "已过期" in at.warning[0].value
