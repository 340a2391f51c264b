"""The 通报 as a Word document in the national 公文 layout (GB/T 9704-2012), with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid of 22 lines × 28
characters; title 2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋, headings "一、" 黑体 and "（一）" 楷体; page
numbers "— 1 —" in 4号 宋体 at the foot, on the outer side (right on odd pages, left on even ones).

Fonts are named as the office's PCs have them (方正小标宋简体, 仿宋_GB2312 …) and set as the *East Asian*
font (``w:eastAsia``): python-docx's ``font.name`` only sets the Latin one, which Chinese text ignores.
Each also gets a font-table entry with an ``altName`` and a family, so Word falls back to 宋体 / 仿宋 / 黑体
/ 楷体 and LibreOffice to a CJK serif (or sans for 黑体) when the 公文 face is missing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from dashboard.report import Grid, Report

# GB/T 9704-2012 page: A4 and the 版心 156 mm × 225 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 225 mm ÷ 22 lines = 28.95 pt: the fixed line pitch (579 twips) of body text and of the document grid.
LINE_PITCH_TWIPS = 579
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)
# 156 mm ÷ 28 characters = 15.79 pt per character: 3号 (16 pt) characters are set 0.25 pt closer
# (w:spacing, in twentieths of a point). A character grid (docGrid linesAndChars) would say the same to
# Word, but LibreOffice spreads such a grid's characters over the line.
CHAR_SPACING_TWENTIETHS = -5

TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, PAGE_NUMBER_PT, TABLE_PT = 22, 16, 14, 9  # 2号, 3号, 4号, 小五 (a table of 8 columns)
# Fallbacks (w:altName) and the generic family, for machines without the 公文 faces.
FONT_TABLE = {
    TITLE_FONT: ("宋体", "roman"), BODY_FONT: ("仿宋", "roman"), KAI_FONT: ("楷体", "roman"),
    HEI_FONT: ("SimHei", "swiss"), SONG_FONT: ("SimSun", "roman"),
}


# The children of w:rPr, w:pPr, w:tblPr and w:trPr in schema order (ECMA-376 part 1): Word refuses
# ("unreadable content") a document whose elements are out of this order, so added ones are put in place.
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
             "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
             "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
              "tblHeader", "tblCellSpacing", "jc", "hidden")


def put(parent, tag: str, order: Sequence[str], **attrs: str):  # type: ignore[no-untyped-def]
    """The child ``w:<tag>`` of ``parent`` (added in schema order if missing), with ``attrs`` set (w: names)."""
    element = parent.find(qn(f"w:{tag}"))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        later = {qn(f"w:{t}") for t in order[order.index(tag) + 1:]}
        successor = next((child for child in parent if child.tag in later), None)
        if successor is None:
            parent.append(element)
        else:
            successor.addprevious(element)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def set_fonts(rpr, east_asian: str, size: float | None = None) -> None:  # type: ignore[no-untyped-def]
    """Latin and East Asian typeface (and size) on a run's or a style's ``w:rPr``.

    Theme attributes (``w:eastAsiaTheme`` …) win over named fonts in Word, so they are removed.
    """
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")  # ambiguous characters (“”、—) are set in the East Asian face
    if size is not None:
        for tag in ("sz", "szCs"):
            put(rpr, tag, RPR_ORDER, val=str(int(size * 2)))  # half-points


def _font_table(doc: DocumentObject) -> None:
    """Declare each 公文 face with its fallback, in the document's font table."""
    fonts_part = next((p for p in doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")), None)
    if fonts_part is None:
        return
    from lxml import etree

    root = etree.fromstring(fonts_part.blob)
    for name, (alt, family) in FONT_TABLE.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", family), ("w:pitch", "variable")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    fonts_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc: DocumentObject) -> None:
    """Body text defaults: 仿宋 3号, fixed 28.95 pt lines, no space between paragraphs, Chinese language."""
    normal = doc.styles["Normal"]
    rpr = normal.element.get_or_add_rPr()
    set_fonts(rpr, BODY_FONT, BODY_PT)
    put(rpr, "spacing", RPR_ORDER, val=str(CHAR_SPACING_TWENTIETHS))
    put(rpr, "lang", RPR_ORDER, val="en-US", eastAsia="zh-CN")
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    # docDefaults carry theme fonts in python-docx's template: they would override the style's faces.
    for fonts in doc.styles.element.findall(f".//{qn('w:docDefaults')}//{qn('w:rFonts')}"):
        set_fonts(fonts.getparent(), BODY_FONT)


def _page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    # The page number's dash sits 7 mm below the 版心: the footer line (about 6 mm) ends 22 mm above the edge.
    section.footer_distance = Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _page_number(paragraph: DocxParagraph, odd: bool) -> None:
    """"— 7 —" in 4号 宋体, one character in from the outer edge: right on odd pages, left on even ones."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(paragraph)

    def run(text: str = "") -> None:
        r = paragraph.add_run(text)
        set_fonts(r._r.get_or_add_rPr(), SONG_FONT, PAGE_NUMBER_PT)

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = paragraph.add_run()
        set_fonts(r._r.get_or_add_rPr(), SONG_FONT, PAGE_NUMBER_PT)
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            r._r.append(field)
        elif instruction == " PAGE ":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            r._r.append(code)
        else:
            r.text = instruction or ""
    run(" —")


def _no_grid(paragraph: DocxParagraph) -> None:
    """Off the document grid: tables and the footer keep their own line height."""
    ppr = paragraph._p.get_or_add_pPr()
    put(ppr, "snapToGrid", PPR_ORDER, val="0")


def _paragraph(doc: DocumentObject, parts: Sequence[tuple[str, str]], indent: bool = True,
               align: WD_ALIGN_PARAGRAPH | None = None, size: float = BODY_PT,
               keep_with_next: bool = False) -> DocxParagraph:
    """A paragraph of runs (text, East Asian face); body paragraphs start two characters in."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(2 * BODY_PT)
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = keep_with_next
    for text, face in parts:
        run = paragraph.add_run(text)
        set_fonts(run._r.get_or_add_rPr(), face, size)
    return paragraph


def _grid_table(doc: DocumentObject, grid: Grid) -> None:
    """附表: a full-width table, 小五 text; the name column wide enough for "农村快递“共富驿站”（个）"."""
    columns = len(grid.header)
    table = doc.add_table(rows=1 + len(grid.rows), cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Narrow cell margins (1 mm): "133.3%估" fits a district column on one line.
    margins = put(table._tbl.tblPr, "tblCellMar", TBLPR_ORDER)
    for side in ("left", "right"):  # CT_TblCellMar: top, left, bottom, right
        put(margins, side, ("top", "left", "bottom", "right"), w="57", type="dxa")
    usable = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM
    first = 34.0
    widths = [Mm(first)] + [Mm((usable - first) / (columns - 1))] * (columns - 1)
    for r, cells in enumerate([tuple((h,) for h in grid.header), *grid.rows]):
        row = table.rows[r]
        trpr = row._tr.get_or_add_trPr()
        put(trpr, "cantSplit", TRPR_ORDER)  # a row is never cut across two pages
        if r == 0:  # the header repeats on every page of a long table
            put(trpr, "tblHeader", TRPR_ORDER)
        for c, lines in enumerate(cells):
            cell = row.cells[c]
            cell.width = widths[c]
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 0 and r else WD_ALIGN_PARAGRAPH.CENTER
            _no_grid(paragraph)
            face = HEI_FONT if r == 0 else BODY_FONT
            for k, line in enumerate(lines):
                run = paragraph.add_run(line)
                set_fonts(run._r.get_or_add_rPr(), face, TABLE_PT)
                if k < len(lines) - 1:
                    run.add_break()
    for k, width in enumerate(widths):
        table.columns[k].width = width


def render(report: Report) -> bytes:
    """The 通报 as .docx bytes."""
    doc = Document()
    _styles(doc)
    _font_table(doc)
    _page(doc)
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # the template's empty first paragraph
        body._p.getparent().remove(body._p)
    title = _paragraph(doc, [(report.title, TITLE_FONT)], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                       size=TITLE_PT)
    title.paragraph_format.line_spacing = Pt(36)  # a 2号 title on two lines needs more than the body's pitch
    _paragraph(doc, [(report.as_of, KAI_FONT)], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    if report.demo:
        _paragraph(doc, [("演示数据（合成样例，非真实统计）", HEI_FONT)], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, [("", BODY_FONT)], indent=False)  # one empty line between the title block and the text
    for section in report.sections:
        _paragraph(doc, [(section.heading, HEI_FONT)], keep_with_next=True)
        for p in section.paragraphs:
            _paragraph(doc, [(p.lead, KAI_FONT), (p.text, BODY_FONT)] if p.lead else [(p.text, BODY_FONT)])
    # 附表 on a page of its own, then the notes that explain it and the text.
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, [("附表", HEI_FONT)], indent=False, keep_with_next=True)
    _paragraph(doc, [(report.grid.title, TITLE_FONT)], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
               keep_with_next=True)
    _grid_table(doc, report.grid)
    note = _paragraph(doc, [(report.grid.note, BODY_FONT)], indent=False, size=TABLE_PT)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(note)
    _paragraph(doc, [("说明", HEI_FONT)], keep_with_next=True)
    for k, text in enumerate(report.notes, start=1):
        _paragraph(doc, [(f"{k}. {text}", BODY_FONT)])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
