"""How much room a text takes when set in Noto Sans CJK SC: the deck's layout estimate.

Plain Python, no font file needed at run time: the advance widths of the printable ASCII characters
were read from the Bold face (the wider of the two, so the estimate errs on the side of "too big");
every other character (CJK ideographs, full-width punctuation, the status shapes ✓●▲▼×○) is taken as
one em, which is what the CJK face gives them. Lines break the way PowerPoint and LibreOffice break
Chinese text: between any two ideographs, at spaces inside Latin text, never before closing
punctuation (，。）…) and never after opening punctuation (（“…).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Advance widths in thousandths of an em, Noto Sans CJK SC Bold (tests/test_textfit.py re-reads
# them from the installed font, so the table cannot drift from the face the deck names).
ASCII_WIDTHS: dict[str, int] = {
    '0': 590, '1': 590, '2': 590, '3': 590, '4': 590, '5': 590, '6': 590, '7': 590, '8': 590, '9': 590,
    'a': 591, 'b': 644, 'c': 527, 'd': 644, 'e': 581, 'f': 372, 'g': 597, 'h': 640, 'i': 304, 'j': 306,
    'k': 604, 'l': 315, 'm': 964, 'n': 641, 'o': 626, 'p': 644, 'q': 644, 'r': 436, 's': 495, 't': 421,
    'u': 637, 'v': 576, 'w': 863, 'x': 562, 'y': 574, 'z': 511, 'A': 641, 'B': 681, 'C': 656, 'D': 714,
    'E': 615, 'F': 585, 'G': 717, 'H': 757, 'I': 330, 'J': 568, 'K': 686, 'L': 578, 'M': 853, 'N': 749,
    'O': 770, 'P': 667, 'Q': 770, 'R': 682, 'S': 624, 'T': 625, 'U': 748, 'V': 619, 'W': 915, 'X': 627,
    'Y': 580, 'Z': 613, '!': 370, '"': 574, '#': 590, '$': 590, '%': 963, '&': 740, "'": 325, '(': 378,
    ')': 378, '*': 507, '+': 590, ',': 325, '-': 370, '.': 325, '/': 387, ':': 325, ';': 325, '<': 590,
    '=': 590, '>': 590, '?': 514, '@': 1007, '[': 378, '\\': 387, ']': 378, '^': 590, '_': 567, '`': 626,
    '{': 378, '|': 296, '}': 378, '~': 590, ' ': 227,

}
WIDE = 1000  # anything not in the table: ideographs, full-width forms, status shapes
# Ascender + descender of the face (1160 + 288 per 1000): the height of one line at 100% spacing.
LINE_HEIGHT = 1.448
_NO_LINE_START = set("，。、；：？！）」』】》〉”’%％…·")
_NO_LINE_END = set("（「『【《〈“‘")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a text frame: its text, font size in points and line spacing (1.0 = single)."""

    text: str
    size: float
    spacing: float = 1.0


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` on one line at ``size`` points."""
    return sum(ASCII_WIDTHS.get(ch, WIDE) for ch in text) * size / 1000


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word, one ideograph (with the punctuation that must stay with it), a space."""
    tokens: list[str] = []
    for ch in text:
        latin = ch in ASCII_WIDTHS and ch != " "
        if tokens and ((latin and tokens[-1][-1] in ASCII_WIDTHS and tokens[-1][-1] != " ")
                       or ch in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def line_count(text: str, size: float, width: float) -> int:
    """Lines ``text`` needs in a box ``width`` points wide (a word wider than the box counts once per width)."""
    lines, used = 1, 0.0
    for token in _tokens(text):
        w = text_width(token, size)
        if used and used + w > width:
            lines += 1
            used = 0.0 if token == " " else w
        else:
            used += w
        while used > width:  # a single token wider than the box is broken by characters
            lines += 1
            used -= width
    return lines


def text_height(paragraphs: Sequence[Paragraph], width: float) -> float:
    """Height in points the paragraphs take in a box ``width`` points wide."""
    return sum(line_count(p.text, p.size, width) * p.size * LINE_HEIGHT * p.spacing for p in paragraphs)


def fits(paragraphs: Sequence[Paragraph], width: float, height: float) -> bool:
    """Whether the paragraphs fit a box of ``width`` × ``height`` points (insets already taken off)."""
    return all(text_width(t, p.size) <= width for p in paragraphs for t in _tokens(p.text)) and \
        text_height(paragraphs, width) <= height
