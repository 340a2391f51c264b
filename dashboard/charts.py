"""Plotly figures of the dashboard, as pure functions of plain data (no Streamlit, no database).

The pages show them and the briefing deck can export them as PNG through kaleido. Every figure has a
Chinese title, units in its axis titles, and uses the Okabe-Ito palette, which stays distinguishable
with the common forms of colour blindness. Status is never carried by colour alone: the pages print
icon + word beside every chart, and the heat map prints the number in every cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.formatting import figure as figure_text
from dashboard.formatting import percent
from dashboard.outlook import OutlookBand

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = OKABE_ITO
GREY = "#999999"
FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif"
PROJECTION_LABEL = "直线外推（非预测）"


@dataclass(frozen=True)
class ActualPoint:
    year: int
    value: float
    preliminary: bool  # 初步数 (hollow marker) rather than 核实数 (filled); a sum with any 初步数 is one
    label: str = ""  # e.g. "区县合计" for a city figure summed from districts
    summed: bool = False  # the city figure is the sum of all districts (square marker, own legend entry)


# Legend entries of the actuals: a district sum is never drawn under 实际值（核实数）.
ACTUAL_TRACES = (  # (summed, preliminary, legend name, marker symbol)
    (False, False, "实际值（核实数）", "circle"),
    (False, True, "实际值（初步数，空心）", "circle-open"),
    (True, False, "区县合计（核实数，方块）", "square"),
    (True, True, "区县合计（含初步数，空心方块）", "square-open"),
)


@dataclass(frozen=True)
class TrajectoryData:
    title: str
    unit: str
    actuals: Sequence[ActualPoint]
    targets: Sequence[tuple[int, float, str]]  # (year, value, label e.g. "计划公布")
    planned: Sequence[tuple[int, float]]  # 计划轨迹
    projection: tuple[int, float, int, float] | None  # from (year, value) to (year, value)
    districts: Mapping[str, Sequence[tuple[int, float]]]  # district name -> (year, value)
    decimals: int = 0  # the indicator's published decimals, for the printed target labels


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str, height: int = 420) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"}, font={"family": FONT, "size": 14},
        height=height, margin={"l": 60, "r": 20, "t": 60, "b": 90}, plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        colorway=list(OKABE_ITO),
    )
    figure.update_xaxes(title_text=x_title, showgrid=False, linecolor=GREY)
    figure.update_yaxes(title_text=y_title, gridcolor="#e5e5e5", zerolinecolor=GREY)
    return figure


def trajectory(data: TrajectoryData) -> go.Figure:
    """Actuals (核实数 filled, 初步数 hollow), milestone targets, the planned line, the projection, districts."""
    figure = go.Figure()
    if data.planned:
        xs, ys = zip(*data.planned)
        figure.add_trace(go.Scatter(x=xs, y=ys, name="计划轨迹", mode="lines", line={"color": GREY, "width": 2}))
    if data.targets:
        figure.add_trace(go.Scatter(
            x=[t[0] for t in data.targets], y=[t[1] for t in data.targets], name="目标值", mode="markers+text",
            marker={"symbol": "diamond", "size": 12, "color": ORANGE, "line": {"color": BLACK, "width": 1}},
            text=[f"{t[2]}目标 {figure_text(t[1], data.decimals)}" for t in data.targets], textposition="top center",
        ))
    if data.projection is not None:
        x0, y0, x1, y1 = data.projection
        figure.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], name=PROJECTION_LABEL, mode="lines+markers+text",
                                    line={"color": VERMILION, "dash": "dash", "width": 2},
                                    marker={"symbol": "x", "size": [1, 10], "color": VERMILION},
                                    text=["", PROJECTION_LABEL], textposition="bottom center"))
    for summed, preliminary, name, symbol in ACTUAL_TRACES:
        chosen = [p for p in data.actuals if p.preliminary == preliminary and p.summed == summed]
        if chosen:
            figure.add_trace(go.Scatter(
                x=[p.year for p in chosen], y=[p.value for p in chosen], name=name,
                mode="markers" if preliminary or summed else "lines+markers",
                line={"color": BLUE, "width": 3}, marker={"symbol": symbol, "size": 11, "color": BLUE,
                                                          "line": {"width": 2, "color": BLUE}},
                text=[p.label for p in chosen], hovertemplate="%{x}年：%{y:,}" + f" {data.unit}" + " %{text}<extra></extra>",
            ))
    _layout(figure, data.title, "年份", f"数值（{data.unit}）", height=460)
    figure.update_xaxes(dtick=1, tickformat="d")
    values = [p.value for p in data.actuals] + [t[1] for t in data.targets] + [v for _y, v in data.planned]
    if data.projection is not None:
        values += [data.projection[1], data.projection[3]]
    if values:  # head-room so the target labels above the top marker are not clipped
        low, high = min(values), max(values)
        pad = 0.12 * ((high - low) or abs(high) or 1.0)
        figure.update_yaxes(range=[low - pad / 2, high + pad])
    return figure


def district_lines(title: str, unit: str, districts: Mapping[str, Sequence[tuple[int, float]]]) -> go.Figure:
    """One line per district, on its own chart: district figures are a fraction of the city's scale."""
    figure = go.Figure()
    for colour, (name, series) in zip(OKABE_ITO, districts.items()):
        xs, ys = zip(*series) if series else ((), ())
        figure.add_trace(go.Scatter(x=xs, y=ys, name=name, mode="lines+markers", line={"color": colour, "width": 2},
                                    marker={"size": 7, "color": colour}))
    _layout(figure, title, "年份", f"数值（{unit}）", height=380)
    figure.update_xaxes(dtick=1, tickformat="d")
    return figure


def progress_bars(names: Sequence[str], progress: Sequence[float | None], time_elapsed: Sequence[float | None],
                  title: str, progress_name: str = "目标进度", y_title: str = "指标") -> go.Figure:
    """目标进度 (or another ``progress_name``, e.g. 完成全年目标) beside 序时进度, in percent, per row
    (indicators, or districts: ``y_title``); a missing progress is simply absent."""
    figure = go.Figure()
    figure.add_trace(go.Bar(y=list(names), x=[None if v is None else 100 * v for v in progress], name=progress_name,
                            orientation="h", marker={"color": BLUE},
                            text=["暂无" if v is None else percent(v) for v in progress], textposition="outside"))
    figure.add_trace(go.Bar(y=list(names), x=[None if v is None else 100 * v for v in time_elapsed], name="序时进度",
                            orientation="h", marker={"color": GREY, "pattern": {"shape": "/"}},
                            text=["" if v is None else percent(v) for v in time_elapsed], textposition="outside"))
    _layout(figure, title, "进度（%）", y_title, height=120 + 48 * len(names))
    figure.update_layout(barmode="group")
    figure.update_yaxes(autorange="reversed")
    return figure


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]],
            cell_text: Sequence[Sequence[str]], title: str, colour_title: str, symmetric: bool = True) -> go.Figure:
    """A heat map with the number printed in every cell; blank cells say why in ``cell_text``.

    Diverging blue (ahead) – white – vermillion (behind) when ``symmetric``, a sequential blue otherwise.
    """
    finite = [abs(v) for row in values for v in row if v is not None]
    bound = max(finite, default=1.0) or 1.0
    scale = ([[0, VERMILION], [0.5, "#ffffff"], [1, BLUE]] if symmetric else [[0, "#ffffff"], [1, BLUE]])
    figure = go.Figure(go.Heatmap(
        z=[list(r) for r in values], x=list(columns), y=list(rows), text=[list(r) for r in cell_text],
        texttemplate="%{text}", textfont={"size": 13, "color": BLACK}, colorscale=scale,
        zmin=-bound if symmetric else 0, zmax=bound, xgap=2, ygap=2,
        colorbar={"title": {"text": colour_title}}, hovertemplate="%{y} · %{x}：%{text}<extra></extra>",
    ))
    _layout(figure, title, "指标", "地区", height=140 + 56 * len(rows))
    figure.update_yaxes(autorange="reversed")
    return figure


def ranking(names: Sequence[str], values: Sequence[float | None], title: str, x_title: str,
            labels: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars sorted from the largest down (missing values listed last, without a bar)."""
    order = sorted(range(len(names)), key=lambda i: (values[i] is None, -(values[i] or 0)))
    shown = labels or ["暂无数据" if v is None else figure_text(v, 1) for v in values]
    figure = go.Figure(go.Bar(
        y=[names[i] for i in order], x=[values[i] for i in order], orientation="h", marker={"color": BLUE},
        text=[shown[i] for i in order], textposition="outside", cliponaxis=False,
    ))
    _layout(figure, title, x_title, "区县", height=120 + 44 * len(names))
    figure.update_yaxes(autorange="reversed")
    return figure


def shares(names: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str) -> go.Figure:
    """Grouped horizontal bars of several shares (in %) per district, one Okabe-Ito colour each."""
    figure = go.Figure()
    for colour, (label, values) in zip((BLUE, ORANGE, GREEN, PURPLE), series.items()):
        figure.add_trace(go.Bar(
            y=list(names), x=[None if v is None else 100 * v for v in values], name=label, orientation="h",
            marker={"color": colour}, text=[percent(v) for v in values],
            textposition="outside", cliponaxis=False,
        ))
    _layout(figure, title, "占全市比重（%）", "区县", height=160 + 30 * len(names) * max(1, len(series)))
    figure.update_layout(barmode="group")
    figure.update_yaxes(autorange="reversed")
    return figure


def _outlook_traces(figure: go.Figure, year: int, band: OutlookBand) -> None:
    """A shaded wedge (hatched, so it does not rest on colour) from month N to the range at 12月,
    and a dash-dot line to the forecast with a diamond marker."""
    start = f"{band.month}月"
    if band.low is not None and band.high is not None:
        figure.add_trace(go.Scatter(
            x=[start, "12月", "12月", start], y=[band.value, band.low, band.high, band.value], fill="toself",
            mode="lines", line={"color": BLUE, "width": 0}, fillcolor="rgba(0,114,178,0.15)",
            fillpattern={"shape": "/", "fgcolor": BLUE, "fgopacity": 0.25}, hoverinfo="skip",
            name=f"{year}年预计全年区间（按往年规律）"))
    figure.add_trace(go.Scatter(x=[start, "12月"], y=[band.value, band.forecast], mode="lines+markers",
                                line={"color": BLUE, "width": 2, "dash": "dashdot"},
                                marker={"symbol": ["circle", "diamond"], "size": [1, 12]},
                                name=f"{year}年预计全年"))


def cumulative(title: str, unit: str, year: int, this_year: Sequence[tuple[int, float]],
               last_year: Sequence[tuple[int, float]], target_path: Sequence[tuple[int, float]],
               outlook: OutlookBand | None = None) -> go.Figure:
    """The classic month chart: this year's 1–N月累计 against last year's and the target path (序时进度),
    extended to 12月 by the year-end outlook when given.

    Told apart by line style and marker as well as colour: solid with dots (this year), dashed (last
    year), dotted (target path), dash-dot to a diamond with a hatched wedge (the outlook).
    """
    figure = go.Figure()
    lines = ((f"{year}年目标进度（按序时）", target_path, {"color": GREY, "width": 2, "dash": "dot"}, "lines"),
             (f"{year - 1}年", last_year, {"color": SKY, "width": 2, "dash": "dash"}, "lines"),
             (f"{year}年", this_year, {"color": BLUE, "width": 3}, "lines+markers"))
    for name, points, line, mode in lines:
        if points:
            xs, ys = zip(*points)
            figure.add_trace(go.Scatter(x=[f"{m}月" for m in xs], y=ys, name=name, mode=mode, line=line))
    if outlook is not None:
        _outlook_traces(figure, year, outlook)
    figure.update_xaxes(categoryorder="array", categoryarray=[f"{m}月" for m in range(1, 13)])
    return _layout(figure, title, "月份（1–N月累计或月末数）", unit)


HOME_MARK = "（本市）"


def peer_bars(names: Sequence[str], values: Sequence[float | None], home: str, title: str, x_title: str,
              labels: Sequence[str], reference: tuple[str, float] | None = None) -> go.Figure:
    """The 11 cities as horizontal bars, best first, with the home city told apart by its name mark, a hatch
    pattern and its colour (never by colour alone); ``reference`` (label, value), e.g. the province's rate,
    is a dashed line. Cities without a figure are listed last, without a bar."""
    order = sorted(range(len(names)), key=lambda i: (values[i] is None, -(values[i] or 0)))
    is_home = [names[i] == home for i in order]
    figure = go.Figure(go.Bar(
        y=[names[i] + (HOME_MARK if h else "") for i, h in zip(order, is_home)], x=[values[i] for i in order],
        orientation="h", text=[labels[i] for i in order], textposition="outside", cliponaxis=False,
        marker={"color": [VERMILION if h else SKY for h in is_home],
                "pattern": {"shape": ["/" if h else "" for h in is_home], "fgcolor": BLACK}},
        showlegend=False,
    ))
    _layout(figure, title, x_title, "", height=110 + 24 * len(names))
    figure.update_layout(margin={"l": 90, "r": 40, "t": 50, "b": 50})
    figure.update_yaxes(autorange="reversed")
    if reference is not None:
        figure.add_vline(x=reference[1], line_dash="dash", line_color=BLACK,
                         annotation_text=reference[0], annotation_position="top")
    return figure
