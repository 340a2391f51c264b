"""`kpi check`: passes on a sound history, exits 1 naming each broken invariant (both backends)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from dashboard.cli import main
from dashboard.services import history, importer


def kpi_check(engine: Engine) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--database", engine.url.render_as_string(hide_password=False), "check"])
    return result.exit_code, result.output


def sound_history(engine: Engine) -> tuple[int, int, int]:
    """An import, a correction of it, and a rolled-back import of new values: (first, second, rolled back)."""
    def load(body: str) -> int:
        result = importer.commit_import(engine, "f.csv", ("indicator,region,year,value\n" + body).encode(), "测试",
                                        accept_warnings=True)
        assert result.submission_id is not None
        return result.submission_id

    first = load("SX01,330602,2024,100\n")
    second = load("SX01,330602,2024,120\n")
    third = load("SX02,330603,2024,5\n")
    history.rollback_submission(engine, third, "测试")
    return first, second, third


def test_a_sound_history_passes(fresh_db: Engine) -> None:
    sound_history(fresh_db)
    assert kpi_check(fresh_db) == (0, "检查通过：历史记录一致，数据库自检正常\n")


BREAKS: dict[str, tuple[Callable[[int, int, int], str], str]] = {
    "a retired row without retirer": (
        lambda first, _s, _t: f"UPDATE observations SET retired_by_id = NULL WHERE submission_id = {first}",
        "却没有记录是哪次提交替换或撤回的"),
    "a withdrawn row re-retired by a later import": (
        lambda _f, second, third: f"UPDATE observations SET retired_by_id = {second} WHERE submission_id = {third}",
        "却未被该撤销撤回"),
    "a second rollback record": (
        lambda _f, _s, _t: "INSERT INTO submissions (kind, actor, created_at, n_new, n_changed, n_unchanged) "
                           "VALUES ('rollback', '并发', CURRENT_TIMESTAMP, 0, 0, 0)",
        "可能是重复撤销"),
    "a submission without audit line": (
        lambda _f, second, _t: f"DELETE FROM audit_events WHERE submission_id = {second}",
        "没有审计日志记录"),
    "a forked history": (
        lambda first, _s, third: f"UPDATE observations SET supersedes_id = (SELECT id FROM observations "
                                 f"WHERE submission_id = {first}) WHERE submission_id = {third}",
        "历史分叉"),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_broken_invariant_exits_1_and_is_named(fresh_db: Engine, name: str) -> None:
    ids = sound_history(fresh_db)
    statement, expected = BREAKS[name]
    with fresh_db.begin() as connection:
        connection.execute(text(statement(*ids)))
    code, output = kpi_check(fresh_db)
    assert code == 1, output
    assert expected in output and "发现" in output
