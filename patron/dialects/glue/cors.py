"""Glue's CORS: OPTIONS answered for every resource (by the transport), preflights checked
against the methods the resource has and the headers Glue allows, and the allowed origin on
every answer (`origin_layer`, installed by the toolkit around the whole app).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Spryker's five, plus the guest header its demo shops add (b2c-demo-shop
# src/Pyz/Glue/GlueApplication/GlueApplicationConfig.php): storefronts such as Oryx send it on
# guest requests (registration, login, guest carts), so a cross-origin preflight asks for it.
ALLOWED_HEADERS = (
    "accept",
    "content-type",
    "content-language",
    "accept-language",
    "authorization",
    "x-anonymous-customer-unique-id",
)
ALLOWED_HEADERS_VALUE = ", ".join(ALLOWED_HEADERS).encode()


@dataclass(frozen=True, slots=True)
class Resource:
    path: re.Pattern[str]
    methods: frozenset[str]


@dataclass(frozen=True, slots=True)
class Preflight:
    status: int
    headers: list[tuple[bytes, bytes]]


class Cors:
    def __init__(self, origins: Iterable[str], resources: Sequence[Resource]) -> None:
        self.origins = frozenset(origins)
        self.resources = resources

    @classmethod
    def of(cls, app: FastAPI, origins: Iterable[str]) -> Cors:
        """The methods of each path, read from the routes the dialect registered."""
        by_path: dict[str, tuple[re.Pattern[str], set[str]]] = {}
        for route in app.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                by_path.setdefault(route.path, (route.path_regex, set()))[1].update(
                    route.methods or ()
                )
        resources = [Resource(p, frozenset(m)) for p, m in by_path.values()]
        return cls(origins, resources)

    def methods(self, path: str) -> frozenset[str] | None:
        """The methods a path supports; None for a path Glue does not know."""
        found = [r.methods for r in self.resources if r.path.match(path)]
        return frozenset().union(*found) if found else None

    def origin_headers(self, headers: Headers) -> list[tuple[bytes, bytes]]:
        if not self.origins:
            return []
        if "*" in self.origins:
            return [(b"access-control-allow-origin", b"*")]
        origin = headers.get("origin")
        if origin in self.origins:
            return [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
        return [(b"vary", b"Origin")]

    def preflight(self, path: str, headers: Headers) -> Preflight | None:
        """The answer to an OPTIONS request: None for an unknown path (404), 403 for a
        preflight asking for a method or a header the resource does not allow. The origin
        headers are added to every answer, this one included, by `origin_layer`."""
        methods = self.methods(path)
        if methods is None:
            return None
        requested_method = headers.get("access-control-request-method")
        requested_headers = {
            name.strip().lower()
            for name in headers.get("access-control-request-headers", "").split(",")
            if name.strip()
        }
        if (requested_method is not None and requested_method.upper() not in methods) or (
            requested_headers - set(ALLOWED_HEADERS)
        ):
            return Preflight(403, [])
        allowed = ", ".join(sorted(methods | {"OPTIONS"})).encode()
        return Preflight(
            200,
            [
                (b"access-control-allow-methods", allowed),
                (b"access-control-allow-headers", ALLOWED_HEADERS_VALUE),
            ],
        )


def origin_layer(cors: Cors) -> Callable[[ASGIApp], ASGIApp]:
    """The layer that names the allowed origin on every answer of the app it wraps (for
    `patron.http.plumbing.install_dialect`); no layer at all when no origin is allowed,
    so a mount without CORS reads no headers for it on each request."""

    def wrap(app: ASGIApp) -> ASGIApp:
        if not cors.origins:
            return app

        async def with_origin(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            extra = cors.origin_headers(Headers(scope=scope))

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start" and extra:
                    message = {**message, "headers": [*message.get("headers", ()), *extra]}
                await send(message)

            await app(scope, receive, sending)

        return with_origin

    return wrap
