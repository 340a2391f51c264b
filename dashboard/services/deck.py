"""The briefing deck (汇报PPT): gather the briefing from the store and render it with python-pptx.

Every chart is a native PowerPoint chart (editable in PowerPoint / WPS / LibreOffice), every run of
text carries an East-Asian typeface (``a:ea``; python-pptx's ``font.name`` only sets ``a:latin``),
and no text is smaller than 18 pt so the deck reads from the back of a meeting room.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt
from sqlalchemy import Engine

from dashboard.briefing import ActualFigure, BehindItem, Briefing, DistrictCell, IndicatorPage, PlanInfo, build_briefing
from dashboard.errors import NotFoundError
from dashboard.formatting import local_time
from dashboard.progress import STATUS_LABELS
from dashboard.services import progress as progress_service
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory

FONT = "Noto Sans CJK SC"
MIN_PT = 18  # body text floor: readable on a projector
# Icons of the deck: shapes present in every CJK font (emoji are missing from many office PCs and
# from LibreOffice's PDF export), so the icon + word pair survives any machine. Words: STATUS_LABELS.
DECK_ICONS = {"achieved": "✓", "on_track": "●", "at_risk": "▲", "behind": "▼", "severe": "◆", "missed": "×",
              "no_data": "○", "incomplete": "◐"}
# Okabe-Ito (colour-blind safe); status colour always comes with an icon and a word.
BLUE, VERMILION, ORANGE, GREEN, GREY, INK = "0072B2", "D55E00", "E69F00", "009E73", "6E6E6E", "1F2933"
STATUS_COLOURS = {"achieved": GREEN, "on_track": GREEN, "at_risk": ORANGE, "behind": VERMILION, "severe": VERMILION,
                  "missed": VERMILION, "no_data": GREY, "incomplete": GREY}
HEADER_FILL, BAND_FILL = "1F3A5F", "EEF2F6"
BEHIND_PER_SLIDE = 6
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
# Kinds of submission that write statistics staff's (or demo) figures: the "data as of" date.
DATA_SUBMISSION_KINDS = ("import", "rollback", "demo")


def status_text(status: str) -> str:
    """"▲ 略低于序时": the deck's icon and the methodology's word."""
    return f"{DECK_ICONS[status]} {STATUS_LABELS[status][1]}"


# --------------------------------------------------------------------------- gathering


def _notes(engine: Engine, plan_id: int, year: int) -> dict[str, list[str]]:
    """The staff's explanations (情况说明) of the year's effective figures, by indicator code."""
    with session_factory(engine)() as session:
        indicators = {i.id: i.code for i in repo.indicators(session, plan_id=plan_id, tier="core")}
        names = {r.code: r.name for r in repo.all_regions(session)}
        order = list(names)
        # The note of the effective figure (final over preliminary), as for the value.
        effective = {
            (indicator_id, region): o.note
            for (indicator_id, region, y), o in repo.effective_annual(
                repo.current_observations(session, indicator_ids=list(indicators), years=[year], months=[12])).items()
            if y == year
        }
    notes: dict[str, list[str]] = {}
    for (indicator_id, region), note in sorted(effective.items(), key=lambda kv: order.index(kv[0][1])):
        if note and note.strip():
            notes.setdefault(indicators[indicator_id], []).append(f"{names[region]}：{note.strip()}")
    return notes


def briefing(engine: Engine, year: int, plan_code: str = progress_service.DEFAULT_PLAN_CODE) -> Briefing:
    """The briefing content for ``year`` from the store (NotFoundError for an unknown plan)."""
    with session_factory(engine)() as session:
        plan = repo.plan_by_code(session, plan_code)
        if plan is None:
            raise NotFoundError(f"没有代码为“{plan_code}”的计划")
        info = PlanInfo(plan.title, plan.doc_number, plan.baseline_year, plan.city_code)
        plan_id = plan.id
        as_of = repo.latest_submission_at(session, DATA_SUBMISSION_KINDS)
        demo = repo.current_values_written_by_kind(session, "demo") > 0
    rows = progress_service.progress(engine, year, plan_code=plan_code, tier="core")
    actuals: dict[str, dict[int, ActualFigure]] = {}
    # The chart's actual line: the city's effective figure of every year up to the one briefed
    # (never a later year, which would contradict "data for this year").
    earlier = list(progress_service.progress_by_year(engine, range(info.baseline_year, year), region=info.city_code,
                                                     plan_code=plan_code, tier="core").values()) if year > info.baseline_year else []
    for row in [r for year_rows in earlier for r in year_rows] + rows:
        # assessment.actual is None for a partial sum: only the city's own or all-district figures.
        if row.region.code == info.city_code and row.assessment.actual is not None and row.actual_source:
            actuals.setdefault(row.indicator.code, {})[row.assessment.year] = ActualFigure(
                row.assessment.actual, row.actual_source, row.actual_status)
    return build_briefing(info, year, rows, actuals, _notes(engine, plan_id, year),
                          None if as_of is None else local_time(as_of).date(), demo)


# --------------------------------------------------------------------------- text helpers


def set_east_asian_font(rPr, typeface: str = FONT) -> None:  # type: ignore[no-untyped-def]
    """Set the Latin AND East-Asian typeface of an ``a:rPr`` / ``a:defRPr``.

    ``charset="-122"`` (GB2312) and the swiss pitch family let PowerPoint substitute a Chinese
    sans-serif (e.g. 微软雅黑) where Noto Sans CJK SC is not installed, instead of a Latin font.
    """
    latin = rPr.get_or_add_latin()
    latin.set("typeface", typeface)
    ea = rPr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        latin.addnext(ea)
    for name, value in (("typeface", typeface), ("pitchFamily", "34"), ("charset", "-122")):
        ea.set(name, value)
    rPr.set("lang", "zh-CN")


def _style(font, size: float, bold: bool = False, colour: str = INK) -> None:  # type: ignore[no-untyped-def]
    font.size = Pt(max(size, MIN_PT))
    font.bold = bold
    font.color.rgb = RGBColor.from_string(colour)
    set_east_asian_font(font._rPr)


Line = tuple[str, float, bool, str]  # text, size, bold, colour


def _fill_frame(frame, lines: Iterable[Line], align=PP_ALIGN.LEFT,
                line_spacing: float | None = None) -> None:  # type: ignore[no-untyped-def]
    frame.word_wrap = True
    first = True
    for text, size, bold, colour in lines:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.alignment = align
        if line_spacing is not None:
            paragraph.line_spacing = line_spacing
        run = paragraph.add_run()
        run.text = text
        _style(run.font, size, bold, colour)


def _textbox(slide: Slide, left: float, top: float, width: float, height: float, lines: Iterable[Line],
             align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP) -> None:  # type: ignore[no-untyped-def]
    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.vertical_anchor = anchor
    _fill_frame(frame, lines, align)


def _title(slide: Slide, text: str, footer: str) -> None:
    _textbox(slide, 0.5, 0.3, 12.3, 0.8, [(text, 32, True, INK)])
    _textbox(slide, 0.5, 7.0, 12.3, 0.45, [(footer, 18, False, GREY)], align=PP_ALIGN.RIGHT)


def _table(slide: Slide, top: float, widths: list[float], header: list[str],
           body: list[list[list[Line]]], row_height: float, header_height: float = 0.55) -> None:
    shape = slide.shapes.add_table(len(body) + 1, len(widths), Inches(0.5), Inches(top),
                                   Inches(sum(widths)), Inches(header_height + row_height * len(body)))
    table = shape.table
    for i, width in enumerate(widths):
        table.columns[i].width = Inches(width)
    rows = [[[(h, 20, True, "FFFFFF")] for h in header], *body]
    for r, cells in enumerate(rows):
        table.rows[r].height = Inches(header_height if r == 0 else row_height)
        for c, lines in enumerate(cells):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(HEADER_FILL if r == 0 else BAND_FILL if r % 2 == 0 else "FFFFFF")
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            # CJK fonts have tall default line heights: tighten so two lines fit a row.
            _fill_frame(cell.text_frame, lines, line_spacing=0.95)


def _status_line(status: str, size: float = 20, note: str = "") -> Line:
    return (status_text(status) + note, size, True, STATUS_COLOURS[status])


# --------------------------------------------------------------------------- slides


def _cover(prs: Presentation, b: Briefing) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    c = b.cover
    lines: list[Line] = [(c.title, 40, True, INK), (c.subtitle, 28, False, BLUE), (c.data_as_of, 22, False, GREY)]
    _textbox(slide, 0.9, 2.0, 11.5, 3.2, lines, anchor=MSO_ANCHOR.MIDDLE)
    if c.demo:
        _textbox(slide, 0.9, 5.5, 11.5, 0.8, [("演示数据：本材料中的实际值为虚构示例，不是统计数据", 24, True, VERMILION)])


def _scorecard(prs: Presentation, b: Briefing, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, b.scorecard_title, footer)
    body = [
        [[(s.name, 20, True, INK)], [(s.actual, 18, False, INK)], [(s.target, 18, False, INK)],
         [(s.attainment, 20, True, INK)], [(s.gap, 18, False, INK)], [_status_line(s.status, note=s.status_note)]]
        for s in b.scorecard
    ]
    header = list(b.scorecard_header) or ["指标", f"{b.year}年实际", "目标值", "完成率", "进度差（百分点）", "状态"]
    _table(slide, 1.25, [2.9, 3.0, 1.5, 1.3, 1.6, 2.0], header, body, 0.6)


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


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _indicator(prs: Presentation, page: IndicatorPage, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, page.title, footer)
    _textbox(slide, 9.3, 0.35, 3.5, 0.7, [_status_line(page.status, 26, page.status_note)], align=PP_ALIGN.RIGHT)
    _textbox(slide, 0.5, 1.1, 12.3, 0.8, [(page.conclusion, 24, True, BLUE)])
    _chart(slide, page)
    lines: list[Line] = []
    for label, value in page.key_numbers:
        lines += [(label, 18, False, GREY), (value, 22, True, INK)]
    _textbox(slide, 8.9, 1.95, 4.0, 4.4, lines)
    notes = "；".join(page.notes)
    shown = "情况说明：" + (_shorten(notes, 70) if notes else "暂无")
    _textbox(slide, 0.5, 6.35, 12.3, 0.65, [(shown, 18, False, INK)])
    # The whole explanation goes to the speaker notes, where length does not matter.
    slide.notes_slide.notes_text_frame.text = f"{page.conclusion}\n情况说明：{notes or '暂无'}"
    for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
        for run in paragraph.runs:
            _style(run.font, MIN_PT)


def _districts(prs: Presentation, b: Briefing, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    t = b.districts
    _title(slide, t.title, footer)
    if not t.regions:
        _textbox(slide, 0.5, 1.5, 12.3, 1, [("本计划没有可按区县比较的指标", 24, False, INK)])
        return
    width = (12.3 - 2.7) / len(t.regions)
    def cell_lines(cell: DistrictCell) -> list[Line]:
        status = _status_line(cell.status, 18, cell.status_note)
        return [status] if cell.attainment == "—" else [(f"完成率{cell.attainment}", 18, False, INK), status]

    body = [[[(name, 18, True, INK)], *[cell_lines(cell) for cell in cells]] for name, cells in t.rows]
    # Every cell carries its icon and word, so no legend is needed (and the rows need the room).
    _table(slide, 1.2, [2.7] + [width] * len(t.regions), ["指标", *t.regions], body, 0.75, header_height=0.5)


def _behind(prs: Presentation, b: Briefing, footer: str) -> None:
    chunks: list[tuple[BehindItem, ...]] = [b.behind[i:i + BEHIND_PER_SLIDE]
                                             for i in range(0, len(b.behind), BEHIND_PER_SLIDE)] or [()]
    for n, chunk in enumerate(chunks):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, b.behind_title + (f"（续{n}）" if n else ""), footer)
        if not chunk:
            _textbox(slide, 0.5, 1.5, 12.3, 1, [("各项指标均无滞后，或尚无可评估的数据", 24, False, INK)])
            continue
        body = [[[(i.indicator, 18, True, INK)], [(i.region, 18, False, INK)], [_status_line(i.status, 18, i.status_note)],
                 [(i.detail, 18, False, INK)], [(i.lead_unit, 18, False, INK)]] for i in chunk]
        _table(slide, 1.2, [2.7, 1.3, 1.8, 4.3, 2.2], ["指标", "地区", "状态", "进展", "牵头单位"], body, 0.78)


def render(b: Briefing) -> bytes:
    """The deck of a briefing as .pptx bytes (16:9)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    footer = b.cover.data_as_of + ("｜演示数据" if b.cover.demo else "")
    _cover(prs, b)
    _scorecard(prs, b, footer)
    for page in b.indicators:
        _indicator(prs, page, footer)
    _districts(prs, b, footer)
    _behind(prs, b, footer)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def month_briefing(engine: Engine, year: int, month: int,
                   plan_code: str = progress_service.DEFAULT_PLAN_CODE) -> Briefing:
    """The 月度/季度通报 content for 1–``month``月 of ``year`` (same model as the annual briefing)."""
    from dashboard.month_briefing import build_month_briefing
    from dashboard.services import monthly

    with session_factory(engine)() as session:
        plan = repo.plan_by_code(session, plan_code)
        if plan is None:
            raise NotFoundError(f"没有代码为“{plan_code}”的计划")
        info = PlanInfo(plan.title, plan.doc_number, plan.baseline_year, plan.city_code)
        as_of = repo.latest_submission_at(session, DATA_SUBMISSION_KINDS)
        demo = repo.current_values_written_by_kind(session, "demo") > 0
    rows = monthly.month_progress(engine, year, month, plan_code=plan_code, tier="core")
    series = {r.indicator.code: monthly.cumulative_series(engine, r.indicator.code, info.city_code, year, month,
                                                         plan_code)
              for r in rows if r.region.code == info.city_code}
    return build_month_briefing(info, year, month, rows, series, None if as_of is None else local_time(as_of).date(),
                                demo)


def deck_bytes(engine: Engine, year: int, plan_code: str = progress_service.DEFAULT_PLAN_CODE, month: int = 12) -> bytes:
    """The deck as .pptx bytes: the annual briefing, or with ``month`` < 12 the 1–N月 version."""
    return render(briefing(engine, year, plan_code) if month == 12 else month_briefing(engine, year, month, plan_code))


def write_deck(engine: Engine, year: int, path: Path, plan_code: str = progress_service.DEFAULT_PLAN_CODE,
               month: int = 12) -> int:
    """Write the deck to ``path``; returns the number of slides."""
    data = deck_bytes(engine, year, plan_code, month)
    path.write_bytes(data)
    return len(Presentation(io.BytesIO(data)).slides)
