"""Docs and code must not drift: the README names every command and every JSON key the code has."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n#", start + len(title))
    return README[start:] if end == -1 else README[start:end]


def test_readme_lists_exactly_the_kpi_commands() -> None:
    documented = set(re.findall(r"^\| `kpi ([a-z-]+)", _section("## The `kpi` command line"), flags=re.M))
    assert documented == set(main.commands)


def test_readme_gives_exactly_two_setup_commands_that_exist() -> None:
    block = re.search(r"## Set-up: two commands.*?```bash\n(.*?)```", README, flags=re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["bash scripts/start.sh", "bash scripts/test.sh"]
    root = Path(__file__).resolve().parents[1]
    assert all((root / c.split()[1]).is_file() for c in commands)
    assert "bash scripts/test.sh" in (root / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_documents_every_progress_json_key(fresh_sqlite) -> None:  # type: ignore[no-untyped-def]
    from dashboard.services import progress as progress_service

    table = _section("### `kpi progress --json`")
    documented = set()
    for cell in re.findall(r"^\| ([^|]+) \|", table, flags=re.M):
        documented.update(re.findall(r"`([a-z_]+)`", cell))
    rows = [progress_service.row_to_dict(r) for r in progress_service.progress(fresh_sqlite, 2024)]
    produced = {key for row in rows for key in row}
    assert produced <= documented, produced - documented
    milestone_keys = {key for row in rows for m in row["milestones"] for key in m}
    assert all(f"`{k}`" in table for k in milestone_keys)


def test_readme_documents_every_month_progress_json_key(fresh_sqlite) -> None:  # type: ignore[no-untyped-def]
    from dashboard.services import monthly as monthly_service

    table = _section("### `kpi progress --month N --json`")
    documented = set()
    for cell in re.findall(r"^\| ([^|]+) \|", table, flags=re.M):
        documented.update(re.findall(r"`([a-z_]+)`", cell))
    produced = {key for row in monthly_service.rows_to_dicts(monthly_service.month_progress(fresh_sqlite, 2024, 9))
                for key in row}
    assert produced == documented - {"key"}, produced ^ documented
