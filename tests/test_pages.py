"""AppTest of every dashboard page on known imported figures: what it says, selectors, query string."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services import demo, views
from dashboard.services.plans import open_database
from dashboard.ui.widgets import DEMO_BANNER
from dashboard.wording import PRELIMINARY_MARK_NOTE
from tests.test_views import KS, load_known

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "dashboard" / "ui" / "pages"


@pytest.fixture
def known_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    engine = open_database(sqlite_url)
    load_known(engine)
    engine.dispose()
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.fixture
def empty_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    return sqlite_url


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page) if page != "app.py" else str(ROOT / page), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page wrote as markdown, captions, alerts and headings."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "subheader", "title")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def spec(at: AppTest, index: int = 0) -> str:
    """The Plotly figure of a chart as readable JSON text (the proto escapes non-ASCII)."""
    return json.dumps(json.loads(at.get("plotly_chart")[index].proto.spec), ensure_ascii=False)


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The tables a page drew as HTML (widgets.html_table), every cell as its text."""
    frames = []
    for element in at.get("html"):
        if '<table' not in element.proto.body or 'kpi-table' not in element.proto.body:
            continue
        root = lxml.html.fromstring(element.proto.body.split("</style>")[-1])
        header = [th.text_content() for th in root.xpath("//thead//th")]
        rows = [[td.text_content() for td in tr.xpath("./td")] for tr in root.xpath("//tbody/tr")]
        frames.append(pd.DataFrame(rows, columns=header))
    return frames


def scorecard(at: AppTest):  # type: ignore[no-untyped-def]
    return html_tables(at)[0].set_index("指标")


# --------------------------------------------------------------------------- 总览


def test_app_opens_on_the_overview_with_only_the_plan_baseline(empty_env: str) -> None:
    at = run("app.py")
    assert [t.value for t in at.title] == ["总览"]
    table = scorecard(at)
    assert table.loc["网络零售额", "最新实际值"] == "921 亿元（2022年核实数）"
    assert table.loc["网络零售额", "2027年目标"] == "1,400"
    expected = f"{100 * ((1400 / 921) ** (1 / 5) - 1):.1f}%"  # from the 2022 baseline: five years
    assert table.loc["网络零售额", "尚需年均增速（至2027年）"] == expected
    assert "还没有上传实际数据" in texts(at) and "数据填报" in texts(at)
    assert DEMO_BANNER not in texts(at)


def test_overview_states_the_statuses_of_known_figures(known_env: str) -> None:
    at = run("overview.py")
    assert at.selectbox(key="kpi_select_year").value == "2024"  # the newest year with actuals
    table = scorecard(at)
    assert table.loc["网络零售额", "状态"] == "🟡 略低于序时"  # 60.6% vs 66.7%
    assert table.loc["网络零售额", "完成率"] == f"{100 * 1090 / 1200:.1f}%"
    assert table.loc["网络零售额", "最新实际值"] == "1,090 亿元（2024年核实数）"
    assert table.loc["网络经营主体", "状态"] == "🔴 严重滞后"  # 24.7% vs 66.7%
    assert table.loc["平台", "状态"] == "✅ 已完成"
    assert table.loc["省级数字工厂", "状态"] == "⚪ 暂无数据"
    # Gaps as the tiles print them: 24.7% − 66.7% = −42 (the unrounded gap is −41.95).
    assert ("8项指标中1项符合序时进度（对照2025年目标），含1项已完成；其余7项中，1项严重滞后：网络经营主体（-42）；"
            "1项略低于序时：网络零售额（-6.1）；5项暂无数据") in texts(at)
    assert at.query_params["year"] == "2024" and at.query_params["region"] == "330600"


def test_overview_year_and_region_selectors(known_env: str) -> None:
    at = run("overview.py")
    at.selectbox(key="kpi_select_year").set_value("2023").run()
    assert scorecard(at).loc["网络零售额", "状态"] == "⚪ 暂无数据"
    assert at.query_params["year"] == "2023"
    at.selectbox(key="kpi_select_year").set_value("2024").run()
    at.selectbox(key="kpi_select_region").set_value(KS).run()
    table = scorecard(at)
    assert "平台经济领域地方标准" not in table.index  # a city-only indicator is not shown for a district
    assert table.loc["网络零售额", "最新实际值"] == "290 亿元（2024年核实数）"
    assert table.loc["网络零售额", "状态"] == "⚪ 无目标（未分解）"
    assert "分解目标尚未下达" in texts(at)
    assert at.query_params["region"] == KS


def test_a_link_reproduces_the_view(known_env: str) -> None:
    at = run("overview.py", year="2023", region=KS)
    assert at.selectbox(key="kpi_select_year").value == "2023"
    assert at.selectbox(key="kpi_select_region").value == KS
    bad = run("overview.py", year="1999", region="nowhere")  # an invalid link falls back to defaults
    assert bad.selectbox(key="kpi_select_year").value == "2024"


def test_selection_persists_across_pages(known_env: str) -> None:
    at = run("app.py")
    at.selectbox(key="kpi_select_year").set_value("2023").run()
    at.switch_page("dashboard/ui/pages/districts.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["区县对比"]
    assert at.selectbox(key="kpi_select_year").value == "2023"


# --------------------------------------------------------------------------- 指标详情


def test_indicator_page_shows_trajectory_numbers_and_notes(known_env: str) -> None:
    at = run("indicator.py", indicator="SX01")
    assert [t.value for t in at.title] == ["指标详情"]
    figure = spec(at)
    assert "直线外推（非预测）" in figure and "实际值（初步数，空心）" in figure and "circle-open" in figure
    numbers = at.dataframe[0].value.set_index("年份")
    assert (numbers.loc[2024, "核实数"], numbers.loc[2024, "初步数"]) == ("1,090", "1,085")
    assert numbers.loc[2025, "目标值"] == "1,200"
    assert "初步数据待核实" in texts(at) and "直播电商带动增长" in texts(at)
    assert "市商务局" in texts(at)
    assert at.query_params["indicator"] == "SX01"


def test_indicator_page_for_a_district_and_a_city_only_indicator(known_env: str) -> None:
    at = run("indicator.py", indicator="SX01", region=KS)
    assert "柯桥区" in texts(at) and "分解目标尚未下达" in texts(at)
    at = run("indicator.py", indicator="SX07", region=KS)
    assert "只统计全市" in texts(at)


# --------------------------------------------------------------------------- 区县对比


def test_districts_page_without_allocated_targets(known_env: str) -> None:
    at = run("districts.py", indicator="SX01")
    assert "分解目标尚未下达" in texts(at)
    heat = spec(at)
    growth = f"{100 * ((290 / 240) ** (1 / 2) - 1):.1f}%"  # 柯桥区 2022→2024 compound growth
    assert growth in heat
    table = at.dataframe[0].value.set_index("区县")
    assert table.loc["柯桥区", "占全市比重"] == f"{100 * 290 / 1090:.1f}%"
    assert table.loc["柯桥区", "增量贡献率"] == f"{100 * 50 / (1090 - 921):.1f}%"
    assert "相差 10 亿元" in texts(at)  # reconciliation of 1090 against the district sum 1080


def test_districts_page_with_demo_targets_shows_statuses_and_banner(monkeypatch: pytest.MonkeyPatch,
                                                                   sqlite_url: str) -> None:
    demo.create_demo_database(sqlite_url)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    at = run("districts.py", year="2024")
    assert DEMO_BANNER in texts(at)
    heat = spec(at)
    # Judged against the demo's estimates; a district whose estimate rounds to 0 has none (未分解目标).
    assert "进度差" in heat and "符合序时" in heat


def test_districts_heat_map_cells_mark_preliminary_verdicts_briefly(monkeypatch: pytest.MonkeyPatch,
                                                                     sqlite_url: str) -> None:
    """"未完成（据初步数）" overflowed a cell at 1280 px and its neighbour then read "完成（据初步数）": the
    cell says "未完成*" and the caption explains the mark; the download keeps the words."""
    demo.create_demo_database(sqlite_url)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    at = run("districts.py", year="2025")
    heat = spec(at)
    assert "未完成*" in heat and "据初步数" not in heat
    assert "状态后带 * 的，据初步数判断" in texts(at)


# --------------------------------------------------------------------------- 任务清单


def test_measures_page_groups_by_the_five_actions(known_env: str) -> None:
    at = run("measures.py", year="2024")
    headings = [s.value for s in at.subheader]
    assert headings[:6] == ["总体目标", "创新赋能行动", "环境提升行动", "要素激活行动", "规则优化行动", "治理迭代升级行动"]
    assert "M11 强化技术创新支撑" in texts(at) and "市科技局" in texts(at)
    frames = [df.value for df in at.dataframe]
    m01 = next(f for f in frames if "网络零售额" in " ".join(f["目标"]))
    row = m01[m01["目标"].str.startswith("网络零售额")].iloc[0]
    assert row["状态"] == "🟡 略低于序时" and row["2024年实际"] == "1,090亿元"
    assert any("每年不低于8项" in t for f in frames for t in f["目标"])


def test_overview_names_laggards_and_shows_tiles_worst_first_and_the_district_grid(monkeypatch: pytest.MonkeyPatch,
                                                                                    sqlite_url: str) -> None:
    demo.create_demo_database(sqlite_url)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    at = run("overview.py", year="2024")
    rows = {r.current.indicator.name: r.current.assessment.milestone(2025)
            for r in views.scorecard(open_database(sqlite_url), 2024, "330600")}
    lagging = sorted((m.gap_pp, name) for name, m in rows.items() if m.status in ("missed", "severe", "behind", "at_risk"))
    assert lagging  # the demo sample has laggards in 2024
    sentence = texts(at)
    for _gap, name in lagging:
        assert name in sentence
    htmls = [h.proto.body for h in at.get("html")]
    tiles = next(h for h in htmls if 'class="kpi-tiles"' in h)
    positions = [tiles.index(f'<span class="name">{name}</span>') for name in rows]
    order = [name for _p, name in sorted(zip(positions, rows))]
    assert order[:len(lagging)] == [name for _gap, name in sorted(lagging, key=lambda t: (
        ("missed", "severe", "behind", "at_risk").index(rows[t[1]].status), t[0]))]
    grid = next(h for h in htmls if 'class="kpi-grid"' in h)
    assert "柯桥区" in grid and "估" in grid and "百分点" in texts(at) + "".join(c.value for c in at.caption)
    assert "网络零售额" in scorecard(at).index  # the full table stays, in the expander


def test_the_overview_grid_marks_verdicts_on_preliminary_figures(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    """2025 is the demo's preliminary year: a cell's 已完成 / 未完成 rests on 初步数 and says so by a mark the
    caption explains (the tiles say "（据初步数）"); 2024's final figures carry no mark."""
    demo.create_demo_database(sqlite_url)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    for year, marked in (("2025", True), ("2024", False)):
        at = run("overview.py", year=year)
        grid = next(h.proto.body for h in at.get("html") if 'class="kpi-grid"' in h.proto.body)
        captions = "".join(c.value for c in at.caption)
        assert ("未完成*" in grid or "已完成*" in grid) is marked, year
        assert (PRELIMINARY_MARK_NOTE in captions) is marked, year
