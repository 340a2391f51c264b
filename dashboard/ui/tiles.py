"""The overview's tiles and district grid as HTML: real text a screen reader reads and a person can copy,
laid out to wrap rather than scroll sideways at 1280 px. Content comes from :mod:`dashboard.glance`."""

from __future__ import annotations

import html

import streamlit as st

from dashboard import glance

_CSS = """
<style>
.kpi-tiles {display: grid; grid-template-columns: repeat(auto-fill, minmax(245px, 1fr)); gap: .5rem; margin: .2rem 0 .6rem 0;}
.kpi-tile {border: 1px solid #d9d9d9; border-left-width: 6px; border-radius: 6px; padding: .35rem .6rem; min-width: 0;}
.kpi-tile .top {display: flex; justify-content: space-between; gap: .4rem; font-weight: 700;}
.kpi-tile .name {overflow-wrap: anywhere;}
.kpi-tile .word {white-space: nowrap;}
.kpi-tile .mid {display: flex; justify-content: space-between; align-items: end; gap: .4rem;}
.kpi-tile .fig {font-size: 1.35rem; font-weight: 700; line-height: 1.2;}
.kpi-tile .small {font-size: .82rem; color: #444; line-height: 1.3;}
.kpi-grid {width: 100%; table-layout: fixed; border-collapse: collapse; font-size: .82rem; margin-bottom: .3rem;}
.kpi-grid th, .kpi-grid td {border: 1px solid #e3e3e3; padding: 2px 4px; overflow-wrap: anywhere; vertical-align: top;}
.kpi-grid th {background: #f3f5f8; font-weight: 600;}
.kpi-grid th:first-child {width: 9.5rem;}
</style>
"""


def tiles_html(tiles: list[glance.Tile]) -> str:
    out = []
    for t in tiles:
        esc = html.escape
        estimate = "（对照估算目标）" if t.estimated else ""
        out.append(
            f'<div class="kpi-tile" style="border-left-color:#{glance.STATUS_COLOURS[t.status]}">'
            f'<div class="top"><span class="name">{esc(t.name)}</span><span class="word">{t.icon} {esc(t.word)}</span></div>'
            f'<div class="mid"><div><div class="fig">{esc(t.figure)}</div><div class="small">{esc(t.period)}</div></div>'
            f'{glance.sparkline_img(t.trend)}</div>'
            f'<div class="small">{esc(t.progress)}{" · " + esc(t.pace) if t.pace else ""}</div>'
            f'<div class="small">{esc(t.gap)}{esc(estimate)}</div>'
            + (f'<div class="small">{esc(t.yoy)}</div>' if t.yoy else "")
            + (f'<div class="small rank">{esc(t.rank)}</div>' if t.rank else "") + '</div>')
    return '<div class="kpi-tiles">' + "".join(out) + "</div>"


def grid_html(rows: list[tuple[str, list[glance.GridCell]]], regions: list[str]) -> str:
    head = "".join(f"<th>{html.escape(r)}</th>" for r in regions)
    body = []
    for name, cells in rows:
        tds = "".join(
            f"<td>{c.icon} {html.escape(c.word)}"
            + (f"<br>{html.escape(c.gap)}" if c.gap else "") + (" 估" if c.estimated else "") + "</td>" for c in cells)
        body.append(f"<tr><th>{html.escape(name)}</th>{tds}</tr>")
    return f'<table class="kpi-grid"><thead><tr><th>指标 ＼ 区县</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'




def css() -> None:
    """The tiles' and grid's style sheet (once per page run, before them)."""
    st.html(_CSS)


def show(tiles: list[glance.Tile]) -> None:
    st.html(tiles_html(tiles))


def show_grid(rows: list[tuple[str, list[glance.GridCell]]], regions: list[str]) -> None:
    st.html(grid_html(rows, regions))
