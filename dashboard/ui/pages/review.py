"""审核: district submissions waiting for review; approve (publish) or return them with a reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.auth import Actor
from dashboard.formatting import format_time
from dashboard.services import review
from dashboard.services.exporter import format_number
from dashboard.services.history import STATUS_WORDS
from dashboard.ui import widgets
from dashboard.ui.context import engine, run_page

_FLASH = "review_flash"


def queue_frame(items: list[review.ReviewItem]) -> pd.DataFrame:
    return pd.DataFrame([{
        "编号": item.id, "状态": item.state_text, "报送人": item.actor, "提交时间": format_time(item.created_at),
        "文件": item.file_name or "", "地区": "、".join(item.regions), "指标": "、".join(item.indicators),
        "新增": item.n_new, "修改": item.n_changed,
    } for item in items])


def lines_frame(lines: list[review.ReviewLine]) -> pd.DataFrame:
    def number(value: float | None) -> str:
        return "—（尚无）" if value is None else format_number(value)

    return pd.DataFrame([{
        "指标": line.indicator, "地区": line.region,
        "期间": f"{line.year}年" + ("" if line.month == 12 else f"1–{line.month}月"),
        "状态": STATUS_WORDS.get(line.status, line.status), "已发布值": number(line.published_value),
        "报送值": number(line.value), "单位": line.unit, "备注": line.note or "",
    } for line in lines])


def _detail(actor: Actor, item: review.ReviewItem) -> None:
    st.subheader(f"提交 #{item.id} 的内容")
    st.caption(f"{item.actor} · {format_time(item.created_at)} · {item.file_name or ''}")
    # Text stays text: st.dataframe never renders cell content as HTML.
    st.dataframe(lines_frame(review.review_lines(engine(), actor, item.id)), hide_index=True, width="stretch")
    if item.submitted_by == actor.username:
        st.info("这是您本人的提交，需由另一位市统计员或管理员审核。")
        return
    left, right = st.columns(2)
    if left.button("✅ 审核通过并发布", type="primary", key="review_approve"):
        done = review.approve(engine(), actor, item.id)
        st.session_state[_FLASH] = f"✅ 提交 #{done.id} 已审核通过并发布，领导页面即时更新。"
        st.rerun()
    with right.form("review_return_form"):
        reason = st.text_area("退回原因（必填，区县据此修改后重新报送）", key="review_reason")
        if st.form_submit_button("↩️ 退回"):
            done = review.return_submission(engine(), actor, item.id, reason)
            st.session_state[_FLASH] = f"↩️ 提交 #{done.id} 已退回，原因：{done.reason}"
            st.rerun()


def render() -> None:
    st.title("审核")
    actor = widgets.signed_in_reviewer("审核")
    if actor is None:
        return
    widgets.show_flash(_FLASH)
    st.caption("区县统计员上传的数据先为“⏳ 待审核”，审核通过后才在总览、详情、区县对比、演示模式和汇报PPT中显示；"
               "退回的数据不会发布。")
    items = review.review_queue(engine(), actor)
    if not items:
        st.info("✅ 没有待审核的提交。")
        return
    st.dataframe(queue_frame(items), hide_index=True, width="stretch")
    by_id = {item.id: item for item in items}
    chosen = st.selectbox("查看并审核", list(by_id), key="review_choice",
                          format_func=lambda i: f"#{i} {by_id[i].actor}：{'、'.join(by_id[i].regions)}")
    _detail(actor, by_id[chosen])


run_page(render)
