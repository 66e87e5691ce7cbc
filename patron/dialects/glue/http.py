"""Glue's transport rules: media types, security headers, language, tokens, documents in."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patron.core.errors import InvalidAccessToken, TenantNotFound
from patron.core.model import AccessClaims, Tenant
from patron.core.service import Core
from patron.dialects.glue.cors import Cors
from patron.dialects.glue.documents import JsonApiResponse, sparse
from patron.dialects.glue.errors import (
    INVALID_ACCESS_TOKEN,
    INVALID_TYPE,
    LOGGED_AND_ANONYMOUS,
    MISSING_ACCESS_TOKEN,
    NOT_ACCEPTABLE,
    NOT_ALLOWED,
    NOT_FOUND,
    POST_DATA_INVALID,
    UNSUPPORTED_MEDIA_TYPE,
    GlueError,
    GlueErrorObject,
    validation_errors,
)
from patron.dialects.glue.validation import Field, violations

SECURITY_HEADERS = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b""),
)
_VND = re.compile(r"application/vnd\.api\+([a-z]+)", re.IGNORECASE)
WWW_AUTHENTICATE = 'Bearer realm="Access to shop API"'
JSON_API = b"application/vnd.api+json"


@dataclass(frozen=True, slots=True)
class GlueConfig:
    public_url: str
    tenant_code: str = "default"
    mount_path: str = "/glue"
    cors_origins: tuple[str, ...] = ()

    @property
    def base_url(self) -> str:
        return f"{self.public_url}{self.mount_path}"


def error_body(*errors: GlueErrorObject) -> bytes:
    return orjson.dumps(GlueError(*errors).document())


def negotiate_locale(accept_language: str | None, tenant: Tenant) -> str:
    """Match `de-DE`, `de_DE` or `de` against the tenant's locales, else its default."""
    locales = tenant.settings.locales
    if accept_language:
        ranked = []
        for position, part in enumerate(accept_language.split(",")):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            if tag:
                ranked.append((-quality, position, tag.strip().replace("-", "_").lower()))
        for _, _, tag in sorted(ranked):
            for locale in locales:
                if locale.lower() == tag or locale.lower().split("_")[0] == tag:
                    return locale
    return tenant.settings.default_locale


class GlueTransport:
    """Pure ASGI middleware: header checks before routing, Glue headers on every answer."""

    def __init__(
        self, app: ASGIApp, core: Callable[[], Core], config: GlueConfig, cors: Cors
    ) -> None:
        self.app = app
        self.core = core
        self.config = config
        self.cors = cors
        self._locales: dict[tuple[tuple[str, ...], str, str | None], str] = {}

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
        locale = self._locale(headers.get("accept-language"), tenant)
        state = scope.setdefault("state", {})
        state["locale"], state["tenant_id"] = locale, tenant.id
        cors_headers = self.cors.origin_headers(headers)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                raw.extend(SECURITY_HEADERS)
                raw.append((b"content-language", locale.encode()))
                raw.extend(cors_headers)
                message["headers"] = raw
            await send(message)

        if "\x00" in scope["path"]:  # no resource has one, and PostgreSQL text cannot hold it
            await _send_raw(send_with_headers, 404, error_body(NOT_FOUND), JSON_API)
            return
        if scope["method"] == "OPTIONS":
            await self._options(scope, headers, send_with_headers)
            return
        rejection = self._reject(headers)
        if rejection is not None:
            await _send_raw(send_with_headers, *rejection)
            return
        await self.app(scope, receive, send_with_headers)

    def _locale(self, accept_language: str | None, tenant: Tenant) -> str:
        """Clients repeat the same header: remember the answer (bounded)."""
        key = (tenant.settings.locales, tenant.settings.default_locale, accept_language)
        locale = self._locales.get(key)
        if locale is None:
            if len(self._locales) > 1000:
                self._locales.clear()
            locale = self._locales[key] = negotiate_locale(accept_language, tenant)
        return locale

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


async def read_attributes(request: Request, resource_type: str) -> dict[str, Any]:
    """The `data.attributes` of a JSON:API request, after Glue's generic request checks."""
    try:
        document = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise GlueError(POST_DATA_INVALID) from None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise GlueError(POST_DATA_INVALID)
    if data.get("type") != resource_type:
        raise GlueError(INVALID_TYPE)
    attributes = data.get("attributes")
    if not isinstance(attributes, dict) or _holds_nul(attributes):
        raise GlueError(POST_DATA_INVALID)
    return attributes


def _holds_nul(value: Any) -> bool:
    """NUL is valid JSON but no PostgreSQL text can store it."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


async def valid_attributes(
    request: Request, resource_type: str, schema: Mapping[str, Field]
) -> dict[str, Any]:
    """`read_attributes`, then Glue's request validation (901) against `schema`."""
    attributes = await read_attributes(request, resource_type)
    if problems := violations(attributes, schema):
        raise validation_errors(problems)
    return attributes


def optional_claims(request: Request, core: Core) -> AccessClaims | None:
    """Any invalid token fails, even on a public route (Glue validates whatever is sent)."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise GlueError(INVALID_ACCESS_TOKEN)
    try:
        claims = core.auth.verify(token.strip())
    except InvalidAccessToken:
        raise GlueError(INVALID_ACCESS_TOKEN) from None
    if claims.tenant_id != request.state.tenant_id:
        raise GlueError(INVALID_ACCESS_TOKEN)  # a token of another tenant's shop
    return claims


def required_claims(request: Request, core: Core) -> AccessClaims:
    claims = optional_claims(request, core)
    if claims is None:
        raise GlueError(MISSING_ACCESS_TOKEN)
    return claims


def request_locale(request: Request) -> str:
    """The locale negotiated from `Accept-Language` (echoed in `Content-Language`)."""
    locale: str = request.state.locale
    return locale


def fieldsets(request: Request) -> dict[str, frozenset[str]]:
    """`fields[type]=a,b` query parameters, by resource type."""
    found: dict[str, frozenset[str]] = {}
    for key, value in request.query_params.multi_items():
        if key.startswith("fields[") and key.endswith("]"):
            found[key[7:-1]] = frozenset(name.strip() for name in value.split(",") if name)
    return found


def requested_includes(request: Request) -> frozenset[str]:
    """The resource types named by `?include=a,b`; unknown ones are simply never used."""
    if b"include" not in request.scope["query_string"]:
        return frozenset()  # the usual case, on the hottest route: no query parsing
    raw = request.query_params.get("include") or ""
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def respond(request: Request, document: dict[str, Any], status: int = 200) -> JsonApiResponse:
    """A JSON:API answer with the request's sparse fieldsets applied."""
    if b"fields" in request.scope["query_string"]:
        document = sparse(document, fieldsets(request))
    return JsonApiResponse(document, status)


def self_link(request: Request, base_url: str, path: str) -> str:
    query = request.url.query
    return f"{base_url}{path}" + (f"?{query}" if query else "")
