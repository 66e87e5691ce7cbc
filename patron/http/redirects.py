"""The trailing-slash redirect, with a `Location` built from the configured public URL.

Starlette's own builds it from the request's `Host` header, so `Host: evil.example` turned
into `Location: http://evil.example/...`: a redirect anyone could aim anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette._utils import get_route_path
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def trailing_slash_redirect(
    routes: Sequence[BaseRoute], scope: Scope, mount_url: str
) -> RedirectResponse | None:
    """A 307 to the same path with the trailing slash toggled, when that path is a route;
    `mount_url` is the public URL of the app the routes belong to."""
    route_path = get_route_path(scope)
    if scope["type"] != "http" or route_path in ("", "/"):
        return None
    alternative = route_path.rstrip("/") if route_path.endswith("/") else route_path + "/"
    probe = {**scope, "path": scope.get("root_path", "") + alternative}
    if not any(route.matches(probe)[0] is not Match.NONE for route in routes):
        return None
    # The path as sent, still percent-encoded: decoded, `a%3F%40x` would turn into a query.
    raw = scope.get("raw_path") or route_path.encode()
    sent = raw.decode("latin-1").removeprefix(scope.get("root_path", ""))
    target = sent.rstrip("/") if sent.endswith("/") else sent + "/"
    query = scope.get("query_string", b"").decode("latin-1")
    return RedirectResponse(f"{mount_url}{target}" + (f"?{query}" if query else ""), 307)
