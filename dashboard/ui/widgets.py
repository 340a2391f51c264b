"""Rendering helpers every dashboard page shares: cached read models, status words, downloads, banner."""

from __future__ import annotations

import importlib
import io
from datetime import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
import streamlit as st

from dashboard import charts, formatting
from dashboard.aggregation import source_label
from dashboard.allocation import ORIGIN_LABELS
from dashboard.formatting import LOCAL_TIME
from dashboard.progress import STATUS_LABELS
from dashboard.services import views
from dashboard.ui import state
from dashboard.ui.context import data_version, engine, format_value
from dashboard.storage.db import database_url

T = TypeVar("T")
DEMO_BANNER = "⚠️ 演示数据，非真实统计"
UPLOAD_PAGE = "upload"  # url_path of the upload page (issue 5)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(module: str, name: str, url: str, version: tuple[int, int], args: tuple, kwargs: tuple) -> object:
    # ``url`` and ``version`` are only cache keys: a write anywhere, in this process or another one on
    # the same database, bumps the version, so an upload shows on the next rerun while plain reruns
    # (changing a selector back) reuse the result.
    return getattr(importlib.import_module(module), name)(engine(), *args, **dict(kwargs))


def load(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``function(engine(), *args, **kwargs)`` of a service read model, cached per database and data version.

    The data version is read from the database on every page run (:func:`context.data_version`), so
    no process serves a value that another process has replaced (several app processes may share one
    PostgreSQL): a write through any of them shows at the next rerun of every other.
    """
    version = data_version()
    return _cached(function.__module__, function.__name__, database_url(), version, args,  # type: ignore[return-value]
                   tuple(sorted(kwargs.items())))


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(builder: str, args: tuple, kwargs: tuple) -> object:
    return getattr(charts, builder)(*args, **dict(kwargs))


def figure(builder: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``charts.<builder>(*args, **kwargs)``, built once per distinct input and shared by every session.

    Building a Plotly figure costs more than the rest of a page's run; the inputs are plain data
    (already read through :func:`load`), so equal inputs give an equal figure. Callers must not
    modify the returned figure.
    """
    return _figure(builder.__name__, args, tuple(sorted(kwargs.items())))  # type: ignore[return-value]


# ":" and "@" too: an escaped character breaks the "http://", "www." and e-mail autolinks as well.
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:@&=\"'"})


def plain(text: str) -> str:
    """User-entered text made inert for ``st.markdown``: no links, images, emphasis or HTML, just the words.

    The one helper for every text a user typed (display names, notes, file names) wherever a
    Streamlit element would read it as Markdown.
    """
    return text.translate(_MARKDOWN_SPECIALS)


def status_badge(status: str | None) -> str:
    """Icon + word (never colour alone), e.g. "🟢 符合序时"."""
    if status is None:
        return "—"
    icon, word = STATUS_LABELS[status]
    return f"{icon} {word}"


def actual_label(source: str | None, status: str | None) -> str:
    """What kind of figure an actual is: 核实数 / 初步数 / 区县合计·含初步数(see aggregation.source_label)."""
    return source_label(source, status)


def origin_label(origin: str | None) -> str:
    return ORIGIN_LABELS.get(origin or "", "未分解")


def target_text(value: float, decimals: int, origin: str | None) -> str:
    """A target as shown in tables: an estimate is always marked, never passed off as an allocation."""
    text = format_value(value, decimals)
    return f"{text}（估算，非正式）" if origin == "estimated" else text


def percent(value: float | None) -> str:
    """A ratio in percent, by the product's one rounding rule (formatting.percent)."""
    return formatting.percent(value)


def points(value: float | None) -> str:
    """Percentage points with a sign (进度差)."""
    return "—" if value is None else f"{formatting.signed_points(value)}个百分点"


def demo_banner() -> bool:
    """Show the demo warning when any current figure comes from the synthetic sample; say if shown."""
    in_use = load(views.demo_in_use)
    if in_use:
        st.warning(f"**{DEMO_BANNER}**：当前数据库含 `kpi demo` 生成的合成样例（随机生成，仅供培训和演示）。",
                   icon="⚠️")
    return in_use


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="数据")
    return buffer.getvalue()


def downloads(frame: pd.DataFrame, file_stem: str, key: str) -> None:
    """The data behind a chart or table as CSV (UTF-8 with BOM, for Excel) and XLSX.

    The files are generated only when clicked (callables), so reruns don't pay for them.
    """
    left, right, _ = st.columns([1, 1, 6])
    left.download_button("下载 CSV", lambda: frame.to_csv(index=False).encode("utf-8-sig"), f"{file_stem}.csv",
                         mime="text/csv", key=f"csv_{key}", on_click="ignore")
    right.download_button("下载 XLSX", lambda: _xlsx(frame), f"{file_stem}.xlsx", key=f"xlsx_{key}", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def chart(figure: object, frame: pd.DataFrame, file_stem: str, key: str) -> None:
    """A Plotly chart with its data offered for download right below it."""
    st.plotly_chart(figure, width="stretch", key=f"chart_{key}", config={"displaylogo": False})
    downloads(frame, file_stem, key)


@dataclass(frozen=True)
class PageHeader:
    """What the top of every dashboard page establishes: the plan, and the chosen year and region."""

    context: views.PlanContext
    year: int
    region_code: str
    month: int = 12  # 12: the annual view; N < 12: 1–N月 (``?month=N``)

    @property
    def region_name(self) -> str:
        return next(r.name for r in self.context.regions if r.code == self.region_code)


def default_year(context: views.PlanContext, region_code: str) -> int:
    """The year a page opens on: the region's newest published figures, else this year (Beijing time)."""
    today = datetime.now(LOCAL_TIME).year
    return state.default_year(context.years, context.latest_year(region_code), today)


def page_header(title: str) -> PageHeader:
    """Title, demo banner, and the year and region selectors (kept in the URL even where unused)."""
    st.title(title)
    demo_banner()
    context = load(views.plan_context)
    # The default year follows the chosen region's own figures, so it is resolved first.
    regions = [(r.code, r.name) for r in context.regions]
    chosen_region = state.peek(state.REGION, [code for code, _ in regions], context.city.code)
    # The newest month with figures wins over the newest whole year: in October the reader wants
    # 1–9月 of this year, not last year's annual figures (issue 11).
    from dashboard.services import monthly

    latest = monthly.latest_period(engine(), context.code)
    default = default_year(context, chosen_region)
    if latest is not None and latest[0] in context.years and latest[0] > default:
        default = latest[0]
    year = state.year(context.years, default)
    region_code = state.region(regions, context.city.code)
    if latest is not None and latest[0] == year:
        default_month = latest[1]
    else:
        default_month = monthly.latest_month(engine(), year, context.code) or 12
    return PageHeader(context, year, region_code, state.month(default_month))
