"""指标详情: one indicator's trajectory, targets, numbers, definition and notes (情况说明)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import formatting
from dashboard.formatting import round_half_up
from dashboard.progress import SDG_CAPTION, SDG_STATUS_LABELS
from dashboard.wording import conclusion_sentence
from dashboard.services import views
from dashboard.ui import month_view, ranks, state, widgets
from dashboard.ui.context import MISSING, format_value, run_page

KIND_LABELS = {"flow": "年度流量（当年合计）", "stock": "年末存量", "cumulative": "累计数"}


def trajectory_data(detail: views.IndicatorDetail) -> charts.TrajectoryData:
    info, a = detail.info, detail.assessed.assessment
    actuals = [charts.ActualPoint(p.year, p.value, p.status == "preliminary", p.label, summed=p.source == "derived")
               for p in detail.points]
    projection = None
    if a.projection is not None and a.actual is not None:
        projection = (a.year, a.actual, a.projection.year, a.projection.value)
    districts: dict[str, list[tuple[int, float]]] = {}
    for p in detail.district_points:
        districts.setdefault(detail.district_names[p.region_code], []).append((p.year, p.value))
    return charts.TrajectoryData(
        title=f"{detail.region.name}{info.name}：实际值、目标与计划轨迹", unit=info.unit, actuals=actuals,
        targets=[(y, v, f"{y}年" + ("（估算）" if origin == "estimated" else "")) for y, v, origin in detail.targets],
        planned=detail.planned,
        projection=projection, districts=districts, decimals=info.decimals,
    )


def numbers_frame(detail: views.IndicatorDetail) -> pd.DataFrame:
    """One line per year: final and preliminary figures side by side, target, planned value, note.

    A district sum is in its own column, with its weakest status; a sum of only some districts is
    labelled as such (已报区县合计（n/6，缺：…）) and is never a city figure.
    """
    d = detail.info.decimals
    targets = {y: (v, origin) for y, v, origin in detail.targets}
    planned = dict(detail.planned)
    partial = {y: (value, label) for y, value, label in detail.partial}
    years = sorted({p.year for p in detail.points} | set(targets) | set(planned) | set(partial))
    records = []
    for y in years:
        at = {p.status: p for p in detail.points if p.year == y and p.source == "reported"}
        summed = next((p for p in detail.points if p.year == y and p.source == "derived"), None)
        notes = "；".join(p.note for p in at.values() if p.note)
        if summed is not None:
            summed_text = f"{format_value(summed.value, d)}（{summed.label}）"
        elif y in partial:
            summed_text = f"{format_value(partial[y][0], d)}（{partial[y][1]}，数据不全，不作评价）"
        else:
            summed_text = "—"
        records.append({
            "年份": y,
            "核实数": format_value(at["final"].value if "final" in at else None, d),
            "初步数": format_value(at["preliminary"].value if "preliminary" in at else None, d),
            "区县合计（无市级数时）": summed_text,
            "目标值": format_value(targets[y][0] if y in targets else None, d),
            "目标来源": widgets.origin_label(targets[y][1]) if y in targets else "",
            "计划轨迹": format_value(planned.get(y), d),
            "情况说明": notes,
        })
    return pd.DataFrame.from_records(records)


def render() -> None:
    header = widgets.page_header("指标详情")
    context, year = header.context, header.year
    region_code = header.region_code
    infos = {i.code: i for i in context.indicators}
    code = str(state.select(state.INDICATOR, "指标", list(infos), context.indicators[0].code,
                            format_func=lambda c: infos[c].name, sidebar=False))
    info = infos[code]
    if info.aggregation != "additive" and region_code != context.city.code:
        st.info(f"“{info.name}”只统计全市，不分区县：下面显示全市。")
        region_code = context.city.code
    if header.month < 12:
        month_view.indicator(header, code, region_code)
        ranks.indicator_section(header, info)
        return
    detail = widgets.load(views.indicator_detail, code, region_code, year)
    a = detail.assessed.assessment
    st.subheader(f"{info.name}（{info.unit}）· {detail.region.name} · {year}年")
    focus = detail.assessed.next_milestone()
    if focus is not None:
        st.markdown(f"**{conclusion_sentence(info.name, a, focus.year)}** {widgets.milestone_badge(focus)}")
    else:
        st.markdown(f"**{detail.region.name}尚无“{info.name}”的目标（分解目标尚未下达）。**")
    columns = st.columns(4)
    columns[0].metric(f"{year}年实际值（{info.unit}）", format_value(a.actual, info.decimals),
                      help=widgets.actual_label(detail.assessed.actual_source, detail.assessed.actual_status))
    if detail.assessed.actual_source == "partial":
        y_sum, label = next((v, text) for y, v, text in detail.partial if y == year)
        st.caption(f"◐ 数据不全：全市暂无正式数字，{label}为 {format_value(y_sum, info.decimals)} {info.unit}，"
                   "只作参考，不作评价、不画成全市实际值。")
    columns[1].metric("已实现年均增速", formatting.percent(a.achieved_growth))
    if focus is not None:
        columns[2].metric(f"{focus.year}年目标（{info.unit}）", format_value(focus.target, info.decimals))
    growth = a.growth_milestone()  # in a milestone year: toward the next milestone, not "—"
    if growth is not None:
        columns[3].metric(f"尚需年均增速（至{growth.year}年）", formatting.percent(growth.required_growth))
    data = trajectory_data(detail)
    widgets.chart(widgets.figure(charts.trajectory, data), numbers_frame(detail),
                  f"{info.name}_{detail.region.name}_轨迹", "indicator_trajectory")
    st.caption("实心圆点为核实数，空心圆点为初步数；方块为全部区县合计（全市无正式数字时），空心方块表示合计中含初步数；"
               "只有部分区县报送的年份不画全市点；菱形为目标值；灰线为计划轨迹（基期与各目标之间直线连接）；"
               f"虚线为{charts.PROJECTION_LABEL}，按已有实际值的最小二乘直线推到最后目标年份，不是预测。"
               )
    ranks.indicator_section(header, info)
    if data.districts:
        frame = pd.DataFrame([{"区县": name, "年份": y, f"数值（{info.unit}）": v}
                              for name, series in data.districts.items() for y, v in series])
        widgets.chart(widgets.figure(charts.district_lines, f"各区县{info.name}", info.unit, data.districts),
                      frame, f"{info.name}_各区县", "indicator_districts")
    if a.projection is not None:
        st.caption(f"{charts.PROJECTION_LABEL}：{a.projection.year}年约 {format_value(a.projection.value, info.decimals)}"
                   f" {info.unit}（为目标的 {formatting.percent(a.projection.attainment)}）。")
    if a.sdg_status is not None:
        icon, word = SDG_STATUS_LABELS[a.sdg_status]
        st.caption(f"{SDG_CAPTION}：{icon} {word}（已实现增速 ÷ 所需增速 = "
                   f"{'—' if a.sdg_ratio is None else round_half_up(a.sdg_ratio, 2)}）")
    st.subheader("各年数值")
    st.dataframe(numbers_frame(detail), hide_index=True, width="stretch", placeholder=MISSING)
    st.subheader("指标说明")
    st.markdown("\n".join([
        f"- **定义**：{info.definition or '—'}",
        f"- **单位**：{info.unit}；**口径**：{KIND_LABELS.get(info.kind, info.kind)}；"
        f"**汇总**：{'各区县可加总' if info.aggregation == 'additive' else '仅统计全市'}",
        f"- **数据来源**：{info.source_agency or '—'}",
        f"- **牵头单位**：{info.lead_unit or '—'}"
        + (f"（举措 {info.measure_code}：{info.measure_title}）" if info.measure_code else ""),
        f"- **目标说明**：{info.target_note or '—'}",
    ]))
    notes = [p for p in detail.points if p.note]
    st.subheader("情况说明")
    if notes:
        for p in notes:
            st.markdown(f"- **{p.year}年{p.label}**：{widgets.plain(p.note)}")
    else:
        st.caption("暂无情况说明。统计人员上传数据时可在“备注/情况说明”列填写。")


run_page(render)
