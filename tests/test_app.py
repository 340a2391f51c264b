"""AppTest smoke tests: every page runs without an exception and says what it should."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import html_tables

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """Point the app at an empty SQLite file (the app creates and loads it on first run)."""
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    return sqlite_url


def run_app(path: str = "app.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_plan_page_shows_the_plan_table(app_env: str) -> None:
    at = run_app()
    at.switch_page("dashboard/ui/pages/plan.py").run()  # 总览 is the start page since issue 4
    assert [t.value for t in at.title] == ["计划与目标"]
    core, measures = html_tables(at)
    assert list(core["指标"]) == ["网络零售额", "网络经营主体", "平台", "省级工业互联网平台", "省级数字工厂",
                                 "农村快递“共富驿站”", "平台经济领域地方标准", "数据知识产权登记"]
    retail = core.iloc[0]
    assert (retail["单位"], retail["2022年（基期实际）"], retail["2025年目标"], retail["2027年目标"]) == (
        "亿元", "921", "1,200", "1,400")
    assert core.iloc[1]["2022年（基期实际）"] == "6.7"
    assert core.iloc[6]["汇总"] == "仅统计全市"
    assert "监测直播间" in set(measures["指标"])
