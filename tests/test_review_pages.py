"""AppTest of the 审核 and 报送情况 pages, the reviewers' 含待审核 switch and the reporter's 我的报送."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.auth import Actor
from dashboard.services import accounts, importer, reporting, review
from dashboard.services import progress as progress_service
from dashboard.services.plans import open_database
from tests.test_pages import html_tables

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse 42"
OWN = "330602"
REPORTER = Actor("yue", auth.DISTRICT_REPORTER, "越城统计员", region_code=OWN)


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("KPI_PUBLIC_READONLY", raising=False)
    engine = open_database(sqlite_url)
    accounts.add_user(engine, auth.SYSTEM, "yue", PASSWORD, auth.DISTRICT_REPORTER, "越城统计员", region_code=OWN)
    accounts.add_user(engine, auth.SYSTEM, "city", PASSWORD, auth.CITY_STATISTICIAN, "市统计员甲")
    accounts.add_user(engine, auth.SYSTEM, "admin", PASSWORD, auth.ADMIN, "管理员")
    accounts.add_user(engine, auth.SYSTEM, "leader", PASSWORD, auth.VIEWER, "领导")
    yield engine
    engine.dispose()


def signed_in(username: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _pending(engine, value: float = 123.4) -> int:  # type: ignore[no-untyped-def]
    data = f"indicator,region,year,value,note\nSX01,{OWN},2024,{value},区县说明\n".encode()
    submission_id = importer.commit_import(engine, "yue.csv", data, REPORTER, accept_warnings=True).submission_id
    assert submission_id is not None
    return submission_id


def _published(engine) -> float | None:  # type: ignore[no-untyped-def]
    (row,) = progress_service.progress(engine, 2024, region=OWN, indicator="SX01")
    return row.assessment.actual


def test_review_page_lists_shows_and_approves(app_db) -> None:  # type: ignore[no-untyped-def]
    submission = _pending(app_db)
    at = signed_in("city", "dashboard/ui/pages/review.py")
    queue = at.dataframe[0].value
    assert list(queue["编号"]) == [submission] and list(queue["状态"]) == ["⏳ 待审核"]
    assert list(queue["地区"]) == ["越城区"]
    detail = at.dataframe[1].value
    assert list(detail["报送值"]) == ["123.4"] and list(detail["已发布值"]) == ["—（尚无）"]
    at.button(key="review_approve").click().run()
    assert not at.exception
    assert f"提交 #{submission} 已审核通过并发布" in at.success[0].value
    assert "没有待审核的提交" in at.info[0].value
    assert _published(app_db) == 123.4


def test_review_page_returns_with_a_reason_and_the_reporter_sees_it(app_db) -> None:  # type: ignore[no-untyped-def]
    submission = _pending(app_db)
    at = signed_in("admin", "dashboard/ui/pages/review.py")
    at.button(key="FormSubmitter:review_return_form-↩️ 退回").click().run()
    assert "退回原因" in at.error[0].value  # a return needs a reason; nothing changed
    assert review.submission_state(app_db, submission) == "pending"
    at.text_area(key="review_reason").input("单位应为亿元")
    at.button(key="FormSubmitter:review_return_form-↩️ 退回").click().run()
    assert "已退回，原因：单位应为亿元" in at.success[0].value
    assert _published(app_db) is None

    reporter = signed_in("yue", "dashboard/ui/pages/upload.py")
    mine = next(df.value for df in reporter.dataframe if "退回原因" in df.value.columns)
    assert list(mine["状态"]) == ["↩️ 已退回"] and list(mine["退回原因"]) == ["单位应为亿元"]


def test_review_pages_are_offered_to_reviewers_only(app_db) -> None:  # type: ignore[no-untyped-def]
    for username in ("yue", "leader"):
        at = signed_in(username)
        for page in ("dashboard/ui/pages/review.py", "dashboard/ui/pages/status.py"):
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)


def test_reviewers_switch_the_overview_to_include_pending(app_db) -> None:  # type: ignore[no-untyped-def]
    _pending(app_db, 4321.0)
    at = signed_in("city", "dashboard/ui/pages/overview.py")
    at.selectbox(key="kpi_select_region").set_value(OWN).run()
    at.selectbox(key="kpi_select_year").set_value("2024").run()

    def retail() -> str:
        frame = html_tables(at)[0]  # the overview's full table (HTML text)
        return str(frame.loc[frame["指标"] == "网络零售额", "最新实际值"].iloc[0])

    assert "4,321" not in retail() and "4321" not in retail()
    at.toggle(key="kpi_include_pending").set_value(True).run()
    assert "待审核" in retail() and "4,321" in retail()
    assert any("含待审核" in w.value for w in at.warning)
    leader = signed_in("leader", "dashboard/ui/pages/overview.py")
    assert not leader.toggle  # no switch for leaders


def test_status_page_grid_export_and_period_form(app_db) -> None:  # type: ignore[no-untyped-def]
    _pending(app_db)
    reporting.define_period(app_db, auth.SYSTEM, 2024, 12, date(2099, 3, 15))  # not yet due
    at = signed_in("admin", "dashboard/ui/pages/status.py")
    at.selectbox(key="status_year").set_value(2024).run()
    grid = at.dataframe[0].value
    retail = grid[grid["指标"] == "网络零售额"].iloc[0]
    assert (retail["截止日期"], retail["越城区"], retail["柯桥区"]) == ("2099-03-15", "⏳ 待审核", "⚪ 未报")
    assert [m.label for m in at.metric][:2] == ["✅ 已发布", "⏳ 待审核"]

    # The admin moves the deadline into the past: the grid turns to 逾期 (icon, word, and red).
    at.selectbox(key="period_indicator").set_value("网络零售额")
    at.selectbox(key="period_year").set_value(2024)
    at.date_input(key="period_deadline").set_value(date(2025, 3, 15))
    at.button(key="FormSubmitter:period_form-保存报送期").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已设置：网络零售额｜2024年｜截止 2025-03-15" in at.success[0].value
    grid = at.dataframe[0].value
    assert grid[grid["指标"] == "网络零售额"].iloc[0]["柯桥区"] == "🔴 逾期"
    assert grid[grid["指标"] == "网络经营主体"].iloc[0]["柯桥区"] == "⚪ 未报"  # still the 2099 deadline
    button = at.get("download_button")[0]
    assert "XLSX" in button.proto.label
    book = load_workbook(io.BytesIO(reporting.status_xlsx(reporting.status_grid(app_db, 2024, 12))))
    assert any(row[2] == "🔴 逾期" for row in book["催报清单"].iter_rows(min_row=2, values_only=True))
