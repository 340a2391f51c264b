"""Entry point: ``streamlit run app.py`` (see README for the one set-up command)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from dashboard.ui import session
from dashboard.ui.context import shows_errors
from dashboard.ui.widgets import plain

st.set_page_config(page_title="绍兴市平台经济“1215”目标监测", page_icon="📊", layout="wide")

# Pages everyone who may read sees.
READ_PAGES = [
    st.Page("dashboard/ui/pages/overview.py", title="总览", icon="📊", url_path="overview", default=True),
    st.Page("dashboard/ui/pages/indicator.py", title="指标详情", icon="📈", url_path="indicator"),
    st.Page("dashboard/ui/pages/districts.py", title="区县对比", icon="🗺️", url_path="districts"),
    st.Page("dashboard/ui/pages/measures.py", title="任务清单", icon="✅", url_path="measures"),
    st.Page("dashboard/ui/pages/plan.py", title="计划与目标", icon="📋", url_path="plan"),
    st.Page("dashboard/ui/pages/present.py", title="演示模式", icon="🖥️", url_path="present"),
]
# Pages shown only to roles that may use them; the services enforce the same rules on every write.
ROLE_PAGES = [
    (auth.WRITE_ACTUALS, st.Page("dashboard/ui/pages/upload.py", title="数据填报", icon="📤", url_path="upload")),
    (auth.REVIEW, st.Page("dashboard/ui/pages/review.py", title="审核", icon="🔎", url_path="review")),
    (auth.REVIEW, st.Page("dashboard/ui/pages/status.py", title="报送情况", icon="🗓️", url_path="status")),
    (auth.ROLLBACK, st.Page("dashboard/ui/pages/history.py", title="提交记录", icon="🕘", url_path="history")),
    (auth.ALLOCATE_TARGETS, st.Page("dashboard/ui/pages/allocation.py", title="目标分解", icon="🎯", url_path="allocation")),
    (auth.READ_AUDIT, st.Page("dashboard/ui/pages/audit.py", title="操作日志", icon="🧾", url_path="audit")),
]
LOGIN_PAGE = st.Page("dashboard/ui/pages/login.py", title="登录", icon="🔑", url_path="login")


with shows_errors():  # a database that is down, or any surprise, is a Chinese message, never a traceback
    actor = session.current_actor()
    session.sync_cookie()
    if actor is None:
        # Accounts exist and nobody is signed in (and no public read-only screen): only the login page.
        st.navigation([LOGIN_PAGE], position="hidden").run()
    else:
        admin_pages = [page for operation, page in ROLE_PAGES if auth.can(actor, operation)]
        sections = {"监测": READ_PAGES}
        if admin_pages:
            sections["管理"] = admin_pages
        sections["账号"] = [LOGIN_PAGE]
        with st.sidebar:
            st.caption(f"当前用户：{plain(actor.label)}")
        # expanded: every page listed, without Streamlit's English "View N more" link.
        st.navigation(sections, expanded=True).run()
