"""目标分解: district targets for each indicator (administrators)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.allocation import ORIGIN_LABELS
from dashboard.services import allocation, reading
from dashboard.ui import session, widgets
from dashboard.ui.context import DEFAULT_PLAN_CODE, engine, format_value, run_page

ALLOCATION_YEARS = (2025, 2027)


def _editor(view: allocation.AllocationView, suggestion: dict[str, float] | None) -> pd.DataFrame:
    frame = pd.DataFrame({
        "区县": [d.region_name for d in view.districts],
        f"2022年基期（{view.unit}）": [format_value(d.baseline, view.decimals) for d in view.districts],
        f"当前目标（{view.unit}）": [format_value(d.value, view.decimals) for d in view.districts],
        "来源": [ORIGIN_LABELS.get(d.origin, "未分解") if d.origin else "未分解" for d in view.districts],
        "新目标": [suggestion.get(d.region_code) if suggestion else d.value for d in view.districts],
    })
    return st.data_editor(
        frame, hide_index=True, width="stretch", disabled=list(frame.columns[:4]),
        column_config={"新目标": st.column_config.NumberColumn(
            f"新目标（{view.unit}）", min_value=0.0, help="双击单元格填写；留空表示该区县暂不分解")},
        # An empty new target reads as an invitation, not as "None".
        placeholder="待填写",
        key=f"alloc_{view.indicator_code}_{view.year}_{'s' if suggestion else 'e'}",
    )


def render() -> None:
    st.title("目标分解")
    if flash := st.session_state.pop("alloc_flash", None):
        st.success(flash)
    actor = session.current_actor()
    if actor is None or not auth.can(actor, auth.ALLOCATE_TARGETS):
        st.warning("目标分解由管理员操作。请以管理员账号登录。")
        return
    rows = [r for r in widgets.load(reading.indicator_table, DEFAULT_PLAN_CODE) if r.aggregation == "additive"]
    names = {r.name: r.code for r in rows}
    left, right = st.columns([3, 1])
    name = left.selectbox("指标", list(names), key="alloc_indicator")
    year = right.selectbox("目标年份", ALLOCATION_YEARS, key="alloc_year")
    view = widgets.load(allocation.allocation_view, names[name], year)
    city = format_value(view.check.city_target, view.decimals)
    st.caption(f"全市{year}年目标：{city} {view.unit}。正式分解目标由市里确定；“按基期占比估算”仅供参考，"
               "保存后在各页面标注为“估算”。")
    suggestion_key = f"alloc_suggestion_{view.indicator_code}_{year}"
    if st.button("按2022年各区县占比估算", key="alloc_estimate"):
        st.session_state[suggestion_key] = allocation.estimate(engine(), view.indicator_code, year)
    suggestion = st.session_state.get(suggestion_key)
    if suggestion:
        st.info("下表“新目标”已填入按2022年占比估算的建议值（尚未保存）。")
    edited = _editor(view, suggestion)
    values = {d.region_code: (None if pd.isna(v) else float(v)) for d, v in zip(view.districts, edited["新目标"])}
    check = allocation.check_allocation(view.check.city_target, values)
    total = format_value(check.allocated_sum, view.decimals)
    if check.falls_short:
        st.warning(f"⚠️ 区县目标合计 {total} {view.unit}，低于全市目标 {city} {view.unit}，"
                   f"差 {format_value(check.shortfall, view.decimals)} {view.unit}。")
    else:
        st.success(f"✅ 区县目标合计 {total} {view.unit}，不低于全市目标 {city} {view.unit}。")
    note = st.text_input("说明（可选）", key="alloc_note")
    save_left, save_right = st.columns(2)
    origin = None
    if save_left.button("保存为正式分解目标", type="primary", key="alloc_save"):
        origin = "allocated"
    if suggestion and save_right.button("保存为估算目标（非正式）", key="alloc_save_estimate"):
        origin = "estimated"
    if origin:
        submission = allocation.save_allocations(engine(), actor, view.indicator_code, year, values, origin=origin,
                                                 note=note or None)
        st.session_state.pop(suggestion_key, None)
        st.session_state["alloc_flash"] = (
            "没有变化，未写入。" if submission is None else f"已保存（提交编号 {submission}），原目标保留在历史中。")
        st.rerun()


run_page(render)
