"""The sign-in cookie: an HttpOnly, SameSite=Lax cookie holding a server-side session's token.

Streamlit scripts cannot set cookies (``st.context.cookies`` is read-only), so the token reaches the
browser in two steps. Signing in stores the token in this tab's session and issues a one-time code
(valid :data:`CODE_LIFETIME`, in this process's memory only); a hidden frame POSTs the code to
``/api/session/adopt``, a route of the server (``server.py``, Streamlit's ``st.App``), whose response
sets the cookie. JavaScript never sees the token, and the code is useless once redeemed. On a refresh
or a shared link the browser sends the cookie with the WebSocket handshake, and
``st.context.cookies`` hands it to :mod:`dashboard.ui.session`, which checks it in the database.
Signing out asks ``/api/session/forget`` to revoke the session and clear the cookie.
"""

from __future__ import annotations

import secrets
import threading
import time

COOKIE_NAME = "kpi_session"
CODE_LIFETIME = 120.0  # seconds
ADOPT_PATH, FORGET_PATH = "/api/session/adopt", "/api/session/forget"

_codes: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()


def issue(token: str) -> str:
    """A one-time code that stands for ``token`` for :data:`CODE_LIFETIME` seconds."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for stale in [c for c, (_t, expires) in _codes.items() if expires < now]:
            del _codes[stale]
        _codes[code] = (token, now + CODE_LIFETIME)
    return code


def redeem(code: str) -> str | None:
    """The token of an unexpired code, once; None for an unknown, used or expired code."""
    with _lock:
        token, expires = _codes.pop(code, ("", 0.0))
    return token if token and expires >= time.monotonic() else None


def _post(path: str, body: str = "") -> str:
    """A hidden frame that POSTs ``body`` to ``path`` with the page's own cookies (same origin)."""
    return ("<script>fetch(" + repr(path) + ", {method: 'POST', credentials: 'same-origin', "
            "headers: {'Content-Type': 'text/plain'}, body: " + repr(body) + "}).catch(() => {});</script>")


def adopt_frame(code: str) -> str:
    return _post(ADOPT_PATH, code)


def forget_frame() -> str:
    return _post(FORGET_PATH)
