"""The command line speaks Chinese, and ``--database`` works before or after the subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import main


@pytest.mark.parametrize(
    ("args", "expected", "english"),
    [
        (["--help"], ["用法：", "显示本帮助并退出", "命令"], ["Usage:", "Show this message", "Commands:"]),
        (["progress"], ["缺少选项", "'--year'", "错误："], ["Missing option", "Error:"]),
        (["progress", "--yaer", "2023"], ["没有选项", "是否想输入"], ["No such option", "Did you mean"]),
        (["nosuch"], ["没有命令"], ["No such command"]),
        (["import", "/nonexistent/file.csv"], ["不存在"], ["does not exist"]),
        (["user", "add", "x", "--role", "boss"], ["不是可选值"], ["is not one of"]),
        (["progress", "--year", "abc"], ["不是有效的数值"], ["is not a valid"]),
    ],
)
def test_click_messages_are_chinese(args: list[str], expected: list[str], english: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    for text in expected:
        assert text in result.output, result.output
    for text in english:
        assert text not in result.output, result.output


@pytest.mark.parametrize("position", ["before", "after"])
def test_database_option_before_or_after_the_subcommand(tmp_path: Path, position: str) -> None:
    url = f"sqlite:///{tmp_path / 'chosen.sqlite3'}"
    command = ["progress", "--year", "2023", "--indicator", "SX01", "--region", "330600", "--json"]
    args = ["--database", url, *command] if position == "before" else [*command, "--database", url]
    result = CliRunner().invoke(main, args, env={"KPI_DATABASE_URL": f"sqlite:///{tmp_path / 'env.sqlite3'}"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["indicator"] == "SX01"
    assert (tmp_path / "chosen.sqlite3").exists()
    assert not (tmp_path / "env.sqlite3").exists()  # the explicit option beats the environment


def test_demo_keeps_its_own_database_option(tmp_path: Path) -> None:
    # ``kpi demo --database`` names the demo database, not the working one.
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert "演示数据库地址" in result.output


HEAVY_LIBRARIES = ("openpyxl", "pptx", "plotly", "pandas", "streamlit")


@pytest.mark.parametrize("args", [["--help"], ["user", "list"], ["progress", "--help"]])
def test_light_commands_do_not_import_heavy_libraries(args: list[str], tmp_path: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from dashboard.cli import main\n"
        "try:\n"
        f"    main({args!r}, prog_name='kpi')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(','.join(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = {"KPI_DATABASE_URL": f"sqlite:///{tmp_path / 'kpi.sqlite3'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert done.stderr.strip().splitlines()[-1:] in ([], [""]), done.stderr
