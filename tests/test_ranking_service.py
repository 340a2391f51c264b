"""全省位次 from the store: peer figures imported by code or name, ranked per indicator and period, on both
backends; ``kpi rank --json``; who may import them; the 全省对比 template round trip."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from dashboard import auth
from dashboard.cli import main
from dashboard.errors import InputError, NotFoundError
from dashboard.ranking import PEER_CITIES, PROVINCE_CODE
from dashboard.services import importer, ranking, template
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory
from dashboard.storage.models import Observation
from tests.dbutil import table_contents

NAMES = [name for _, name in PEER_CITIES]
# 1–9月 网络零售额 of the 11 cities (绍兴 sixth) and their published 同比: 绍兴 second by growth, tied with 湖州.
SEPT = {"杭州市": (8000, 6.1), "宁波市": (3000, 7.2), "温州市": (1500, 8.8), "嘉兴市": (1200, 5.0),
        "湖州市": (700, 9.4), "绍兴市": (1012, 9.4), "金华市": (2600, 10.3), "衢州市": (200, 3.1),
        "舟山市": (150, 2.0), "台州市": (900, 4.4), "丽水市": (300, 8.0)}
AUG = {**{name: (v * 0.9, g) for name, (v, g) in SEPT.items()}, "绍兴市": (900, 9.0)}  # 1–8月: 绍兴 third


def peer_csv(month: int, figures: dict[str, tuple[float, float | None]], province: float | None = None,
             by_code: bool = False) -> bytes:
    codes = dict((name, code) for code, name in PEER_CITIES)
    lines = ["指标,地区,年份,月份,数值,同比增速"]
    for name, (value, growth) in figures.items():
        lines.append(f"SX01,{codes[name] if by_code else name},2026,{month},{value},{'' if growth is None else growth}")
    if province is not None:
        lines.append(f"SX01,{PROVINCE_CODE if by_code else '浙江省'},2026,{month},27000,{province}")
    return "\n".join(lines).encode()


def load(engine: Engine, data: bytes, actor: object = "test") -> None:
    importer.commit_import(engine, "peers.csv", data, actor=actor, accept_warnings=True)


def retail(engine: Engine, month: int | None = 9):
    (rank,) = ranking.indicator_ranks(engine, 2026, month, indicator="SX01")
    return rank


def test_ranks_from_the_store_with_rank_change_and_province(fresh_db: Engine) -> None:
    load(fresh_db, peer_csv(8, AUG, by_code=True))
    load(fresh_db, peer_csv(9, SEPT, province=8.2))
    rank = retail(fresh_db)
    assert (rank.value, rank.growth, rank.cities_reported) == (1012, 9.4, 11)
    assert rank.value_rank == 6  # 8000, 3000, 2600, 1500, 1200 above
    assert rank.growth_rank == 2  # 金华 10.3 first; 湖州 and 绍兴 share second at 9.4
    assert rank.rank_change == 1  # third in 1–8月 (9.0 behind 金华 and 湖州): 进1位
    assert (rank.province_growth, rank.gap_to_province_pp) == (8.2, 1.2)
    august = retail(fresh_db, 8)
    assert (august.growth_rank, august.province_growth, august.gap_to_province_pp) == (3, None, None)
    # Core indicators in plan order; those without peer figures say so.
    ranks = ranking.indicator_ranks(fresh_db, 2026, 9)
    assert [r.indicator for r in ranks] == [f"SX0{n}" for n in range(1, 9)]
    assert all(r.cities_reported == 0 and r.growth_rank is None for r in ranks[1:])


def test_missing_cities_no_rank_and_the_home_city_from_its_districts(fresh_db: Engine) -> None:
    partial = {name: fig for name, fig in SEPT.items() if name not in ("舟山市", "丽水市", "绍兴市")}
    load(fresh_db, peer_csv(9, partial))
    rank = retail(fresh_db)
    assert (rank.value, rank.value_rank, rank.growth_rank, rank.cities_reported) == (None, None, None, 8)
    # The home city's figure may be the sum of ALL its districts (no published rate of its own then).
    districts = ["330602", "330603", "330604", "330624", "330681", "330683"]
    lines = ["指标,地区,年份,月份,数值"] + [f"SX01,{d},2026,9,100" for d in districts] + \
            [f"SX01,{d},2025,9,80" for d in districts] + ["SX01,舟山市,2026,9,150,", "SX01,丽水市,2026,9,300,"]
    load(fresh_db, "\n".join(lines).encode())
    rank = retail(fresh_db)
    assert (rank.value, rank.growth, rank.cities_reported) == (600, 25.0, 11)
    assert rank.value_rank == 8 and rank.growth_rank is None  # 台州 900 and 湖州 700 also above; 舟山 and 丽水 have no 同比: no growth rank


def test_annual_ranks_compare_with_the_previous_year(fresh_db: Engine) -> None:
    for year, home in ((2024, 9.0), (2025, 3.0)):
        lines = ["指标,地区,年份,数值,同比增速"] + [f"SX01,{name},{year},{1000 + n},{float(n)}"
                                               for n, name in enumerate(NAMES) if name != "绍兴市"]
        lines.append(f"SX01,绍兴市,{year},1100,{home}")
        load(fresh_db, "\n".join(lines).encode())
    (rank,) = ranking.indicator_ranks(fresh_db, 2025, None, indicator="网络零售额")
    # 2024: second (丽水 10.0 above, 台州 tied at 9.0); 2025: seventh (six above, 嘉兴 tied at 3.0): 退5位.
    assert (rank.month, rank.growth_rank, rank.rank_change) == (None, 7, -5)
    assert ranking.indicator_ranks(fresh_db, 2025, 12, indicator="SX01") == [rank]  # month 12 is the year


def test_peer_regions_stay_out_of_the_city(fresh_db: Engine) -> None:
    from dashboard.services import monthly, views

    load(fresh_db, peer_csv(9, {name: fig for name, fig in SEPT.items() if name != "绍兴市"}))
    context = views.plan_context(fresh_db)
    assert [r.name for r in context.regions] == ["绍兴市", "越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]
    (city,) = monthly.month_progress(fresh_db, 2026, 9, region="330600", indicator="SX01")
    assert city.assessment.ytd is None  # ten other cities' figures are never summed into 绍兴市
    offered = [name for _, name in template.template_options(fresh_db).regions]
    assert offered == [*(r.name for r in context.regions), "全省对比"]  # the other cities only through 全省对比


def test_chart_lists_the_eleven_cities_with_the_home_city_marked(fresh_db: Engine) -> None:
    load(fresh_db, peer_csv(9, SEPT, province=8.2))
    chart = ranking.peer_chart(fresh_db, "SX01", 2026, 9)
    assert [b.name for b in chart.bars] == NAMES and chart.reported == 11
    assert [b.name for b in chart.bars if b.is_home] == ["绍兴市"]
    assert [b.growth for b in chart.bars] == [g for _, g in SEPT.values()] and chart.province_growth == 8.2
    assert ranking.has_peer_figures(fresh_db, 2026, 9) and not ranking.has_peer_figures(fresh_db, 2026, 8)


def test_kpi_rank_json(fresh_sqlite: Engine) -> None:
    load(fresh_sqlite, peer_csv(8, AUG))
    load(fresh_sqlite, peer_csv(9, SEPT, province=8.2))
    url = fresh_sqlite.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database", url, "rank", "--year", "2026", "--month", "9", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["indicator"] for r in rows] == [f"SX0{n}" for n in range(1, 9)]
    assert rows[0] == {"indicator": "SX01", "year": 2026, "month": 9, "value": 1012, "value_rank": 6, "growth": 9.4,
                       "growth_rank": 2, "rank_change": 1, "province_growth": 8.2, "gap_to_province_pp": 1.2,
                       "cities_reported": 11}
    table = CliRunner().invoke(main, ["--database", url, "rank", "--year", "2026", "--month", "9"])
    assert "网络零售额｜1,012亿元｜同比增长9.4%｜增速全省第2位（进1位），高于全省1.2个百分点" in table.output
    assert "暂无全省对比数据" in table.output


def test_only_city_staff_import_peer_figures(fresh_db: Engine) -> None:
    reporter = auth.Actor(username="yc", role=auth.DISTRICT_REPORTER, display_name="越城", region_code="330602")
    before = table_contents(fresh_db)
    data = "\n".join(["指标,地区,年份,月份,数值", "SX01,330602,2026,9,300", "SX01,杭州市,2026,9,8000"]).encode()
    with pytest.raises(InputError) as refused:
        importer.commit_import(fresh_db, "peers.csv", data, actor=reporter, accept_warnings=True)
    assert "文件“peers.csv”，第 3 行，“地区”列：“杭州市”是全省对比数据，只有市统计局人员或管理员可以导入" in str(refused.value)
    assert table_contents(fresh_db) == before
    statistician = auth.Actor(username="sj", role=auth.CITY_STATISTICIAN, display_name="市统计局")
    importer.commit_import(fresh_db, "peers.csv", data, actor=statistician, accept_warnings=True)
    with session_factory(fresh_db)() as session:
        assert {o.region_code for o in repo.current_observations(session, years=[2026])} == {"330602", "330100"}


def test_the_province_template_reimports_as_it_is(fresh_db: Engine) -> None:
    load(fresh_db, peer_csv(9, SEPT, province=8.2))
    made = template.build_template(fresh_db, 2026, "全省对比", 9)
    assert made.file_name == "填报模板_全省对比_2026年1–9月.xlsx" and made.rows == 12 * 8
    sheet = openpyxl.load_workbook(io.BytesIO(made.data))["全省对比"]
    header = [c.value for c in sheet[3]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=4)]
    assert [r["地区"] for r in rows[:12]] == ["浙江省", *NAMES] and "同比增速" in header
    assert rows[6]["数值"] == 1012 and rows[6]["同比增速"] == 9.4 and rows[0]["同比增速"] == 8.2
    preview = importer.preview_import(fresh_db, made.file_name, made.data)
    assert {c.kind for c in preview.changes} == {"unchanged"} and not preview.warnings
    # Filled in and uploaded as it is: the figures land on the peer regions.
    sheet.cell(row=4 + 12, column=header.index("数值") + 1, value=25.0)  # 浙江省, 网络经营主体
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    result = importer.commit_import(fresh_db, made.file_name, buffer.getvalue(), actor="test")
    assert result.preview.count("new") == 1
    with session_factory(fresh_db)() as session:
        (row,) = repo.current_observations(session, region_codes=[PROVINCE_CODE], years=[2026], months=[9],
                                           indicator_ids=[repo.indicator_by_code(session, "SX02").id])
        assert isinstance(row, Observation) and row.value == 25.0


def test_another_city_has_no_template_of_its_own(fresh_db: Engine) -> None:
    with pytest.raises(NotFoundError, match="全省对比"):
        template.build_template(fresh_db, 2026, "杭州市", 9)
    assert template.build_template(fresh_db, 2026, None, 9).file_name == "填报模板_绍兴市_2026年1–9月.xlsx"


def test_readme_documents_exactly_the_rank_json_keys() -> None:
    import dataclasses
    import re
    from pathlib import Path

    from dashboard.ranking import IndicatorRank

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("### `kpi rank --json`")
    section = readme[start:readme.index("\n#", start + 5)]
    documented = {key for cell in re.findall(r"^\| ([^|]+) \|", section, flags=re.M)
                  for key in re.findall(r"`([a-z_]+)`", cell)}
    assert documented == {f.name for f in dataclasses.fields(IndicatorRank)}
