"""Entry point: ``streamlit run app.py`` (see README for the one set-up command)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="绍兴市平台经济“1215”目标监测", page_icon="📊", layout="wide")

PAGES = [
    st.Page("dashboard/ui/pages/plan.py", title="计划与目标", icon="📋", url_path="plan", default=True),
]

st.navigation(PAGES).run()
