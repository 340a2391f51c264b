"""PNG export of a Plotly figure, for pasting a chart into a document (Word, WPS, a report).

kaleido >= 1 drives a headless Chromium (Debian's ``/usr/bin/chromium`` here). Chinese text needs a
CJK font on the machine that renders (``fonts-noto-cjk``) and a figure font that names it: without
that, Chromium may pick a Latin font and draw every 汉字 as an empty box.
"""

from __future__ import annotations

import os
import shutil

import plotly.graph_objects as go

# Noto Sans CJK SC first (installed with fonts-noto-cjk), then what Windows/macOS machines have.
FONT_FAMILY = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
# 16:9 at 2× scale: sharp when pasted into a document or a slide.
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SCALE = 1200, 675, 2.0
_CHROMIUM = "/usr/bin/chromium"


def _point_kaleido_at_chromium() -> None:
    """kaleido looks for Chrome via ``BROWSER_PATH``; Debian ships Chromium under another name."""
    if "BROWSER_PATH" not in os.environ:
        path = shutil.which("chromium") or (_CHROMIUM if os.path.exists(_CHROMIUM) else None)
        if path:
            os.environ["BROWSER_PATH"] = path


def figure_png(figure: go.Figure, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT,
               scale: float = DEFAULT_SCALE) -> bytes:
    """The figure as PNG bytes, its text set in a CJK font. The caller's figure is not changed."""
    _point_kaleido_at_chromium()
    copy = go.Figure(figure)
    copy.update_layout(font_family=FONT_FAMILY)
    return copy.to_image(format="png", width=width, height=height, scale=scale)
