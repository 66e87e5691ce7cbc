"""Glue's transport rules, before any route runs: the tenant, language, media types and
OPTIONS for every resource. The allowed origin on every answer (`cors.origin_layer`), the
security headers and the refusal of a path holding a NUL are installed around it by the
toolkit (`patron.http.plumbing`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import orjson
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.errors.unavailable import ServiceUnavailable
from patron.core.use_cases import Core
from patron.dialects.glue.config import GlueConfig
from patron.dialects.glue.cors import Cors
from patron.dialects.glue.errors import (
    LOGGED_AND_ANONYMOUS,
    NOT_ACCEPTABLE,
    NOT_ALLOWED,
    NOT_FOUND,
    UNAVAILABLE,
    UNSUPPORTED_MEDIA_TYPE,
    GlueError,
    GlueErrorObject,
)
from patron.http.locale import LocaleCache

_VND = re.compile(r"application/vnd\.api\+([a-z]+)", re.IGNORECASE)
WWW_AUTHENTICATE = 'Bearer realm="Access to shop API"'
JSON_API = b"application/vnd.api+json"


def error_body(*errors: GlueErrorObject) -> bytes:
    return orjson.dumps(GlueError(*errors).document())


class GlueTransport:
    """Pure ASGI middleware: header checks before routing, Glue headers on every answer."""

    def __init__(
        self, app: ASGIApp, core: Callable[[], Core], config: GlueConfig, cors: Cors
    ) -> None:
        self.app = app
        self.core = core
        self.config = config
        self.cors = cors
        self._locales = LocaleCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            tenant = await self.core().tenants.get(self.config.tenant_code)
        except TenantNotFound:
            await _send_raw(send, 404, error_body(NOT_FOUND), JSON_API)
            return
        except ServiceUnavailable as error:  # no connection came free to read the tenant
            retry = [(b"retry-after", str(error.retry_after_seconds).encode())]
            await _send_raw(send, 503, error_body(UNAVAILABLE), JSON_API, retry)
            return
        settings = tenant.settings
        locale = self._locales.negotiate(
            headers.get("accept-language"), settings.locales, settings.default_locale
        )
        state = scope.setdefault("state", {})
        state["locale"], state["tenant"], state["glue"] = locale, tenant, self.config

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                raw.append((b"content-language", locale.encode()))
                message["headers"] = raw
            await send(message)

        if scope["method"] == "OPTIONS":
            await self._options(scope, headers, send_with_headers)
            return
        rejection = self._reject(headers)
        if rejection is not None:
            await _send_raw(send_with_headers, *rejection)
            return
        await self.app(scope, receive, send_with_headers)

    async def _options(self, scope: Scope, headers: Headers, send: Send) -> None:
        """Glue routes OPTIONS for every resource itself; the app never sees it."""
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        preflight = self.cors.preflight(path, headers)
        if preflight is None:
            await _send_raw(send, 404, error_body(NOT_FOUND), JSON_API)
        elif preflight.status != 200:
            await _send_raw(send, preflight.status, error_body(NOT_ALLOWED), JSON_API)
        else:
            await _send_raw(send, 200, b"", JSON_API, preflight.headers)

    @staticmethod
    def _reject(headers: Headers) -> tuple[int, bytes, bytes] | None:
        accept = headers.get("accept")
        if accept is None:
            return 406, error_body(NOT_ACCEPTABLE), JSON_API
        match = _VND.search(accept)
        if match and match.group(1).lower() != "json":
            return 415, b"Unsupported Media Type", b"text/plain"
        if "content-type" in headers and not headers["content-type"].strip():
            return 415, error_body(UNSUPPORTED_MEDIA_TYPE), JSON_API
        if "authorization" in headers and "x-anonymous-customer-unique-id" in headers:
            return 400, error_body(LOGGED_AND_ANONYMOUS), JSON_API
        return None


async def _send_raw(
    send: Send,
    status: int,
    body: bytes,
    media_type: bytes,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    headers.extend(extra_headers or ())
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
