"""The overview's ten-second read (dashboard.glance), from hand-made assessments: order, sentence, tiles, grid."""

from __future__ import annotations

import base64

from dashboard import glance
from dashboard.progress import STATUS_LABELS, Milestone, SeriesInput, assess


def _assessment(actual: float | None, year: int = 2024, targets: dict[int, float] | None = None):  # type: ignore[no-untyped-def]
    targets = {2025: 1200.0, 2027: 1400.0} if targets is None else targets
    series = SeriesInput(direction="higher", baseline_year=2022, baseline=900.0,
                         milestones=tuple(Milestone(y, v) for y, v in sorted(targets.items())))
    return assess(series, year, actual)


def test_worst_first_orders_by_status_then_by_gap() -> None:
    # 2024 against 2025 (time 2/3): progress (a − 900) / 300.
    judged = [glance.judge(name, _assessment(actual), 2025) for name, actual in
              [("稳", 1110.0), ("慢", 1000.0), ("很慢", 950.0), ("略慢", 1050.0), ("无数", None)]]
    assert [(j.name, j.status) for j in judged] == [
        ("稳", "on_track"), ("慢", "severe"), ("很慢", "severe"), ("略慢", "behind"), ("无数", "no_data")]
    assert [j.name for j in glance.worst_first(judged)] == ["很慢", "慢", "略慢", "无数", "稳"]
    no_target = glance.judge("无目标", _assessment(1000.0, targets={}), 2025)
    assert glance.worst_first([no_target, judged[0]])[-1].name == "无目标"


def test_named_laggards_lists_every_lagging_indicator_worst_first_by_status() -> None:
    judged = [glance.judge(name, _assessment(actual), 2025) for name, actual in
              [("慢", 1000.0), ("很慢", 950.0), ("略慢", 1050.0), ("稳", 1110.0)]]
    judged.append(glance.Judged("缺", "incomplete", None))
    text = glance.named_laggards(judged)
    # 很慢: progress 16.7% vs 66.7% → −50; 慢: 33.3% → −33.4 (严重滞后 below −30; the printed figures'
    # difference, as the tile beside it says); 略慢: 50% → −16.7 (明显滞后).
    assert text == "2项严重滞后：很慢（-50）、慢（-33.4）；1项明显滞后：略慢（-16.7）；1项数据不全：缺"
    assert "稳" not in text
    assert glance.named_laggards(judged[3:4]) == ""


def test_tile_says_figure_period_progress_against_pace_and_gap() -> None:
    a = _assessment(1000.0)
    t = glance.tile("SX01", "网络零售额", "亿元", 0, a, 2025, (2024, 1000.0, "核实数"),
                    [(2022, 900.0), (2023, 950.0), (2024, 1000.0)])
    assert (t.icon, t.word, t.figure, t.period) == (*STATUS_LABELS["severe"], "1,000 亿元", "2024年·核实数")  # −33.3 pp
    # The gap is the difference of the two figures printed beside it (33.3 − 66.7), not the raw −33.33.
    assert (t.progress, t.pace, t.gap) == ("目标进度 33.3%", "序时进度 66.7%", "进度差 -33.4个百分点")
    # In the milestone year itself the verdict is the attainment (完成率), beside the target.
    final = glance.tile("SX01", "网络零售额", "亿元", 0, _assessment(1100.0, year=2025), 2025,
                        (2025, 1100.0, "初步数"), [])
    assert (final.word, final.progress, final.pace) == ("未完成", "完成率 91.7%", "2025年目标 1,200 亿元")
    # The same verdict on a preliminary figure says so, as on every other surface.
    series = SeriesInput(direction="higher", baseline_year=2022, baseline=900.0,
                         milestones=(Milestone(2025, 1200.0),), preliminary_years=frozenset({2025}))
    on_preliminary = glance.tile("SX01", "网络零售额", "亿元", 0, assess(series, 2025, 1100.0), 2025,
                                 (2025, 1100.0, "初步数"), [])
    assert (on_preliminary.word, on_preliminary.progress) == ("未完成", "完成率 91.7%（据初步数）")
    empty = glance.tile("SX01", "网络零售额", "亿元", 0, _assessment(None, targets={}), 2025, None, [])
    assert (empty.status, empty.figure, empty.progress) == (glance.NO_TARGET, "暂无数据", "2025年无目标（未分解）")


def test_sparkline_is_an_image_with_the_figures_as_alt_text() -> None:
    img = glance.sparkline_img([(2022, 900.0), (2023, 950.0), (2024, 1000.0)])
    assert img.startswith('<img src="data:image/svg+xml;base64,') and 'alt="趋势：2022年 900，2023年 950，2024年 1000"' in img
    svg = base64.b64decode(img.split("base64,")[1].split('"')[0]).decode()
    points = svg.split('points="')[1].split('"')[0].split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == sorted(ys, reverse=True)  # rising figures: the line goes up (SVG y grows downwards)
    assert glance.sparkline_img([(2022, 900.0)]) == ""  # one point is no trend


def test_grid_cells_carry_icon_word_gap_and_the_estimate_mark() -> None:
    behind = glance.judge("甲", _assessment(1000.0), 2025, estimated=True)
    judged = {("甲", "越城区"): behind, ("甲", "柯桥区"): glance.Judged("甲", glance.NO_TARGET, None)}
    [(name, cells)] = glance.grid(judged, ["甲"], ["越城区", "柯桥区", "上虞区"])
    assert name == "甲"
    assert cells[0] == glance.GridCell(*STATUS_LABELS["severe"], "-33.4", True)  # as 区县对比's heat map
    assert cells[1] == glance.GridCell("⚪", "未分解", "", False)
    assert cells[2] == glance.GridCell("⚪", "暂无数据", "", False)  # a district with nothing stored


def test_month_tile_gives_the_year_to_date_figure_its_pace_and_yoy() -> None:
    from dashboard.monthly import MonthAssessment

    a = MonthAssessment(year=2025, month=9, ytd=1012.0, ytd_prior=900.0, yoy_growth=0.1244, annual_target=1300.0,
                        annual_target_origin="published", prior_year_annual=1200.0, time_elapsed=0.75,
                        ytd_attainment=0.7785, gap_pp=2.85, status="on_track", needed_yoy=0.0833,
                        seasonal_expected=None, vs_seasonal=None)
    t = glance.month_tile("SX01", "网络零售额", "亿元", 0, a, "2025年1–9月", "核实数")
    assert (t.figure, t.period, t.word) == ("1,012 亿元", "2025年1–9月·核实数", "符合序时")
    assert (t.progress, t.pace, t.gap) == ("完成全年目标 77.9%", "序时进度 75%", "进度差 +2.9个百分点")
    assert t.yoy == "同比 12.4%（全年需 8.3%）"
