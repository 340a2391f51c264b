"""The README's start command really serves the app over HTTP."""

from __future__ import annotations

import urllib.request


def test_start_command_serves_health_and_the_app(running_app: str) -> None:
    with urllib.request.urlopen(f"{running_app}/_stcore/health", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(running_app, timeout=5) as response:
        assert response.status == 200
        assert b"<div id=\"root\">" in response.read()
