"""The two HTTP routes of the sign-in cookie, served beside the Streamlit app by ``server.py``.

Both answer only same-origin POSTs (the Origin header, when sent, must name this server), so
another site can neither plant a sign-in nor sign a user out.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import auth
from dashboard.ui import cookies


@lru_cache(maxsize=1)
def _engine() -> Engine:
    from dashboard.storage.db import make_engine

    return make_engine()


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # browsers send Origin on cross-origin POSTs; its absence means same-origin or no browser
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def adopt(request: Request) -> Response:
    """Exchange a one-time code for the HttpOnly session cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    token = cookies.redeem((await request.body()).decode(errors="replace").strip())
    if token is None:
        return Response(status_code=400)
    response = Response(status_code=204)
    response.set_cookie(cookies.COOKIE_NAME, token, max_age=int(auth.SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=_secure(request))
    return response


async def forget(request: Request) -> Response:
    """Sign out: revoke the cookie's session (if any) and clear the cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(cookies.COOKIE_NAME)
    if token:
        from dashboard.services import accounts

        accounts.close_session(_engine(), token)
    response = Response(status_code=204)
    response.delete_cookie(cookies.COOKIE_NAME, path="/", httponly=True, samesite="lax")
    return response


ROUTES = [Route(cookies.ADOPT_PATH, adopt, methods=["POST"]), Route(cookies.FORGET_PATH, forget, methods=["POST"])]
