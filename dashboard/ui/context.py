"""What every page shares: the engine (opened once per process) and error display."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine

from dashboard.errors import InputError, KpiError
from dashboard.formatting import figure as format_value  # noqa: F401  (re-exported for the pages)
from dashboard.services.plans import open_database
from dashboard.storage.db import database_url

from dashboard.plan import DEFAULT_PLAN_CODE  # noqa: E402,F401  (re-exported for the pages)


@st.cache_resource(show_spinner="正在打开数据库…")
def _engine_for(url: str) -> Engine:
    return open_database(url)


def engine() -> Engine:
    """The engine of the configured database, migrated and loaded on first use in this process."""
    return _engine_for(database_url())


@contextmanager
def shows_errors() -> Iterator[None]:
    """Show the project's own errors as Chinese messages instead of a traceback."""
    try:
        yield
    except InputError as error:
        st.error("输入有误，未写入任何数据：\n\n" + "\n".join(f"- {issue}" for issue in error.issues))
    except KpiError as error:
        st.error(str(error))


def run_page(render: Callable[[], None]) -> None:
    with shows_errors():
        render()
