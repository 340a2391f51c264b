"""User-entered notes are shown as text: no HTML, no markdown links or images."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services import importer
from dashboard.services.plans import open_database
from dashboard.ui.widgets import plain

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "![追踪](http://e.vil/p.png) <b>加粗</b> [点我](javascript:alert(1)) **强调**"


def test_plain_escapes_every_markdown_and_html_marker() -> None:
    escaped = plain(HOSTILE)
    for marker in ("![", "](", "<b>", "**"):
        assert marker not in escaped
    assert escaped.replace("\\", "") == HOSTILE  # the words themselves are all still there


def test_indicator_page_shows_a_hostile_note_as_text(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    engine = open_database(sqlite_url)
    text = f'indicator,region,year,value,note\nSX01,330600,2024,1100,"{HOSTILE}"\n'
    importer.commit_import(engine, "n.csv", text.encode(), "t")
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "dashboard/ui/pages/indicator.py"), default_timeout=30)
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "e.vil" in m.value or "e\\.vil" in m.value]
    assert shown, "the note is displayed"
    assert all(plain(HOSTILE) in value for value in shown)
