"""演示模式 page (AppTest): runs, steps through the indicators, keeps the slide in the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.test_deck import seed

PAGE = Path(__file__).resolve().parents[1] / "dashboard" / "ui" / "pages" / "present.py"


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, fresh_sqlite: Engine, sqlite_url: str) -> Engine:
    seed(fresh_sqlite)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    return fresh_sqlite


def _heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "<h1>" in m.value)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return _run(at)


def test_next_and_previous_change_the_indicator_shown(app_db: Engine) -> None:
    at = _run(AppTest.from_file(str(PAGE), default_timeout=60))
    assert "<h1>网络零售额（亿元）</h1>" in _heading(at)
    assert "网络零售额完成2025年目标的90%" in _heading(at)
    assert at.query_params["slide"] == "1" and at.query_params["year"] == "2024"
    assert len(at.get("plotly_chart")) == 1
    _click(at, "kpi_present_next")
    assert "<h1>网络经营主体（万家）</h1>" in _heading(at)
    # The arrow keys press ◀/▶; a visible way back to the overview.
    assert (at.button(key="kpi_present_prev").proto.shortcut, at.button(key="kpi_present_next").proto.shortcut) == (
        "left", "right")
    assert at.button(key="kpi_present_back").label == "⌂ 返回总览"
    assert at.query_params["slide"] == "2"
    _click(at, "kpi_present_prev")
    _click(at, "kpi_present_prev")  # wraps round to the last indicator
    assert "<h1>数据知识产权登记（件）</h1>" in _heading(at)
    assert "第 8 / 8 项" in "".join(m.value for m in at.markdown)


def test_a_link_opens_its_slide_and_the_sidebar_is_hidden(app_db: Engine) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.query_params["slide"] = "3"
    _run(at)
    assert "<h1>平台（个）</h1>" in _heading(at)
    assert "▼ 明显滞后" in _heading(at)  # 39.4% vs 66.7%: −27.3 pp
    assert any('[data-testid="stSidebar"]' in m.value and "display: none" in m.value for m in at.markdown)
    assert not any("演示数据" in m.value for m in at.markdown)
