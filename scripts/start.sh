#!/usr/bin/env bash
# Start the dashboard on the embedded SQLite database (created and loaded on first start).
# Extra arguments go to `streamlit run`, e.g. `bash scripts/start.sh --server.port 8600`.
source "$(dirname "$0")/_env.sh"
exec .venv/bin/streamlit run server.py --server.headless true --browser.gatherUsageStats false "$@"
