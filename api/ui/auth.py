"""Signing in to the pages: the API key in a session cookie, and CSRF tokens for every form.

The key a person types at ``/ui/login`` is checked with :func:`matcher.services.access.authenticate`
(the same check as the ``X-API-Key`` header) and kept in the ``cm_session`` cookie: ``Secure``,
``HttpOnly``, ``SameSite=Strict``, path ``/ui``.  It never appears in a URL or a page.

CSRF: a random ``cm_csrf`` nonce cookie (same flags) is set on the first page; every form
carries ``csrf_token = HMAC-SHA256(nonce, "cm-ui|" + SHA-256(key))`` (an empty key before
signing in), and every POST is refused unless the token matches the cookies it came with.
A cross-site page can neither read the cookies nor compute the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from api.deps import SessionDep
from matcher.exceptions import AuthenticationError, PermissionDeniedError
from matcher.services import access
from matcher.services.access import Principal

SESSION_COOKIE = "cm_session"
CSRF_COOKIE = "cm_csrf"
COOKIE_PATH = "/ui"
SESSION_MAX_AGE = 8 * 3600  # a working day; signing in again is one field


class SignInRequired(AuthenticationError):
    """The page needs a signed-in caller (the handler redirects to ``/ui/login``)."""


class CsrfError(PermissionDeniedError):
    """A form came without its CSRF token, or with one that does not match its cookies."""


def _set(response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict"
    )


def set_session(response: Response, key: str) -> None:
    _set(response, SESSION_COOKIE, key, SESSION_MAX_AGE)


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict")


def nonce(request: Request) -> str:
    """The request's CSRF nonce: its cookie, or a new one (remembered for :func:`remember_nonce`)."""
    found = request.cookies.get(CSRF_COOKIE)
    if found and 16 <= len(found) <= 128:
        return found
    fresh: str | None = getattr(request.state, "csrf_nonce", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.csrf_nonce = fresh
    return fresh


def remember_nonce(request: Request, response: Response) -> None:
    """Set the nonce cookie when this request created the nonce."""
    fresh = getattr(request.state, "csrf_nonce", None)
    if fresh is not None and request.cookies.get(CSRF_COOKIE) != fresh:
        _set(response, CSRF_COOKIE, fresh, None)


def csrf_token(request: Request, key: str | None = None) -> str:
    """The token forms of this request carry (for the signed-in key, or for none before signing in)."""
    key = request.cookies.get(SESSION_COOKIE) if key is None else key
    digest = hashlib.sha256((key or "").encode()).hexdigest()
    return hmac.new(nonce(request).encode(), f"cm-ui|{digest}".encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a form whose token is missing or does not match the request's cookies."""
    if not request.cookies.get(CSRF_COOKIE):
        raise CsrfError("this form has no security token cookie: reload the page and send it again")
    if not token or not hmac.compare_digest(token, csrf_token(request)):
        raise CsrfError("this form's security token is missing or out of date: reload the page and try again")


def signed_in(request: Request, session: SessionDep) -> Principal:
    """The caller of a page, from the session cookie (the same check as the API's key header)."""
    key = request.cookies.get(SESSION_COOKIE)
    if not key:
        raise SignInRequired("sign in with your API key")
    try:
        return access.authenticate(key, session=session)
    except AuthenticationError:
        raise SignInRequired("your key is unknown or was revoked: sign in again") from None


UiPrincipal = Annotated[Principal, Depends(signed_in)]
