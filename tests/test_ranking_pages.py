"""全省位次 on the pages (AppTest) and in the deck: the rank line on the overview tiles, the rank block with the
11-city chart on the indicator page, a quiet hint without peer figures, one slide only when they exist."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pptx import Presentation
from sqlalchemy import Engine

from dashboard.services import deck, importer, ranking
from dashboard.services.plans import open_database
from dashboard.wording import rank_phrase
from tests.test_deck_layout import layout_problems
from tests.test_month_pages import run
from tests.test_ranking_service import AUG, SEPT, peer_csv


@pytest.fixture
def peers_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Engine:
    url = f"sqlite:///{tmp_path / 'peers.sqlite3'}"
    engine = open_database(url)
    for data in (peer_csv(8, AUG), peer_csv(9, SEPT, province=8.2)):
        importer.commit_import(engine, "peers.csv", data, actor="test", accept_warnings=True)
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return engine


def _tiles(at) -> str:  # type: ignore[no-untyped-def]
    return next(h.proto.body for h in at.get("html") if 'class="kpi-tiles"' in h.proto.body)


def test_overview_tile_carries_the_rank(peers_env: Engine) -> None:
    board = _tiles(run("overview.py", year="2026", month="9"))
    retail = board[board.index('<span class="name">网络零售额</span>'):]
    retail = retail[:retail.index('<div class="kpi-tile"') if '<div class="kpi-tile"' in retail else None]
    assert '<div class="small rank">增速全省第2位（进1位）</div>' in retail
    assert board.count('class="small rank"') == 1  # the other indicators have no peer figures: no line at all
    district = _tiles(run("overview.py", year="2026", month="9", region="330603"))
    assert "全省第" not in district  # a district has no 全省位次


def test_indicator_page_shows_the_phrase_and_the_chart(peers_env: Engine) -> None:
    at = run("indicator.py", year="2026", month="9", indicator="SX01")
    texts = [m.value for m in at.markdown]
    assert "绍兴市网络零售额增速全省第2位（进1位），高于全省1.2个百分点。" in texts
    (chart,) = _peer_charts(at)
    bar = chart["data"][0]
    assert bar["y"][:3] == ["金华市", "湖州市", "绍兴市（本市）"]  # best first; the home city named, not only coloured
    assert bar["marker"]["pattern"]["shape"][2] == "/" and set(bar["marker"]["pattern"]["shape"][3:]) == {""}
    assert bar["text"][2] == "9.4%" and chart["layout"]["annotations"][0]["text"] == "全省 8.2%"
    annual = run("indicator.py", year="2025", indicator="SX01")
    assert any("暂无全省对比数据（2025年）" in c.value for c in annual.caption)
    assert not _peer_charts(annual)


def _peer_charts(at) -> list[dict]:  # type: ignore[no-untyped-def]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [s for s in specs if "各设区市" in s["layout"]["title"]["text"]]


def test_the_deck_has_one_rank_slide_only_with_peer_figures(peers_env: Engine) -> None:
    data = deck.deck_bytes(peers_env, 2026, month=9)
    assert layout_problems(data) == []
    slides = list(Presentation(io.BytesIO(data)).slides)
    ranked = [s for s in slides if s.shapes[0].text_frame.text == "2026年1–9月全省位次（11个设区市）"]
    assert len(ranked) == 1
    table = next(sh.table for sh in ranked[0].shapes if sh.has_table)
    retail = [cell.text for cell in table.rows[1].cells]
    assert retail == ["网络零售额", "1,012亿元", "增长9.4%", "第6位", "第2位（进1位）", "高于1.2个百分点"]
    assert ranking.briefing_rows(peers_env, 2026, 7) is None
    before = len(Presentation(io.BytesIO(deck.deck_bytes(peers_env, 2026, month=7))).slides)
    assert before == len(slides) - 1


def test_the_phrase_matches_the_service(peers_env: Engine) -> None:
    (rank,) = ranking.indicator_ranks(peers_env, 2026, 9, "SX01")
    assert rank_phrase(rank) == "增速全省第2位（进1位）"
