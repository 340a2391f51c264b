"""The server: the Streamlit app (``app.py``) plus the sign-in cookie routes (``dashboard/web.py``).

``bash scripts/start.sh`` runs ``streamlit run server.py``; Streamlit sees the ``st.App`` below and
serves it with uvicorn. ``streamlit run app.py`` still works, but sign-ins then last only as long as
the browser tab (no cookie).
"""

import streamlit as st

from dashboard.web import ROUTES

app = st.App("app.py", routes=ROUTES)
