"""总览: the ten-second read for the chosen year and region.

On top one sentence naming the indicators that lag, worst first; a tile per core indicator (latest
figure, status icon and word, progress against 序时进度, a small trend line), worst first; for the city
a compact district × indicator status grid; the full table in an expander and as downloads. Tiles
and grid are HTML (real text a screen reader reads and a person can copy), sized to never scroll
sideways at 1280 px.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import glance
from dashboard import formatting
from dashboard.aggregation import partial_label
from dashboard.progress import STATUS_LABELS, summarise
from dashboard.wording import PRELIMINARY_MARK_NOTE, conclusion_sentence, progress_text
from dashboard.services import views
from dashboard.ui import month_view, ranks, tiles, widgets
from dashboard.ui.context import format_value, run_page


def summary_sentence(year: int, milestone_year: int, counts: dict[str, int], region_name: str,
                     judged: Sequence[glance.Judged] = ()) -> str:
    """The one sentence on top: counts from ``progress.summarise``, and the indicators that lag named,
    worst first (``glance.named_laggards``)."""
    if counts["total"] == 0:
        return f"{region_name}暂无{milestone_year}年目标，无法判断进度。"
    if counts["no_data"] == counts["total"]:
        return f"{region_name}{year}年暂无实际数据：{counts['total']}项指标均无法判断是否符合序时进度。"
    head = (f"{year}年，{region_name}{counts['total']}项指标中{counts['keeping_pace']}项符合序时进度"
            f"（对照{milestone_year}年目标）" + (f"，含{counts['achieved']}项已完成" if counts["achieved"] else ""))
    named = glance.named_laggards([j for j in judged if j.status != glance.NO_TARGET])
    if named:
        # The rest are NOT among those on pace: listed after 其余, never after 其中.
        return head + f"；其余{counts['total'] - counts['keeping_pace']}项中，{named}（括号内为进度差，百分点）。"
    rest = [f"{counts[key]}项{STATUS_LABELS[key][1]}"
            for key in ("missed", "severe", "behind", "at_risk", "incomplete", "no_data") if counts[key]]
    return head + (f"；其余{counts['total'] - counts['keeping_pace']}项中，" + "、".join(rest) if rest else "") + "。"


def _latest(row: views.ScoreRow, district_names: dict[str, str]) -> str:
    info, current = row.current.indicator, row.current
    text = "暂无数据" if row.latest_value is None else (
        f"{format_value(row.latest_value, info.decimals)} {info.unit}（{row.latest_year}年{row.latest_label}）")
    if current.actual_source == "partial" and current.reconciliation is not None:
        # Shown for information, labelled, and never as the city's figure.
        figure = current.reconciliation
        text = (f"{current.assessment.year}年{partial_label(figure, district_names)}："
                f"{format_value(figure.district_sum, info.decimals)} {info.unit}，不作评价；" + text)
    return text + (widgets.PENDING_MARK if row.latest_pending else "")


def scorecard_frame(rows: list[views.ScoreRow], milestone_years: list[int], focus: int,
                    district_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The overview table. 尚需年均增速 is given toward every milestone AFTER the viewed year: in a
    milestone year the growth toward that same year is undefined, so it points to the next one."""
    growth_years = [y for y in milestone_years if y > rows[0].current.assessment.year] if rows else []
    names = district_names or {}
    records = []
    for row in rows:
        a, info = row.current.assessment, row.current.indicator
        own = {m.year: m for m in a.milestones}
        m = own.get(focus)
        record: dict[str, object] = {"指标": info.name, "单位": info.unit, "最新实际值": _latest(row, names)}
        for y in milestone_years:
            target = own.get(y)
            record[f"{y}年目标"] = ("未设目标" if target is None else
                                  widgets.target_text(target.target, info.decimals, row.current.target_origins.get(y)))
        record.update({
            "完成率": formatting.percent(None if m is None else m.attainment),
            "目标进度": "—" if m is None else progress_text(m),
            "序时进度": formatting.percent(None if m is None else m.time_elapsed),
            "状态": "⚪ 无目标（未分解）" if m is None else widgets.milestone_badge(m)
            + ("（对照估算目标）" if row.current.target_origins.get(focus) == "estimated" else ""),
        })
        for y in growth_years:
            record[f"尚需年均增速（至{y}年）"] = formatting.percent(row.required_from_latest.get(y))
        record["一句话结论"] = conclusion_sentence(info.name, a, focus) if m is not None else "尚无目标"
        records.append(record)
    return pd.DataFrame.from_records(records)


def _tiles(rows: list[views.ScoreRow], focus: int) -> list[glance.Tile]:
    out = []
    for row in rows:
        c = row.current
        info = c.indicator
        latest = None if row.latest_value is None else (row.latest_year, row.latest_value, row.latest_label)
        out.append(glance.tile(info.code, info.name, info.unit, info.decimals, c.assessment, focus, latest,
                                 row.trend, c.target_origins.get(focus) == "estimated"))
    order = {j.name: k for k, j in enumerate(glance.worst_first(_judged(rows, focus)))}
    return sorted(out, key=lambda t: order[t.name])


def _judged(rows: list[views.ScoreRow], focus: int) -> list[glance.Judged]:
    return [glance.judge(r.current.indicator.name, r.current.assessment, focus,
                         r.current.target_origins.get(focus) == "estimated") for r in rows]


def _district_grid(year: int, context: views.PlanContext, page: views.Overview) -> None:
    """Additive core indicators × districts, each against its own next milestone."""
    additive = [i for i in context.indicators if i.tier == "core" and i.aggregation == "additive"]
    regions = [d.name for d in context.districts]
    if not page.district_actuals:
        widgets.empty_state(f"{year}年各区县还没有实际数据，暂无区县状态。{widgets.NO_ACTUALS}。")
        return
    tiles.show_grid(glance.grid(page.grid, [i.name for i in additive], regions), regions)
    preliminary = any(j.preliminary for j in page.grid.values())
    st.caption("各区县对照本区县的下一个目标年；格内为状态和进度差（百分点）；“估”为按基期占比估算的目标，"
               "不是正式分解；“未分解”表示该区县尚无目标。" + (PRELIMINARY_MARK_NOTE if preliminary else "")
               + "详见“区县对比”页。")


def render() -> None:
    header = widgets.page_header("总览")
    if header.month < 12:
        month_view.overview(header)
        return
    context, year = header.context, header.year
    region_code = header.region_code
    region_name = header.region_name
    include_pending = widgets.include_pending_toggle()
    page = widgets.load(views.overview, year, region_code, include_pending=include_pending)
    rows = page.scores
    milestone_years = sorted({m.year for r in rows for m in r.current.assessment.milestones if m.year >= year})
    if not milestone_years:
        milestone_years = sorted({m.year for r in rows for m in r.current.assessment.milestones})[-1:]
    focus = milestone_years[0] if milestone_years else year
    counts = summarise([r.current.assessment for r in rows], focus)
    tiles.css()
    st.subheader(f"{region_name} · {year}年 · 核心指标")
    st.markdown(f"**{summary_sentence(year, focus, counts, region_name, _judged(rows, focus))}**")
    has_actuals = any(r.current.assessment.actual is not None or r.current.actual_source for r in rows)
    if not has_actuals:
        st.info(f"{year}年还没有上传实际数据。下面先列出各项目标，以及从最新实际值"
                f"（多为{context.baseline_year}年基期）出发尚需的年均增速。"
                f"请统计人员在[“数据填报”页面]({widgets.UPLOAD_PAGE})上传{year}年数据，或用 `kpi import` 导入。", icon="📤")
    if counts.get("incomplete"):
        st.info(f"{STATUS_LABELS['incomplete'][0]} {STATUS_LABELS['incomplete'][1]}：{counts['incomplete']}项指标"
                f"{year}年只有部分区县报送、还没有全市数。表中“已报区县合计”只作参考，不是全市数，不作评价。")
    if not milestone_years:
        st.info(f"{region_name}的分解目标尚未下达：暂无进度和状态，请在“区县对比”页查看已实现增速和占全市比重。")
    tiles.show(ranks.with_ranks(_tiles(rows, focus), header))
    if region_code == context.city.code and context.districts:
        st.markdown(f"**各区县状态（{year}年）**")
        _district_grid(year, context, page)
    frame = scorecard_frame(rows, milestone_years, focus, {d.code: d.name for d in context.districts})
    with st.expander("完整指标表：各年目标、完成率、目标进度、序时进度、尚需年均增速、一句话结论"):
        widgets.html_table(frame)
    widgets.downloads(frame, f"总览_{region_name}_{year}", "overview_table")
    st.caption(f"状态、完成率和进度对照{focus}年目标；序时进度 = (评估年份 − {context.baseline_year}) ÷ "
               f"(目标年份 − {context.baseline_year})。“尚需年均增速”自最新实际值起算；"
               "基期为 0 时复合增速无定义，显示“—”。状态同时用图标和文字表示；指标按滞后程度排列，最滞后的在前。")


run_page(render)
