"""计划与目标: the plan's indicator table with the published baseline and targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.services import reading
from dashboard.ui import widgets
from dashboard.ui.context import DEFAULT_PLAN_CODE, format_value, run_page

TIER_TITLES = {"core": "核心指标（主要指标表）", "measure": "举措目标（责任清单）"}
KIND_LABELS = {"flow": "年度流量", "stock": "年末存量", "cumulative": "累计数"}
AGGREGATION_LABELS = {"additive": "各区县可加总", "city_only": "仅统计全市"}


def _table(rows: list[reading.IndicatorRow], baseline_year: int, years: tuple[int, ...]) -> pd.DataFrame:
    records = []
    for row in rows:
        record = {"指标": row.name, "单位": row.unit, f"{baseline_year}年（基期实际）": format_value(row.baseline, row.decimals)}
        if any(r.baseline_revision is not None for r in rows):
            # Shown beside the published baseline, never in its place (口径说明).
            record["基期修订数（上传，仅供参考）"] = format_value(row.baseline_revision, row.decimals)
        record.update({f"{year}年目标": format_value(row.targets.get(year), row.decimals) for year in years})
        record.update({
            "口径": KIND_LABELS[row.kind], "汇总": AGGREGATION_LABELS[row.aggregation],
            "牵头单位": row.lead_unit or "—", "目标说明": row.target_note or "",
        })
        records.append(record)
    return pd.DataFrame.from_records(records)


def render() -> None:
    plans = {p.code: p for p in widgets.load(reading.plans)}
    plan = plans.get(DEFAULT_PLAN_CODE) or next(iter(plans.values()))
    st.title("计划与目标")
    st.caption(f"{plan.title}（{plan.doc_number or plan.issuer}）。{plan.baseline_year}年为计划公布的基期实际值，"
               "其后各年为目标值。进度一律以计划公布的基期值计算；统计人员上传的基期年数字与之不同时，"
               "作为“基期修订数”列在旁边，不替代公布数。")
    for tier, title in TIER_TITLES.items():
        rows = widgets.load(reading.indicator_table, plan.code, tier=tier)
        if not rows:
            continue
        years = tuple(sorted({year for row in rows for year in row.targets}))
        st.subheader(title)
        widgets.html_table(_table(rows, plan.baseline_year, years))
    st.caption("数据来源：计划原文公布的数字。各区县分解目标和年度实际数由统计人员录入后显示。")


run_page(render)
