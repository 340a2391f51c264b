"""全省位次 on the pages: the rank phrase on the overview tiles, and on the indicator page the phrase with a
small 11-city bar chart (the home city marked). Only for the home city; silent without peer figures."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dashboard import charts, glance
from dashboard.formatting import figure, round_half_up
from dashboard.monthly import period_label
from dashboard.services import ranking as ranking_service
from dashboard.services import views
from dashboard.ui import widgets
from dashboard.wording import province_gap_phrase, rank_phrase

NO_PEER_FIGURES = "暂无全省对比数据"


def _is_home(header: widgets.PageHeader) -> bool:
    return header.region_code == header.context.city.code


def phrases(header: widgets.PageHeader) -> dict[str, str]:
    """Indicator code -> "增速全省第2位（进1位）" for the home city's core indicators that have peer figures."""
    if not _is_home(header):
        return {}
    ranks = widgets.load(ranking_service.indicator_ranks, header.year, header.month, plan_code=header.context.code)
    return {r.indicator: phrase for r in ranks if (phrase := rank_phrase(r)) is not None}


def with_ranks(tiles: list[glance.Tile], header: widgets.PageHeader) -> list[glance.Tile]:
    """The tiles, each with its rank line where there is one."""
    found = phrases(header)
    return [dataclasses.replace(t, rank=found.get(t.code, "")) for t in tiles]


def _growth(value: float | None) -> str:
    return "—" if value is None else f"{round_half_up(value, 1)}%"


def indicator_section(header: widgets.PageHeader, info: views.IndicatorInfo) -> None:
    """The 全省位次 block of the indicator page (core indicators, home city only)."""
    if info.tier != "core" or not _is_home(header):
        return
    (rank,) = widgets.load(ranking_service.indicator_ranks, header.year, header.month, info.code,
                           plan_code=header.context.code)
    period = f"{header.year}年" + ("" if header.month == 12 else period_label(header.month))
    if rank.cities_reported == 0:
        st.caption(f"{NO_PEER_FIGURES}（{period}）。")
        return
    st.markdown(f"**全省位次（{period}，11个设区市）**")
    words = "，".join(w for w in (rank_phrase(rank), province_gap_phrase(rank)) if w)
    st.markdown(f"{header.context.city.name}{info.name}{words}。")
    chart = widgets.load(ranking_service.peer_chart, info.code, header.year, header.month,
                         plan_code=header.context.code)
    by_growth = all(b.growth is not None for b in chart.bars if b.value is not None)
    names = tuple(b.name for b in chart.bars)
    if by_growth:
        values = tuple(b.growth for b in chart.bars)
        labels = tuple(_growth(v) for v in values)
        reference = None if chart.province_growth is None else (f"全省 {_growth(chart.province_growth)}",
                                                               chart.province_growth)
        axis = "同比增速（%）"
    else:
        values = tuple(b.value for b in chart.bars)
        labels = tuple("暂无数据" if v is None else figure(v, info.decimals) for v in values)
        reference, axis = None, f"{info.name}（{info.unit}）"
    home = header.context.city.name
    title = f"各设区市{info.name}{'同比增速' if by_growth else ''}（{period}）"
    data = pd.DataFrame({"设区市": names, f"{info.name}（{info.unit}）": [b.value for b in chart.bars],
                         "同比增速（%）": [b.growth for b in chart.bars]})
    widgets.chart(widgets.figure(charts.peer_bars, names, values, home, title, axis, labels, reference), data,
                  f"{info.name}_全省对比_{period}", "indicator_peers")
    st.caption(f"按{'同比增速' if by_growth else '总量'}从高到低排列，{home}标“{charts.HOME_MARK}”并加斜线；"
               "同比增速为统计部门公布的增速，未公布的按上年同期数计算；位次只在11个设区市都有数据时给出，并列者同位次；"
               "“高于/低于全省”只用上传的浙江省增速。")
