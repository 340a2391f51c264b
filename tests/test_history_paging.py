"""A large submission's detail is read and shown one page at a time (issue 19: 提交记录 at full volume)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.services import history, importer
from dashboard.services.plans import open_database

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ("SX01", "SX02", "SX03", "SX04", "SX05", "SX06", "SX08")
DISTRICTS = ("330602", "330603", "330604", "330624", "330681", "330683")


def figures(offset: float, months: range = range(1, 13)) -> bytes:
    """Monthly preliminary figures of 7 indicators × 6 districts × 2023 (504 values with every month)."""
    lines = ["indicator,region,year,month,status,value"]
    lines += [f"{i},{d},2023,{m},初步数,{10 + m + offset}" for i in INDICATORS for d in DISTRICTS for m in months]
    return "\n".join(lines).encode()


def imp(engine: Engine, data: bytes) -> int:
    result = importer.commit_import(engine, "monthly.csv", data, "测试员", accept_warnings=True)
    assert result.submission_id is not None
    return result.submission_id


def keys(detail: history.SubmissionDetail) -> list[tuple]:
    return ([("written", v.observation_id) for v in detail.written]
            + [("retired", v.observation_id) for v in detail.retired])


def test_pages_add_up_to_the_whole_detail_written_then_withdrawn(fresh_db: Engine) -> None:
    imp(fresh_db, figures(0, range(1, 7)))  # January–June, kept by the correction below
    correction = imp(fresh_db, figures(1))  # corrects January–June, adds July–December
    rollback = history.rollback_submission(fresh_db, correction, "审核员").submission_id  # restores 252, withdraws 252

    whole = history.submission_detail(fresh_db, rollback)
    assert (whole.n_written, whole.n_retired) == (252, 252)
    assert (len(whole.written), len(whole.retired)) == (252, 252)
    pages = [history.submission_detail(fresh_db, rollback, limit=100, offset=start) for start in range(0, 504, 100)]
    assert [len(keys(p)) for p in pages] == [100, 100, 100, 100, 100, 4]
    assert [k for p in pages for k in keys(p)] == keys(whole)
    assert all((p.n_written, p.n_retired) == (252, 252) for p in pages)
    # The page that straddles the boundary holds the last written values and the first withdrawn ones.
    assert (len(pages[2].written), len(pages[2].retired)) == (52, 48)


def test_history_page_shows_one_page_of_a_large_submission(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    imp(open_database(sqlite_url), figures(0))  # 504 values: three pages of 200
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "pages" / "history.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    detail = at.dataframe[1].value
    assert len(detail) == 200
    assert any("共涉及 504 个数值" in c.value for c in at.caption)
    [page] = at.number_input
    page.set_value(3).run()
    assert not at.exception, [e.value for e in at.exception]
    last = at.dataframe[1].value
    assert len(last) == 104
    assert not set(last["数值"]) & set(detail["数值"])
