"""What Express does before Medusa's routes run: lenient paths and CORS.

A trailing slash names the same route (Express is not strict about it, so Medusa clients
may send one), and no route has a NUL. `/admin` and `/store` each answer cross-origin
requests from their own configured origins, with credentials (the session cookie), as
Medusa's `admin_cors` and `store_cors` do; with no origins configured, no CORS headers.
The same origins may write with the session cookie (`http.check_origin`).
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from patron.dialects.medusa.config import MedusaConfig
from patron.dialects.medusa.errors import MedusaError, not_found
from patron.dialects.medusa.http import error_response

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


class MedusaTransport:
    def __init__(self, app: ASGIApp, config: MedusaConfig) -> None:
        self.app = app
        self.admin = _cors(app, config.cors_origins("admin"))
        self.store = _cors(app, config.cors_origins("store"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if "\x00" in path:
            await error_response(MedusaError(not_found("Not Found")))(scope, receive, send)
            return
        if len(path) > 1 and path.endswith("/"):
            scope = dict(scope)
            scope["path"] = path.rstrip("/") or "/"
            raw: bytes = scope.get("raw_path") or b""
            scope["raw_path"] = raw.rstrip(b"/") or b"/"
        route = scope["path"].removeprefix(scope.get("root_path", ""))
        if route.startswith("/admin"):
            await self.admin(scope, receive, send)
        elif route.startswith("/store"):
            await self.store(scope, receive, send)
        else:
            await self.app(scope, receive, send)
