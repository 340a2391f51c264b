"""Figures leaders can trust when data is incomplete, late or mixed: the scenarios of the pages and the deck.

Each scenario is set up through the real import and allocation services and read back the way a
leader sees it: the pages through AppTest, the deck by opening the .pptx again.
"""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
from pptx import Presentation
from sqlalchemy import Engine

from dashboard import auth
from dashboard.formatting import LOCAL_TIME
from dashboard.services import allocation, deck, importer
from dashboard.services.plans import open_database
from tests.test_deck import _texts
from tests.test_pages import run, scorecard, spec, texts

DISTRICTS = ["330602", "330603", "330604", "330624", "330681", "330683"]
KS = "330603"  # 柯桥区
TRAFFIC_LIGHTS = ("已完成", "符合序时", "略低于序时", "明显滞后", "严重滞后", "未完成")


def _actual_years(figure_json: str, prefix: tuple[str, ...] | str = ("实际值", "区县合计")) -> set[int]:
    """The years drawn as actuals (traces whose legend name starts with ``prefix``) in a Plotly spec."""
    return {x for trace in json.loads(figure_json)["data"] if trace.get("name", "").startswith(prefix)
            for x in trace["x"]}


def _import(engine: Engine, rows: list[tuple]) -> None:
    """(indicator, region, year, value[, status]) rows through the real import service."""
    lines = ["indicator,region,year,value,status"] + [",".join(map(str, (*r, "final")[:5])) for r in rows]
    importer.commit_import(engine, "t.csv", "\n".join(lines).encode(), "测试", accept_warnings=True)


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Engine:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    engine = open_database(sqlite_url)
    yield engine
    engine.dispose()


def test_one_district_of_six_shows_incomplete_with_the_partial_sum_labelled_and_no_red(db: Engine) -> None:
    _import(db, [("SX01", KS, 2024, 268.5)])
    at = run("overview.py", year="2024")
    row = scorecard(at).loc["网络零售额"]
    assert row["状态"] == "◐ 数据不全"
    assert "已报区县合计（1/6，缺：越城区、上虞区、新昌县、诸暨市、嵊州市）：269 亿元，不作评价" in row["最新实际值"]
    assert row["完成率"] == row["目标进度"] == "—"
    assert not any(light in " ".join(scorecard(at)["状态"]) for light in ("明显滞后", "严重滞后", "未完成"))
    assert "1项数据不全" in texts(at) and "不是全市数" in texts(at)
    # The district page: 柯桥区 is never "100% of the city", the partial sum is explained.
    districts = run("districts.py", year="2024", indicator="SX01")
    table = districts.dataframe[0].value.set_index("区县")
    assert table.loc["柯桥区", "2024年实际值（亿元）"] == "269"  # 268.5 half up, never 268
    assert table.loc["柯桥区", "占全市比重"] == "—"
    assert "数据不全" in texts(districts) and "已报区县合计（1/6" in texts(districts)
    # The indicator page: no point of the city's line, the sum in its own labelled column.
    indicator = run("indicator.py", year="2024", indicator="SX01")
    numbers = indicator.dataframe[0].value.set_index("年份")
    assert numbers.loc[2024, "核实数"] == "—"
    assert numbers.loc[2024, "区县合计（无市级数时）"].startswith("269（已报区县合计（1/6")
    assert 2024 not in _actual_years(spec(indicator))
    assert "数据不全" in texts(indicator)


def test_the_deck_of_the_one_district_database_has_no_city_status_light_for_it(db: Engine) -> None:
    _import(db, [("SX01", KS, 2024, 268.5)])
    prs = Presentation(io.BytesIO(deck.deck_bytes(db, 2024)))
    slides = list(prs.slides)
    scorecard_table = next(s.table for s in slides[1].shapes if s.has_table)
    retail = [scorecard_table.cell(1, c).text for c in range(6)]
    assert retail[0] == "网络零售额" and retail[1] == "暂无全市数（数据不全：1/6个区县已报）"
    assert retail[5] == "◐ 数据不全" and not any(light in retail[5] for light in TRAFFIC_LIGHTS)
    retail_slide = _texts(slides[2])
    assert "268" not in retail_slide and "269" not in retail_slide  # the partial sum is never the city's actual
    assert not any(light in retail_slide for light in TRAFFIC_LIGHTS)
    assert "网络零售额2024年数据不全" in retail_slide
    chart = next(s.chart for s in slides[2].shapes if s.has_chart)
    actual = next(series for series in chart.plots[0].series if series.name.startswith("实际值"))
    assert 2024 - 2022 >= len(actual.values) or actual.values[2024 - 2022] is None
    behind = _texts(slides[-1])
    assert "网络零售额" not in behind or "绍兴市" not in behind


def test_all_six_districts_make_the_city_derived_with_statuses(db: Engine) -> None:
    _import(db, [("SX01", d, 2024, 180) for d in DISTRICTS])
    row = scorecard(run("overview.py", year="2024")).loc["网络零售额"]
    assert row["最新实际值"] == "1,080 亿元（2024年区县合计）"
    assert row["状态"] == "🟡 略低于序时"  # (1080 − 921)/(1200 − 921) = 57.0% vs 66.7%: −9.7 pp


def test_a_preliminary_district_makes_the_derived_sum_preliminary_on_every_surface(db: Engine) -> None:
    _import(db, [("SX01", d, 2024, 180) for d in DISTRICTS[:5]] + [("SX01", DISTRICTS[5], 2024, 180, "preliminary")])
    row = scorecard(run("overview.py", year="2024")).loc["网络零售额"]
    assert row["最新实际值"] == "1,080 亿元（2024年区县合计·含初步数）"
    figure = spec(run("indicator.py", year="2024", indicator="SX01"))
    assert "区县合计（含初步数，空心方块）" in figure and "square-open" in figure
    assert 2024 not in _actual_years(figure, "实际值")  # a sum is never drawn as an actual (核实数 / 初步数)
    assert _actual_years(figure, "区县合计") == {2024}
    prs = Presentation(io.BytesIO(deck.deck_bytes(db, 2024)))
    slides = list(prs.slides)
    assert "1,080亿元（区县合计·含初步数）" in _texts(slides[2])
    names = [s.name for s in next(s.chart for s in slides[2].shapes if s.has_chart).plots[0].series]
    assert "实际值（空心为初步数或区县合计）" in names


def test_268_5_shows_as_269(db: Engine) -> None:
    _import(db, [("SX01", KS, 2024, 268.5)])
    at = run("overview.py", year="2024", region=KS)
    assert scorecard(at).loc["网络零售额", "最新实际值"] == "269 亿元（2024年核实数）"


def test_a_zero_estimate_is_no_target_on_the_pages(db: Engine) -> None:
    allocation.save_allocations(db, auth.SYSTEM, "SX05", 2025, {"330602": 0.0, KS: 3.0}, origin="estimated")
    _import(db, [("SX05", "330602", 2024, 0), ("SX05", KS, 2024, 1)])
    at = run("overview.py", year="2024", region="330602")
    assert scorecard(at).loc["省级数字工厂", "状态"] == "⚪ 无目标（未分解）"  # never 已完成 against 0
    heat = spec(run("districts.py", year="2024"))
    assert "未分解目标" in heat


def test_default_year_on_a_fresh_database_is_the_current_year(db: Engine) -> None:
    at = run("overview.py")
    this_year = datetime.now(LOCAL_TIME).year
    expected = min(max(this_year, 2023), 2027)
    assert at.selectbox(key="kpi_select_year").value == str(expected)


def test_default_year_follows_the_chosen_regions_own_figures(db: Engine) -> None:
    _import(db, [("SX01", KS, 2023, 250)])
    this_year = min(max(datetime.now(LOCAL_TIME).year, 2023), 2027)
    assert run("overview.py", region=KS).selectbox(key="kpi_select_year").value == "2023"
    # One district's figure is not the city's: the city opens on the current year.
    assert run("overview.py").selectbox(key="kpi_select_year").value == str(this_year)


def test_growth_still_required_is_shown_toward_the_next_milestone_in_a_milestone_year(db: Engine) -> None:
    _import(db, [("SX01", "330600", 2025, 1100)])
    table = scorecard(run("overview.py", year="2025"))
    assert "尚需年均增速（至2025年）" not in table.columns
    assert table.loc["网络零售额", "尚需年均增速（至2027年）"] == "12.8%"  # (1400/1100)^(1/2) − 1
