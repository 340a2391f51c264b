"""操作日志: every write and every failed sign-in, exportable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.services import audit
from dashboard.ui import session
from dashboard.ui.context import engine, run_page


def render() -> None:
    st.title("操作日志")
    actor = session.current_actor()
    if actor is None:
        st.warning("请先登录。")
        return
    labels = {"全部": None, **{label: action for action, label in audit.ACTION_LABELS.items()}}
    choice = st.selectbox("操作类型", list(labels), key="audit_action")
    rows = audit.audit_log(engine(), actor, action=labels[choice])
    if not rows:
        st.info("暂无记录。")
        return
    # Text stays text: st.dataframe never renders cell content as HTML.
    st.dataframe(pd.DataFrame([r.cells() for r in rows], columns=list(audit.COLUMNS)), hide_index=True, width="stretch")
    st.caption(f"显示最近 {len(rows)} 条记录。")
    left, right = st.columns(2)
    # Files are built only when clicked (callables), not on every rerun.
    left.download_button("下载 CSV", lambda: audit.audit_export(rows, "audit.csv"), "操作日志.csv", "text/csv",
                         on_click="ignore")
    right.download_button("下载 Excel", lambda: audit.audit_export(rows, "audit.xlsx"), "操作日志.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")


run_page(render)
