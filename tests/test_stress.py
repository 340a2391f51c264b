"""Eight processes import and roll back overlapping files at once, on SQLite and PostgreSQL (short run;
``benchmarks/stress.py`` runs longer). The history stays consistent and equals a serial replay."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard.cli import main
from tests import stress

SECONDS = 4.0


def test_eight_writers_leave_a_history_equal_to_a_serial_replay(fresh_db: Engine, tmp_path: Path) -> None:
    url = fresh_db.url.render_as_string(hide_password=False)
    result = stress.run(url, processes=8, seconds=SECONDS, work=tmp_path)
    # Both kinds of write raced: imports committed, rollbacks attempted (committed or refused).
    assert any(op["op"] == "import" for op in result.committed), result.workers
    assert sum(w["rollback"] + w["refused"] for w in result.workers) > 0, result.workers
    assert len({op["id"] for op in result.committed}) == len(result.committed)
    check = CliRunner().invoke(main, ["--database", url, "check"])
    assert check.exit_code == 0, check.output
    assert "检查通过" in check.output
    replay = stress.serial_replay(result.committed, f"sqlite:///{tmp_path / 'replay.sqlite3'}")
    assert stress.current_values(fresh_db) == replay
