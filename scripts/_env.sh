# Shared by start.sh and test.sh: make .venv and install the pinned versions from requirements.lock.
# Reinstalls only when the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  # Debian's python3 may lack the venv module (package python3-venv); fall back to virtualenv from PyPI,
  # hash-checked too, in the user's site (Debian marks the system Python as externally managed).
  "$PYTHON" -m venv .venv 2>/dev/null || {
    rm -rf .venv
    PIP_BREAK_SYSTEM_PACKAGES=1 "$PYTHON" -m pip install --quiet --user --require-hashes -r scripts/virtualenv.lock
    "$PYTHON" -m virtualenv --quiet .venv
  }
fi
lock_hash="$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-64)"
if [ "$(cat .venv/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "安装依赖（requirements.lock 中的固定版本）…" >&2
  # Every file is checked against the sha256 in the lock (setuptools and wheel included); the project
  # itself is then installed from this folder with those checked build tools, without fetching anything.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index -e .
  echo "$lock_hash" > .venv/.lock-hash
fi
