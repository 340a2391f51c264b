#!/usr/bin/env bash
# Run the whole test suite. Tests needing PostgreSQL (KPI_TEST_POSTGRES_URL) or Chromium are skipped
# when those are absent; CI (.ci/run) provides both and fails on any skip.
source "$(dirname "$0")/_env.sh"
exec .venv/bin/python -m pytest "$@"
