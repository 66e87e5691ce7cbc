"""Laravel's CORS answers for `/jsonapi` (reference 2.1): a preflight (an OPTIONS with
`Access-Control-Request-Method`) is answered here; every answer to a listed origin names
it. Credentials (the session cookie) are allowed for origins listed by name only: `*`
lets any page read the public resources, never a customer's.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOW_METHODS = b"DELETE, GET, OPTIONS, PATCH, POST, PUT"
ALLOW_HEADERS = b"authorization,content-type,x-csrf-token"
"""Laravel's two, and the CSRF header this host reads."""
MAX_AGE = b"0"


class Cors:
    def __init__(self, app: ASGIApp, origins: tuple[str, ...]) -> None:
        self.app = app
        self.named = frozenset(o for o in origins if o != "*")
        self.anyone = "*" in origins

    def origin_headers(self, origin: str | None) -> list[tuple[bytes, bytes]]:
        if origin is not None and origin in self.named:
            return [
                (b"access-control-allow-origin", origin.encode()),
                (b"access-control-allow-credentials", b"true"),
                (b"vary", b"Origin"),
            ]
        if self.anyone:
            return [(b"access-control-allow-origin", b"*")]
        return [(b"vary", b"Origin")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        extra = self.origin_headers(origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            preflight = [
                *extra,
                (b"access-control-allow-methods", ALLOW_METHODS),
                (b"access-control-allow-headers", ALLOW_HEADERS),
                (b"access-control-max-age", MAX_AGE),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": preflight})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, with_origin)
