#!/usr/bin/env bash
# Regenerate requirements.lock from pyproject.toml: exact versions, each with the sha256 of every file
# PyPI offers for it, so that scripts/_env.sh installs with --require-hashes on any machine. Versions
# already pinned stay unless named, e.g. `bash scripts/lock.sh --upgrade-package streamlit`; all
# arguments go to pip-compile. Also scripts/virtualenv.lock, for machines whose Python lacks venv.
# Needs PyPI; reads only PyPI (not this machine's pip configuration).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT
"${PYTHON:-python3}" -m venv "$tools/venv"
"$tools/venv/bin/pip" install --quiet --disable-pip-version-check "pip-tools==7.6.2"
# setuptools (and wheel) are pinned too: the project itself is installed with --no-build-isolation.
printf 'setuptools\nwheel\n' > "$tools/build.in"
"$tools/venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --extra test \
  --no-emit-index-url --no-emit-find-links --no-header --no-annotate --output-file requirements.lock \
  "$@" pyproject.toml "$tools/build.in"
printf 'virtualenv\n' > "$tools/virtualenv.in"
"$tools/venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
  --no-emit-find-links --no-header --no-annotate --output-file scripts/virtualenv.lock "$tools/virtualenv.in"
{
  echo "# Exact versions for every install (app and tests), each with the sha256 of every file PyPI offers"
  echo "# for it; scripts/_env.sh installs with --require-hashes. Regenerate with: bash scripts/lock.sh"
  cat requirements.lock
} > "$tools/lock" && mv "$tools/lock" requirements.lock
