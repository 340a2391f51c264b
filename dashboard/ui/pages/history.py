"""提交记录: every submission, what it changed, the full history of any value, and rollback."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.services import history, reading, template
from dashboard.services.exporter import format_number
from dashboard.ui import session, widgets
from dashboard.ui.context import DEFAULT_PLAN_CODE, MISSING, engine, run_page

_FLASH = "history_flash"
PAGE_SIZE = 200  # values of a submission shown at once: a full-year import writes 14 000


def _number(value: float | None) -> str:
    return "—" if value is None else format_number(value)


def _submissions_frame(rows: list[history.SubmissionRow]) -> pd.DataFrame:
    return pd.DataFrame({
        "编号": [r.id for r in rows],
        "类型": [r.kind_label for r in rows],
        "时间": [history.format_time(r.created_at) for r in rows],
        "操作人": [r.actor for r in rows],
        "文件": [r.file_name or "" for r in rows],
        "新增": [r.n_new for r in rows],
        "修改": [r.n_changed for r in rows],
        "不变": [r.n_unchanged for r in rows],
        "说明": [r.note or "" for r in rows],
        "撤销情况": [f"↩️ 已被提交 #{r.rolled_back_by_id} 撤销" if r.rolled_back_by_id else "" for r in rows],
    })


def _detail(submission_id: int) -> None:
    """One page of the values a submission wrote or withdrew, with the totals and a page choice."""
    first = widgets.load(history.submission_detail, submission_id, limit=PAGE_SIZE, offset=0)
    total = first.n_written + first.n_retired
    pages = max(1, -(-total // PAGE_SIZE))
    detail = first
    if pages > 1:
        st.caption(f"这次提交共涉及 {total:,} 个数值（写入 {first.n_written:,} 个，撤回 {first.n_retired:,} 个），"
                   f"每页显示 {PAGE_SIZE} 个。")
        page = st.number_input(f"页码（共 {pages} 页）", min_value=1, max_value=pages, value=1, step=1,
                               key=f"hist_detail_page_{submission_id}")
        if page > 1:
            detail = widgets.load(history.submission_detail, submission_id, limit=PAGE_SIZE,
                                  offset=(int(page) - 1) * PAGE_SIZE)
    rows = [{"数值": v.label(), "原值 → 新值": f"{_number(v.previous_value)} → {_number(v.value)}", "单位": v.unit,
             "备注": v.note or "", "现状": "当前" if v.is_current else f"已被提交 #{v.retired_by_id} 替换"}
            for v in detail.written]
    rows += [{"数值": v.label(), "原值 → 新值": f"{_number(v.value)} → 撤回", "单位": v.unit, "备注": v.note or "",
              "现状": "已撤回"} for v in detail.retired]
    if rows:
        frame = pd.DataFrame(rows)
        st.dataframe(frame, hide_index=True, width="stretch", placeholder=MISSING, column_config=widgets.fitted_columns(frame))
    targets = detail.submission.n_new + detail.submission.n_changed - len(detail.written)
    if detail.submission.kind in ("plan", "allocation") and targets > 0:
        # The counts above include targets, which this list (actual figures only) does not show.
        st.caption(f"这次提交还写入了 {targets} 个目标值，见“计划与目标”页。" if rows else
                   f"这次提交写入的是 {targets} 个目标值（没有实际数），见“计划与目标”页。")
    elif not rows:
        st.caption("这次提交没有写入实际数（例如计划文件或目标分解）。")


def _rollback(submission: history.SubmissionRow) -> None:
    if not submission.can_roll_back or not session.may(auth.ROLLBACK):
        return
    st.markdown(f"**撤销提交 #{submission.id}**：它修改的数值恢复为原值，它新增的数值撤回；撤销本身也会记录为一次提交。")
    confirmed = st.checkbox(f"我确认撤销提交 #{submission.id}", key=f"rollback_confirm_{submission.id}")
    if st.button("撤销此提交", disabled=not confirmed, key=f"rollback_{submission.id}"):
        result = history.rollback_submission(engine(), submission.id, session.current_actor())
        st.session_state[_FLASH] = (f"✅ 已撤销提交 #{result.rolled_back_id}（撤销记录为提交 #{result.submission_id}）："
                                    f"恢复原值 {result.restored} 个，撤回新增 {result.withdrawn} 个。")
        st.rerun()


def _value_lookup() -> None:
    st.subheader("数值历史")
    indicators = widgets.load(reading.indicator_table, DEFAULT_PLAN_CODE)
    options = widgets.load(template.template_options)
    a, b, c = st.columns([3, 2, 1])
    name = a.selectbox("指标", [i.name for i in indicators], key="hist_indicator")
    region = b.selectbox("地区", [n for _code, n in options.regions], key="hist_region")
    year = c.selectbox("年份", options.years, key="hist_year")
    versions = widgets.load(history.value_history, name, region, year)
    if not versions:
        st.info("ℹ️ 该数值还没有任何记录。")
        return
    subs = widgets.load(history.submissions_by_id, tuple(sorted({v.submission_id for v in versions})))
    frame = pd.DataFrame({
        "数值": [v.label() for v in versions],
        "值": [f"{_number(v.value)} {v.unit}" for v in versions],
        "原值": [_number(v.previous_value) for v in versions],
        "备注": [v.note or "" for v in versions],
        "提交": [f"#{v.submission_id} {subs[v.submission_id].kind_label}" for v in versions],
        "操作人": [subs[v.submission_id].actor for v in versions],
        "时间": [history.format_time(subs[v.submission_id].created_at) for v in versions],
        "文件": [subs[v.submission_id].file_name or "" for v in versions],
        "现状": ["✅ 当前" if v.is_current else f"已被提交 #{v.retired_by_id} 替换" for v in versions],
    })
    st.dataframe(frame, hide_index=True, width="stretch", placeholder=MISSING, column_config=widgets.fitted_columns(frame))


def render() -> None:
    st.title("提交记录")
    widgets.show_flash(_FLASH)
    rows = widgets.load(history.list_submissions)
    frame = _submissions_frame(rows)
    st.dataframe(frame, hide_index=True, width="stretch", placeholder=MISSING, column_config=widgets.fitted_columns(frame))
    if rows:
        st.subheader("提交详情")
        labels = {f"#{r.id}｜{r.kind_label}｜{history.format_time(r.created_at)}｜{r.file_name or r.actor}": r
                  for r in rows}
        chosen = labels[st.selectbox("选择一次提交", list(labels), key="hist_submission")]
        _detail(chosen.id)
        _rollback(chosen)
    _value_lookup()


run_page(render)
