#!/usr/bin/env bash
# Start the dashboard on the embedded SQLite database (created and loaded on first start).
# Extra arguments go to `streamlit run`, e.g. `bash scripts/start.sh --server.port 8600`.
# `--dev` (first argument) restores live reload and full error details for development; the
# production settings in .streamlit/config.toml switch both off (issue 19: speed under load).
source "$(dirname "$0")/_env.sh"
dev=()
if [ "${1:-}" = "--dev" ]; then
  shift
  dev=(--server.fileWatcherType auto --server.runOnSave true --runner.postScriptGC true --client.showErrorDetails full)
fi
exec .venv/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false "${dev[@]}" "$@"
