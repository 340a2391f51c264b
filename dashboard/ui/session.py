"""Who is signed in to this browser session, and what the app allows them.

Before any account exists the app runs in single-user mode (一机单用户模式): whoever opens it acts as
an administrator, and a notice says so and how to create the first account. Once an account exists,
signing in is required — except, when ``KPI_PUBLIC_READONLY=1``, for reading (a briefing screen).
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

import streamlit as st

from dashboard import auth
from dashboard.auth import Actor
from dashboard.services import accounts
from dashboard.ui.context import engine

PUBLIC_READONLY_ENV = "KPI_PUBLIC_READONLY"
LOCAL_ADMIN = Actor(username="local", role=auth.ADMIN, display_name="本机用户·单机模式")
ANONYMOUS_VIEWER = Actor(username="public", role=auth.VIEWER, display_name="公开只读")
_ACTOR_KEY, _SINCE_KEY = "kpi_actor", "kpi_signed_in_at"
# Where a successful sign-in lands.
HOME_PAGE = "dashboard/ui/pages/overview.py"


def public_readonly() -> bool:
    """The briefing-screen setting: read without signing in (off by default)."""
    return os.environ.get(PUBLIC_READONLY_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def single_user_mode() -> bool:
    return not accounts.has_users(engine())


def sign_in(actor: Actor) -> None:
    st.session_state[_ACTOR_KEY] = actor
    st.session_state[_SINCE_KEY] = datetime.now(timezone.utc)
    st.session_state["kpi_go_home"] = True


def sign_out() -> None:
    st.session_state.pop(_ACTOR_KEY, None)
    st.session_state.pop(_SINCE_KEY, None)


def signed_in_actor() -> Actor | None:
    """The signed-in account, or None; a session older than ``auth.SESSION_LIFETIME`` expires."""
    actor = st.session_state.get(_ACTOR_KEY)
    since = st.session_state.get(_SINCE_KEY)
    if actor is None or since is None:
        return None
    if datetime.now(timezone.utc) - since > auth.SESSION_LIFETIME:
        sign_out()
        st.session_state["kpi_session_expired"] = True
        return None
    return actor


def current_actor() -> Actor | None:
    """Who the pages act for: the signed-in account, the local administrator, a public viewer, or None."""
    if single_user_mode():
        return LOCAL_ADMIN
    actor = signed_in_actor()
    if actor is not None:
        return actor
    return ANONYMOUS_VIEWER if public_readonly() else None


def may(operation: str) -> bool:
    """Whether the current actor may perform ``operation`` at all (region limits are the services')."""
    actor = current_actor()
    return actor is not None and auth.can(actor, operation)
