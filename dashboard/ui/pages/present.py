"""演示模式: one core indicator at a time, in type large enough for the back of a meeting room.

Laid out for a 1280×720 projector: the navigation row (⌂ 返回总览, year, position, ◀ ▶ which the
←/→ keys press, the deck), the title with status, the conclusion, then chart and key numbers, all
above 720 px; the staff's notes follow below. No text is under 24 px.

The content is the briefing's (``services.deck.briefing``), so the screen and the downloaded deck
say the same thing. The indicator shown lives in the session and in the URL (``?year=2025&slide=3``)
so a link reopens the same slide. The sidebar is hidden by CSS injected on this page only.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import charts
from dashboard.briefing import IndicatorPage
from dashboard.services import deck, images, report, views
from dashboard.ui import state, widgets
from dashboard.ui.context import DEFAULT_PLAN_CODE, engine, run_page

SLIDE = "slide"  # query-string key: 1-based number of the indicator on screen
_SLIDE_KEY = "kpi_present_slide"

# Page-local, for a 1280×720 projector: no sidebar and no Streamlit header (the page has its own way
# back), tight margins, and no text under 24 px (1.5rem) so it reads from the back of the room.
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
[data-testid="stHeader"] {display: none;}
.block-container, [data-testid="stMainBlockContainer"] {max-width: 100%; padding: .6rem 2rem .5rem 2rem;}
.kpi-present h1 {font-size: 2.4rem; margin: 0; padding: 0; line-height: 1.25;}
.kpi-present .status {font-size: 2rem; font-weight: 700; float: right; margin-left: 1rem;}
.kpi-present .demo {font-size: 1.5rem; font-weight: 700; color: #D55E00; border: 3px solid #D55E00;
  padding: 0 .5rem; float: right;}
.kpi-present .conclusion {font-size: 1.75rem; font-weight: 700; color: #0072B2; margin: .1rem 0 0 0; line-height: 1.3;}
.kpi-present .label {font-size: 1.5rem; color: #444; margin-top: .2rem; line-height: 1.2;}
.kpi-present .value {font-size: 1.6rem; font-weight: 700; line-height: 1.2;}
.kpi-present .where {font-size: 1.5rem; font-weight: 700; text-align: center; line-height: 2.4rem;}
.kpi-present.notes {font-size: 1.5rem;}
.stButton button p, .stDownloadButton button p {font-size: 1.5rem;}
.stButton button, .stDownloadButton button {min-height: 3rem;}
[data-testid="stSelectbox"] input {font-size: 1.5rem;}
</style>
"""
CHART_HEIGHT = 450  # px: with the nav row, title and a two-line conclusion, ends above 720 px
BIG = {"size": 24}


def _slide_index(count: int) -> int:
    """The 0-based slide: the URL's if valid, else the session's, else the first; written back to both."""
    raw = st.query_params.get(SLIDE)
    index = int(raw) - 1 if raw is not None and raw.isdigit() and 1 <= int(raw) <= count else None
    if index is None:
        index = min(st.session_state.get(_SLIDE_KEY, 0), count - 1)
    _go(index)
    return index


def _go(index: int) -> None:
    st.session_state[_SLIDE_KEY] = index
    st.query_params[SLIDE] = str(index + 1)


def _month_figure(page: IndicatorPage, year: int):  # type: ignore[no-untyped-def]
    """The 1–N月 slide's chart: the cumulative one of the indicator page, with the 预计全年 band."""
    c = page.chart

    def points(values: tuple[float | None, ...]) -> list[tuple[int, float]]:
        return [(m, v) for m, v in zip(c.categories, values) if v is not None]

    return charts.cumulative("", page.unit, year, points(c.actual), points(c.target), points(c.trajectory), c.outlook)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(page: IndicatorPage, year: int):  # type: ignore[no-untyped-def]
    # Cached by content and shared by every session (a click on ◀/▶ must not rebuild it); never modified after.
    c = page.chart
    figure = _month_figure(page, year) if c.labels else charts.trajectory(charts.TrajectoryData(
        title=page.title, unit=page.unit,
        # Each figure keeps its kind: a district sum or a preliminary figure is never drawn as 核实数.
        actuals=[charts.ActualPoint(y, f.value, f.status == "preliminary", f.label, summed=f.source == "derived")
                 for y, f in zip(c.categories, c.actual_figures) if f is not None],
        targets=[(y, v, f"{y}年") for y, v in zip(c.categories, c.target) if v is not None],
        planned=[(y, v) for y, v in zip(c.categories, c.trajectory) if v is not None],
        projection=None, districts={}, decimals=c.decimals,
    ))
    # Explicit sizes: Streamlit's chart theme would otherwise shrink ticks and legend again. The x axis
    # needs no title (its ticks are years); the legend sits under the ticks, inside the chart's height.
    # Legend entries as wide as their own text (entrywidth 0), not all as wide as the longest, so
    # they pack into two rows under the axis.
    figure.update_layout(font=BIG, height=CHART_HEIGHT, title={"text": ""}, margin={"t": 50, "b": 140, "l": 90, "r": 30},
                         legend={"font": BIG, "orientation": "h", "y": -0.2, "yanchor": "top", "x": 0,
                                 "entrywidth": 0, "entrywidthmode": "pixels"})
    figure.update_xaxes(tickfont=BIG, title_text="", range=[c.categories[0] - 0.4, c.categories[-1] + 0.4])
    figure.update_yaxes(tickfont=BIG, title_font=BIG)
    figure.update_traces(textfont=BIG, cliponaxis=False)
    # The last target's label would overhang the right edge if centred on its point.
    for trace in figure.data:
        if trace.name and "方块" in trace.name:  # the marker shape is in the legend itself: say only what it is
            trace.name = trace.name.split("（")[0] + ("·含初步数" if "初步" in trace.name else "")
        if trace.name == "目标值" and trace.x:
            trace.textposition = ["top center"] * (len(trace.x) - 1) + ["top left"]
    return figure


def _slide(page: IndicatorPage, year: int, demo: bool, data_as_of: str) -> None:
    # The deck's shape icons (▲ ▼ ● …): projector PCs and Debian's Chromium often lack emoji fonts.
    colour = deck.STATUS_COLOURS[page.status]
    marker = '<span class="demo">演示数据</span>' if demo else ""
    st.markdown(
        f'<div class="kpi-present">{marker}<span class="status" style="color:#{colour}">{deck.status_text(page.status)}{page.status_note}</span>'
        f'<h1>{html.escape(page.title)}</h1>'
        f'<div class="conclusion">{html.escape(page.conclusion)}</div></div>', unsafe_allow_html=True)
    left, right = st.columns([7, 3])
    figure = _figure(page, year)
    with left:
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False, "staticPlot": True},
                        key="kpi_present_chart")
    with right:
        numbers = "".join(f'<div class="label">{html.escape(label)}</div><div class="value">{html.escape(value)}</div>'
                          for label, value in page.key_numbers)
        st.markdown(f'<div class="kpi-present">{numbers}<div class="label">{html.escape(data_as_of)}</div></div>',
                    unsafe_allow_html=True)
    notes = "；".join(page.notes) or "暂无"
    st.markdown(f'<div class="kpi-present notes">情况说明：{html.escape(notes)}</div>', unsafe_allow_html=True)
    st.download_button("⬇ 下载本图（PNG）", data=lambda: images.figure_png(figure), file_name=f"{page.name}-{year}.png",
                       mime="image/png", key="kpi_present_png")


def render() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)
    ctx = widgets.load(views.plan_context, DEFAULT_PLAN_CODE)
    back, pick, where, prev, next_, pptx, docx = st.columns([2.2, 1.7, 1.6, 1.9, 1.9, 2.1, 2.2],
                                                           vertical_alignment="center")
    if back.button("⌂ 返回总览", width="stretch", key="kpi_present_back"):
        st.switch_page("dashboard/ui/pages/overview.py", query_params={state.YEAR: st.query_params.get(state.YEAR, "")})
    with pick:
        year = int(state.select(state.YEAR, "汇报年份", list(ctx.years), widgets.default_year(ctx, ctx.city.code),
                                format_func=lambda y: f"{y}年", sidebar=False, label_visibility="collapsed"))  # type: ignore[arg-type]
        # The period of the other pages (?month=N): 1–N月 shows the 通报 version, with 预计全年.
        month = state.month(12, sidebar=False)
    # The annual slides assess the city alone (the deck's district pages are not shown here).
    b = (widgets.load(deck.slides, year, DEFAULT_PLAN_CODE) if month == 12
         else widgets.load(deck.month_briefing, year, month, DEFAULT_PLAN_CODE))
    pages = b.indicators
    if not pages:
        widgets.empty_state("该计划没有核心指标：请管理员在计划文件中列出核心指标后重新载入。")
        return
    index = _slide_index(len(pages))
    where.markdown(f'<div class="kpi-present"><div class="where">第 {index + 1} / {len(pages)} 项</div></div>',
                   unsafe_allow_html=True)
    # ←/→ on the keyboard (and most presentation clickers' arrow keys) press these buttons.
    prev.button("◀ 上一项", on_click=_go, args=((index - 1) % len(pages),), width="stretch", key="kpi_present_prev",
                shortcut="Left")
    next_.button("下一项 ▶", on_click=_go, args=((index + 1) % len(pages),), width="stretch", key="kpi_present_next",
                 shortcut="Right")
    db = engine()  # captured here: the deferred download runs outside the script thread
    pptx.download_button("⬇ 汇报PPT", data=lambda: deck.deck_bytes(db, year, DEFAULT_PLAN_CODE, month),
                         file_name=f"平台经济目标进展汇报-{year}.pptx", width="stretch", key="kpi_present_pptx",
                         mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    # The written 通报 of the same period (Word, 公文格式), built only when clicked.
    docx.download_button("⬇ 通报Word", data=lambda: report.report_bytes(db, year, month, DEFAULT_PLAN_CODE),
                         help="下载通报（Word，公文格式，与本页同一期别）",
                         file_name=f"平台经济目标监测通报-{year}-{month}月.docx", width="stretch", key="kpi_present_docx",
                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    _slide(pages[index], year, b.cover.demo, b.cover.data_as_of)


run_page(render)
