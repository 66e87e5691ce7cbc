"""Where a browser's request comes from, for refusing writes forged by another site's page.

A page of another site can make the browser send a POST with the visitor's cookies (a form,
or `fetch` in `no-cors` mode), but not choose its `Origin`: browsers send that header on
every cross-origin POST, PUT, PATCH and DELETE (`null` where they hide the page). Without
it, the `Referer` names the page. A request with neither comes from no browser page, so it
carries no victim's cookie to forge with.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""The methods a forged request could change something with."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """The origin of an absolute http(s) URL as browsers write it in `Origin`:
    `scheme://host[:port]`, lower-cased, without a default port. None for anything else
    (`null`, a path, an unreadable value)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def is_foreign(origin: str | None, referer: str | None, trusted: Collection[str]) -> bool:
    """Whether the page that sent a request is not of a `trusted` origin: its `Origin`,
    or without one its `Referer`. `null` and an unreadable value are foreign; a request
    with neither header (or only empty ones) is not: no browser page sent it."""
    named = origin.strip() if origin else ""
    if not named:
        named = referer.strip() if referer else ""
    if not named:
        return False
    return origin_of(named) not in trusted
