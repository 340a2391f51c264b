"""Methodology and wording a statistics bureau would sign (issue 14), on every surface: pages, deck, CLI.

Figures are imported through the real import service; the pages are read through AppTest, the deck by
opening the .pptx again and the CLI through click's runner.
"""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from pptx import Presentation
from sqlalchemy import Engine

from dashboard import auth
from dashboard.cli import main
from dashboard.services import allocation, deck
from tests.test_deck import _texts
from tests.test_pages import html_tables, run, scorecard, texts
from tests.test_trust_pages import _import, db  # noqa: F401  (fixture)

KS = "330603"  # 柯桥区
XC = "330624"  # 新昌县


def _cli(engine: Engine, *args: str) -> str:
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _line(output: str, prefix: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(prefix))


def test_a_per_year_target_met_in_2024_does_not_mark_later_years_achieved(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX-M11-01", "330600", 2024, 9)])
    line = _line(_cli(db, "progress", "--year", "2024", "--indicator", "SX-M11-01"), "参与省“双尖双领”攻关项目｜绍兴市")
    assert "2024年目标8：完成率112.5%" in line and "✅ 已完成" in line
    for year in (2025, 2026, 2027):
        assert f"{year}年目标8（按{year}年实际值）：完成率—" in line
    assert line.count("已完成") == 1
    frames = [df.value for df in run("measures.py", year="2024").dataframe]
    row = next(f for f in frames if any("双尖双领" in t for t in f["目标"])).iloc[0]
    assert row["状态"] == "✅ 已完成" and row["2024年实际"] == "9项"


def test_an_equal_target_is_met_only_within_rounding(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX-M03-01", "330600", 2027, 5)])  # 建成农业产业大脑4个 ("="): 5 is not 4
    line = _line(_cli(db, "progress", "--year", "2027", "--indicator", "SX-M03-01"), "农业产业大脑｜绍兴市")
    assert "❌ 未完成" in line


def test_a_final_verdict_on_a_preliminary_figure_says_so_everywhere(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX03", "330600", 2025, 160, "preliminary")])  # 平台 160 ≥ 150 in 2025, on a 初步数
    assert "✅ 已完成（据初步数）" in _line(_cli(db, "progress", "--year", "2025", "--indicator", "SX03"), "平台｜绍兴市")
    at = run("overview.py", year="2025")
    assert scorecard(at).loc["平台", "状态"] == "✅ 已完成（据初步数）"
    assert "平台已完成2025年目标（据初步数），完成率106.7%" in scorecard(at).loc["平台", "一句话结论"]
    slides = list(Presentation(io.BytesIO(deck.deck_bytes(db, 2025))).slides)
    table = next(s.table for s in slides[1].shapes if s.has_table)
    assert table.cell(3, 5).text == "✓ 已完成*"  # the key is in the footer
    assert "*据初步数判断" in "".join(_texts(slides[1]))
    assert "平台已完成2025年目标（据初步数）" in _texts(slides[4])


def test_never_round_toward_a_better_verdict_on_any_surface(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX03", "330600", 2025, 149.9)])  # 149.9 of 150: 99.93%, 未完成
    line = _line(_cli(db, "progress", "--year", "2025", "--indicator", "SX03"), "平台｜绍兴市")
    assert "2025年目标150：完成率99.9%" in line and "❌ 未完成" in line
    assert scorecard(run("overview.py", year="2025")).loc["平台", "完成率"] == "99.9%"
    slides = list(Presentation(io.BytesIO(deck.deck_bytes(db, 2025))).slides)
    assert next(s.table for s in slides[1].shapes if s.has_table).cell(3, 3).text == "99.9%"
    assert "平台未完成2025年目标（完成率99.9%）" in _texts(slides[4])


def test_sentences_pair_the_gap_with_the_two_figures_it_compares(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX01", "330600", 2024, 1100)])  # 目标进度 64.2% vs 序时进度 66.7%
    sentence = "网络零售额完成2025年目标的91.7%，目标进度64.2%，慢于序时进度（66.7%）2.5个百分点"
    assert scorecard(run("overview.py", year="2024")).loc["网络零售额", "一句话结论"] == sentence
    assert sentence in _texts(list(Presentation(io.BytesIO(deck.deck_bytes(db, 2024))).slides)[2])
    assert "8项指标中0项符合序时进度（对照2025年目标）；其余8项中，1项略低于序时：网络零售额（-2.5）；7项暂无数据" in texts(
        run("overview.py", year="2024"))


def test_a_target_at_or_below_the_baseline_is_judged_on_attainment_and_the_table_says_so(db: Engine) -> None:  # noqa: F811
    # 新昌县 网络零售额: baseline 70, allocated 2025 target 60 (below it), 2024 at 55.
    allocation.save_allocations(db, auth.SYSTEM, "SX01", 2025, {XC: 60.0})
    _import(db, [("SX01", XC, 2022, 70), ("SX01", XC, 2024, 55)])
    table = scorecard(run("overview.py", year="2024", region=XC))
    assert table.loc["网络零售额", "目标进度"] == "不适用（目标不高于基期，按完成率判断）"
    # 完成率 55/60 = 91.7% → 100 × (0.917 − 1) = −8.3 → 略低于序时 (the inverted "目标进度" would be 150%).
    assert table.loc["网络零售额", "状态"] == "🟡 略低于序时"
    assert "目标不高于基期，目标进度无意义，仅按完成率判断" in table.loc["网络零售额", "一句话结论"]
    line = _line(_cli(db, "progress", "--year", "2024", "--indicator", "SX01", "--region", XC), "网络零售额｜新昌县")
    assert "目标进度不适用（目标不高于基期，按完成率判断）" in line and "150%" not in line


def test_the_deck_marks_districts_judged_against_estimated_targets(db: Engine) -> None:  # noqa: F811
    allocation.save_allocations(db, auth.SYSTEM, "SX01", 2025, {KS: 400.0}, origin="estimated")
    _import(db, [("SX01", KS, 2022, 300), ("SX01", KS, 2024, 310)])  # 10% vs 66.7%: 严重滞后
    slides = list(Presentation(io.BytesIO(deck.deck_bytes(db, 2024))).slides)
    behind = next(s.table for s in slides[-1].shapes if s.has_table)
    header = [c.text for c in behind.rows[0].cells]
    rows = [dict(zip(header, (c.text for c in row.cells))) for row in list(behind.rows)[1:]]
    keqiao = next(r for r in rows if r["地区"].startswith("柯桥区"))
    assert keqiao["地区"] == "柯桥区（估）" and "严重滞后" in keqiao["状态"]


def test_a_range_target_is_met_inside_the_range(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX-M04-01", "330600", 2027, 2)])  # 力争1—2个: 2 is inside
    line = _line(_cli(db, "progress", "--year", "2027", "--indicator", "SX-M04-01"), "入选省数据要素改革试点")
    assert "✅ 已完成" in line
    frames = [df.value for df in run("measures.py", year="2027").dataframe]
    assert any("2027年达到1—2个" in t for f in frames for t in f["目标"])
    _import(db, [("SX-M04-01", "330600", 2027, 3)])
    assert "❌ 未完成" in _line(_cli(db, "progress", "--year", "2027", "--indicator", "SX-M04-01"), "入选省数据要素改革试点")


def test_the_plan_page_shows_the_published_baseline_and_the_revision_beside_it(db: Engine) -> None:  # noqa: F811
    _import(db, [("SX04", "330600", 2022, 43)])  # published 42
    table = html_tables(run("plan.py"))[0].set_index("指标")
    assert table.loc["省级工业互联网平台", "2022年（基期实际）"] == "42"
    assert table.loc["省级工业互联网平台", "基期修订数（上传，仅供参考）"] == "43"
    assert table.loc["网络零售额", "基期修订数（上传，仅供参考）"] == "—"
