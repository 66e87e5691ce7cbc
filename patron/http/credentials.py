"""Credentials a request carries: a bearer token, or a session cookie."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

MAX_TOKEN_LENGTH = 8 * 1024
"""No token Patron issues is this long; a longer one is refused before any parsing."""


class MalformedCredentials(Exception):
    """An `Authorization` header that is not `Bearer <token>`."""


def bearer_token(authorization: str | None) -> str | None:
    """The token of `Authorization: Bearer <token>`; None when there is no header."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        raise MalformedCredentials()
    return token


def session_cookie(cookie_header: str | None, name: str) -> str | None:
    """The value of cookie `name`, or None (a malformed header counts as no cookie)."""
    if not cookie_header or len(cookie_header) > MAX_TOKEN_LENGTH:
        return None
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except CookieError:
        return None
    morsel = cookies.get(name)
    return morsel.value if morsel is not None else None
