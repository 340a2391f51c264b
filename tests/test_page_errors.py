"""No page shows a traceback: surprises get an incident id, a lost database its address, user text stays text."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.cli import main
from dashboard.services import accounts
from dashboard.services.plans import open_database
from dashboard.ui.widgets import plain

ROOT = Path(__file__).resolve().parents[1]
DOWN = "postgresql://kpi:s3cret@127.0.0.1:1/kpi"  # nothing listens on port 1
HOSTILE = "[管理员](http://evil.example) ![p](http://127.0.0.1:9/x.png) <script>alert(1)</script>"


def live_markup(shown: str) -> list[str]:
    """Markdown/HTML markers (link, image, tag, autolink, emphasis) not escaped by a backslash."""
    return re.findall(r"(?<!\\)[\[\]()<>!:@.*_`#]", shown)


def test_an_unexpected_error_shows_an_incident_id_and_logs_the_traceback(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    open_database(sqlite_url).dispose()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom at /srv/secret/path.py")

    # Pages read services through a cache that looks the function up by module and name.
    broken.__module__, broken.__name__ = "dashboard.services.history", "list_submissions"
    monkeypatch.setattr("dashboard.services.history.list_submissions", broken)
    at = AppTest.from_file(str(ROOT / "dashboard/ui/pages/history.py"), default_timeout=30)
    with caplog.at_level(logging.ERROR, logger="dashboard.ui"):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    [message] = [e.value for e in at.error]
    incident = re.search(r"事件编号 ([0-9a-f]{8})", message)
    assert incident and "boom" not in message and "/srv" not in message
    [record] = [r for r in caplog.records if incident.group(1) in r.getMessage()]
    assert record.exc_info and "boom at /srv/secret/path.py" in str(record.exc_info[1])


def test_a_database_that_is_down_reads_as_such_on_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_DATABASE_URL", DOWN)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [message] = [e.value for e in at.error]
    assert "数据库无法连接" in message and "127" in message and "s3cret" not in message


def test_a_database_that_is_down_reads_as_such_on_the_command_line() -> None:
    for command in (["progress", "--year", "2024"], ["history"], ["check"]):
        result = CliRunner().invoke(main, ["--database", DOWN, *command])
        assert result.exit_code == 1, (command, result.output)
        assert "数据库无法连接（地址：postgresql+psycopg://kpi:***@127.0.0.1:1/kpi）" in result.output
        assert "Traceback" not in result.output and "s3cret" not in result.output


def test_a_hostile_display_name_is_text_in_the_sidebar(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("KPI_PUBLIC_READONLY", raising=False)
    engine = open_database(sqlite_url)
    accounts.add_user(engine, auth.SYSTEM, "evil", "correct horse 42", auth.ADMIN, display_name=HOSTILE)
    actor = accounts.authenticate(engine, "evil", "correct horse 42")
    token = accounts.open_session(engine, actor)  # a signed-in tab holds its server-side session's token
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["kpi_session_token"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [caption] = [c.value for c in at.sidebar.caption if c.value.startswith("当前用户")]
    assert caption == f"当前用户：{plain(actor.label)}"
    assert not live_markup(caption.removeprefix("当前用户："))


@pytest.mark.parametrize("text", [HOSTILE, "见 www.example.com 或 a@b.cn", "**粗体** _斜体_ `代码` # 标题"])
def test_plain_leaves_no_markdown_link_image_or_html(text: str) -> None:
    shown = plain(text)
    assert shown.replace("\\", "") == text
    assert not live_markup(shown)
