"""The year and region the reader chose: one place, kept in the session AND in the URL.

A link such as ``/indicator?year=2025&region=330603`` reproduces the view. Precedence on every run:
a valid value in the query string (a shared link, or a choice just made) wins, then the session's
earlier choice (navigating between pages clears the query string), then the page's default. The
resolved value is written back to both, so the address bar always shows what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

YEAR, REGION, INDICATOR, MONTH = "year", "region", "indicator", "month"
_STORE = "kpi_selection"  # session_state key holding {name: value}; not a widget key, so never cleared


def _store() -> dict[str, str]:
    return st.session_state.setdefault(_STORE, {})


def _remember(name: str, value: str) -> None:
    _store()[name] = value
    st.query_params[name] = value


def _resolve(name: str, options: Sequence[str], default: str) -> str:
    from_url = st.query_params.get(name)
    if from_url in options:
        return from_url
    remembered = _store().get(name)
    return remembered if remembered in options else default


def select(name: str, label: str, options: Sequence[object], default: object,
           format_func: Callable[[object], str] = str, sidebar: bool = True,
           label_visibility: str = "visible") -> object:
    """A selectbox whose choice persists across pages and lives in the URL (as ``str(value)``)."""
    by_text = {str(o): o for o in options}
    chosen = _resolve(name, list(by_text), str(default))
    widget_key = f"kpi_select_{name}"
    # Set the widget's state from the resolved choice (not ``index=``) so a link or another page's
    # choice always wins over what the widget held when it was last on screen.
    st.session_state[widget_key] = chosen
    _remember(name, chosen)

    def changed() -> None:
        _remember(name, st.session_state[widget_key])

    container = st.sidebar if sidebar else st
    container.selectbox(label, list(by_text), key=widget_key, on_change=changed,
                        format_func=lambda text: format_func(by_text[text]),
                        label_visibility=label_visibility)  # type: ignore[arg-type]
    return by_text[st.session_state[widget_key]]


def year(years: Sequence[int], default: int) -> int:
    """The assessed year (评估年份)."""
    return int(select(YEAR, "评估年份", list(years), default, format_func=lambda y: f"{y}年"))  # type: ignore[arg-type]


def month(default: int, sidebar: bool = True) -> int:
    """The period within the year (期别): 12 is the whole year (the annual view), N < 12 is 1–N月."""
    from dashboard.monthly import period_label

    return int(select(MONTH, "期别", list(range(12, 0, -1)), default,  # type: ignore[arg-type]
                      format_func=lambda m: "全年" if m == 12 else period_label(m), sidebar=sidebar))  # type: ignore[arg-type]


def region(regions: Sequence[tuple[str, str]], default: str) -> str:
    """The region code; ``regions`` are (code, name) pairs."""
    names = dict(regions)
    return str(select(REGION, "地区", list(names), default, format_func=lambda code: names[code]))  # type: ignore[index]


def peek(name: str, options: Sequence[object], default: object) -> str:
    """The value ``select`` would resolve for ``name`` (URL, then session, then default), without a widget.

    Lets one selector's default depend on another chosen later on the page (the year on the region).
    """
    return _resolve(name, [str(o) for o in options], str(default))


def default_year(years: Sequence[int], latest_year: int | None, current_year: int) -> int:
    """The newest year with published figures for the region; before any, the current year.

    Never a past year by default on a fresh database: that would show 序时进度 100% and every
    status as if the year were over. The current year is kept within the plan's years.
    """
    if latest_year in years:
        return latest_year  # type: ignore[return-value]
    return min(max(current_year, years[0]), years[-1])
