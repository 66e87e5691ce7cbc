"""Credentials a request carries: a bearer token, or a session cookie."""

from __future__ import annotations

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
    """The value of cookie `name`, or None, read as Express's `cookie` module reads it.

    Pairs split on `;` and the first `=`; a pair Patron cannot read (another app's cookie
    holding a space, JSON, a bare flag) is skipped, not the end of the header. The first
    cookie of the name wins: browsers send the one with the longest path first, which is
    the API's own, before any cookie of that name tossed in from a sibling subdomain.
    A value that is no RFC 6265 cookie value (a stray quote, a space) counts as none.
    """
    if not cookie_header or len(cookie_header) > MAX_TOKEN_LENGTH:
        return None
    for pair in cookie_header.split(";"):
        key, equals, value = pair.partition("=")
        if not equals or key.strip() != name:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        return value if value and _COOKIE_OCTETS.issuperset(value) else None
    return None


_COOKIE_OCTETS = frozenset(chr(c) for c in range(0x21, 0x7F)) - frozenset('",;\\')
"""RFC 6265's cookie-octet: visible ASCII but for the quote, comma, semicolon, backslash."""
