"""The briefing deck (汇报PPT): gather the briefing from the store and render it with python-pptx.

Every chart is a native PowerPoint chart (editable in PowerPoint / WPS / LibreOffice), every run of
text carries an East-Asian typeface (``a:ea``; python-pptx's ``font.name`` only sets ``a:latin``),
and no text is smaller than 18 pt so the deck reads from the back of a meeting room.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt
from sqlalchemy import Engine

from dashboard import glance
from dashboard.briefing import (ActualFigure, BehindItem, Briefing, Cover, DistrictCell, IndicatorPage, PlanInfo,
                                build_briefing, by_lead_unit)
from dashboard.formatting import local_time
from dashboard.progress import STATUS_LABELS
from dashboard.services import progress as progress_service
from dashboard.services.slide_layout import (BLUE, FONT, GREY, INK, MIN_PT, TABLE_LEFT, TABLE_WIDTH, VERMILION, Cells, Line,
                                             pages_of_rows, set_east_asian_font, style, table, textbox)
from dashboard.services.scope import plan_or_error
from dashboard.storage import page_reads as reads
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory

# Icons of the deck: shapes present in every CJK font (emoji are missing from many office PCs and
# from LibreOffice's PDF export), so the icon + word pair survives any machine. Words: STATUS_LABELS.
DECK_ICONS = {"achieved": "✓", "on_track": "●", "at_risk": "▲", "behind": "▼", "severe": "◆", "missed": "×",
              "no_data": "○", "incomplete": "◐"}
STATUS_COLOURS = glance.STATUS_COLOURS  # one palette for the deck, 演示模式 and the overview
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
# Kinds of submission that write statistics staff's (or demo) figures: the "data as of" date.
DATA_SUBMISSION_KINDS = ("import", "rollback", "demo")


def status_text(status: str) -> str:
    """"▲ 略低于序时": the deck's icon and the methodology's word."""
    return f"{DECK_ICONS[status]} {STATUS_LABELS[status][1]}"


# --------------------------------------------------------------------------- gathering


def _notes(engine: Engine, plan_id: int, year: int, city_code: str) -> dict[str, list[str]]:
    """The staff's explanations (情况说明) of the year's effective figures of the city and its districts, by
    indicator code (the other cities' figures of the 全省对比 are not the city's to explain)."""
    with session_factory(engine)() as session:
        indicators = {i.id: i.code for i in repo.indicators(session, plan_id=plan_id, tier="core")}
        names = {r.code: r.name for r in repo.all_regions(session) if city_code in (r.code, r.parent_code)}
        order = list(names)
        # The note of the effective figure (final over preliminary), as for the value.
        effective = {
            (indicator_id, region): o.note
            # Plain rows (published figures carry their note): no ORM object per region × indicator.
            for (indicator_id, region, y), o in reads.effective_annual(
                reads.current_values(session, list(indicators), list(names), years=[year], months=[12])).items()
            if y == year
        }
    # One line per distinct explanation, naming every region that gave it (a note copied to six districts
    # is read once, not six times), in the regions' official order.
    regions_by_note: dict[str, dict[str, list[str]]] = {}
    for (indicator_id, region), note in sorted(effective.items(), key=lambda kv: order.index(kv[0][1])):
        if note and note.strip():
            regions_by_note.setdefault(indicators[indicator_id], {}).setdefault(note.strip(), []).append(names[region])
    return {code: [f"{'、'.join(regions)}：{note}" for note, regions in by_note.items()]
            for code, by_note in regions_by_note.items()}


def briefing(engine: Engine, year: int, plan_code: str = progress_service.DEFAULT_PLAN_CODE) -> Briefing:
    """The briefing content for ``year`` from the store (NotFoundError for an unknown plan)."""
    return _briefing(engine, year, plan_code, city_only=False)


@dataclass(frozen=True)
class Slides:
    """What 演示模式 shows of the annual briefing: the cover's facts and one page per core indicator."""

    cover: Cover
    indicators: tuple[IndicatorPage, ...]


def slides(engine: Engine, year: int, plan_code: str = progress_service.DEFAULT_PLAN_CODE) -> Slides:
    """The briefing's cover and indicator pages for ``year``, exactly as in :func:`briefing`.

    The indicator pages are the city's, so only the city is assessed: the district table and the list
    of laggards, which need every district × indicator (7,000 assessments at 70 × 100), are the deck's
    and not shown on screen.
    """
    whole = _briefing(engine, year, plan_code, city_only=True)
    return Slides(whole.cover, whole.indicators)


def _briefing(engine: Engine, year: int, plan_code: str, city_only: bool) -> Briefing:
    """The briefing; with ``city_only`` its district table and laggards list cover the city alone."""
    with session_factory(engine)() as session:
        plan = plan_or_error(session, plan_code)
        info = PlanInfo(plan.title, plan.doc_number, plan.baseline_year, plan.city_code)
        plan_id = plan.id
        as_of = repo.latest_submission_at(session, DATA_SUBMISSION_KINDS)
        demo = reads.current_values_written_by_kind(session, "demo") > 0
    # One read serves the year's rows of every region and the city's earlier years.
    read = progress_service.snapshot(engine, year, region=info.city_code if city_only else None, plan_code=plan_code,
                                     tier="core")
    rows = progress_service.assess_years(read, [year])[year]
    actuals: dict[str, dict[int, ActualFigure]] = {}
    # The chart's actual line: the city's effective figure of every year up to the one briefed
    # (never a later year, which would contradict "data for this year").
    earlier = list(progress_service.assess_years(read, range(info.baseline_year, year), region=info.city_code).values())
    for row in [r for year_rows in earlier for r in year_rows] + rows:
        # assessment.actual is None for a partial sum: only the city's own or all-district figures.
        if row.region.code == info.city_code and row.assessment.actual is not None and row.actual_source:
            actuals.setdefault(row.indicator.code, {})[row.assessment.year] = ActualFigure(
                row.assessment.actual, row.actual_source, row.actual_status)
    return build_briefing(info, year, rows, actuals, _notes(engine, plan_id, year, info.city_code),
                          None if as_of is None else local_time(as_of).date(), demo)


def _title(slide: Slide, text: str, footer: str, width: float = 12.3) -> None:
    textbox(slide, 0.5, 0.25, width, 0.75, [(text, 32, True, INK)])
    textbox(slide, 0.5, 6.97, 12.3, 0.5, [(footer, 18, False, GREY)], align=PP_ALIGN.RIGHT)


def _status_line(status: str, size: float = 18, note: str = "") -> Line:
    return (status_text(status) + note, size, True, STATUS_COLOURS[status])


# --------------------------------------------------------------------------- slides


def _cover(prs: Presentation, b: Briefing) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    c = b.cover
    lines: list[Line] = [(c.title, 40, True, INK), (c.subtitle, 28, False, BLUE), (c.data_as_of, 22, False, GREY)]
    textbox(slide, 0.9, 2.0, 11.5, 3.2, lines, anchor=MSO_ANCHOR.MIDDLE)
    if c.demo:
        textbox(slide, 0.9, 5.5, 11.5, 0.8, [("演示数据：本材料中的实际值为虚构示例，不是统计数据", 24, True, VERMILION)])


RANK_HEADER = ["指标", "本市数值", "同比", "总量位次", "增速位次", "较全省增速"]
RANK_WIDTHS = [2.9, 1.6, 1.6, 1.2, 2.6, 2.4]


def _ranks(prs: Presentation, b: Briefing, footer: str) -> None:
    """The 全省位次 slide: each core indicator's rank among the 11 设区市 (none without peer figures)."""
    if not b.ranks:
        return
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, b.ranks_title, footer + "｜并列同位次；11市未报齐不排位")
    body = [[[(r.name, 18, True, INK)], [(r.figure, 18, False, INK)], [(r.growth, 18, False, INK)],
             [(r.value_rank, 18, False, INK)], [(r.rank, 18, True, INK)], [(r.province, 18, False, INK)]]
            for r in b.ranks]
    table(slide, 1.25, RANK_WIDTHS, RANK_HEADER, body, 0.55)


def with_ranks(engine: Engine, b: Briefing, year: int, month: int = 12,
               plan_code: str = progress_service.DEFAULT_PLAN_CODE) -> Briefing:
    """The briefing with its 全省位次 rows, when other cities' (or 浙江省's) figures of the period exist."""
    from dashboard.services import ranking

    found = ranking.briefing_rows(engine, year, month, plan_code)
    return b if found is None else dataclasses.replace(b, ranks_title=found[0], ranks=found[1])


def _scorecard(prs: Presentation, b: Briefing, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    # A verdict on a preliminary figure carries "*" in its cell and the key in the footer: the full
    # （据初步数） in every status cell would wrap each row and push the table off the slide.
    preliminary = any(s.status_note for s in b.scorecard)
    _title(slide, b.scorecard_title, footer + ("｜*据初步数判断" if preliminary else ""))
    body = [
        [[(s.name, 18, True, INK)], [(s.actual, 18, False, INK)], [(s.target, 18, False, INK)],
         [(s.attainment, 18, True, INK)], [(s.gap, 18, False, INK)],
         [_status_line(s.status, note="*" if s.status_note else "")]]
        for s in b.scorecard
    ]
    # Actual and target carry their own unit (units differ by row); the gap's unit is in its header.
    header = list(b.scorecard_header) or ["指标", f"{b.year}年实际", "目标值", "完成率", "进度差（百分点）", "状态"]
    # The actual is the longest text ("1,110亿元（区县合计·含初步数）"): its column gets the room.
    table(slide, 1.25, [2.9, 3.7, 1.5, 1.2, 1.4, 1.6], header, body, 0.55)


def _outlook_series(page: IndicatorPage) -> list[tuple[str, list[float | None]]]:
    """The month chart's 预计全年: a line from month N to the forecast at 12月 and the range's ends at 12月."""
    band = page.chart.outlook
    if band is None:
        return []
    months = len(page.chart.categories)
    line: list[float | None] = [None] * months
    line[band.month - 1], line[months - 1] = band.value, band.forecast
    series = [("预计全年", line)]
    if band.low is not None and band.high is not None:
        series += [(name, [None] * (months - 1) + [value])
                   for name, value in (("预计全年下限", band.low), ("预计全年上限", band.high))]
    return series


def _chart(slide: Slide, page: IndicatorPage) -> None:
    data = CategoryChartData(number_format="#,##0" + ("." + "0" * page.chart.decimals if page.chart.decimals else ""))
    data.categories = list(page.chart.labels) or [str(y) for y in page.chart.categories]
    # A sum of districts or a preliminary figure is drawn hollow and the legend says so: never
    # passed off as a verified city figure (核实数).
    hollow = [i for i, f in enumerate(page.chart.actual_figures) if f is not None and f.label != "核实数"]
    names = page.chart.series_names or (
        "实际值（空心为初步数或区县合计）" if hollow else "实际值（核实数）", "目标值", "计划轨迹")
    for name, values in zip(names, (page.chart.actual, page.chart.target, page.chart.trajectory)):
        data.add_series(name, values)
    band = _outlook_series(page)
    for name, values in band:
        data.add_series(name, values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.4), Inches(1.95), Inches(8.3), Inches(4.4), data)
    chart = frame.chart
    chart.font.size = Pt(MIN_PT)
    set_east_asian_font(chart.font._rPr)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("D9D9D9")
    chart.value_axis.tick_labels.number_format = data.number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    styles = (  # colour, marker, marker size, dashed, line shown
        (BLUE, XL_MARKER_STYLE.CIRCLE, 10, False, True),
        (VERMILION, XL_MARKER_STYLE.DIAMOND, 14, False, False),
        (GREY, XL_MARKER_STYLE.NONE, 5, True, True),
        # 预计全年 (dashed, to a diamond) and the ends of its range (bars at 12月, no line).
        (BLUE, XL_MARKER_STYLE.DIAMOND, 12, True, True),
        (GREY, XL_MARKER_STYLE.DASH, 14, False, False),
        (GREY, XL_MARKER_STYLE.DASH, 14, False, False),
    )
    for series, (colour, marker, size, dashed, line) in zip(chart.plots[0].series, styles):
        series.smooth = False
        series.marker.style = marker
        series.marker.size = size
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = RGBColor.from_string(colour)
        series.marker.format.line.color.rgb = RGBColor.from_string(colour)
        if line:
            series.format.line.color.rgb = RGBColor.from_string(colour)
            series.format.line.width = Pt(3 if not dashed else 2)
            if dashed:
                series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        else:
            series.format.line.fill.background()  # targets are points, not a line
    if band:
        # The forecast line runs from month N over the empty months to 12月: blanks are spanned.
        chart._chartSpace.xpath(".//c:dispBlanksAs")[0].set("val", "span")
    for i in hollow:
        point = chart.plots[0].series[0].points[i]
        point.marker.format.fill.solid()
        point.marker.format.fill.fore_color.rgb = RGBColor.from_string("FFFFFF")
        point.marker.format.line.color.rgb = RGBColor.from_string(BLUE)


def _indicator(prs: Presentation, page: IndicatorPage, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, page.title, footer, width=8.7)  # the status sits to its right, never under it
    textbox(slide, 9.3, 0.35, 3.5, 0.7, [_status_line(page.status, 26, page.status_note)], align=PP_ALIGN.RIGHT)
    textbox(slide, 0.5, 1.1, 12.3, 0.85, [(page.conclusion, 24, True, BLUE)])
    _chart(slide, page)
    lines: list[Line] = []
    for label, value in page.key_numbers:
        lines += [(label, 18, False, GREY), (value, 22, True, INK)]
    textbox(slide, 8.9, 1.95, 4.0, 4.4, lines, spacing=0.9)
    notes = "；".join(page.notes)
    textbox(slide, 0.5, 6.35, 12.3, 0.6, [("情况说明：" + (notes or "暂无"), 18, False, INK)])
    # The whole explanation goes to the speaker notes, where length does not matter.
    slide.notes_slide.notes_text_frame.text = f"{page.conclusion}\n情况说明：{notes or '暂无'}"
    for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
        for run in paragraph.runs:
            style(run.font, MIN_PT)


def _districts(prs: Presentation, b: Briefing, footer: str) -> None:
    t = b.districts
    if not t.regions:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, t.title, footer)
        textbox(slide, 0.5, 1.5, 12.3, 1, [("本计划没有可按区县比较的指标", 24, False, INK)])
        return
    width = (TABLE_WIDTH - 2.7) / len(t.regions)
    widths = [2.7] + [width] * len(t.regions)

    def cell_lines(cell: DistrictCell) -> list[Line]:
        status = _status_line(cell.status, note=cell.status_note)
        if cell.attainment == "—":
            return [status]
        return [status, (cell.attainment + ("（估）" if cell.estimated else ""), 18, False, INK)]

    header = ["指标", *t.regions]
    body = [[[(name, 18, True, INK)], *[cell_lines(cell) for cell in cells]] for name, cells in t.rows]
    pages = pages_of_rows(widths, header, body, 1.6)
    for n, rows in enumerate(pages):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, t.title + (f"（续{n}）" if n else ""), footer)
        # How to read a cell, on its own line under the title: every cell carries its icon and word.
        textbox(slide, 0.5, 1.05, 12.3, 0.5, [(t.note, 18, False, GREY)])
        table(slide, 1.6, widths, header, rows)


BEHIND_HEADER = ["牵头单位", "指标", "地区", "状态", "完成率", "进度差（百分点）"]
BEHIND_WIDTHS = [2.3, 3.3, 1.5, 2.0, 1.3, 1.9]
APPENDIX_HEADER = ["牵头单位", "指标", "地区", "进度差（百分点）"]
APPENDIX_WIDTHS = [1.7, 2.35, 1.0, 1.05]  # two of these side by side
MAIN_BEHIND_SLIDES = 2


def _grouped(items: Iterable[BehindItem]) -> list[BehindItem]:
    return [item for _unit, group in by_lead_unit(list(items)) for item in group]


def _behind_rows(items: Iterable[BehindItem], appendix: bool = False, every_unit: bool = False) -> list[Cells]:
    """Rows in the items' order; the lead unit is named where it changes (``every_unit``: on every row,
    the tallest a row can be, which is what paging counts with)."""
    rows: list[Cells] = []
    previous = None
    for i in items:
        unit_cell = [(i.lead_unit if every_unit or i.lead_unit != previous else "", 18, True, INK)]
        previous = i.lead_unit
        if appendix:
            rows.append([unit_cell, [(i.indicator, 18, False, INK)], [(i.region, 18, False, INK)],
                         [(i.gap, 18, False, INK)]])
        else:
            rows.append([unit_cell, [(i.indicator, 18, True, INK)], [(i.region, 18, False, INK)],
                         [_status_line(i.status, note=i.status_note)], [(i.attainment, 18, False, INK)], [(i.gap, 18, True, INK)]])
    return rows


def _paged(items: list[BehindItem], appendix: bool, top: float) -> list[list[BehindItem]]:
    """Items cut into slides as their rows fit (counted with the unit on every row)."""
    widths, header = (APPENDIX_WIDTHS, APPENDIX_HEADER) if appendix else (BEHIND_WIDTHS, BEHIND_HEADER)
    pages = pages_of_rows(widths, header, _behind_rows(items, appendix, every_unit=True), top)
    out, start = [], 0
    for page in pages:
        out.append(items[start:start + len(page)])
        start += len(page)
    return out


def _behind(prs: Presentation, b: Briefing, footer: str) -> None:
    """滞后事项: the largest gaps on at most two slides, grouped by lead unit; the rest in an appendix."""
    top = 1.6
    if not b.behind:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, b.behind_title, footer)
        textbox(slide, 0.5, 1.5, 12.3, 1, [("各项指标均无滞后，或尚无可评估的数据", 24, False, INK)])
        return
    # The main slides take the worst items (b.behind is sorted by gap) as far as two slides hold them,
    # then show them grouped by lead unit.
    capacity = sum(len(p) for p in _paged(list(b.behind), False, top)[:MAIN_BEHIND_SLIDES])
    while len(pages := _paged(_grouped(b.behind[:capacity]), False, top)) > MAIN_BEHIND_SLIDES:
        capacity -= 1
    rest = b.behind[capacity:]
    note = f"共{len(b.behind)}项，按进度差从大到小排列，同一牵头单位归在一起" + (
        f"；此处列进度差最大的{capacity}项，其余{len(rest)}项见附表" if rest else "")
    for n, page in enumerate(pages):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, b.behind_title + (f"（续{n}）" if n else ""), footer)
        textbox(slide, 0.5, 1.05, 12.3, 0.5, [(note, 18, False, GREY)])
        table(slide, top, BEHIND_WIDTHS, BEHIND_HEADER, _behind_rows(page))
    if rest:
        _appendix(prs, b, _grouped(rest), footer)


def _appendix(prs: Presentation, b: Briefing, items: list[BehindItem], footer: str) -> None:
    """附表: the remaining items in two compact tables side by side (continued on more slides if needed)."""
    top = 1.6
    pages = _paged(items, True, top)
    for n in range(0, len(pages), 2):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, "附表：其余" + b.behind_title + (f"（续{n // 2}）" if n else ""), footer)
        textbox(slide, 0.5, 1.05, 12.3, 0.5, [("按进度差从大到小排列，同一牵头单位归在一起", 18, False, GREY)])
        for k, page in enumerate(pages[n:n + 2]):
            table(slide, top, APPENDIX_WIDTHS, APPENDIX_HEADER, _behind_rows(page, appendix=True),
                   left=TABLE_LEFT + k * (sum(APPENDIX_WIDTHS) + 0.2))


def render(b: Briefing) -> bytes:
    """The deck of a briefing as .pptx bytes (16:9)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    footer = b.cover.data_as_of + ("｜演示数据" if b.cover.demo else "")
    _cover(prs, b)
    _scorecard(prs, b, footer)
    _ranks(prs, b, footer)
    for page in b.indicators:
        _indicator(prs, page, footer)
    _districts(prs, b, footer)
    _behind(prs, b, footer)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def plan_header(engine: Engine, plan_code: str) -> tuple[PlanInfo, date | None, bool]:
    """The plan's facts, the day figures were last written (Beijing time) and whether any is demo data."""
    with session_factory(engine)() as session:
        plan = plan_or_error(session, plan_code)
        info = PlanInfo(plan.title, plan.doc_number, plan.baseline_year, plan.city_code)
        as_of = repo.latest_submission_at(session, DATA_SUBMISSION_KINDS)
        demo = reads.current_values_written_by_kind(session, "demo") > 0
    return info, None if as_of is None else local_time(as_of).date(), demo


def month_briefing(engine: Engine, year: int, month: int,
                   plan_code: str = progress_service.DEFAULT_PLAN_CODE) -> Briefing:
    """The 月度/季度通报 content for 1–``month``月 of ``year`` (same model as the annual briefing)."""
    from dashboard.month_briefing import build_month_briefing
    from dashboard.services import monthly

    info, as_of, demo = plan_header(engine, plan_code)
    rows = monthly.month_progress(engine, year, month, plan_code=plan_code, tier="core")
    series = {r.indicator.code: monthly.cumulative_series(engine, r.indicator.code, info.city_code, year, month,
                                                         plan_code)
              for r in rows if r.region.code == info.city_code}
    return build_month_briefing(info, year, month, rows, series, as_of, demo)


def deck_bytes(engine: Engine, year: int, plan_code: str = progress_service.DEFAULT_PLAN_CODE, month: int = 12) -> bytes:
    """The deck as .pptx bytes: the annual briefing, or with ``month`` < 12 the 1–N月 version."""
    b = briefing(engine, year, plan_code) if month == 12 else month_briefing(engine, year, month, plan_code)
    return render(with_ranks(engine, b, year, month, plan_code))


def write_deck(engine: Engine, year: int, path: Path, plan_code: str = progress_service.DEFAULT_PLAN_CODE,
               month: int = 12) -> int:
    """Write the deck to ``path``; returns the number of slides."""
    data = deck_bytes(engine, year, plan_code, month)
    path.write_bytes(data)
    return len(Presentation(io.BytesIO(data)).slides)
