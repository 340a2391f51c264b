"""The text-size estimate the deck is laid out with (dashboard.textfit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import textfit

BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


@pytest.mark.skipif(not BOLD.exists(), reason="fonts-noto-cjk not installed")
def test_width_table_is_the_installed_face() -> None:
    from PIL import ImageFont

    face = ImageFont.truetype(str(BOLD), 1000, index=2)  # index 2: the SC (Simplified Chinese) face
    assert face.getname() == ("Noto Sans CJK SC", "Bold")
    for ch, width in textfit.ASCII_WIDTHS.items():
        assert abs(face.getlength(ch) - width) <= 1, ch
    for ch in "中，（）●▲▼×○…％":  # one em each, as the estimate assumes for anything outside the table
        assert face.getlength(ch) <= textfit.WIDE, ch
    ascent, descent = face.getmetrics()
    assert abs((ascent + descent) / 1000 - textfit.LINE_HEIGHT) < 0.001


def test_width_and_line_breaks() -> None:
    assert textfit.text_width("完成率", 20) == 60
    assert textfit.text_width("100%", 10) == pytest.approx((3 * 590 + 963) / 100)
    # Ideographs break anywhere; closing punctuation stays with the character before it.
    assert textfit.line_count("进度差（百分点）", 18, 106.56) == 2
    assert textfit.line_count("进度差（百分点）", 18, 144) == 1
    assert textfit.line_count("一二三四，", 10, 40) == 2  # "，" may not start the second line: "四，" moves together
    # A Latin word does not break; a space does.
    assert textfit.line_count("1,200 亿元", 20, 60) == 2


def test_fits_needs_both_width_and_height() -> None:
    line = [textfit.Paragraph("网络零售额", 20)]
    assert textfit.fits(line, 100, 29)
    assert not textfit.fits(line, 100, 28)  # one line is 20 × 1.448 = 28.96 pt tall
    assert not textfit.fits([textfit.Paragraph("12345678901234", 20)], 100, 200)  # an unbreakable word too wide
    assert textfit.text_height([textfit.Paragraph("网络零售额", 20, 0.5)] * 2, 60) == pytest.approx(2 * 2 * 20 * 1.448 * 0.5)
