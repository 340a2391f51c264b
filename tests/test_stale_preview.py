"""The commit compares the preview the user confirmed with the store, inside the write lock.

A clerk previews 1100 → 1200; a colleague corrects the value to 1150 meanwhile; the clerk's commit
must write nothing, name the value and the colleague's submission, and show the fresh preview.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.services import exporter, importer
from dashboard.services.plans import open_database
from tests.dbutil import table_contents

ROOT = Path(__file__).resolve().parents[1]
HEADER = "indicator,region,year,value\n"


def commit(engine: Engine, name: str, text: str, **kwargs: object) -> importer.ImportResult:
    return importer.commit_import(engine, name, text.encode(), "测试", accept_warnings=True, **kwargs)  # type: ignore[arg-type]


def test_commit_refuses_a_preview_overtaken_by_another_submission(fresh_db: Engine) -> None:
    commit(fresh_db, "base.csv", HEADER + "SX01,330602,2024,1100\nSX01,330603,2024,900\n")
    clerk = HEADER + "SX01,330602,2024,1200\nSX01,330603,2024,950\nSX01,330604,2024,10\n"
    seen = importer.preview_import(fresh_db, "clerk.csv", clerk.encode())
    colleague = commit(fresh_db, "fix.csv", HEADER + "SX01,330602,2024,1150\n").submission_id
    before = table_contents(fresh_db)
    with pytest.raises(importer.PreviewOutdated) as refused:
        commit(fresh_db, "clerk.csv", clerk, expected=seen)
    message = str(refused.value)
    assert f"预览后，以下 1 个数值已被提交 #{colleague} 修改" in message
    assert "越城区" in message and "预览时为 1100，现为 1150" in message and "请重新预览" in message
    assert table_contents(fresh_db) == before
    fresh = refused.value.fresh
    assert [c.old_value for c in fresh.changes][:1] == [1150]
    # Confirming the fresh preview writes the clerk's values.
    assert commit(fresh_db, "clerk.csv", clerk, expected=fresh).submission_id is not None


def test_a_value_withdrawn_since_the_preview_names_the_rollback(fresh_db: Engine) -> None:
    from dashboard.services.history import rollback_submission

    first = commit(fresh_db, "base.csv", HEADER + "SX01,330602,2024,1100\n").submission_id
    clerk = HEADER + "SX01,330602,2024,1200\n"
    seen = importer.preview_import(fresh_db, "clerk.csv", clerk.encode())
    undo = rollback_submission(fresh_db, first, "同事").submission_id
    with pytest.raises(importer.PreviewOutdated, match=f"已被提交 #{undo} 修改"):
        commit(fresh_db, "clerk.csv", clerk, expected=seen)


def test_upload_page_shows_the_fresh_preview_after_a_stale_confirm(monkeypatch: pytest.MonkeyPatch,
                                                                   sqlite_url: str) -> None:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    engine = open_database(sqlite_url)
    commit(engine, "base.csv", HEADER + "SX01,330602,2024,1100\n")
    at = AppTest.from_file(str(ROOT / "dashboard/ui/pages/upload.py"), default_timeout=60)
    at.run()
    at.get("file_uploader")[0].upload("clerk.csv", (HEADER + "SX01,330602,2024,1200\n").encode()).run()
    assert "1100 → 1200" in list(at.dataframe[0].value["原值 → 新值"])
    commit(engine, "fix.csv", HEADER + "SX01,330602,2024,1150\n")  # a colleague, meanwhile
    next(b for b in at.button if b.key == "upload_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "预览后，以下 1 个数值已被提交" in at.error[0].value
    assert "1150 → 1200" in list(at.dataframe[0].value["原值 → 新值"])  # the fresh preview
    values = {(r["indicator"], r["region"], r["year"]): r["value"] for r in exporter.export_rows(engine)}
    assert values[("SX01", "330602", 2024)] == 1150
    # Confirming the fresh preview now writes.
    next(b for b in at.button if b.key == "upload_commit").click().run()
    assert "已提交，提交编号" in at.success[0].value
    values = {(r["indicator"], r["region"], r["year"]): r["value"] for r in exporter.export_rows(engine)}
    assert values[("SX01", "330602", 2024)] == 1200
