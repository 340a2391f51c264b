"""Who is signed in to this browser, and what the app allows them.

A sign-in is a server-side session (``accounts.open_session``): its random token is kept in this
tab's Streamlit session and, through :mod:`dashboard.ui.cookies`, in an HttpOnly cookie, so a page
refresh or a shared link opened in the same browser stays signed in. Every run checks the token in
the database, so signing out, disabling the account or changing its password ends the sign-in at the
next action in every open tab.

Before any account exists the app runs in single-user mode (一机单用户模式): whoever opens it acts as
an administrator — but only from this machine (127.0.0.1) unless ``KPI_SINGLE_USER_REMOTE=1`` says
otherwise; a notice says so and how to create the first account. Once an account exists, signing in
is required — except, when ``KPI_PUBLIC_READONLY=1``, for reading (a briefing screen).
"""

from __future__ import annotations

import ipaddress
import os

import streamlit as st
import streamlit.components.v1 as components

from dashboard import auth
from dashboard.auth import Actor
from dashboard.services import accounts
from dashboard.ui import cookies
from dashboard.ui.context import engine

PUBLIC_READONLY_ENV = "KPI_PUBLIC_READONLY"
SINGLE_USER_REMOTE_ENV = "KPI_SINGLE_USER_REMOTE"
LOCAL_ADMIN = Actor(username="local", role=auth.ADMIN, display_name="本机用户·单机模式")
ANONYMOUS_VIEWER = Actor(username="public", role=auth.VIEWER, display_name="公开只读")
_TOKEN_KEY, _CODE_KEY, _FORGET_KEY = "kpi_session_token", "kpi_cookie_code", "kpi_forget_cookie"
ENDED_KEY = "kpi_session_ended"  # the login page explains why the sign-in ended
# Where a successful sign-in lands.
HOME_PAGE = "dashboard/ui/pages/overview.py"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def public_readonly() -> bool:
    """The briefing-screen setting: read without signing in (off by default)."""
    return _flag(PUBLIC_READONLY_ENV)


def single_user_mode() -> bool:
    return not accounts.has_users(engine())


def from_this_machine() -> bool:
    """Whether the browser runs on the server itself (Streamlit gives no address for localhost)."""
    address = st.context.ip_address
    if not isinstance(address, str):
        return True  # None for localhost; no connection at all in bare and AppTest runs

    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def single_user_refused() -> bool:
    """Single-user mode opened from another machine, without the setting that allows it."""
    return single_user_mode() and not from_this_machine() and not _flag(SINGLE_USER_REMOTE_ENV)


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(cookies.COOKIE_NAME)
    except (AttributeError, TypeError, KeyError):  # no browser connection (bare and AppTest runs)
        return None
    return token if isinstance(token, str) and token else None


def sign_in(actor: Actor) -> None:
    """Open a server-side session for ``actor`` and hand its token to the browser's cookie."""
    token = accounts.open_session(engine(), actor)
    st.session_state[_TOKEN_KEY] = token
    st.session_state[_CODE_KEY] = cookies.issue(token)
    st.session_state.pop(_FORGET_KEY, None)
    st.session_state.pop(ENDED_KEY, None)
    st.session_state["kpi_go_home"] = True


def sign_out() -> None:
    """Revoke the session (the token stops working everywhere) and clear the cookie."""
    token = st.session_state.pop(_TOKEN_KEY, None) or _cookie_token()
    if token:
        accounts.close_session(engine(), token)
    st.session_state.pop(_CODE_KEY, None)
    st.session_state.pop(ENDED_KEY, None)
    st.session_state[_FORGET_KEY] = True


def signed_in_actor() -> Actor | None:
    """The signed-in account, checked in the database on every call; None when not (or no longer) signed in."""
    token = st.session_state.get(_TOKEN_KEY)
    if token is None and not st.session_state.get(_FORGET_KEY):
        token = _cookie_token()  # a refresh or a shared link: the cookie carries the sign-in
    if token is None:
        return None
    actor = accounts.session_actor(engine(), token)
    if actor is None:
        # Expired, signed out elsewhere, account disabled or password changed.
        st.session_state.pop(_TOKEN_KEY, None)
        st.session_state.pop(_CODE_KEY, None)
        st.session_state[_FORGET_KEY] = True
        st.session_state[ENDED_KEY] = True
        return None
    st.session_state[_TOKEN_KEY] = token
    return actor


def sync_cookie() -> None:
    """Emit the hidden frame that sets or clears the cookie, while this tab still needs it.

    Kept on every run until the tab reconnects (the frame of a run that switched pages may never
    reach the browser); the same frame is not reloaded between runs, and a used code is harmless.
    """
    code = st.session_state.get(_CODE_KEY)
    if code and _cookie_token() != st.session_state.get(_TOKEN_KEY):
        components.html(cookies.adopt_frame(code), height=0)
    elif st.session_state.get(_FORGET_KEY) and _cookie_token():
        components.html(cookies.forget_frame(), height=0)


def current_actor() -> Actor | None:
    """Who the pages act for: the signed-in account, the local administrator, a public viewer, or None."""
    if single_user_mode():
        return None if single_user_refused() else LOCAL_ADMIN
    actor = signed_in_actor()
    if actor is not None:
        return actor
    return ANONYMOUS_VIEWER if public_readonly() else None


def may(operation: str) -> bool:
    """Whether the current actor may perform ``operation`` at all (region limits are the services')."""
    actor = current_actor()
    return actor is not None and auth.can(actor, operation)
