"""The month view (?year=Y&month=N) of every dashboard page, in AppTest, on the demo database and on a small store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services import demo, importer
from dashboard.services.plans import open_database
from tests.test_pages import html_tables

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "dashboard" / "ui" / "pages"


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url, _report = demo.create_demo_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return url


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page) if page != "app.py" else str(ROOT / page), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_month_view(demo_env: str) -> None:
    at = run("overview.py", year="2025", month="9")
    assert at.subheader[0].value == "绍兴市 · 数据截至2025年1–9月 · 核心指标"
    frame = html_tables(at)[0]
    columns = list(frame.columns)
    assert columns.index("全年需增长") == columns.index("同比") + 1  # needed growth beside the growth achieved
    assert len(frame) == 8 and columns[1] == "状态"
    retail = frame[frame["指标"] == "网络零售额"].iloc[0]
    assert retail["1–9月累计/月末"].endswith("（区县合计·含初步数）") and retail["序时进度"] == "75%"
    assert retail["一句话"].startswith("1–9月网络零售额") and "序时进度" in retail["一句话"]
    assert all(any(icon in s for icon in "✅🟢🟡🟠🔴◐⚪❌") for s in frame["状态"])  # icon + word, not colour alone
    assert "按上年同期进度（参考）" in columns
    # The ten-second read: tiles worst first with 同比; the sentence names every indicator that lags.
    board = next(h.proto.body for h in at.get("html") if 'class="kpi-tiles"' in h.proto.body)
    assert "同比" in board and "完成全年目标" in board and "序时进度 75%" in board
    lagging = frame[frame["状态"].str.contains("滞后")]["指标"].tolist()
    sentence = next(m.value for m in at.markdown if "达到序时进度" in m.value)
    assert all(name in sentence for name in lagging)
    names = [n for n in frame["指标"] if f'<span class="name">{n}</span>' in board]
    positions = sorted(names, key=lambda n: board.index(f'<span class="name">{n}</span>'))
    assert set(positions[:len(lagging)]) == set(lagging)  # the lagging ones lead


def test_whole_year_keeps_the_annual_view(demo_env: str) -> None:
    at = run("overview.py", year="2025", month="12")
    assert "数据截至" not in at.subheader[0].value
    assert "完成率" in list(html_tables(at)[0].columns)


def test_indicator_page_draws_the_cumulative_chart(demo_env: str) -> None:
    at = run("indicator.py", year="2025", month="9", indicator="SX01")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace["name"] for trace in spec["data"]]
    assert names[:3] == ["2025年目标进度（按序时）", "2024年", "2025年"]
    this_year = spec["data"][2]
    assert this_year["x"][-1] == "9月" and len(this_year["x"]) == 9
    assert at.metric[0].label == "1–9月（亿元）"


def test_districts_page_compares_districts_on_the_same_month(demo_env: str) -> None:
    at = run("districts.py", year="2025", month="6", indicator="SX02")
    assert at.subheader[0].value == "各区县网络经营主体 · 数据截至2025年1–6月"
    frame = at.dataframe[0].value
    assert list(frame["地区"])[:2] == ["绍兴市", "越城区"] and len(frame) == 7
    assert set(frame["序时进度"]) == {"50%"}


@pytest.mark.parametrize("page", ["measures.py", "plan.py", "present.py"])
def test_pages_without_a_month_view_open_and_keep_the_period(demo_env: str, page: str) -> None:
    # Measure targets, the plan table and the slides are annual; the period stays in the URL for the next page.
    at = run(page, year="2025", month="9")
    assert at.query_params["month"] == "9" and at.query_params["year"] == "2025"


def test_the_month_is_kept_across_pages(demo_env: str) -> None:
    at = run("app.py", year="2025", month="6")
    at.switch_page("dashboard/ui/pages/districts.py").run()
    assert not at.exception
    assert at.selectbox(key="kpi_select_month").value == "6"
    assert "数据截至2025年1–6月" in at.subheader[0].value


def test_default_is_the_latest_month_with_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    engine = open_database(url)
    rows = ["indicator,region,year,month,value", "SX01,330600,2025,12,1200", "SX01,330600,2025,3,250",
            "SX01,330600,2026,2,180", "SX01,330600,2026,3,290"]
    importer.commit_import(engine, "m.csv", "\n".join(rows).encode(), "t", accept_warnings=True)
    engine.dispose()
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    at = run("overview.py")
    assert at.selectbox(key="kpi_select_year").value == "2026"
    assert at.selectbox(key="kpi_select_month").value == "3"
    assert "数据截至2026年1–3月" in at.subheader[0].value
    frame = html_tables(at)[0]
    retail = frame[frame["指标"] == "网络零售额"].iloc[0]
    assert retail["同比"] == "16%（按公布数计算）"  # 290 / 250 − 1, no published rate given
