"""The briefing deck, opened again with python-pptx and checked against the database."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from pptx.chart.plot import LinePlot
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Pt
from sqlalchemy import Engine

from dashboard import auth
from dashboard.cli import main
from dashboard.services import allocation, deck, importer
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction
from dashboard.storage.models import Observation

CITY = "330600"
# Known figures (test values). District targets for 2025 are allocated below, so each district
# can be judged: 柯桥区 20% and 上虞区 −20% progress are behind, 越城区 40% at risk (time 2/3).
FIGURES = """indicator,region,year,value,status,note
SX01,330600,2023,1010,final,
SX01,330600,2024,1080,final,受消费回暖带动，直播电商增长较快
SX02,330600,2024,13.5,preliminary,
SX03,330600,2024,90,final,
SX01,330602,2022,150,final,
SX01,330602,2024,170,final,
SX01,330603,2022,300,final,
SX01,330603,2024,320,final,柯桥区说明
SX01,330604,2022,100,final,
SX01,330604,2024,90,final,
"""
DISTRICT_TARGETS_2025 = {"330602": 200.0, "330603": 400.0, "330604": 150.0}


def seed(engine: Engine) -> None:
    importer.commit_import(engine, "figures.csv", FIGURES.encode(), "测试", accept_warnings=True)
    allocation.save_allocations(engine, auth.SYSTEM, "SX01", 2025, DISTRICT_TARGETS_2025)


def _open(data: bytes):  # type: ignore[no-untyped-def]
    return Presentation(io.BytesIO(data))


def _texts(slide) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def _runs(prs):  # type: ignore[no-untyped-def]
    """Every run of text in the deck: shapes, table cells, speaker notes."""
    for slide in prs.slides:
        frames = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for paragraph in frame.paragraphs:
                yield from paragraph.runs


def _city_values(engine: Engine, code: str) -> tuple[dict[int, float], dict[int, float]]:
    with session_factory(engine)() as session:
        indicator = repo.indicator_by_code(session, code)
        actuals = {o.year: o.value for o in repo.current_observations(session, [indicator.id], [CITY]) if o.month == 12}
        targets = {t.year: t.value for t in repo.current_targets(session, [indicator.id], [CITY])}
    return actuals, targets


def test_deck_slides_charts_and_numbers_match_the_database(fresh_db: Engine) -> None:
    seed(fresh_db)
    prs = _open(deck.deck_bytes(fresh_db, 2024))
    assert (prs.slide_width, prs.slide_height) == (deck.SLIDE_W, deck.SLIDE_H)
    assert prs.slide_width * 9 == prs.slide_height * 16 or abs(prs.slide_width / prs.slide_height - 16 / 9) < 1e-3
    slides = list(prs.slides)
    # cover, scorecard, 8 core indicators, district comparison, one "behind" slide (4 items).
    assert len(slides) == 12
    assert "数据截至" in _texts(slides[0]) and "演示数据" not in _texts(slides[0])

    with session_factory(fresh_db)() as session:
        core = repo.indicators(session, tier="core")
    for slide, indicator in zip(slides[2:10], core):
        charts = [s.chart for s in slide.shapes if s.has_chart]
        assert len(charts) == 1, indicator.name
        chart = charts[0]
        plot = chart.plots[0]
        # A native line chart (python-pptx names its type after the markers of the first series).
        assert isinstance(plot, LinePlot) and chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
        years = [int(c) for c in plot.categories]
        assert years == list(range(2022, 2028))
        actuals, targets = _city_values(fresh_db, indicator.code)
        series = {s.name: s.values for s in plot.series}
        # A preliminary figure is drawn hollow and the legend says so (网络经营主体 2024 is 初步数).
        name = "实际值（空心为初步数或区县合计）" if indicator.code == "SX02" else "实际值（核实数）"
        assert series[name] == tuple(actuals.get(y) if y <= 2024 else None for y in years), indicator.name
        assert series["目标值"] == tuple(targets.get(y) for y in years), indicator.name
        assert indicator.name in _texts(slide)

    retail = _texts(slides[2])
    assert "网络零售额完成2025年目标的90%，目标进度57%，慢于序时进度（66.7%）9.7个百分点" in retail  # 1080/1200
    assert "受消费回暖带动" in retail and "柯桥区说明" in retail
    assert "13.5万家（初步数）" in _texts(slides[3])

    scorecard = slides[1].shapes
    table = next(s.table for s in scorecard if s.has_table)
    assert [table.cell(r, 0).text for r in range(1, len(table.rows))] == [i.name for i in core]
    assert table.cell(1, 3).text == "90%" and "略低于序时" in table.cell(1, 5).text
    assert table.cell(1, 2).text == "1,200亿元"  # the target carries its unit, like the actual

    districts = next(s.table for s in slides[10].shapes if s.has_table)
    header = [c.text for c in districts.rows[0].cells]
    assert header[1:4] == ["越城区", "柯桥区", "上虞区"]
    # 越城区 40% vs 66.7% (−26.7 pp), 柯桥区 20% (−46.7 pp)
    assert districts.cell(1, 1).text == "▼ 明显滞后\n85%"  # 170 / 200: status first, then 完成率
    assert "严重滞后" in districts.cell(1, 2).text

    behind = next(s.table for s in slides[11].shapes if s.has_table)
    assert [c.text for c in behind.rows[0].cells] == ["牵头单位", "指标", "地区", "状态", "完成率", "进度差（百分点）"]
    listed = [[c.text for c in row.cells] for row in list(behind.rows)[1:]]
    # One lead unit, named once; the largest gap first; 略低于序时 (−9.7 pp) is below 序时 too.
    assert [r[0] for r in listed] == ["市商务局", "", "", "", ""]
    assert {(r[1], r[2]) for r in listed} == {("网络零售额", "柯桥区"), ("网络零售额", "上虞区"),
                                               ("网络零售额", "越城区"), ("平台", "绍兴市"), ("网络零售额", "绍兴市")}
    gaps = [float(r[5]) for r in listed]
    assert gaps == sorted(gaps) and listed[0][2] == "上虞区" and "严重滞后" in listed[0][3]


def test_every_run_has_an_east_asian_font_and_at_least_18_pt(fresh_db: Engine) -> None:
    seed(fresh_db)
    prs = _open(deck.deck_bytes(fresh_db, 2024))
    runs = list(_runs(prs))
    assert len(runs) > 100
    for run in runs:
        rPr = run._r.find(qn("a:rPr"))
        assert rPr is not None, run.text
        ea = rPr.find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == deck.FONT, run.text
        assert run.font.size is not None and run.font.size >= Pt(18), run.text
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                font = shape.chart.font
                assert font._rPr.find(qn("a:ea")).get("typeface") == deck.FONT
                assert font.size >= Pt(18)


def test_cover_marks_demo_data(fresh_db: Engine) -> None:
    seed(fresh_db)
    with transaction(fresh_db) as session:
        submission = repo.new_submission(session, "demo", "演示")
        indicator = repo.indicator_by_code(session, "SX04")
        repo.record_version(session, Observation, submission, None, indicator_id=indicator.id, region_code=CITY,
                            year=2024, month=12, status="final", value=55.0)
    prs = _open(deck.deck_bytes(fresh_db, 2024))
    slides = list(prs.slides)
    assert "演示数据" in _texts(slides[0])
    assert all("演示数据" in _texts(s) for s in slides[1:])  # the footer of every slide


def test_kpi_brief_writes_the_deck(fresh_sqlite: Engine, sqlite_url: str, tmp_path: Path) -> None:
    seed(fresh_sqlite)
    out = tmp_path / "deck.pptx"
    result = CliRunner().invoke(main, ["--database", sqlite_url, "brief", "--year", "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "12 页" in result.output
    assert len(_open(out.read_bytes()).slides) == 12
    bad = CliRunner().invoke(main, ["--database", sqlite_url, "brief", "--year", "2024", "--out", str(out),
                                    "--plan", "no-such-plan"])
    assert bad.exit_code == 1 and "no-such-plan" in bad.output


def test_one_explanation_given_by_several_districts_is_listed_once_naming_them(fresh_db: Engine) -> None:
    rows = ["indicator,region,year,value,status,note", "SX01,330600,2024,1080,final,全市说明",
            "SX01,330602,2024,170,final,同一说明", "SX01,330603,2024,320,final,柯桥区说明",
            "SX01,330604,2024,90,final,同一说明"]
    importer.commit_import(fresh_db, "notes.csv", "\n".join(rows).encode(), "测试", accept_warnings=True)
    with session_factory(fresh_db)() as session:
        plan = repo.plan_by_code(session, "shaoxing-platform-2023")
    notes = deck._notes(fresh_db, plan.id, 2024, CITY)["SX01"]
    assert notes == ["绍兴市：全市说明", "越城区、上虞区：同一说明", "柯桥区：柯桥区说明"]
