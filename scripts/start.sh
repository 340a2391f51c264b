#!/usr/bin/env bash
# Start the dashboard on the embedded SQLite database (created and loaded on first start).
# Extra arguments go to `streamlit run`, e.g. `bash scripts/start.sh --server.port 8600`.
# `--dev` (first argument) restores live reload and full error details for development; the
# production settings in .streamlit/config.toml switch both off (issue 19: speed under load).
#
# It listens on this machine only (127.0.0.1). To open it to the office network, first create the
# administrator account (`scripts/kpi user add admin --role admin`: until then anyone who reaches the
# app acts as administrator), then start it with KPI_LISTEN_ADDRESS=0.0.0.0 (or the server's own
# address), preferably behind an HTTPS reverse proxy so the sign-in cookie travels encrypted.
source "$(dirname "$0")/_env.sh"
dev=()
if [ "${1:-}" = "--dev" ]; then
  shift
  dev=(--server.fileWatcherType auto --server.runOnSave true --runner.postScriptGC true --client.showErrorDetails full)
fi
# server.py is app.py plus the routes that set the HttpOnly sign-in cookie (Streamlit's st.App).
exec .venv/bin/streamlit run server.py --server.headless true --browser.gatherUsageStats false \
    --server.address "${KPI_LISTEN_ADDRESS:-127.0.0.1}" "${dev[@]}" "$@"
