"""The one import service and the export, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from dashboard.errors import InputError
from dashboard.services import exporter, importer
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Observation, Submission
from tests.dbutil import table_contents

GOOD_CSV = """indicator,region,year,value,status,note
SX01,330602,2023,180.25,preliminary,越城区初步数
网络零售额,柯桥区,2023,415,核实,
SX02,330600,2023,12.3,final,
SX08,330681,2024,57,初步,
SX07,330600,2023,5,final,
SX03,330683,2023,,final,
"""


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_preview_classifies_changes_and_writes_nothing(fresh_db: Engine) -> None:
    before = table_contents(fresh_db)
    preview = importer.preview_import(fresh_db, "good.csv", csv_bytes(GOOD_CSV))
    assert [c.kind for c in preview.changes] == ["new"] * 5
    assert preview.skipped_blank == 1  # the blank 平台 value is "not reported", never 0
    assert table_contents(fresh_db) == before


def test_commit_then_export_round_trips_every_value(fresh_db: Engine) -> None:
    result = importer.commit_import(fresh_db, "good.csv", csv_bytes(GOOD_CSV), actor="测试员")
    assert result.submission_id is not None
    rows = {(r["indicator"], r["region"], r["year"], r["status"]): r for r in exporter.export_rows(fresh_db)}
    assert rows[("SX01", "330602", 2023, "preliminary")]["value"] == 180.25
    assert rows[("SX01", "330602", 2023, "preliminary")]["note"] == "越城区初步数"
    assert rows[("SX01", "330603", 2023, "final")]["value"] == 415.0
    assert rows[("SX02", "330600", 2023, "final")]["value"] == 12.3
    assert ("SX03", "330683", 2023, "final") not in rows
    for suffix in (".csv", ".xlsx"):
        exported = exporter.export_bytes(fresh_db, f"all{suffix}")
        before = table_contents(fresh_db)
        again = importer.commit_import(fresh_db, f"all{suffix}", exported, actor="测试员")
        assert again.submission_id is None
        assert {c.kind for c in again.preview.changes} == {"unchanged"}
        assert len(again.preview.changes) == len(rows)
        assert table_contents(fresh_db) == before


@pytest.mark.parametrize("value", [0.1 + 0.2, 1e-7, 123456789.123456, 6.7, 1400])
def test_awkward_floats_round_trip_exactly(fresh_db: Engine, value: float) -> None:
    importer.commit_import(fresh_db, "v.csv", csv_bytes(f"indicator,region,year,value\nSX01,330602,2024,{value!r}\n"), "t")
    for suffix in (".csv", ".xlsx"):
        preview = importer.preview_import(fresh_db, f"x{suffix}", exporter.export_bytes(fresh_db, f"x{suffix}"))
        assert {c.kind for c in preview.changes} == {"unchanged"}
    (row,) = [r for r in exporter.export_rows(fresh_db) if r["region"] == "330602"]
    assert row["value"] == float(f"{value:.15g}")  # stored at Excel's 15 significant digits


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(fresh_db: Engine) -> None:
    bad = GOOD_CSV + "SX01,330604,2023,一百,final,\n"
    before = table_contents(fresh_db)
    with pytest.raises(InputError) as caught:
        importer.commit_import(fresh_db, "bad.csv", csv_bytes(bad), actor="测试员")
    message = str(caught.value)
    assert "bad.csv" in message and "第 8 行" in message and "“value”列" in message
    assert table_contents(fresh_db) == before


def test_a_correction_supersedes_and_keeps_the_old_value(fresh_db: Engine) -> None:
    importer.commit_import(fresh_db, "a.xlsx", xlsx_bytes([["指标", "地区", "年份", "数值"], ["SX01", "越城区", 2023, 180]]), "甲")
    result = importer.commit_import(
        fresh_db, "b.xlsx", xlsx_bytes([["指标", "地区", "年份", "数值", "备注"], ["SX01", "越城区", 2023, 182.5, "更正"]]), "乙"
    )
    (change,) = result.preview.changes
    assert (change.kind, change.old_value, change.record.value) == ("changed", 180.0, 182.5)
    with session_factory(fresh_db)() as session:
        indicator = repo.indicator_by_code(session, "SX01")
        history = repo.observation_history(session, indicator.id, "330602", 2023)
        assert [(o.value, o.is_current, s.actor, s.file_name) for o, s in history] == [
            (180.0, False, "甲（管理员）", "a.xlsx"), (182.5, True, "乙（管理员）", "b.xlsx"),
        ]
        submission = session.get(Submission, result.submission_id)
        assert (submission.n_new, submission.n_changed, submission.n_unchanged) == (0, 1, 0)
        assert len(submission.file_sha256) == 64


def test_a_blank_note_keeps_the_stored_note(fresh_db: Engine) -> None:
    importer.commit_import(fresh_db, "a.csv", csv_bytes("indicator,region,year,value,note\nSX01,330602,2023,180,说明甲\n"), "t")
    result = importer.commit_import(fresh_db, "b.csv", csv_bytes("indicator,region,year,value,note\nSX01,330602,2023,181,\n"), "t")
    assert result.preview.changes[0].new_note == "说明甲"
    with session_factory(fresh_db)() as session:
        (current,) = [o for o in repo.current_observations(session) if o.region_code == "330602"]
        assert (current.value, current.note) == (181.0, "说明甲")


def test_preliminary_and_final_are_both_kept(fresh_db: Engine) -> None:
    text = "indicator,region,year,value,status\nSX01,330602,2023,180,初步\nSX01,330602,2023,183,核实\n"
    importer.commit_import(fresh_db, "a.csv", csv_bytes(text), "t")
    with session_factory(fresh_db)() as session:
        rows = [(o.status, o.value) for o in repo.current_observations(session) if o.region_code == "330602"]
    assert rows == [("final", 183.0), ("preliminary", 180.0)]


def test_month_level_year_to_date_figures(fresh_db: Engine) -> None:
    text = "indicator,region,year,month,value\nSX01,330600,2024,6,520\nSX01,330600,2024,12,1080\n"
    importer.commit_import(fresh_db, "ytd.csv", csv_bytes(text), "t")
    rows = [(r["month"], r["value"]) for r in exporter.export_rows(fresh_db) if r["year"] == 2024]
    assert rows == [(6, 520.0), (12, 1080.0)]


def test_export_neutralises_formula_injection_in_notes(fresh_db: Engine) -> None:
    importer.commit_import(fresh_db, "a.csv", csv_bytes('indicator,region,year,value,note\nSX01,330602,2023,1,"=HYPERLINK(1)"\n'), "t")
    workbook = load_workbook(io.BytesIO(exporter.export_bytes(fresh_db, "x.xlsx")))
    notes = [row[6] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in notes
    assert not any(isinstance(n, str) and n.startswith("=") for n in notes)


def test_export_rejects_an_unknown_extension(fresh_db: Engine) -> None:
    with pytest.raises(InputError, match=r"\.csv 或 \.xlsx"):
        exporter.export_bytes(fresh_db, "all.json")


def test_importing_nothing_new_records_no_submission(fresh_db: Engine) -> None:
    exported = exporter.export_bytes(fresh_db, "all.csv")
    with session_factory(fresh_db)() as session:
        before = repo.count_rows(session, Submission), repo.count_rows(session, Observation)
    importer.commit_import(fresh_db, "all.csv", exported, "t")
    with session_factory(fresh_db)() as session:
        assert (repo.count_rows(session, Submission), repo.count_rows(session, Observation)) == before
