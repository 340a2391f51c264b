"""The 1–N月 deck (kpi brief --month N), opened again with python-pptx and checked against the store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.month_briefing import title
from dashboard.services import deck, importer

FIGURES = """indicator,region,year,month,value,status
SX01,330600,2025,9,925,final
SX01,330600,2025,12,1200,final
SX01,330600,2026,3,250,final
SX01,330600,2026,6,560,final
SX01,330600,2026,9,1012,final
SX04,330602,2026,9,10,final
"""


def texts(slide) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_month_deck_is_titled_by_period_and_carries_the_month_figures(fresh_db: Engine, tmp_path: Path) -> None:
    importer.commit_import(fresh_db, "m.csv", FIGURES.encode(), "t", accept_warnings=True)
    out = tmp_path / "m.pptx"
    url = fresh_db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database", url, "brief", "--year", "2026", "--month", "9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(out))
    cover, scorecard, *rest = prs.slides
    assert title(2026, 9) == "2026年1–9月平台经济主要指标完成情况" and title(2026, 9) in texts(cover)
    assert "数据截至2026年1–9月" in texts(cover)
    card = texts(scorecard)
    assert "1–9月累计/月末" in card and "1,012亿元（核实数）" in card and "1,300*" in card and "*为推算目标" in card
    assert "77.8%" in card and "+2.8" in card  # 1012 / 1300; 77.8 − 75 percentage points
    retail = next(s for s in rest if "网络零售额（亿元）" in texts(s))
    body = texts(retail)
    assert "1–9月网络零售额1,012亿元，同比增长9.4%；完成全年目标的77.8%，快于序时进度2.8个百分点；全年需增长8.3%" in body
    chart = next(shape.chart for shape in retail.shapes if shape.has_chart)
    assert list(chart.plots[0].categories) == [f"{m}月" for m in range(1, 13)]
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series["2026年1–9月"][2] == 250 and series["2026年1–9月"][8] == 1012
    assert series["2025年同期"][8] == 925 and series["目标进度（按序时）"][11] == 1300
    # A district sum of one district out of six is shown as such and never judged.
    platforms = next(s for s in rest if "省级工业互联网平台（个）" in texts(s))
    assert "数据不全" in texts(platforms)


def test_whole_year_is_the_annual_deck(fresh_db: Engine) -> None:
    annual = Presentation(__import__("io").BytesIO(deck.deck_bytes(fresh_db, 2026)))
    assert "平台经济主要指标完成情况" not in texts(annual.slides[0])
