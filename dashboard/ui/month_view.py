"""The month view (期别 1–N月) of the overview, indicator and district pages: 1–N月累计, 同比, 序时进度.

The pages call these when ``?month=N`` (N < 12) is chosen; the whole year keeps the annual view.
Figures come from :mod:`dashboard.services.monthly`, words from :mod:`dashboard.monthly`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, glance
from dashboard import formatting
from dashboard.aggregation import source_label
from dashboard.monthly import month_sentence, period_label, shown_gap, target_text, ytd_attainment_text, ytd_text
from dashboard.outlook import UNIFORM, basis_table, outlook_band, outlook_line
from dashboard.services import monthly
from dashboard.ui import ranks, state, tiles, widgets
from dashboard.ui.context import engine, format_value

SEASONAL_CAPTION = "按上年同期进度（参考）"
OUTLOOK_COLUMN = "预计全年（按往年规律）"
COMPUTED_MARK = "按公布数计算"  # a 同比 from this year's ÷ last year's published figures, not the published rate


def _outlook(row: monthly.MonthRow) -> str:
    """The outlook sentence of a row, or a dash where there is nothing to extrapolate."""
    ind = row.indicator
    return outlook_line(row.outlook, row.assessment.month, ind.unit, ind.decimals, ind.direction) or "—"


def heading(header: widgets.PageHeader) -> str:
    """"数据截至2026年1–9月": the period every figure below belongs to."""
    return f"数据截至{header.year}年{period_label(header.month)}"


def _ytd_text(row: monthly.MonthRow) -> str:
    return ytd_text(row.assessment, f" {row.indicator.unit}", row.indicator.decimals, row.ytd_source, row.ytd_status,
                    len(row.missing_districts))


def _growth_text(row: monthly.MonthRow) -> str:
    """同比 as shown: the published rate as it is; one computed from the figures is marked so."""
    text = formatting.percent(row.assessment.yoy_growth)
    return f"{text}（{COMPUTED_MARK}）" if row.yoy_growth_source == monthly.COMPUTED else text


def _target_text(row: monthly.MonthRow) -> str:
    return target_text(row.assessment, row.indicator.decimals)


def frame(rows: list[monthly.MonthRow], month: int, region_column: bool = False) -> pd.DataFrame:
    """The month table: one row per indicator (or district), every figure as people read it."""
    label = period_label(month)
    records = []
    for row in rows:
        a = row.assessment
        record: dict[str, object] = {"地区": row.region.name} if region_column else {"指标": row.indicator.name}
        record.update({
            "状态": widgets.status_badge(a.status),  # first after the name: visible without scrolling at 1280 px
            f"{label}累计/月末": _ytd_text(row),
            "同比": _growth_text(row),
            "全年需增长": formatting.percent(a.needed_yoy),
            "年度目标": _target_text(row),
            "完成全年目标": ytd_attainment_text(a),
            "序时进度": formatting.percent(a.time_elapsed),
            "快于（+）/慢于（−）序时": widgets.points(None if (gap := shown_gap(a)) is None else float(gap)),
            SEASONAL_CAPTION: formatting.percent(a.vs_seasonal),
            "一句话": month_sentence(row.indicator.name, row.indicator.unit, row.indicator.decimals, a),
            OUTLOOK_COLUMN: _outlook(row),
        })
        records.append(record)
    return pd.DataFrame.from_records(records)


def _rows(header: widgets.PageHeader, **filters: object) -> list[monthly.MonthRow]:
    return monthly.month_progress(engine(), header.year, header.month, plan_code=header.context.code,
                                  **filters)  # type: ignore[arg-type]


def overview(header: widgets.PageHeader) -> None:
    """Every core indicator of the region for 1–N月."""
    rows = _rows(header, region=header.region_code, tier="core")
    st.subheader(f"{header.region_name} · {heading(header)} · 核心指标")
    counts = {s: sum(r.assessment.status == s for r in rows) for s in ("achieved", "on_track", "at_risk", "behind",
                                                                         "severe", "incomplete", "no_data")}
    pace = counts["achieved"] + counts["on_track"]
    judged = [glance.judge_month(r.indicator.name, r.assessment) for r in rows]
    named = glance.named_laggards(judged)
    st.markdown(f"**{header.year}年{period_label(header.month)}，{header.region_name}{len(rows)}项指标中{pace}项"
                f"达到序时进度（{header.month}/12）" + (f"；{named}（括号内为进度差，百分点）" if named else "") + "**")
    # The ten-second read of the month, as on the annual overview: a tile per indicator, worst first.
    order = {j.name: k for k, j in enumerate(glance.worst_first(judged))}
    tiles.css()
    month_tiles = sorted((glance.month_tile(r.indicator.code, r.indicator.name, r.indicator.unit, r.indicator.decimals,
                                            r.assessment, f"{header.year}年{period_label(header.month)}",
                                            source_label(r.ytd_source, r.ytd_status) if r.ytd_source else "")
                          for r in rows), key=lambda t: order[t.name])
    tiles.show(ranks.with_ranks(month_tiles, header))
    table = frame(rows, header.month)
    with st.expander(f"完整指标表：{period_label(header.month)}累计、同比、全年需增长、年度目标、序时进度、一句话"):
        widgets.html_table(table)
    widgets.downloads(table, f"{header.region_name}_{header.year}年{period_label(header.month)}", "month_overview")
    st.caption(f"序时进度 = {header.month}/12；完成全年目标：流量为 1–N月累计 ÷ 年度目标，存量为（月末 − 上年末）÷（年度目标 − 上年末）。"
               f"同比为统计部门公布的同比增速（可比口径）；标“{COMPUTED_MARK}”的未填报公布增速，为今年数 ÷ 上年同期公布数 − 1。"
               f"“全年需增长”为年度目标比上年全年（存量为上年末）的增幅，与同比并列比较。"
               f"“{SEASONAL_CAPTION}”为实际 ÷ 按上年同期占全年比例推算的预期值，只作第二意见。"
               "只有部分区县报送时显示已报区县合计，状态为◐数据不全，不作评价。"
               f"“{OUTLOOK_COLUMN}”= 1–N月累计 ÷ 往年（最多近5年）同期占全年的平均比重，括号内为按最靠前与最靠后的往年规律"
               "推算的区间（存量按往年N月末至年末的增量）；不是承诺，回测误差见方法说明第13节。")


def indicator(header: widgets.PageHeader, code: str, region_code: str) -> None:
    """One indicator in one region: the classic cumulative chart and its numbers."""
    series = monthly.cumulative_series(engine(), code, region_code, header.year, header.month, header.context.code)
    row, info = series.row, series.row.indicator
    a = row.assessment
    st.subheader(f"{info.name}（{info.unit}）· {row.region.name} · {heading(header)}")
    st.markdown(f"**{month_sentence(info.name, info.unit, info.decimals, a)}** {widgets.status_badge(a.status)}")
    columns = st.columns(4)
    columns[0].metric(f"{period_label(header.month)}（{info.unit}）", format_value(a.ytd, info.decimals),
                      help=source_label(row.ytd_source, row.ytd_status) if row.ytd_source else None)
    columns[1].metric("同比", formatting.percent(a.yoy_growth),
                      help={monthly.COMPUTED: COMPUTED_MARK, monthly.PUBLISHED: "统计部门公布的同比增速（可比口径）"}.get(
                          row.yoy_growth_source or ""))
    columns[2].metric("全年需增长", formatting.percent(a.needed_yoy))
    columns[3].metric("完成全年目标 / 序时进度", f"{ytd_attainment_text(a)} / {formatting.percent(a.time_elapsed)}")
    o = row.outlook
    if (line := outlook_line(o, header.month, info.unit, info.decimals, info.direction)) is not None:
        st.markdown(f"**{line}**")
    band = outlook_band(o, header.month, a.ytd)
    figure = charts.cumulative(f"{row.region.name}{info.name}：{header.year}年与{header.year - 1}年逐月累计、目标进度",
                               info.unit, header.year, series.this_year, series.last_year, series.target_path, band)
    data = pd.DataFrame({"月份": list(range(1, 13))})
    for name, points in ((f"{header.year}年", series.this_year), (f"{header.year - 1}年", series.last_year),
                         ("目标进度（按序时）", series.target_path)):
        values = dict(points)
        data[f"{name}（{info.unit}）"] = [values.get(m) for m in range(1, 13)]
    if band is not None:  # the downloaded data carries the outlook as drawn
        for name, value in (("预计全年", o.forecast), ("预计全年下限", o.forecast_low), ("预计全年上限", o.forecast_high)):
            data[f"{name}（{info.unit}）"] = [value if m == 12 else None for m in range(1, 13)]
    widgets.chart(figure, data, f"{info.name}_{row.region.name}_{header.year}年逐月", "indicator_cumulative")
    st.caption("实线圆点为今年逐月累计（存量为月末数），虚线为上年同期，点线为年度目标按序时均匀分到各月（目标进度）。"
               f"年度目标：{_target_text(row)}。选择期别“全年”可看年度轨迹。"
               + ("点划线与菱形为预计全年，斜线阴影为按往年规律推算的区间。" if band is not None else ""))
    _outlook_basis(row, header.month)


def _outlook_basis(row: monthly.MonthRow, month: int) -> None:
    """The past years' shares (or increments) the outlook rests on, so the number can be checked by hand."""
    o, info = row.outlook, row.indicator
    if o.forecast_method is None:
        return
    st.markdown("**往年规律（预计全年的依据）**")
    if o.forecast_method == UNIFORM:
        st.caption("往年没有同期与全年数，按时间均匀推算（1–N月累计 × 12 ÷ N），不给区间。")
        return
    st.dataframe(pd.DataFrame.from_records(basis_table(o, month, info.unit, info.decimals)), hide_index=True)
    elapsed = "" if o.seasonal_time_elapsed is None else (
        f"按往年规律的序时进度 {formatting.percent(o.seasonal_time_elapsed)}（日历序时进度 {formatting.percent(month / 12)}）。")
    st.caption(elapsed + "区间两端为今年分别像往年中最靠前、最靠后的一年时的全年数。")


def districts(header: widgets.PageHeader, indicators: list) -> None:  # type: ignore[type-arg]
    """Districts side by side on the same month for one indicator."""
    infos = {i.code: i for i in indicators}
    code = str(state.select(state.INDICATOR, "指标", list(infos), indicators[0].code,
                            format_func=lambda c: infos[c].name, sidebar=False))
    rows = _rows(header, indicator=code)
    st.subheader(f"各区县{infos[code].name} · {heading(header)}")
    table = frame(rows, header.month, region_column=True)
    st.dataframe(table, hide_index=True, width="stretch")
    district_rows = [r for r in rows if r.region.code != header.context.city.code]
    figure = charts.progress_bars([f"{r.region.name} {widgets.status_badge(r.assessment.status)}" for r in district_rows],
                                  [r.assessment.ytd_attainment for r in district_rows],
                                  [r.assessment.time_elapsed for r in district_rows],
                                  f"各区县完成全年目标与序时进度（{period_label(header.month)}）", "完成全年目标", "区县")
    widgets.chart(figure, table, f"区县对比_{infos[code].name}_{header.year}年{period_label(header.month)}",
                  "districts_month")
    st.caption("区县没有分解目标时不作评价（⚪暂无数据），同比与累计数照常给出。")
