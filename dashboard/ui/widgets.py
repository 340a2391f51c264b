"""Rendering helpers every dashboard page shares: cached read models, status words, downloads, banner."""

from __future__ import annotations

import hashlib
import importlib
import io
import pickle
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
from dashboard import auth
from dashboard.progress import STATUS_LABELS, MilestoneAssessment
from dashboard.wording import status_text
from dashboard.services import review, views
from dashboard.ui import session, state
from dashboard.ui.context import data_version, engine, format_value
from dashboard.storage.db import database_url

T = TypeVar("T")
DEMO_BANNER = "演示数据，非真实统计"  # the warning box adds the ⚠️ icon
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
def _figure(builder: str, digest: str, _args: tuple, _kwargs: tuple) -> object:
    # Keyed on ``digest`` alone: Streamlit's own hashing of a 70 × 100 heat map's values and labels
    # (pure Python, item by item) cost a third of the district page.
    return getattr(charts, builder)(*_args, **dict(_kwargs))


def figure(builder: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``charts.<builder>(*args, **kwargs)``, built once per distinct input and shared by every session.

    Building a Plotly figure costs more than the rest of a page's run; the inputs are plain data
    (already read through :func:`load`), so equal inputs give an equal figure, found by a digest of
    their pickle (equal plain data pickles alike; anything else only misses the cache). Callers must
    not modify the returned figure.
    """
    options = tuple(sorted(kwargs.items()))
    digest = hashlib.blake2b(pickle.dumps((args, options), protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    return _figure(builder.__name__, digest, args, options)  # type: ignore[return-value]


# ":" and "@" too: an escaped character breaks the "http://", "www." and e-mail autolinks as well.
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:@&=\"'"})


def plain(text: str) -> str:
    """User-entered text made inert for ``st.markdown``: no links, images, emphasis or HTML, just the words.

    The one helper for every text a user typed (display names, notes, file names) wherever a
    Streamlit element would read it as Markdown.
    """
    return text.translate(_MARKDOWN_SPECIALS)


def status_badge(status: str | None) -> str:
    """Icon + word of a status key (never colour alone), e.g. "🟢 符合序时"."""
    if status is None:
        return "—"
    icon, word = STATUS_LABELS[status]
    return f"{icon} {word}"


def milestone_badge(m: MilestoneAssessment | None) -> str:
    """A milestone's icon + word, with 据初步数 on a final verdict from a preliminary figure."""
    return "—" if m is None else status_text(m)


def actual_label(source: str | None, status: str | None) -> str:
    """What kind of figure an actual is: 核实数 / 初步数 / 区县合计·含初步数(see aggregation.source_label)."""
    return source_label(source, status)


def origin_label(origin: str | None) -> str:
    return ORIGIN_LABELS.get(origin or "", "未分解")


def target_text(value: float, decimals: int, origin: str | None) -> str:
    """A target as shown in tables: an estimate is always marked, never passed off as an allocation."""
    text = format_value(value, decimals)
    return f"{text}（估算，非正式）" if origin == "estimated" else text


def points(value: float | None) -> str:
    """Percentage points with a sign (进度差)."""
    return "—" if value is None else f"{formatting.signed_points(value)}个百分点"


# Streamlit's uploader speaks English ("Drag and drop a file here", "Upload", "10MB per file"):
# hide those parts (its DOM test ids, Streamlit 1.67) and say the same in Chinese.
_UPLOADER_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] > div:not(:has(button)),
[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}
[data-testid="stFileUploaderDropzone"] button > * {display: none;}
[data-testid="stFileUploaderDropzone"] button::after {content: "选择文件";}
</style>
"""


def file_uploader(what: str, types: list[str], key: str) -> object:
    """A file uploader in Chinese: the label says what to upload, the formats and the size limit."""
    limit = st.get_option("server.maxUploadSize")
    st.markdown(_UPLOADER_CSS, unsafe_allow_html=True)
    formats = " / ".join(f".{t}" for t in types)
    return st.file_uploader(f"{what}：点击“选择文件”或把文件拖到下方框内；格式 {formats}，单个文件不超过 {limit} MB",
                            type=types, key=key)


_TABLE_CSS = """<style>
.kpi-table {width: 100%; border-collapse: collapse; font-size: .85rem; margin: .2rem 0 .5rem 0;}
.kpi-table th, .kpi-table td {border: 1px solid #e3e3e3; padding: 3px 6px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere;}
.kpi-table thead th {background: #f3f5f8; font-weight: 600;}
.kpi-table tbody tr:nth-child(even) {background: #fafbfc;}
</style>"""


def html_table(frame: pd.DataFrame) -> None:
    """A wide table as HTML text that wraps instead of scrolling sideways (and that a screen reader
    reads and a person can copy); a missing value shows as —."""
    st.html(_TABLE_CSS + frame.to_html(index=False, escape=True, na_rep="—", border=0, classes="kpi-table"))


def fitted_columns(frame: pd.DataFrame, total: int = 760, least: int = 48) -> dict[str, object]:
    """``column_config`` widths (px) summing to at most ``total``: ``least`` each, the rest shared by the
    length of each column's longest text, so a st.dataframe fits a 1280 px screen with the sidebar
    open (818 px of table) instead of scrolling sideways; longer cells end in "…" (full text on hover)."""
    lengths = {c: max([len(str(c)), *(len(str(v)) for v in frame[c])]) for c in frame.columns}
    whole = sum(lengths.values()) or 1
    spare = max(0, total - least * len(lengths))
    return {c: st.column_config.Column(width=least + spare * n // whole) for c, n in lengths.items()}


def empty_state(sentence: str) -> None:
    """In place of a chart or table with nothing to show: one sentence on what is missing and who provides it."""
    st.info(sentence, icon="ℹ️")


NO_ACTUALS = "请各区县或市统计人员在“数据填报”页上传，或由管理员用 `kpi import` 导入"


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


PENDING_TOGGLE_KEY = "kpi_include_pending"
PENDING_MARK = review.PENDING_MARK


def include_pending_toggle() -> bool:
    """The reviewers' 含待审核 switch (sidebar; off by default, never in the URL, never for other roles).

    When on, a banner says the page shows figures not yet published, and each one is marked.
    """
    actor = session.current_actor()
    if actor is None or not auth.can(actor, auth.REVIEW):
        return False
    on = st.sidebar.toggle("含待审核", key=PENDING_TOGGLE_KEY, help="显示尚未审核发布的数值（标注“待审核”），供审核时对照")
    if on:
        st.warning("本页**含待审核**数值：标有 ⏳ 待审核 的数值尚未审核发布，请勿对外引用。", icon="⏳")
    return bool(on)


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


def show_flash(key: str) -> None:
    """Show, once, the success message an action stored under ``key`` before its ``st.rerun()``."""
    if message := st.session_state.pop(key, None):
        st.success(message)


def signed_in_reviewer(page: str) -> auth.Actor | None:
    """The signed-in city statistician or administrator; otherwise say who may open ``page`` and give None."""
    actor = session.current_actor()
    if actor is None or not auth.can(actor, auth.REVIEW):
        st.warning(f"{page}需要市统计员或管理员账号，请先登录。")
        return None
    return actor
