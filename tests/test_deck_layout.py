"""The deck is laid out, not only filled: every shape lies on the slide and every text fits its box.

Text size is estimated with :mod:`dashboard.textfit` (the advance widths of Noto Sans CJK SC); the
LibreOffice rendering of the same decks is looked at in tests/test_deck_pdf.py.
"""

from __future__ import annotations

import dataclasses
import io

from pptx import Presentation
from pptx.util import Emu, Inches, Pt
from sqlalchemy import Engine

from dashboard import textfit
from dashboard.briefing import BehindItem
from dashboard.services import deck, demo, slide_layout
from tests.test_deck import seed


def _frame_paragraphs(frame) -> list[textfit.Paragraph]:  # type: ignore[no-untyped-def]
    paragraphs = []
    for p in frame.paragraphs:
        sizes = [r.font.size.pt for r in p.runs if r.font.size is not None]
        spacing = p.line_spacing if isinstance(p.line_spacing, float) else 1.0
        paragraphs.append(textfit.Paragraph(p.text, max(sizes, default=slide_layout.MIN_PT), spacing))
    return paragraphs


def _fits(frame, width: int, height: int, insets=None) -> bool:  # type: ignore[no-untyped-def]
    """``insets``: the owner's (a table cell keeps its margins on the cell, not on the text body)."""
    m = insets or frame
    inner_w = Emu(width - m.margin_left - m.margin_right).pt
    inner_h = Emu(height - m.margin_top - m.margin_bottom).pt
    return textfit.fits(_frame_paragraphs(frame), inner_w, inner_h)


def layout_problems(data: bytes) -> list[str]:
    """Every shape off the slide, every overlapping text box and every text that does not fit its box."""
    prs = Presentation(io.BytesIO(data))
    problems = []
    for n, slide in enumerate(prs.slides, start=1):
        boxes = []
        for shape in slide.shapes:
            height = sum(r.height for r in shape.table.rows) if shape.has_table else shape.height
            if shape.left < 0 or shape.top < 0 or shape.left + shape.width > prs.slide_width \
                    or shape.top + height > prs.slide_height:
                problems.append(f"slide {n}: {shape.name} runs off the slide")
            boxes.append((shape.left, shape.top, shape.left + shape.width, shape.top + height, shape.name))
            if shape.has_text_frame and not _fits(shape.text_frame, shape.width, shape.height):
                problems.append(f"slide {n}: text does not fit: {shape.text_frame.text!r}")
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        if not _fits(cell.text_frame, table.columns[c].width, row.height, cell):
                            problems.append(f"slide {n}: cell ({r}, {c}) does not fit: {cell.text!r}")
        for i, a in enumerate(boxes):  # no two shapes share area (the title never sits behind a table)
            for b in boxes[i + 1:]:
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    problems.append(f"slide {n}: {a[4]} overlaps {b[4]}")
    return problems


def test_the_checker_finds_overflow_and_shapes_off_the_slide() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(9.5), Inches(1), Inches(1), Inches(0.5))
    box.text_frame.text = "进度差（百分点）进度差（百分点）"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(20)
    slide.shapes.add_textbox(Inches(9.8), Inches(1.2), Inches(0.5), Inches(0.5))
    out = io.BytesIO()
    prs.save(out)
    problems = layout_problems(out.getvalue())
    assert any("runs off" in p for p in problems)  # 10 in wide slide: 9.5 + 1 > 10
    assert any("does not fit" in p for p in problems)
    assert any("overlaps" in p for p in problems)


def test_fit_lines_shrinks_then_cuts_until_the_text_fits() -> None:
    width, height = Inches(4), Inches(0.8)
    short = slide_layout.fit_lines([("网络零售额", 24, True, slide_layout.INK)], width, height)
    assert short == [("网络零售额", 24, True, slide_layout.INK)]  # fits as it is: untouched
    long_text = "情况说明：" + "越城区：演示数据（合成样例，非真实统计）；" * 6
    fitted = slide_layout.fit_lines([(long_text, 24, False, slide_layout.INK)], width, height)
    text, size, _bold, _colour = fitted[0]
    assert size == slide_layout.MIN_PT and text.endswith("…") and long_text.startswith(text[:-1])
    inner = Emu(width - 2 * slide_layout.BOX_INSET_X).pt, Emu(height - 2 * slide_layout.BOX_INSET_Y).pt
    assert textfit.fits([textfit.Paragraph(text, size)], *inner)


def test_seeded_deck_is_laid_out(fresh_sqlite: Engine) -> None:
    seed(fresh_sqlite)
    assert layout_problems(deck.deck_bytes(fresh_sqlite, 2024)) == []


def test_demo_deck_is_laid_out_with_behind_items_on_two_slides_and_an_appendix(fresh_sqlite: Engine) -> None:
    demo.write_demo(fresh_sqlite)
    b = deck.briefing(fresh_sqlite, 2025)
    data = deck.render(b)
    assert layout_problems(data) == []
    slides = list(Presentation(io.BytesIO(data)).slides)
    titles = [s.shapes[0].text_frame.text for s in slides]
    main = [t for t in titles if t.startswith(b.behind_title)]
    appendix = [t for t in titles if t.startswith("附表")]
    assert 1 <= len(main) <= deck.MAIN_BEHIND_SLIDES and len(b.behind) > 20 and appendix

    # The main slides list the largest gaps: nothing in the appendix is worse than what they show.
    rows = [[cell.text for cell in row.cells] for s in slides if s.shapes[0].text_frame.text in main
            for row in list(next(sh.table for sh in s.shapes if sh.has_table).rows)[1:]]
    shown = {(r[1], r[2]) for r in rows}
    rest = [item.gap_pp for item in b.behind if (item.indicator, item.region) not in shown]
    assert rest and max(float(r[5]) for r in rows) <= min(rest) + 0.05
    # Grouped: each lead unit's rows form one block (the unit is named where its block starts).
    units: list[str] = []
    for r in rows:
        units.append(r[0] or units[-1])
    blocks = [u for k, u in enumerate(units) if k == 0 or u != units[k - 1]]
    assert len(blocks) == len(set(blocks)) and rows[0][0]


def test_many_behind_items_and_long_names_still_fit(fresh_sqlite: Engine) -> None:
    seed(fresh_sqlite)
    b = deck.briefing(fresh_sqlite, 2024)
    items = tuple(BehindItem(indicator=f"平台经济领域地方标准制修订数量{k}", region="柯桥区", status="behind", status_note="",
                             attainment=f"{50 + k}%", gap=f"-{90 - k}", gap_pp=-(90 - k),
                             lead_unit=["市市场监督管理局（市知识产权局）", "市商务局"][k % 2]) for k in range(80))
    data = deck.render(dataclasses.replace(b, behind=items))
    assert layout_problems(data) == []
    titles = [s.shapes[0].text_frame.text for s in Presentation(io.BytesIO(data)).slides]
    assert sum(t.startswith(b.behind_title) for t in titles) == deck.MAIN_BEHIND_SLIDES
    assert sum(t.startswith("附表") for t in titles) >= 2


def test_month_deck_of_the_demo_is_laid_out(fresh_sqlite: Engine) -> None:
    demo.write_demo(fresh_sqlite)
    for month in (3, 9):
        assert layout_problems(deck.deck_bytes(fresh_sqlite, 2025, month=month)) == [], month
