"""The ``kpi`` command line: exit codes, messages, and that it runs the same services."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from dashboard.cli import main
from dashboard.services.plans import open_database
from tests.dbutil import table_contents


def kpi(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--database", url, *args])
    return result.exit_code, result.output


def test_init_twice_gives_identical_content(db_url: str) -> None:
    code, output = kpi(db_url, "init")
    assert code == 0, output
    assert "已更新" in output
    engine = open_database(db_url, load_default_plan=False)
    before = table_contents(engine)
    code, output = kpi(db_url, "init")
    assert code == 0 and "无变化" in output
    assert table_contents(engine) == before
    engine.dispose()


def test_import_then_export_round_trips(db_url: str, tmp_path: Path) -> None:
    source = tmp_path / "figures.csv"
    source.write_text("indicator,region,year,value,status\n网络零售额,越城区,2023,180.5,初步\nSX08,诸暨市,2024,57,核实\n",
                      encoding="utf-8")
    code, output = kpi(db_url, "import", str(source))
    assert code == 0, output
    assert "新增 2 个" in output
    exported = tmp_path / "all.xlsx"
    assert kpi(db_url, "export", str(exported))[0] == 0
    code, output = kpi(db_url, "import", "--dry-run", str(exported))
    assert code == 0 and "新增 0 个，修改 0 个，不变 10 个" in output


def test_a_bad_row_exits_1_names_the_row_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    kpi(db_url, "init")
    engine = open_database(db_url, load_default_plan=False)
    before = table_contents(engine)
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,region,year,value\nSX01,330602,2023,10\nSX01,不存在区,2023,11\n", encoding="utf-8")
    code, output = kpi(db_url, "import", str(bad))
    assert code == 1
    assert "bad.csv" in output and "第 3 行" in output and "不存在区" in output
    assert "Traceback" not in output
    assert table_contents(engine) == before
    engine.dispose()


def test_backup_is_a_consistent_copy(sqlite_url: str, tmp_path: Path) -> None:
    kpi(sqlite_url, "init")
    target = tmp_path / "backup.sqlite3"
    code, output = kpi(sqlite_url, "backup", str(target))
    assert code == 0, output
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM indicators").fetchone() == (26,)
    code, output = kpi(sqlite_url, "backup", str(target))
    assert code == 1 and "已存在" in output  # never overwrites an earlier backup


def test_python_dash_m_dashboard_is_the_kpi_command(sqlite_url: str) -> None:
    result = subprocess.run([sys.executable, "-m", "dashboard", "--database", sqlite_url, "init"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "计划 shaoxing-platform-2023" in result.stdout


def test_backup_while_another_connection_is_writing(fresh_sqlite, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A write in progress (uncommitted) neither blocks the backup nor leaks into it."""
    writer = sqlite3.connect(fresh_sqlite.url.database)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO submissions (kind, actor, created_at, n_new, n_changed, n_unchanged) "
                       "VALUES ('import', '写入中', '2026-01-01', 0, 0, 0)")
        target = tmp_path / "during-write.sqlite3"
        code, output = kpi(fresh_sqlite.url.render_as_string(hide_password=False), "backup", str(target))
        assert code == 0, output
    finally:
        writer.rollback()
        writer.close()
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM submissions WHERE actor = '写入中'").fetchone() == (0,)
        assert copy.execute("SELECT count(*) FROM observations").fetchone() == (8,)


def test_user_commands(sqlite_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--database", sqlite_url, "user", "add", "admin", "--role", "admin",
                                  "--password-stdin"], input="correct horse 42\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--database", sqlite_url, "user", "add", "zhao", "--role", "district_reporter",
                                  "--region", "330602", "--name", "赵六", "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "至少需要" in result.output
    result = runner.invoke(main, ["--database", sqlite_url, "user", "list"])
    assert result.output.splitlines() == ["admin\tadmin\t管理员\t\t启用"]
    assert runner.invoke(main, ["--database", sqlite_url, "user", "disable", "admin"]).exit_code == 0
    assert "停用" in runner.invoke(main, ["--database", sqlite_url, "user", "list"]).output
    assert runner.invoke(main, ["--database", sqlite_url, "user", "disable", "ghost"]).exit_code == 1
