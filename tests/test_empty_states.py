"""Empty states: on a fresh and on the demo database no page shows "None"/"nan", a blank chart or an
axis without data; tables say "—" for a missing value; an empty chart is replaced by one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services import demo
from dashboard.ui.context import MISSING
from tests.test_pages import html_tables

PAGES = Path(__file__).resolve().parents[1] / "dashboard" / "ui" / "pages"
# Every page that reads data (login has none; the write pages are open on a database without accounts).
DATA_PAGES = ["overview.py", "indicator.py", "districts.py", "measures.py", "plan.py", "present.py",
              "upload.py", "history.py", "allocation.py", "audit.py"]


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "subheader", "title", "header", "metric")
    parts = [str(getattr(e, "value", "")) + str(getattr(e, "label", "")) for kind in kinds for e in getattr(at, kind)]
    return "\n".join(parts)


def check_page(at: AppTest, page: str) -> None:
    text = shown_text(at)
    for word in ("None", "nan", "NaN"):
        assert word not in text, (page, word)
    for frame in list(at.dataframe) + list(at.get("arrow_data_frame")):
        has_missing = bool(frame.value.isna().to_numpy().any())
        assert not has_missing or frame.proto.placeholder, (page, "a table without a placeholder shows None")
        shown = frame.value.astype(str).to_numpy().ravel().tolist()
        assert not {"None", "nan"} & set(shown), (page, "a table with the text None/nan")
    for table in html_tables(at):
        assert not {"None", "nan", ""} & set(table.to_numpy().ravel().tolist()), (page, "an HTML table with an empty cell")
    for chart in at.get("plotly_chart"):  # no chart is drawn without a single data point
        figure = json.loads(chart.proto.spec)
        values = [v for trace in figure["data"] for v in _flat(trace.get(_value_key(trace)))]
        assert any(v is not None for v in values), (page, "a chart without data")


def _value_key(trace: dict) -> str:
    """The key holding a trace's numbers (the other axis holds names or years)."""
    if trace.get("type") == "heatmap":
        return "z"
    return "x" if trace.get("orientation") == "h" else "y"


def _flat(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _flat(item)]
    if isinstance(value, dict):  # plotly's typed arrays ({"dtype": ..., "bdata": ...}) hold numbers
        return [1]
    return [] if value is None else [value]


@pytest.fixture
def empty_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.mark.parametrize("page", DATA_PAGES)
def test_fresh_database_pages_show_no_none_and_no_empty_chart(empty_env: str, page: str) -> None:
    check_page(run(page), page)


@pytest.mark.parametrize("page", DATA_PAGES)
def test_demo_database_pages_show_no_none_and_no_empty_chart(monkeypatch: pytest.MonkeyPatch, sqlite_url: str,
                                                             page: str) -> None:
    demo.create_demo_database(sqlite_url)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    check_page(run(page), page)


def test_districts_page_on_a_fresh_database_says_what_is_missing_instead_of_charts(empty_env: str) -> None:
    at = run("districts.py")
    assert not at.get("plotly_chart")
    sentences = [i.value for i in at.info]
    assert any("还没有实际数据" in s and "数据填报" in s for s in sentences)


def test_districts_page_honours_the_chosen_region(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    demo.create_demo_database(sqlite_url)
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    at = run("districts.py", year="2024", region="330603")
    heat = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert heat["y"][0] == "柯桥区"  # the chosen district leads the heat map
    assert "柯桥区（所选）" in json.dumps(json.loads(at.get("plotly_chart")[1].proto.spec), ensure_ascii=False)
    assert "侧栏所选地区：柯桥区" in shown_text(at)
    city = run("districts.py", year="2024")
    assert "（所选）" not in json.dumps(json.loads(city.get("plotly_chart")[1].proto.spec), ensure_ascii=False)


def test_the_missing_value_mark_is_a_dash() -> None:
    assert MISSING == "—"
