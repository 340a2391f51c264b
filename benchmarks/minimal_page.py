"""The yardstick of ``benchmarks/viewers.py``: one table and one chart, nothing else (no database).

Served with the same ``.streamlit/config.toml`` as the app, so the difference is our pages' own work.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.title("最小页面")
frame = pd.DataFrame({"指标": [f"指标{n}" for n in range(1, 9)], "完成率": [0.1 * n for n in range(1, 9)]})
st.dataframe(frame, hide_index=True)
st.plotly_chart(go.Figure(go.Bar(x=frame["指标"], y=frame["完成率"])))
