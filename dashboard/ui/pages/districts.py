"""区县对比: districts × indicators heat map, ranking, contributions and the reconciliation note."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import formatting
from dashboard.aggregation import partial_label, source_label
from dashboard.formatting import round_value, signed_points
from dashboard.progress import STATUS_LABELS
from dashboard.wording import PRELIMINARY_MARK, PRELIMINARY_MARK_NOTE, PRELIMINARY_VERDICT, gap_points, status_text
from dashboard.services import views
from dashboard.ui import month_view, state, widgets
from dashboard.ui.context import MISSING, format_value, run_page


def _cell(cell: views.GridCell, focus: int | None) -> tuple[float | None, str]:
    """(gap in percentage points, printed text) of one district and indicator against ``focus``."""
    m = cell.milestone(focus)
    if m is None:
        return None, "未分解目标"
    if cell.actual is None:
        return None, "暂无数据"
    word = status_text(m).split(" ", 1)[1]  # the word, no emoji: the PNG export lacks them
    # "未完成（据初步数）" is wider than a cell at 1280 px and spilled into its neighbours, where "完成…"
    # read as the opposite verdict: the cell says "未完成*" and the caption explains the mark.
    word = word.replace(PRELIMINARY_VERDICT, PRELIMINARY_MARK)
    diff = gap_points(m)
    shown = "—" if diff is None else signed_points(float(diff))
    return m.gap_pp, shown + f"<br>{word}"


def matrix(cells: list[views.GridCell], districts: list[views.RegionInfo], indicators: list[views.IndicatorInfo],
           focus: int | None, allocated: bool) -> tuple[list[list[float | None]], list[list[str]], pd.DataFrame]:
    """Cell values, cell texts and the downloadable table of the heat map."""
    by_key = {(c.region_code, c.indicator_code): c for c in cells}
    values, texts, records = [], [], []
    for d in districts:
        value_row, text_row = [], []
        for i in indicators:
            a = by_key[(d.code, i.code)]
            if allocated:
                value, text = _cell(a, focus)
            else:
                value = a.achieved_growth
                text = "暂无数据" if value is None else formatting.percent(value)
                value = None if value is None else 100 * value
            value_row.append(value)
            text_row.append(text)
            records.append({"区县": d.name, "指标": i.name,
                            ("进度差（百分点）" if allocated else "已实现年均增速（%）"): None if value is None else round_value(value, 1),
                            "说明": text.replace("<br>", " ").replace(PRELIMINARY_MARK, PRELIMINARY_VERDICT)})
        values.append(value_row)
        texts.append(text_row)
    return values, texts, pd.DataFrame.from_records(records)


def _reconciliation_note(city: views.Assessed, names: dict[str, str]) -> None:
    figure, info = city.reconciliation, city.indicator
    if figure is None:
        return
    missing = "、".join(names[c] for c in figure.missing_districts)  # for a reported city figure
    if figure.source == "reported" and figure.reconciliation_flagged:
        st.warning(f"核对：全市{info.name}为 {format_value(figure.value, info.decimals)} {info.unit}，各区县合计 "
                   f"{format_value(figure.district_sum, info.decimals)} {info.unit}，相差 "
                   f"{format_value(figure.reconciliation_diff, info.decimals)} {info.unit}，超出四舍五入误差，请核实。")
    elif figure.source == "reported" and figure.reconciliation_diff is not None:
        st.caption(f"核对：全市数与各区县合计一致（差额 {format_value(figure.reconciliation_diff, info.decimals)}"
                   f" {info.unit}，在四舍五入误差内）。")
    elif figure.source == "derived":
        st.caption(f"全市暂无正式数字，全市数为全部{figure.n_districts}个区县合计（{source_label(figure.source, figure.status)}）。")
    elif figure.source == "partial":
        st.info(f"◐ 数据不全：全市暂无正式数字，{partial_label(figure, names)}为 "
                f"{format_value(figure.district_sum, info.decimals)} {info.unit}。它不是全市数：不作评价，"
                "也不作占全市比重、增量贡献率的分母，这两列暂不计算。")
    elif missing and figure.source == "reported":
        st.caption(f"核对：{missing}未报数，无法与全市数比对。")


def _ranking(info: views.IndicatorInfo, year: int, parts: list[views.Contribution], names: list[str],
             table: pd.DataFrame) -> None:
    """The ranking and the shares of one indicator, with the table below."""
    values_ = [p.actual for p in parts]
    figure = widgets.figure(charts.ranking, names, values_, f"{year}年各区县{info.name}", f"{info.name}（{info.unit}）",
                            labels=["暂无数据" if v is None else format_value(v, info.decimals) for v in values_])
    widgets.chart(figure, table, f"{info.name}_{year}_区县排名", "districts_ranking")
    shares = {"占全市比重": [p.share_of_total for p in parts], "增量贡献率（自基期）": [p.share_of_increment for p in parts]}
    if any(p.share_of_remaining_gap is not None for p in parts):
        shares["占剩余差距"] = [p.share_of_remaining_gap for p in parts]
    if any(v is not None for series in shares.values() for v in series):
        widgets.chart(widgets.figure(charts.shares, names, shares, f"{year}年各区县对全市{info.name}的贡献"),
                      table, f"{info.name}_{year}_区县贡献", "districts_shares")
    st.dataframe(table, hide_index=True, width="stretch", placeholder=MISSING, column_config=widgets.fitted_columns(table))
    if not any(p.share_of_remaining_gap is not None for p in parts):
        st.caption("“距目标尚差”需要区县分解目标；分解目标下达前只显示占全市比重和增量贡献率。")


def render() -> None:
    header = widgets.page_header("区县对比")
    context, year = header.context, header.year
    indicators = [i for i in context.indicators if i.tier == "core" and i.aggregation == "additive"]
    if header.month < 12:
        month_view.districts(header, indicators)
        return
    cells = widgets.load(views.district_grid, year)
    # The sidebar's 地区: a chosen district leads the heat map and is marked in the ranking.
    chosen = header.region_code if header.region_code != context.city.code else None
    districts = sorted(context.districts, key=lambda d: d.code != chosen)
    names = {d.code: d.name for d in districts}
    years = sorted({m.year for c in cells for m in c.milestones if m.year >= year})
    allocated = bool(years)
    focus = years[0] if years else None
    st.subheader(f"{year}年各区县进度" + (f"（对照{focus}年目标）" if focus else ""))
    if chosen:
        st.caption(f"侧栏所选地区：{names[chosen]}，排在首行，排名图中标“（所选）”。")
    if not allocated:
        st.info("各区县的分解目标尚未下达（或尚未录入），暂不能按区县判断进度和状态。"
                "下表先显示不依赖目标的指标：已实现年均增速（自基期起）；占全市比重和增量贡献见下方。"
                "管理员可在“目标分解”页录入分解目标。")
    values, texts, frame = matrix(cells, districts, indicators, focus, allocated)
    title = (f"进度差：目标进度 − 序时进度（百分点，对照{focus}年目标）" if allocated
             else f"已实现年均增速（%，{context.baseline_year}—{year}年）")
    codes = {i.code for i in indicators}
    if not any(c.actual is not None for c in cells if c.indicator_code in codes):
        widgets.empty_state(f"{year}年各区县还没有实际数据，无法比较。{widgets.NO_ACTUALS}。")
    else:
        figure = widgets.figure(charts.heatmap, [d.name for d in districts], [i.name for i in indicators], values,
                                texts, title, "百分点" if allocated else "%")
        widgets.chart(figure, frame, f"区县对比_{year}", "districts_heatmap")
    if allocated:
        st.caption("正数表示快于序时进度，负数表示慢于；格内文字为状态（"
                   + "、".join(f"{icon}{word}" for icon, word in STATUS_LABELS.values()) + "）。"
                   "标注“按基期占比估算”的目标不是正式分解目标。"
                   + (PRELIMINARY_MARK_NOTE if any(PRELIMINARY_MARK in t for r in texts for t in r) else ""))

    st.subheader("单项指标排名与贡献")
    infos = {i.code: i for i in indicators}
    code = str(state.select(state.INDICATOR, "指标", list(infos), indicators[0].code,
                            format_func=lambda c: infos[c].name, sidebar=False))
    info = infos[code]
    city, parts = widgets.load(views.contributions, code, year)
    values_ = [p.actual for p in parts]
    shown_names = [p.region.name + ("（所选）" if p.region.code == chosen else "") for p in parts]
    table = pd.DataFrame({
        "区县": [p.region.name for p in parts],
        f"{year}年实际值（{info.unit}）": [format_value(p.actual, info.decimals) for p in parts],
        f"{context.baseline_year}年基期（{info.unit}）": [format_value(p.baseline, info.decimals) for p in parts],
        "占全市比重": [formatting.percent(p.share_of_total) for p in parts],
        f"增量（{info.unit}）": [format_value(p.increment, info.decimals) for p in parts],
        "增量贡献率": [formatting.percent(p.share_of_increment) for p in parts],
        f"距目标尚差（{info.unit}）": [format_value(p.remaining_gap, info.decimals) for p in parts],
        "占全市剩余差距": [formatting.percent(p.share_of_remaining_gap) for p in parts],
        "目标来源": [widgets.origin_label(p.target_origin) for p in parts],
    })
    if all(v is None for v in values_):
        widgets.empty_state(f"{year}年各区县的{info.name}还没有实际数据，无法排名。{widgets.NO_ACTUALS}。")
    else:
        _ranking(info, year, parts, shown_names, table)
    _reconciliation_note(city, names)


run_page(render)
