"""演示模式: one core indicator at a time, in type large enough for the back of a meeting room.

The content is the briefing's (``services.deck.briefing``), so the screen and the downloaded deck
say the same thing. The indicator shown lives in the session and in the URL (``?year=2025&slide=3``)
so a link reopens the same slide. The sidebar is hidden by CSS injected on this page only.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import charts
from dashboard.briefing import IndicatorPage
from dashboard.services import deck, images, views
from dashboard.ui import state, widgets
from dashboard.ui.context import DEFAULT_PLAN_CODE, engine, run_page

SLIDE = "slide"  # query-string key: 1-based number of the indicator on screen
_SLIDE_KEY = "kpi_present_slide"

# Page-local: hides the sidebar and its toggle, widens the page and enlarges the type.
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"] {display: none;}
.block-container {max-width: 100%; padding: 1.5rem 3rem 1rem 3rem;}
.kpi-present h1 {font-size: 3.2rem; margin: 0 0 .3rem 0; line-height: 1.2;}
.kpi-present .status {font-size: 2.4rem; font-weight: 700; float: right;}
.kpi-present .conclusion {font-size: 2.2rem; font-weight: 700; color: #0072B2; margin: .2rem 0 1rem 0;}
.kpi-present .label {font-size: 1.3rem; color: #555; margin-top: .4rem;}
.kpi-present .value {font-size: 2rem; font-weight: 700; line-height: 1.2;}
.kpi-present.notes {font-size: 1.6rem;}
.kpi-present .demo {font-size: 1.6rem; font-weight: 700; color: #D55E00; border: 3px solid #D55E00; padding: .3rem .8rem;}
.stButton button p, .stDownloadButton button p {font-size: 1.5rem;}
</style>
"""


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


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(page: IndicatorPage, year: int):  # type: ignore[no-untyped-def]
    # Cached by content and shared by every session (a click on ◀/▶ must not rebuild it); never modified after.
    c = page.chart
    data = charts.TrajectoryData(
        title=page.title, unit=page.unit,
        # Each figure keeps its kind: a district sum or a preliminary figure is never drawn as 核实数.
        actuals=[charts.ActualPoint(y, f.value, f.status == "preliminary", f.label, summed=f.source == "derived")
                 for y, f in zip(c.categories, c.actual_figures) if f is not None],
        targets=[(y, v, f"{y}年") for y, v in zip(c.categories, c.target) if v is not None],
        planned=[(y, v) for y, v in zip(c.categories, c.trajectory) if v is not None],
        projection=None, districts={}, decimals=c.decimals,
    )
    figure = charts.trajectory(data)
    big = {"size": 20}
    # Explicit sizes: Streamlit's chart theme would otherwise shrink ticks and legend again.
    figure.update_layout(font=big, height=560, title={"text": ""}, legend={"font": big}, margin={"t": 50})
    figure.update_xaxes(tickfont=big, title_font=big)
    figure.update_yaxes(tickfont=big, title_font=big)
    figure.update_traces(textfont=big, cliponaxis=False)  # the last target's label sits on the plot's edge
    return figure


def _slide(page: IndicatorPage, year: int) -> None:
    # The deck's shape icons (▲ ▼ ● …): projector PCs and Debian's Chromium often lack emoji fonts.
    colour = deck.STATUS_COLOURS[page.status]
    st.markdown(
        f'<div class="kpi-present"><span class="status" style="color:#{colour}">{deck.status_text(page.status)}</span><h1>{html.escape(page.title)}</h1>'
        f'<div class="conclusion">{html.escape(page.conclusion)}</div></div>', unsafe_allow_html=True)
    left, right = st.columns([7, 3])
    figure = _figure(page, year)
    with left:
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
    with right:
        numbers = "".join(f'<div class="label">{html.escape(label)}</div><div class="value">{html.escape(value)}</div>'
                          for label, value in page.key_numbers)
        st.markdown(f'<div class="kpi-present">{numbers}</div>', unsafe_allow_html=True)
        st.download_button("⬇ 下载本图（PNG）", data=lambda: images.figure_png(figure), file_name=f"{page.name}-{year}.png",
                           mime="image/png", key="kpi_present_png")
    notes = "；".join(page.notes) or "暂无"
    st.markdown(f'<div class="kpi-present notes">情况说明：{html.escape(notes)}</div>', unsafe_allow_html=True)


def render() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)
    ctx = widgets.load(views.plan_context, DEFAULT_PLAN_CODE)
    top = st.columns([2, 5, 2, 2, 2])
    with top[0]:
        year = int(state.select(state.YEAR, "汇报年份", list(ctx.years), widgets.default_year(ctx, ctx.city.code),
                                format_func=lambda y: f"{y}年", sidebar=False))  # type: ignore[arg-type]
    b = widgets.load(deck.briefing, year, DEFAULT_PLAN_CODE)
    pages = b.indicators
    if not pages:
        st.info("该计划没有核心指标。")
        return
    index = _slide_index(len(pages))
    with top[1]:
        st.markdown(f'<div class="kpi-present"><div class="label">{html.escape(b.cover.title)}｜{html.escape(b.cover.data_as_of)}'
                    f'｜第 {index + 1} / {len(pages)} 项</div></div>', unsafe_allow_html=True)
    with top[2]:
        st.button("◀ 上一项", on_click=_go, args=((index - 1) % len(pages),), width="stretch", key="kpi_present_prev")
    with top[3]:
        st.button("下一项 ▶", on_click=_go, args=((index + 1) % len(pages),), width="stretch", key="kpi_present_next")
    with top[4]:
        db = engine()  # captured here: the deferred download runs outside the script thread
        st.download_button("⬇ 汇报PPT", data=lambda: deck.deck_bytes(db, year, DEFAULT_PLAN_CODE),
                           file_name=f"平台经济目标进展汇报-{year}.pptx", width="stretch", key="kpi_present_pptx",
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    if b.cover.demo:
        st.markdown('<div class="kpi-present"><span class="demo">演示数据：实际值为虚构示例，不是统计数据</span></div>',
                    unsafe_allow_html=True)
    _slide(pages[index], year)


run_page(render)
