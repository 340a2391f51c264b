"""The 通报 as a Word document: 公文 layout (GB/T 9704-2012) and every number against the commands' JSON.

The demo database gives a full document (1–9月 2025: flows and stocks, preliminary figures, a partial
sum, estimated district targets, outlooks); the 全省位次 are hand-built :class:`IndicatorRank` records
(their JSON is ``ranking.rank_to_dict``, what ``kpi rank --json`` prints) until the ranks service lands.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.formatting import figure, percent, percent_short_of_target, round_half_up
from dashboard.ranking import IndicatorRank, rank_to_dict
from dashboard.services import demo, monthly
from dashboard.services import report as report_service
from dashboard.services.report_docx import render

YEAR, MONTH = 2025, 9
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
PLACEHOLDERS = ("None", "nan", "NaN", "null", "（）", "()", "—%")


def _ranks() -> dict[str, IndicatorRank]:
    """Ranks of two indicators: one complete with a province figure, one with ranks incomplete."""
    return {
        "SX01": IndicatorRank("SX01", YEAR, MONTH, 769.0, 4, 10.2, 2, 1, 8.97, 1.23, 11),
        "SX03": IndicatorRank("SX03", YEAR, MONTH, 139.0, None, 23.0, None, None, None, None, 9),
    }


def _kpi_json(url: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["--database", url, *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from dashboard.services.plans import open_database

    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'demo.sqlite3'}"
    engine = open_database(url)
    demo.write_demo(engine)  # with the peer cities' figures of 全省对比
    engine.dispose()
    return url


def _document(url: str, ranks: dict[str, IndicatorRank] | None) -> tuple[Document, list[dict], dict]:
    """The 通报 of 1–9月 2025 (``ranks`` None: from the ranks service), the core rows of ``kpi progress --json``
    and the indicators by code."""
    from dashboard.services.plans import open_database

    engine = open_database(url)
    data = render(report_service.report(engine, YEAR, MONTH, ranks=ranks))
    meta = {r.indicator.code: r.indicator for r in monthly.month_progress(engine, YEAR, MONTH, tier="core")}
    engine.dispose()
    core = [j for j in _kpi_json(url, "progress", "--year", str(YEAR), "--month", str(MONTH)) if j["indicator"] in meta]
    return Document(io.BytesIO(data)), core, meta


@pytest.fixture(scope="module")
def demo_doc(demo_url: str) -> tuple[Document, list[dict], dict]:
    """With hand-built ranks: a complete one with a province figure, an incomplete one, none for the rest."""
    return _document(demo_url, _ranks())


def _texts(doc: Document) -> list[str]:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return [p.text for p in doc.paragraphs] + cells


def _section(doc: Document, heading: str) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(heading) + 1
    end = next((k for k in range(start, len(texts)) if re.match(r"^[一二三四五六七八九十]、|^附表$", texts[k])), len(texts))
    return [t for t in texts[start:end] if t]


def _rfonts(run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    fonts = run._r.rPr.rFonts
    return {k: fonts.get(qn(f"w:{k}")) for k in ("eastAsia", "ascii", "eastAsiaTheme")}


def _size(run) -> float:  # type: ignore[no-untyped-def]
    return int(run._r.rPr.find(qn("w:sz")).get(qn("w:val"))) / 2


def test_page_is_a4_with_the_gongwen_margins(demo_doc) -> None:  # type: ignore[no-untyped-def]
    doc = demo_doc[0]
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    # 22 lines of 28 characters: the line pitch fills the 225 mm 版心 in 22 lines, and 28 characters of 3号
    # (16 pt, set 0.25 pt closer) fit the 156 mm width.
    normal = doc.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(normal.line_spacing.pt - 28.95) < 0.01
    height_pt = Emu(section.page_height - section.top_margin - section.bottom_margin).pt
    width_pt = Emu(section.page_width - section.left_margin - section.right_margin).pt
    assert int(height_pt // normal.line_spacing.pt) == 22
    spacing = doc.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert int(width_pt // (16 + int(spacing.get(qn("w:val"))) / 20)) == 28
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"


def test_title_body_and_heading_fonts_are_east_asian_and_sized(demo_doc) -> None:  # type: ignore[no-untyped-def]
    doc = demo_doc[0]
    title = doc.paragraphs[0]
    assert title.text.startswith("绍兴市平台经济“1215”目标监测通报") and "（2025年1–9月）" in title.text
    for run in title.runs:
        assert _rfonts(run)["eastAsia"] == "方正小标宋简体" and _rfonts(run)["eastAsiaTheme"] is None
        assert _size(run) == 22
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert {_rfonts(r)["eastAsia"] for r in heading.runs} == {"黑体"}
    body = next(p for p in doc.paragraphs if p.text.startswith("（一）网络零售额。"))
    lead, text = body.runs[0], body.runs[1]
    assert _rfonts(lead)["eastAsia"] == "楷体_GB2312" and _rfonts(text)["eastAsia"] == "仿宋_GB2312"
    assert _size(lead) == _size(text) == 16
    assert abs(body.paragraph_format.first_line_indent.pt - 32) < 0.01  # two characters in
    # The style's default face too (theme fonts removed, so nothing overrides the named faces).
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312" and normal.get(qn("w:eastAsiaTheme")) is None
    assert "w:eastAsiaTheme" not in doc.styles.element.xml.split("<w:style ")[0]


def test_page_numbers_are_dashed_on_the_outer_side(demo_doc) -> None:  # type: ignore[no-untyped-def]
    doc = demo_doc[0]
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert "PAGE" in p._p.xml and p._p.xml.count("w:fldChar ") == 3
        assert p.alignment.name.lower() == align
        assert {_rfonts(r)["eastAsia"] for r in p.runs} == {"宋体"} and {_size(r) for r in p.runs} == {14}


def test_no_placeholder_anywhere(demo_doc) -> None:  # type: ignore[no-untyped-def]
    for text in _texts(demo_doc[0]):
        assert not any(p in text for p in PLACEHOLDERS), text


def _expected_numbers(j: dict, decimals: int, rank: dict | None) -> set[str]:
    """Every number an indicator paragraph may print, computed from the JSON by the one rounding rule."""
    out = {"1", str(j["month"]), str(12 - j["month"]), "6"}
    if j["ytd"] is not None:
        out.add(figure(j["ytd"], decimals))
        out.add(str(6 - len(j["missing_districts"])))
    if j["yoy_growth"] is not None:
        out.add(round_half_up(abs(100 * j["yoy_growth"]), 1))
    if j["ytd_attainment"] is not None:
        rate = (percent if j["status"] == "achieved" else percent_short_of_target)(j["ytd_attainment"]).rstrip("%")
        elapsed = round_half_up(100 * j["time_elapsed"], 1)
        diff = round_half_up(float(abs(Decimal(rate) - Decimal(elapsed))), 1)
        out |= {rate, elapsed, diff if diff != "0" else "0.1"}  # "不足0.1个百分点" where both print alike
    for key in ("forecast", "forecast_low", "forecast_high"):
        if j[key] is not None:
            out.add(figure(j[key], decimals))
    if j["remaining_needed_yoy"] is not None:
        out.add(round_half_up(abs(100 * j["remaining_needed_yoy"]), 1))
    out.add(str(len(j["forecast_basis_years"])))
    if rank is not None:
        out |= {str(rank["cities_reported"]), "11"}
        out |= {str(abs(rank[k])) for k in ("growth_rank", "value_rank", "rank_change") if rank[k] is not None}
        if rank["gap_to_province_pp"] is not None:
            out.add(round_half_up(abs(rank["gap_to_province_pp"]), 1))
    return out


def _check_indicator_numbers(doc: Document, core: list[dict], meta: dict, ranks: dict[str, dict]) -> list[str]:
    city = {j["indicator"]: j for j in core if j["region"] == "330600"}
    paragraphs = _section(doc, "二、分指标情况")
    assert len(paragraphs) == len(city) == 8
    for text, (code, j) in zip(paragraphs, city.items()):
        ind = meta[code]
        body = text.split("。", 1)[1]  # after the lead "（一）网络零售额。"
        assert ind.name in text
        expected = _expected_numbers(j, ind.decimals, ranks.get(code))
        found = NUMBER.findall(body)
        assert set(found) <= expected, (text, set(found) - expected)
        if j["ytd"] is not None:  # the key figures are there, not only allowed
            assert figure(j["ytd"], ind.decimals) in found
        if j["yoy_growth"] is not None and j["status"] != "incomplete":
            assert round_half_up(abs(100 * j["yoy_growth"]), 1) in found
        rank = ranks.get(code)
        if rank is not None and rank["growth_rank"] is not None and j["status"] != "incomplete":
            assert f"增速全省第{rank['growth_rank']}位" in body
    return paragraphs


def test_every_number_of_every_indicator_sentence_is_a_kpi_progress_or_rank_figure(demo_doc) -> None:  # type: ignore[no-untyped-def]
    doc, core, meta = demo_doc
    paragraphs = _check_indicator_numbers(doc, core, meta, {code: rank_to_dict(r) for code, r in _ranks().items()})
    assert "高于全省1.2个百分点，增速全省第2位（进1位）" in paragraphs[0]  # SX01: 1.23 → 1.2
    assert "位次数据不全（9/11）" in paragraphs[2] and "全省第" not in paragraphs[2]


def test_ranks_from_the_service_are_the_kpi_rank_figures(demo_url: str) -> None:
    """The document as the CLI and the page make it: ranks from the ranks service, checked against ``kpi rank``."""
    doc, core, meta = _document(demo_url, None)
    ranks = {r["indicator"]: r for r in _kpi_json(demo_url, "rank", "--year", str(YEAR), "--month", str(MONTH))}
    assert any(r["growth_rank"] is not None for r in ranks.values())
    paragraphs = _check_indicator_numbers(doc, core, meta, ranks)
    assert sum("增速全省第" in p for p in paragraphs) >= 5
    assert any("全省位次" in p.text for p in doc.paragraphs)  # the 说明 says how ranks are read


def test_district_and_problem_gaps_are_kpi_progress_figures(demo_doc) -> None:  # type: ignore[no-untyped-def]
    doc, core, meta = demo_doc
    names = {ind.name: code for code, ind in meta.items()}
    regions = {"越城区": "330602", "柯桥区": "330603", "上虞区": "330604", "新昌县": "330624", "诸暨市": "330681",
               "嵊州市": "330683", "全市": "330600"}
    by_key = {(j["indicator"], j["region"]): j for j in core}
    checked = 0
    for text in _section(doc, "三、分地区情况"):
        lead = re.match(r"（[一二三四五六七八九十]）(.+?)。", text)
        if lead is None:
            continue
        region, items = lead.group(1), text[lead.end():]
        for name, gap in re.findall(r"([^；：]+?)慢于序时进度([\d.]+)个百分点", items):
            j = by_key[(names[name], regions[region])]
            assert gap == round_half_up(abs(j["gap_pp"]), 1) and j["gap_pp"] < 0
            checked += 1
    for text in _section(doc, "四、存在问题"):
        for name, gap in re.findall(r"([^；。]+?)全市慢于序时进度([\d.]+)个百分点", text):
            name = name.split("。")[-1]
            j = by_key[(names[name], "330600")]
            assert gap == round_half_up(abs(j["gap_pp"]), 1)
            checked += 1
    assert checked > 10


def test_overview_counts_add_up(demo_doc) -> None:  # type: ignore[no-untyped-def]
    text = _section(demo_doc[0], "一、总体情况")[0]
    assert "纳入监测的8项核心指标中" in text
    first = text.split("。")[0]
    assert sum(int(n) for n in re.findall(r"(\d+)项(?!核心)", first)) == 8


def test_appendix_table_has_units_and_every_region(demo_doc) -> None:  # type: ignore[no-untyped-def]
    doc, core, meta = demo_doc
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["指标（单位）", "全市", "越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]
    first = [r.cells[0].text for r in table.rows[1:]]
    assert first == [f"{ind.name}（{ind.unit}）" for ind in meta.values()]
    city = {j["indicator"]: j for j in core if j["region"] == "330600"}
    for r, (code, j) in zip(table.rows[1:], city.items()):
        assert r.cells[1].text.splitlines()[0].rstrip("*△") == figure(j["ytd"], meta[code].decimals)


def test_fresh_database_reads_sensibly(fresh_sqlite: Engine) -> None:
    doc = Document(io.BytesIO(report_service.report_bytes(fresh_sqlite, 2026)))
    texts = _texts(doc)
    for text in texts:
        assert not any(p in text for p in PLACEHOLDERS), text
    assert "全年，纳入监测的8项核心指标暂无本期数据。" in texts
    assert "（尚无统计人员上报的数据，仅含计划公布数）" in texts
    assert "本期暂无可评估的数据，暂无滞后事项。" in texts
    assert "各项核心指标暂无全年数据。" in texts
    assert not any("演示" in t for t in texts)


def test_kpi_report_writes_the_document(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    result = CliRunner().invoke(main, ["--database", sqlite_url, "report", "--year", "2026", "--month", "3",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2026年1–3月通报" in result.output
    assert Document(str(out)).paragraphs[0].text.endswith("（2026年1–3月）")
    bad = CliRunner().invoke(main, ["--database", sqlite_url, "report", "--year", "2026", "--month", "13",
                                    "--out", str(out)])
    assert bad.exit_code != 0


def test_properties_are_in_schema_order(demo_doc) -> None:  # type: ignore[no-untyped-def]
    """Word refuses a document whose w:rPr / w:pPr / w:tblPr / w:trPr children are out of schema order."""
    from dashboard.services.report_docx import PPR_ORDER, RPR_ORDER, TBLPR_ORDER, TRPR_ORDER

    doc = demo_doc[0]
    parts = [doc.element, doc.styles.element, doc.sections[0].footer._element,
             doc.sections[0].even_page_footer._element]
    checked = 0
    for part in parts:
        for tag, order in (("rPr", RPR_ORDER), ("pPr", PPR_ORDER), ("tblPr", TBLPR_ORDER), ("trPr", TRPR_ORDER)):
            for element in part.iter(qn(f"w:{tag}")):
                names = [child.tag.split("}")[1] for child in element]
                known = [n for n in names if n in order]
                assert known == sorted(known, key=order.index), (tag, names)
                checked += 1
    assert checked > 100
