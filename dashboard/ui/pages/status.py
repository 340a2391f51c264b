"""报送情况: for a chosen period, which indicator × region has 已发布 / 待审核 / 已退回 / 未报 / 逾期."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth, reporting
from dashboard.auth import Actor
from dashboard.services import reporting as reporting_service
from dashboard.ui import widgets
from dashboard.services import views
from dashboard.ui.context import engine, run_page

MONTHS = [12, *range(1, 12)]
_FLASH = "status_flash"
OVERDUE_STYLE = "color: #B00000; font-weight: bold; background-color: #FDE2E1"


def month_label(month: int) -> str:
    return "全年" if month == reporting.ANNUAL else f"1–{month}月累计"


def grid_frame(grid: reporting_service.StatusGrid) -> pd.DataFrame:
    return pd.DataFrame(reporting_service.status_rows(grid), columns=reporting_service.status_header(grid))


def _styled(frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Overdue cells in red — on top of their icon and word, which carry the meaning on their own."""
    overdue = reporting.cell_text(reporting.OVERDUE)
    return frame.style.map(lambda v: OVERDUE_STYLE if v == overdue else "")


def _define_periods(actor: Actor, years: list[int]) -> None:
    with st.expander("设置报送期（管理员）"):
        context = widgets.load(views.plan_context)
        names = [reporting_service.ALL_INDICATORS, *(i.name for i in context.indicators)]
        with st.form("period_form"):
            left, middle, right = st.columns(3)
            indicator = left.selectbox("指标", names, key="period_indicator")
            year = middle.selectbox("年份", years, key="period_year", index=len(years) - 1)
            month = right.selectbox("期间", MONTHS, format_func=month_label, key="period_month")
            deadline = st.date_input("截止日期（不填写则按惯例：年度数据次年3月15日，1–N月累计次月15日）", value=None,
                                     key="period_deadline")
            if st.form_submit_button("保存报送期"):
                day = deadline or reporting.default_deadline(year, month)
                row = reporting_service.define_period(
                    engine(), actor, year, month, day, None if indicator == reporting_service.ALL_INDICATORS else indicator)
                # Rerun so the grid above (drawn before this form) shows the new deadline at once.
                st.session_state[_FLASH] = f"已设置：{row.indicator}｜{row.label}｜截止 {row.deadline.isoformat()}"
                st.rerun()
        periods = reporting_service.list_periods(engine())
        if periods:
            st.dataframe(pd.DataFrame([{"报送期": p.label, "指标": p.indicator, "截止日期": p.deadline.isoformat(),
                                        "设置人": p.created_by} for p in periods]), hide_index=True, width="stretch")


def render() -> None:
    st.title("报送情况")
    actor = widgets.signed_in_reviewer("报送情况")
    if actor is None:
        return
    widgets.show_flash(_FLASH)
    context = widgets.load(views.plan_context)
    years = list(range(context.baseline_year, max(context.years, default=date.today().year) + 1))
    today = reporting_service.today_in_beijing()
    # The newest year with a defined period (what the office is chasing), else last year's figures.
    defined = [p.year for p in reporting_service.list_periods(engine()) if p.year in years]
    default = max(defined) if defined else min(max(today.year - 1, years[0]), years[-1])
    left, right = st.columns(2)
    year = left.selectbox("报送年份", years, index=years.index(default), key="status_year",
                          format_func=lambda y: f"{y}年")
    month = right.selectbox("期间", MONTHS, format_func=month_label, key="status_month")
    grid = reporting_service.status_grid(engine(), year, month, today)
    counts = st.columns(5)
    for column, state in zip(counts, (reporting.PUBLISHED, reporting.PENDING, reporting.RETURNED,
                                      reporting.MISSING, reporting.OVERDUE)):
        column.metric(reporting.cell_text(state), grid.count(state))
    if all(d is None for d in grid.deadlines.values()):
        st.info(f"尚未设置{grid.label}的报送期：请管理员在下方“设置报送期”中设置截止日期。")
    st.dataframe(_styled(grid_frame(grid)), hide_index=True, width="stretch")
    if corrections := sum(1 for c in grid.cells.values() if c.correction_pending):
        st.caption(f"另有 {corrections} 个已发布的数值有更正待审核（表中标“更正待审核”，请到“审核”页处理）。")
    st.caption(f"截至 {today.isoformat()}（北京时间）。逾期 = 截止日期已过仍无已发布或待审核的数值；"
               "“— 无需报送”：该期间未设报送期，或该指标只由全市报送。状态同时用图标和文字表示。")
    st.download_button("下载 XLSX（含催报清单）", lambda: reporting_service.status_xlsx(grid),
                       f"报送情况_{grid.label}.xlsx", key="status_xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if auth.can(actor, auth.DEFINE_PERIODS):
        _define_periods(actor, years)


run_page(render)
