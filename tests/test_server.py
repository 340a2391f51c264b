"""The README's start command really serves the app over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("server did not become healthy in time")


@pytest.fixture
def running_app(tmp_path: Path) -> Iterator[str]:
    """The app started with the README's command on a fresh SQLite file; yields its base URL."""
    port = free_port()
    env = {**os.environ, "KPI_DATABASE_URL": f"sqlite:///{tmp_path / 'kpi.sqlite3'}"}
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "start.sh"), "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base_url, process)
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_start_command_serves_health_and_the_app(running_app: str) -> None:
    with urllib.request.urlopen(f"{running_app}/_stcore/health", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(running_app, timeout=5) as response:
        assert response.status == 200
        assert b"<div id=\"root\">" in response.read()
