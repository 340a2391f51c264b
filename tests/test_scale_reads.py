"""The read paths added for the scale budget (issue 11) give exactly what the old paths gave, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from dashboard.services import progress as progress_service
from dashboard import glance
from dashboard.progress import upcoming_years
from dashboard.services import deck, demo, importer, monthly, views
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from tests.test_review import OWN, REPORTER, _upload
from tests.test_views import KS, load_known

CITY = "330600"


@pytest.fixture
def known(fresh_db: Engine) -> Engine:
    load_known(fresh_db)
    return fresh_db


def _grid_in_full(engine: Engine, year: int) -> dict[tuple[str, str], glance.Judged]:
    """The overview's district grid as the full assessments give it (the path before the grid had its own)."""
    judged = {}
    for a in views.assessments(engine, year):
        if not a.region.is_city:
            m = a.next_milestone()
            judged[(a.indicator.name, a.region.name)] = (
                glance.Judged(a.indicator.name, glance.NO_TARGET, None) if m is None
                else glance.judge(a.indicator.name, a.assessment, m.year, a.target_origins.get(m.year) == "estimated"))
    return judged


@pytest.fixture
def demo_with_2027(fresh_db: Engine) -> Engine:
    """The demo (district targets for 2025 and 2027, figures 2022–2025) plus 2027 figures of three districts
    (after the last milestone a cell is judged on that milestone's own year) and one city figure of 2024."""
    demo.write_demo(fresh_db)
    rows = "indicator,region,year,value,status,note\n" + "".join(
        f"SX01,{code},2027,{value},final,\n" for code, value in (("330602", 260), ("330603", 300), ("330604", 1))
    ) + "SX01,330600,2024,1100,final,\n"  # a city figure of its own: the grid read skips its districts
    importer.commit_import(fresh_db, "y2027.csv", rows.encode(), "测试", accept_warnings=True)
    return fresh_db


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027, 2028])
def test_district_cells_are_the_full_assessments_cut_to_the_grid(demo_with_2027: Engine, year: int) -> None:
    engine = demo_with_2027
    cells = views.district_grid(engine, year)
    full = {(a.indicator.code, a.region.code): a for a in views.assessments(engine, year) if not a.region.is_city}
    assert len(cells) == len(full) and {(c.indicator_code, c.region_code) for c in cells} == set(full)
    for cell in cells:
        a = full[(cell.indicator_code, cell.region_code)]
        upcoming = upcoming_years([m.year for m in a.assessment.milestones], year)
        assert cell.milestones == tuple(m for m in a.assessment.milestones if m.year in upcoming)
        assert cell.next_milestone == a.next_milestone()
        assert (cell.actual, cell.achieved_growth) == (a.assessment.actual, a.assessment.achieved_growth)
        assert cell.target_origins == {y: o for y, o in a.target_origins.items() if y in upcoming}
    judged = {m.status for c in cells for m in c.milestones}
    assert {"missed", "no_data"} <= judged or year < 2027  # after 2027: judged on the 2027 figures
    assert views.overview(engine, year, CITY).grid == _grid_in_full(engine, year)


def test_a_grid_snapshot_reads_the_districts_of_the_grid_years_only(demo_with_2027: Engine) -> None:
    read = progress_service.snapshot(demo_with_2027, 2026, tier="core", grid_year=2026)
    values = read.figures.values
    other_years = {(i, y) for (i, region, y) in values if region != CITY and y not in (2022, 2026)}
    # Other years' district figures only where the city has none of its own (the demo's city reports
    # none of the additive indicators, except SX01 in 2024 here): its sum needs them.
    assert other_years and not any((i, CITY, y) in values for i, y in other_years)
    sx01 = next(i.id for i in read.indicators if i.code == "SX01")
    assert (sx01, CITY, 2024) in values and (sx01, 2024) not in other_years
    with pytest.raises(ValueError):  # the districts' rows of a year not read in full are refused, not misjudged
        progress_service.assess_years(read, [2024])
    late = progress_service.snapshot(demo_with_2027, 2028, tier="core", grid_year=2028)
    assert {(region, y) for (i, region, y) in late.figures.values if i == sx01 and y in (2024, 2027)} == {
        (CITY, 2024), ("330602", 2027), ("330603", 2027), ("330604", 2027)}  # 2027: the last milestone's year


def _dicts(rows: list[progress_service.ProgressRow]) -> list[dict]:
    return [progress_service.row_to_dict(r) for r in rows]


def test_overview_of_the_city_is_the_scorecard_and_the_published_district_rows(known: Engine) -> None:
    page = views.overview(known, 2024, CITY)
    assert page.scores == views.scorecard(known, 2024, CITY)
    assert page.grid == _grid_in_full(known, 2024) and page.district_actuals
    assert {region for _name, region in page.grid} == {d.name for d in views.plan_context(known).districts}
    by_name = views.overview(known, 2024, "绍兴市")
    assert by_name.scores == page.scores and by_name.grid == page.grid
    assert not views.overview(known, 2023, CITY).district_actuals


def test_overview_of_a_district_has_no_grid(known: Engine) -> None:
    page = views.overview(known, 2024, KS)
    assert page.scores == views.scorecard(known, 2024, KS)
    assert page.grid == {} and not page.district_actuals


def test_overview_with_pending_figures_keeps_the_grid_published(known: Engine) -> None:
    _upload(known, REPORTER, OWN, 999.0)  # a district reporter's figure waits for review
    page = views.overview(known, 2024, CITY, include_pending=True)
    assert page.scores == views.scorecard(known, 2024, CITY, include_pending=True)
    assert page.scores != views.scorecard(known, 2024, CITY)  # the pending figure counts in the city sum
    assert page.grid == _grid_in_full(known, 2024)


def test_a_district_is_assessed_from_its_own_figures_alone(known: Engine) -> None:
    read = progress_service.snapshot(known, 2024, region=KS)
    assert {region for (_id, region, _year) in read.figures.values} == {KS}
    alone = progress_service.assess_years(read, [2024])[2024]
    among_all = [r for r in progress_service.progress(known, 2024) if r.region.code == KS]
    assert _dicts(alone) == _dicts(among_all)


def test_one_snapshot_assesses_several_selections_as_separate_reads_do(known: Engine) -> None:
    read = progress_service.snapshot(known, 2025, tier="core")
    city_series = progress_service.assess_years(read, range(2022, 2026), region=CITY)
    everyone = progress_service.assess_years(read, [2024])
    assert {y: _dicts(rows) for y, rows in city_series.items()} == {
        y: _dicts(rows) for y, rows in progress_service.progress_by_year(known, range(2022, 2026), region=CITY,
                                                                          tier="core").items()}
    assert _dicts(everyone[2024]) == _dicts(progress_service.progress(known, 2024, tier="core"))
    with pytest.raises(ValueError):
        progress_service.assess_years(read, [2026])


def test_plain_reads_match_the_orm_rows(known: Engine) -> None:
    with session_factory(known)() as session:
        ids = [i.id for i in repo.indicators(session)]
        codes = [r.code for r in repo.all_regions(session)]
        orm = repo.current_observations(session, ids, codes, years=[2022, 2024], months=[12])
        plain = reads.current_values(session, ids, codes, [2022, 2024], [12])
        fields = ("indicator_id", "region_code", "year", "month", "status", "value", "note", "growth")
        assert sorted(tuple(getattr(o, f) for f in fields) for o in orm) == sorted(tuple(p) for p in plain)
        assert all(isinstance(p, reads.CurrentValue) for p in plain)
        targets = repo.current_targets(session, ids, codes)
        target_fields = ("indicator_id", "region_code", "year", "value", "origin", "upper")
        assert [tuple(getattr(t, f) for f in target_fields) for t in targets] == [
            tuple(t) for t in reads.current_target_values(session, ids, codes)]
        assert reads.effective_annual(plain).keys() == reads.effective_annual(orm).keys()


def test_read_indexes_exist(fresh_db: Engine) -> None:
    indexes = {ix["name"]: ix for ix in inspect(fresh_db).get_indexes("observations")}
    assert indexes["ix_observations_current_period"]["column_names"] == ["year", "month", "indicator_id", "region_code"]
    assert indexes["ix_observations_current_month"]["column_names"] == ["month", "year", "indicator_id", "region_code"]
    assert indexes["ix_observations_key"]["column_names"] == ["region_code", "indicator_id", "year", "month"]
    assert not any(indexes[name]["unique"] for name in ("ix_observations_current_period", "ix_observations_key"))


def test_slides_are_the_briefings_cover_and_indicator_pages(known: Engine) -> None:
    for year in (2023, 2024):
        whole = deck.briefing(known, year)
        shown = deck.slides(known, year)
        assert (shown.cover, shown.indicators) == (whole.cover, whole.indicators)


def test_measure_list_reads_only_indicators_linked_to_a_measure(known: Engine) -> None:
    read = progress_service.snapshot(known, 2024, region=CITY, with_measure=True)
    assert read.indicators and all(i.measure_id is not None for i in read.indicators)
    listed = {t.assessed.indicator.code: t.assessed for m in views.measure_list(known, 2024) for t in m.targets}
    every = {a.indicator.code: a for a in views.assessments(known, 2024, region=CITY, tier=None)}
    assert listed == {code: every[code] for code in listed}
    assert set(listed) == {i.code for i in read.indicators}


def test_a_districts_month_view_reads_its_own_figures_and_assesses_alike(fresh_db: Engine) -> None:
    csv = "indicator,region,year,month,value\n" + "".join(
        f"SX01,{region},{year},{month},{value}\n" for region, value in ((KS, 30.5), ("330602", 20.0), (CITY, 300.0))
        for year in (2023, 2024) for month in (6, 12) if not (year == 2024 and month == 12))
    importer.commit_import(fresh_db, "months.csv", csv.encode(), "测试", accept_warnings=True)
    alone = monthly.rows_to_dicts(monthly.month_progress(fresh_db, 2024, 6, region=KS))
    among_all = monthly.rows_to_dicts([r for r in monthly.month_progress(fresh_db, 2024, 6) if r.region.code == KS])
    assert alone == among_all and any(r["ytd"] is not None for r in alone)
