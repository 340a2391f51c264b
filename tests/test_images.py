"""PNG export of Plotly figures with kaleido (Debian's Chromium) and a CJK font."""

from __future__ import annotations

import io
import shutil

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops

from dashboard.services import images

pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")


def _figure(title: str) -> go.Figure:
    figure = go.Figure(go.Scatter(x=[2022, 2023, 2024], y=[921, 1010, 1080], mode="lines+markers"))
    figure.update_layout(title={"text": title, "font": {"size": 40}}, margin={"t": 120})
    return figure


def _title_band(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == (600, 400)
    return image.crop((0, 0, 600, 80))


def test_png_is_produced_and_the_callers_figure_is_untouched() -> None:
    figure = _figure("网络零售额")
    png = images.figure_png(figure, width=600, height=400, scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000
    assert figure.layout.font.family is None  # the export works on a copy


def test_chinese_title_renders_as_distinct_glyphs() -> None:
    empty = _title_band(images.figure_png(_figure(""), width=600, height=400, scale=1))
    retail = _title_band(images.figure_png(_figure("网络零售额"), width=600, height=400, scale=1))
    other = _title_band(images.figure_png(_figure("平台经济指"), width=600, height=400, scale=1))
    # Something is drawn where the title goes ...
    assert ImageChops.difference(empty, retail).getbbox() is not None
    # ... and different characters draw differently: missing glyphs would all be the same empty box.
    assert ImageChops.difference(retail, other).getbbox() is not None
    dark = sum(retail.histogram()[:128])
    assert dark > 300
