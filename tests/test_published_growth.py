"""同比 as published: the optional import column ``growth`` (同比增速), stored with the figure and shown as the 同比."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.services import importer
from dashboard.services import monthly as monthly_service
from dashboard.tabular import read_table


def _import(engine: Engine, lines: list[str]) -> importer.ImportPreview:
    data = "\n".join(lines).encode()
    preview = importer.preview_import(engine, "g.csv", data)
    importer.commit_import(engine, "g.csv", data, actor="test", accept_warnings=True)
    return preview


def _row(engine: Engine, region: str = "330600") -> dict:
    (row,) = monthly_service.month_progress(engine, 2026, 9, region=region, indicator="SX01")
    return monthly_service.row_to_dict(row)


def test_chinese_headers_name_the_growth_column() -> None:
    for header in ("同比增速", "增速", "同比增速（%）", "growth"):
        table = read_table("g.csv", f"指标,地区,年份,月份,数值,{header}\nSX01,330600,2026,9,1012,17.5\n".encode())
        assert "growth" in table.rows[0].cells, header


def test_published_growth_is_the_yoy_shown_and_computed_otherwise(fresh_db: Engine) -> None:
    _import(fresh_db, ["indicator,region,year,month,value", "SX01,330600,2025,9,925", "SX01,330603,2025,9,300"])
    preview = _import(fresh_db, ["指标,地区,年份,月份,数值,同比增速", "SX01,330600,2026,9,1012,10.5%",
                                 "SX01,330603,2026,9,330,"])
    assert not preview.warnings  # 1012 ÷ 925 − 1 = 9.4%: within 5 points of 10.5
    city = _row(fresh_db)
    assert (city["yoy_growth"], city["yoy_growth_source"]) == (pytest.approx(0.105), "published")
    district = _row(fresh_db, "330603")
    assert (district["yoy_growth"], district["yoy_growth_source"]) == (pytest.approx(0.1), "computed")


def test_growth_far_from_the_computed_one_is_a_warning_naming_both(fresh_db: Engine) -> None:
    _import(fresh_db, ["indicator,region,year,month,value", "SX01,330600,2025,9,925"])
    preview = importer.preview_import(fresh_db, "g.csv", b"indicator,region,year,month,value,growth\n"
                                                         b"SX01,330600,2026,9,1012,17.5\n")
    [warning] = preview.warnings
    assert warning.severity == "warning" and warning.column == "同比增速"
    assert "17.5%" in warning.message and "9.4%" in warning.message and "925" in warning.message


def test_growth_changes_count_and_a_revised_figure_drops_a_stale_rate(fresh_db: Engine) -> None:
    _import(fresh_db, ["indicator,region,year,month,value,growth", "SX01,330600,2026,9,1012,9"])
    again = importer.preview_import(fresh_db, "g.csv", b"indicator,region,year,month,value,growth\n"
                                                       b"SX01,330600,2026,9,1012,9.5\n")
    assert again.count("changed") == 1
    _import(fresh_db, ["indicator,region,year,month,value", "SX01,330600,2026,9,1012"])  # same figure, no rate
    assert _row(fresh_db)["yoy_growth"] == pytest.approx(0.09)
    _import(fresh_db, ["indicator,region,year,month,value", "SX01,330600,2026,9,1020"])  # revised figure
    assert _row(fresh_db)["yoy_growth_source"] is None  # no last-year figure, and the old rate is not carried


def test_bad_growth_is_an_error_in_its_cell(fresh_db: Engine) -> None:
    from dashboard.errors import InputError

    with pytest.raises(InputError) as caught:
        importer.preview_import(fresh_db, "g.csv", b"indicator,region,year,month,value,growth\n"
                                                   b"SX01,330600,2026,9,1012,abc\nSX01,330600,2026,8,900,-100\n")
    text = str(caught.value)
    assert "abc" in text and "−100%" in text


def test_export_then_import_keeps_the_published_rate(fresh_db: Engine) -> None:
    from dashboard.services import exporter

    _import(fresh_db, ["indicator,region,year,month,value,growth", "SX01,330600,2026,9,1012,9.5"])
    for name in ("e.csv", "e.xlsx"):
        data = exporter.export_bytes(fresh_db, name)
        preview = importer.preview_import(fresh_db, name, data)
        assert [c.record.growth for c in preview.changes if c.record.growth is not None] == [9.5]
        assert preview.count("unchanged") == len(preview.changes)  # the round trip changes nothing
