"""数据填报: download the template, upload it (or a long-format file), preview, confirm, commit."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import InputError, Issue
from dashboard.formatting import format_time
from dashboard.monthly import period_label
from dashboard.services import importer, review, template
from dashboard.services.exporter import format_number
from dashboard.services.history import STATUS_WORDS
from dashboard.ui import session, widgets
from dashboard.ui.context import MISSING, engine, run_page

_FLASH, _UPLOADER_ROUND = "upload_flash", "upload_round"
# The preview the user had on screen when they clicked: the commit checks it is still current.
_SHOWN = "upload_shown_preview"


def _issues_frame(issues: list[Issue] | tuple[Issue, ...]) -> pd.DataFrame:
    """Issues as a table with the location split out, so staff can go straight to the cell."""
    return pd.DataFrame({
        "文件": [i.file or "" for i in issues],
        "工作表": [i.sheet or "" for i in issues],
        "行": [str(i.row) if i.row is not None else "" for i in issues],
        "列": [i.column or "" for i in issues],
        "说明": [i.message for i in issues],
    })


def _changes_frame(preview: importer.ImportPreview) -> pd.DataFrame:
    def number(value: float | None) -> str:
        return "—" if value is None else format_number(value)

    rows = []
    for change in preview.changes:
        r = change.record
        old = number(change.old_value)
        rows.append({
            "变化": importer.CHANGE_LABELS[change.kind],
            "指标": change.indicator_name,
            "地区": change.region_name,
            "期间": f"{r.year}年" + ("" if r.month == 12 else f"1–{r.month}月"),
            "状态": STATUS_WORDS[r.status],
            "原值 → 新值": f"{old} → {number(r.value)}" if change.kind == "changed" else number(r.value),
            "单位": change.unit,
            "备注": change.new_note or "",
        })
    order = {label: n for n, label in enumerate(importer.CHANGE_LABELS.values())}
    return pd.DataFrame(rows).sort_values("变化", key=lambda s: s.map(order), kind="stable")


def _template_section(actor: Actor) -> None:
    st.subheader("① 下载填报模板")
    options = template.template_options(engine())
    regions = [(code, name) for code, name in options.regions
               if actor.role != auth.DISTRICT_REPORTER or code == actor.region_code]
    left, middle, right = st.columns(3)
    region_name = left.selectbox("地区", [name for _code, name in regions], key="tpl_region")
    # Staff report last year's figures: default to it, within the plan's years.
    last_year = min(max(date.today().year - 1, options.years[0]), options.years[-1])
    default_year = options.years.index(last_year)
    year = middle.selectbox("年份", options.years, index=default_year, key="tpl_year")
    # The period: the whole year (default) or 1–N月累计 / N月末 for the monthly and quarterly reports.
    month = right.selectbox("期别", list(range(12, 0, -1)), key="tpl_month",
                            format_func=lambda m: "全年（年末）" if m == 12 else period_label(m))
    code = next(code for code, name in regions if name == region_name)
    db = engine()  # captured here: the deferred build runs outside the script thread
    file_name = template.template_file_name(region_name, year, month)
    # Built only when clicked (a callable), so reruns of this page don't write a workbook each time.
    st.download_button(
        f"下载“{file_name}”", data=lambda: template.build_template(db, year, code, month).data, file_name=file_name,
        key="tpl_download", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.caption("模板已预填当前数值；只需修改黄色的“数值”“状态”“备注”列。数值留空表示不填报，不是 0。")


def _preview(name: str, data: bytes) -> importer.ImportPreview | None:
    """Validate the upload under a progress indicator; show every error located, or return the preview."""
    with st.status("正在读取和校验文件…", expanded=False) as status:
        try:
            preview = importer.preview_import(engine(), name, data)
        except InputError as error:
            status.update(label="校验未通过", state="error")
            failed = error
        else:
            status.update(label="校验通过", state="complete")
            return preview
    # Outside the (collapsed) status box: the problems are what the person has to read next.
    # File-level problems (a missing column) first, then by row: the order to fix them in.
    issues = sorted(failed.issues, key=lambda i: (i.row is not None, i.row or 0))
    st.error(f"❌ 文件有 {len(issues)} 处问题，未写入任何数据。请修改后重新上传。第一处：{issues[0]}")
    st.dataframe(_issues_frame(issues), hide_index=True, width="stretch", placeholder=MISSING)
    return None


def _commit_section(actor: Actor, name: str, data: bytes, preview: importer.ImportPreview) -> None:
    # A click reruns the page, which recomputes the preview; what the user confirmed is the one
    # shown on the run before the click.
    shown = st.session_state.get(_SHOWN)
    confirmed = shown if shown is not None and shown.sha256 == preview.sha256 else preview
    st.session_state[_SHOWN] = preview
    st.subheader("③ 预览变化")
    counts = st.columns(4)
    for column, kind in zip(counts, importer.CHANGE_KINDS):
        column.metric(importer.CHANGE_LABELS[kind], preview.count(kind))
    counts[3].metric("空白未填", preview.skipped_blank)
    if preview.changes:
        st.dataframe(_changes_frame(preview), hide_index=True, width="stretch", placeholder=MISSING)
    accepted = True
    if preview.warnings:
        st.warning(f"⚠️ 有 {len(preview.warnings)} 条提醒，请逐条核对（不是错误，确认无误后可以提交）：")
        st.dataframe(_issues_frame(preview.warnings), hide_index=True, width="stretch", placeholder=MISSING)
        accepted = st.checkbox("我已核对以上提醒，数据无误，确认提交", key=f"upload_accept_{preview.sha256}")
    if not preview.has_changes:
        st.info("ℹ️ 文件中的数值与数据库中完全相同，无需提交。")
        return
    if st.button("确认提交", type="primary", disabled=not accepted, key="upload_commit"):
        try:
            with st.spinner("正在写入…"):
                result = importer.commit_import(engine(), name, data, actor, accept_warnings=accepted,
                                                expected=confirmed)
        except importer.PreviewOutdated as error:
            st.error(f"❌ {error}\n\n上方已显示最新的预览，请核对后再确认提交。")
            return
        p = result.preview
        st.session_state[_FLASH] = (
            f"✅ 已提交，提交编号 {result.submission_id}：新增 {p.count('new')} 个，修改 {p.count('changed')} 个，"
            f"不变 {p.count('unchanged')} 个。"
            + ("⏳ 待审核：市统计员审核通过后才会发布，审核结果见下方“我的报送”。" if result.pending
               else "可在“提交记录”页面查看或撤销。")
        )
        st.session_state[_UPLOADER_ROUND] = st.session_state.get(_UPLOADER_ROUND, 0) + 1  # empty the uploader
        st.rerun()


def _my_submissions(actor: Actor) -> None:
    """The reporter's submissions that went through review: state, reviewer and any return reason."""
    items = review.my_submissions(engine(), actor)
    if not items:
        return
    st.subheader("我的报送")
    st.dataframe(pd.DataFrame([{
        "编号": i.id, "状态": i.state_text, "提交时间": format_time(i.created_at), "文件": i.file_name or "",
        "审核人": i.reviewed_by or "", "退回原因": i.reason or "",
    } for i in items]), hide_index=True, width="stretch")
    if any(i.state == review.RETURNED for i in items):
        st.caption("已退回的提交不会发布：请按退回原因修改后重新上传。")


def render() -> None:
    st.title("数据填报")
    widgets.show_flash(_FLASH)
    actor = session.current_actor()
    if actor is None or not auth.can(actor, auth.WRITE_ACTUALS):
        st.warning("数据填报需要统计员或管理员账号，请先登录。")
        return
    _template_section(actor)
    _my_submissions(actor)
    st.subheader("② 上传文件")
    uploaded = widgets.file_uploader("上传填好的模板，或长表格式的文件", ["xlsx", "csv", "xls"],
                                     key=f"upload_file_{st.session_state.get(_UPLOADER_ROUND, 0)}")
    if uploaded is None:
        return
    data = uploaded.getvalue()
    preview = _preview(uploaded.name, data)
    if preview is not None:
        _commit_section(actor, uploaded.name, data, preview)


run_page(render)
