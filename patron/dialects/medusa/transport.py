"""What Express does before Medusa's routes run: lenient paths and CORS.

A trailing slash names the same route (Express is not strict about it, so Medusa clients
may send one); a path holding a NUL the toolkit's dispatch refuses before this runs.
`/admin` and `/store` each answer cross-origin requests from their own configured origins,
with credentials (the session cookie), as Medusa's `admin_cors` and `store_cors` do; with
no origins configured, no CORS headers (`cors_layer`, installed by the toolkit around the
whole app). The same origins may write with the session cookie (`http.check_origin`).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from patron.dialects.medusa.config import MedusaConfig

METHODS = ("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE")


def _cors(app: ASGIApp, origins: tuple[str, ...]) -> ASGIApp:
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=origins,
        allow_methods=METHODS,
        allow_headers=["*"],
        allow_credentials=True,
    )


def cors_layer(config: MedusaConfig) -> Callable[[ASGIApp], ASGIApp]:
    """The layer that answers `/admin` and `/store` cross-origin, each for its own origins
    (for `patron.http.plumbing.install_dialect`)."""
    admin_origins, store_origins = config.cors_origins("admin"), config.cors_origins("store")

    def wrap(app: ASGIApp) -> ASGIApp:
        admin, store = _cors(app, admin_origins), _cors(app, store_origins)

        async def by_api(scope: Scope, receive: Receive, send: Send) -> None:
            route = scope.get("path", "").removeprefix(scope.get("root_path", ""))
            if scope["type"] != "http":
                await app(scope, receive, send)
            elif route.startswith("/admin"):
                await admin(scope, receive, send)
            elif route.startswith("/store"):
                await store(scope, receive, send)
            else:
                await app(scope, receive, send)

        return by_api

    return wrap


class MedusaTransport:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = dict(scope)
            scope["path"] = path.rstrip("/") or "/"
            raw: bytes = scope.get("raw_path") or b""
            scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)
