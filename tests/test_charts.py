"""Plotly figure builders: pure functions of plain data, Chinese labels, units, Okabe-Ito colours."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import charts


def _trajectory() -> go.Figure:
    return charts.trajectory(charts.TrajectoryData(
        title="绍兴市网络零售额", unit="亿元",
        actuals=[charts.ActualPoint(2022, 921, False), charts.ActualPoint(2024, 1090, False),
                 charts.ActualPoint(2024, 1085, True)],
        targets=[(2025, 1200, "2025年"), (2027, 1400, "2027年")], planned=[(2022, 921), (2027, 1400)],
        projection=(2024, 1090, 2027, 1300), districts={"柯桥区": [(2022, 240), (2024, 290)]},
    ))


def test_trajectory_distinguishes_preliminary_and_labels_the_projection() -> None:
    figure = _trajectory()
    by_name = {t.name: t for t in figure.data}
    assert by_name["实际值（核实数）"].marker.symbol == "circle"
    assert by_name["实际值（初步数，空心）"].marker.symbol == "circle-open"
    assert list(by_name["实际值（初步数，空心）"].y) == [1085]
    projection = by_name[charts.PROJECTION_LABEL]
    assert projection.line.dash == "dash" and list(projection.x) == [2024, 2027]
    assert "柯桥区" not in by_name  # districts are on their own chart, not on the city's scale
    assert figure.layout.yaxis.title.text == "数值（亿元）"
    assert figure.layout.xaxis.title.text == "年份"
    districts = charts.district_lines("各区县网络零售额", "亿元", {"柯桥区": [(2022, 240), (2024, 290)]})
    assert [t.name for t in districts.data] == ["柯桥区"] and districts.layout.yaxis.title.text == "数值（亿元）"
    assert figure.layout.title.text == "绍兴市网络零售额"


def test_every_fixed_colour_is_from_the_okabe_ito_palette() -> None:
    allowed = set(charts.OKABE_ITO) | {charts.GREY}
    figures = [
        _trajectory(),
        charts.district_lines("区县", "亿元", {"越城区": [(2022, 1.0)]}),
        charts.progress_bars(["网络零售额"], [0.6], [2 / 3], "进度"),
        charts.ranking(["越城区", "柯桥区"], [1.0, None], "排名", "网络零售额（亿元）"),
        charts.shares(["越城区"], {"占全市比重": [0.2], "增量贡献率": [0.3]}, "贡献"),
    ]
    for figure in figures:
        for trace in figure.data:
            colour = getattr(trace.marker, "color", None)
            if isinstance(colour, str):
                assert colour in allowed, (trace.name, colour)


def test_heatmap_prints_the_numbers_in_the_cells() -> None:
    figure = charts.heatmap(["越城区", "柯桥区"], ["网络零售额", "平台"], [[-12.5, None], [3.0, 40.0]],
                            [["-12.5<br>明显滞后", "未分解目标"], ["+3.0<br>符合序时", "+40.0<br>符合序时"]],
                            "进度差", "百分点")
    heat = figure.data[0]
    assert heat.texttemplate == "%{text}"
    assert heat.text[0][1] == "未分解目标"
    assert (heat.zmin, heat.zmax) == (-40.0, 40.0)  # symmetric around 0: white means "on pace"
    assert figure.layout.xaxis.title.text == "指标"


def test_ranking_orders_from_largest_and_puts_missing_last() -> None:
    figure = charts.ranking(["越城区", "柯桥区", "上虞区"], [5.0, None, 9.0], "排名", "平台（个）")
    assert list(figure.data[0].y) == ["上虞区", "越城区", "柯桥区"]
    assert figure.layout.xaxis.title.text == "平台（个）"


def test_cumulative_chart_has_three_lines_told_apart_by_style() -> None:
    from dashboard.charts import cumulative

    figure = cumulative("网络零售额", "亿元", 2026, [(1, 90.0), (2, 170.0)], [(m, 80.0 * m) for m in range(1, 13)],
                        [(m, 100.0 * m) for m in range(1, 13)])
    names = [t.name for t in figure.data]
    assert names == ["2026年目标进度（按序时）", "2025年", "2026年"]
    assert [t.line.dash for t in figure.data] == ["dot", "dash", None]
    assert list(figure.data[2].x) == ["1月", "2月"] and figure.layout.yaxis.title.text == "亿元"
    assert len(cumulative("x", "个", 2026, [], [], []).data) == 0
