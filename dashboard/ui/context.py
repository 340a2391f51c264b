"""What every page shares: the engine (opened once per process) and error display."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from sqlalchemy import Engine

from dashboard.errors import InputError, KpiError
from dashboard.formatting import figure as format_value  # noqa: F401  (re-exported for the pages)
from dashboard.services import views
from dashboard.services.plans import open_database
from dashboard.storage.db import as_unavailable, database_url
from dashboard.ui import runtime

logger = logging.getLogger("dashboard.ui")
runtime.tune_garbage_collector()  # once per process: every page imports this module

from dashboard.plan import DEFAULT_PLAN_CODE  # noqa: E402,F401  (re-exported for the pages)

# What a table shows for a missing value (st.dataframe / st.data_editor ``placeholder``): never "None".
MISSING = "—"


@st.cache_resource(show_spinner="正在打开数据库…")
def _engine_for(url: str) -> Engine:
    return open_database(url)


def engine() -> Engine:
    """The engine of the configured database, migrated and loaded on first use in this process."""
    return _engine_for(database_url())


def error_text(message: str) -> str:
    """A message that may quote user-typed text (file names, notes), made inert, one paragraph per line."""
    from dashboard.ui.widgets import plain  # widgets imports this module

    return "\n\n".join(plain(line) for line in message.splitlines())


@contextmanager
def shows_errors() -> Iterator[None]:
    """Show every error as a Chinese message, never a traceback.

    The project's own errors say what to do; a lost database says so with its address; anything
    else is unexpected: the page shows a short incident id and the log holds the traceback under it.
    """
    try:
        yield
    except InputError as error:
        st.error("输入有误，未写入任何数据：\n\n" + "\n\n".join(f"• {error_text(str(issue))}" for issue in error.issues))
    except KpiError as error:
        st.error(error_text(str(error)))
    except Exception as error:  # noqa: BLE001 - the edge: nothing may reach the browser as a traceback
        unavailable = as_unavailable(error)
        if unavailable is not None:
            st.error(error_text(str(unavailable)))
            return
        incident = secrets.token_hex(4)
        logger.error("incident %s: unexpected error on a page", incident, exc_info=error)
        st.error(f"页面出现意外错误，未完成本次操作（事件编号 {incident}）。请刷新页面重试；"
                 "如果仍然出错，请把事件编号告诉系统管理员。")


# The data version of the page run in progress (None outside ``run_page``).
_RUN_VERSION: ContextVar[tuple[int, int] | None] = ContextVar("kpi_run_data_version", default=None)


def data_version() -> tuple[int, int]:
    """The data version the caches key on: read from the database once per page run.

    One read per run is enough, because every page that writes calls ``st.rerun()`` right after the
    write, and the next run reads the version afresh; outside a page run it is read on each call.
    """
    known = _RUN_VERSION.get()
    return known if known is not None else views.data_version(engine())


def run_page(render: Callable[[], None]) -> None:
    """Render a page with the project's errors shown in Chinese and the data version read once."""
    token = _RUN_VERSION.set(views.data_version(engine()))
    try:
        with shows_errors():
            render()
    finally:
        _RUN_VERSION.reset(token)
