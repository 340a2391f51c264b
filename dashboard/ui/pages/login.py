"""登录 / 退出: local accounts."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from dashboard.services import accounts
from dashboard.ui import session
from dashboard.ui.context import engine, run_page
from dashboard.ui.widgets import plain


def render() -> None:
    st.title("登录")
    if session.single_user_mode():
        if session.single_user_refused():
            st.error("🔒 尚未创建任何账号，系统处于**单机模式**，只允许在服务器本机（127.0.0.1）打开。\n\n"
                     "请管理员在服务器上运行 `kpi user add 用户名 --role admin` 创建第一个管理员账号，之后即可从网络登录。")
            return
        st.info("尚未创建任何账号，系统处于**单机模式**：在本机打开本页面的人都以管理员身份操作（其他电脑无法访问）。\n\n"
                "创建第一个管理员账号后即需登录：在命令行运行 `kpi user add 用户名 --role admin`。")
        return
    # Kept until the next sign-in: the run that ended the session may be followed by a page switch.
    if st.session_state.get(session.ENDED_KEY):
        st.warning("登录已失效（已过期、已退出、账号被停用或密码已修改），请重新登录。")
    actor = session.signed_in_actor()
    if actor is not None and st.session_state.pop("kpi_go_home", False):
        st.switch_page(session.HOME_PAGE)
    if actor is not None:
        st.success(f"已登录：{plain(actor.label)}")
        if st.button("退出登录", key="logout"):
            session.sign_out()
            st.rerun()
        return
    with st.form("login"):
        username = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        try:
            session.sign_in(accounts.authenticate(engine(), username, password))
        except accounts.LoginFailed as error:
            st.error(str(error))
        else:
            st.rerun()
    st.caption(f"连续输错 {auth.MAX_FAILED_LOGINS} 次密码后账号将被临时锁定；登录 {int(auth.SESSION_LIFETIME.total_seconds() // 3600)} 小时后需重新登录。"
               "刷新页面或在本浏览器打开分享的链接时保持登录。")


run_page(render)
