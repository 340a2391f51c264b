"""Laying out text and tables on a slide (python-pptx): every box and table row sized by the text it holds.

The estimate is :mod:`dashboard.textfit` (Noto Sans CJK SC); insets are written explicitly on every
frame so the estimate, PowerPoint and LibreOffice agree. Every run carries the East-Asian typeface
and no text is set under ``MIN_PT``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from dashboard import textfit

FONT = "Noto Sans CJK SC"
MIN_PT = 18  # body text floor: readable on a projector
# Okabe-Ito (colour-blind safe); status colour always comes with an icon and a word.
BLUE, VERMILION, ORANGE, GREEN, GREY, INK = "0072B2", "D55E00", "E69F00", "009E73", "6E6E6E", "1F2933"
HEADER_FILL, BAND_FILL = "1F3A5F", "EEF2F6"


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


def style(font, size: float, bold: bool = False, colour: str = INK) -> None:  # type: ignore[no-untyped-def]
    font.size = Pt(max(size, MIN_PT))
    font.bold = bold
    font.color.rgb = RGBColor.from_string(colour)
    set_east_asian_font(font._rPr)


Line = tuple[str, float, bool, str]  # text, size, bold, colour
# Insets written explicitly on every frame so the layout estimate and the renderer agree.
BOX_INSET_X, BOX_INSET_Y = Inches(0.1), Inches(0.05)
CELL_INSET_X, CELL_INSET_Y = Inches(0.06), Inches(0.03)
CELL_SPACING = 0.85  # CJK fonts have tall default line heights: tighten so rows stay compact
TABLE_LEFT, TABLE_WIDTH = 0.5, 12.3
CONTENT_BOTTOM = 6.95  # inches: the footer box starts at 6.97


def _pt(length: int) -> float:
    return Emu(length).pt


def _paragraphs(lines: Iterable[Line], spacing: float = 1.0) -> list[textfit.Paragraph]:
    return [textfit.Paragraph(text, max(size, MIN_PT), spacing) for text, size, _bold, _colour in lines]


def _needed_height(lines: list[Line], width: int, inset_x: int, inset_y: int, spacing: float = 1.0) -> int:
    """EMU height a frame ``width`` EMU wide needs for ``lines`` (insets included)."""
    inner = _pt(width - 2 * inset_x)
    return math.ceil(textfit.text_height(_paragraphs(lines, spacing), inner) * 12700) + 2 * inset_y + 1


def fit_lines(lines: list[Line], width: int, height: int, inset_x: int = BOX_INSET_X, inset_y: int = BOX_INSET_Y,
              spacing: float = 1.0) -> list[Line]:
    """``lines`` made to fit a ``width`` × ``height`` EMU box: type shrunk point by point down to
    MIN_PT, then the longest line cut short with "…" (the speaker notes keep every word)."""
    inner_w, inner_h = _pt(width - 2 * inset_x), _pt(height - 2 * inset_y)

    def ok(candidate: list[Line]) -> bool:
        return textfit.fits(_paragraphs(candidate, spacing), inner_w, inner_h)

    fitted = list(lines)
    while not ok(fitted) and any(size > MIN_PT for _t, size, _b, _c in fitted):
        fitted = [(t, max(size - 1, MIN_PT), b, c) for t, size, b, c in fitted]
    while not ok(fitted):
        i = max(range(len(fitted)), key=lambda k: len(fitted[k][0]))
        text, size, bold, colour = fitted[i]
        if len(text) <= 2:
            break  # nothing left to cut: the box is too small for one line (a layout bug the tests catch)
        fitted[i] = (text.rstrip("…")[:-1] + "…", size, bold, colour)
    return fitted


def fill_frame(frame, lines: Iterable[Line], align=PP_ALIGN.LEFT,
                line_spacing: float | None = None) -> None:  # type: ignore[no-untyped-def]
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    first = True
    for text, size, bold, colour in lines:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.alignment = align
        if line_spacing is not None:
            paragraph.line_spacing = line_spacing
        run = paragraph.add_run()
        run.text = text
        style(run.font, size, bold, colour)


def textbox(slide: Slide, left: float, top: float, width: float, height: float, lines: list[Line],
             align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, spacing: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    """A text box whose lines are fitted to it (see :func:`fit_lines`)."""
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = BOX_INSET_X
    frame.margin_top = frame.margin_bottom = BOX_INSET_Y
    frame.vertical_anchor = anchor
    fill_frame(frame, fit_lines(lines, shape.width, shape.height, spacing=spacing), align,
                None if spacing == 1.0 else spacing)


Cells = list[list[Line]]  # one table row: the lines of each cell


def row_height(widths: list[float], cells: Cells, minimum: float) -> int:
    """EMU height of a table row: the tallest cell's text at its column width, at least ``minimum`` inches."""
    needed = [_needed_height(lines, Inches(w), CELL_INSET_X, CELL_INSET_Y, CELL_SPACING) for w, lines in zip(widths, cells)]
    return max([Inches(minimum), *needed])


def table(slide: Slide, top: float, widths: list[float], header: list[str], body: list[Cells],
           minimum: float = 0.45, left: float = TABLE_LEFT) -> int:
    """A table whose rows are as tall as their text needs; returns its height in EMU."""
    rows = [[[(h, 18, True, "FFFFFF")] for h in header], *body]
    heights = [row_height(widths, cells, minimum) for cells in rows]
    shape = slide.shapes.add_table(len(rows), len(widths), Inches(left), Inches(top), Inches(sum(widths)), sum(heights))
    table = shape.table
    for i, width in enumerate(widths):
        table.columns[i].width = Inches(width)
    for r, cells in enumerate(rows):
        table.rows[r].height = heights[r]
        for c, lines in enumerate(cells):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(HEADER_FILL if r == 0 else BAND_FILL if r % 2 == 0 else "FFFFFF")
            cell.margin_left = cell.margin_right = CELL_INSET_X
            cell.margin_top = cell.margin_bottom = CELL_INSET_Y
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            fill_frame(cell.text_frame, lines, line_spacing=CELL_SPACING)
    return sum(heights)


def pages_of_rows(widths: list[float], header: list[str], body: list[Cells], top: float,
                  minimum: float = 0.45) -> list[list[Cells]]:
    """``body`` cut into slides: as many rows as fit between ``top`` and the footer under the header."""
    room = Inches(CONTENT_BOTTOM - top) - row_height(widths, [[(h, 18, True, INK)] for h in header], minimum)
    pages: list[list[Cells]] = [[]]
    used = 0
    for cells in body:
        height = row_height(widths, cells, minimum)
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0
        pages[-1].append(cells)
        used += height
    return pages
