"""任务清单: the measures (举措) grouped by the five actions, with lead units, targets and status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.progress import MilestoneAssessment
from dashboard.services import views
from dashboard.ui import widgets
from dashboard.ui.context import MISSING, format_value, run_page

COMPARISON_WORDS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到", "[]": "达到"}


def _target_text(t: views.MeasureTarget) -> str:
    a, info = t.assessed.assessment, t.assessed.indicator
    if not a.milestones:
        return "—"
    if t.target_basis == "per_year":
        value = format_value(a.milestones[-1].target, info.decimals)
        return f"每年{COMPARISON_WORDS[t.comparison]}{value}{info.unit}"
    def amount(m: MilestoneAssessment) -> str:
        low = format_value(m.target, info.decimals)
        return low if m.target_max is None else f"{low}—{format_value(m.target_max, info.decimals)}"

    return "；".join(f"{m.year}年{COMPARISON_WORDS[t.comparison]}{amount(m)}{info.unit}"
                    for m in a.milestones if m.year > a.baseline_year)


def measures_frame(items: list[views.MeasureItem], year: int) -> pd.DataFrame:
    """One line per target (a measure without a quantified target gets one line saying so)."""
    records = []
    for item in items:
        base = {"行动": item.action, "举措": f"{item.code} {item.title}", "牵头单位": item.lead_unit or "—"}
        if not item.targets:
            records.append({**base, "目标": "（无量化目标）", f"{year}年实际": "", "状态": ""})
        for t in item.targets:
            a, info = t.assessed.assessment, t.assessed.indicator
            m = t.assessed.next_milestone()
            records.append({
                **base, "目标": f"{info.name}：{_target_text(t)}",
                f"{year}年实际": "暂无数据" if a.actual is None else f"{format_value(a.actual, info.decimals)}{info.unit}",
                "状态": widgets.milestone_badge(m),
            })
    return pd.DataFrame.from_records(records)


def render() -> None:
    header = widgets.page_header("任务清单")
    context, year = header.context, header.year
    items = widgets.load(views.measure_list, year)
    st.caption(f"{context.title}的责任清单：五大行动、{sum(1 for i in items if i.code.startswith('M'))}项举措及总体目标，"
               f"量化目标按全市{year}年数据评估（对照当年或下一个目标年份）。")
    frame = measures_frame(items, year)
    for action in dict.fromkeys(i.action for i in items):
        group = [i for i in items if i.action == action]
        st.subheader(action)
        for item in group:
            with st.container(border=True):
                st.markdown(f"**{item.code} {item.title}** · 牵头单位：{item.lead_unit or '—'}"
                            + (f" · 配合单位：{item.other_units}" if item.other_units else ""))
                part = frame[frame["举措"] == f"{item.code} {item.title}"].drop(columns=["行动", "举措", "牵头单位"])
                if item.targets:
                    st.dataframe(part, hide_index=True, width="stretch", placeholder=MISSING)
                else:
                    st.caption("本举措没有量化目标。")
    st.subheader("下载任务清单")
    widgets.downloads(frame, f"任务清单_{year}", "measures")


run_page(render)
