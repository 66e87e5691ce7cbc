"""One request as Aimeos' Laravel host sees it: the browser's cookie (a customer's session
or a visitor's value), the CSRF token derived from it, the query, the body read within
limits, and the answer carrying the cookie and the token back.

Laravel's `VerifyCsrfToken` runs before the route: on POST, PATCH, PUT and DELETE the token
must come as `_token` in the query or the body (JSON or form), or as `X-CSRF-TOKEN`; a
missing or wrong one is 419 before anything is read or written. The token is a MAC of the
cookie, so a new cookie (a login, a logout) makes every earlier token worthless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import holds_nul
from patron.dialects.aimeos.config import SESSION_COOKIE
from patron.dialects.aimeos.context import AimeosContext
from patron.dialects.aimeos.errors import (
    AUTHENTICATION_REQUIRED,
    BODY_TOO_LARGE,
    CSRF_MISMATCH,
    INVALID_JSON,
    AimeosError,
)
from patron.http import qs
from patron.http.body import BodyError, BodyMalformed, BodyRefusals, parse_document, read_bytes
from patron.http.credentials import session_cookie

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
TOKEN_NAME = "_token"
TOKEN_HEADER = "x-csrf-token"
FORM = "application/x-www-form-urlencoded"
_NO_BODY: Any = object()
REFUSALS: BodyRefusals[tuple[int, str]] = BodyRefusals(
    lambda answer: AimeosError(*answer),
    too_large=(413, BODY_TOO_LARGE),
    malformed=(400, INVALID_JSON),
)
"""Aimeos' answers (status, title) to a body the toolkit refuses before parsing it."""


@dataclass(slots=True)
class Call:
    """A request on its way through the dialect; `cookie` changes when the session does."""

    request: Request
    ctx: AimeosContext
    tenant: Tenant
    cookie: str
    claims: AccessClaims | None
    query: dict[str, qs.QueryValue]
    cookie_changed: bool = False
    _raw: bytes | None = field(default=None)
    _document: Any = field(default=_NO_BODY)

    @property
    def csrf(self) -> str:
        return self.ctx.core.request_tokens.of(self.tenant, self.cookie)

    def parameter(self, name: str) -> str | None:
        """A plain query parameter; the last one when repeated (PHP), None when nested."""
        value = self.query.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        return value if isinstance(value, str) else None

    def customer(self) -> AccessClaims:
        """The logged-in customer, or 401."""
        if self.claims is None:
            raise AimeosError(401, AUTHENTICATION_REQUIRED)
        return self.claims

    def replace_cookie(self, cookie: str, claims: AccessClaims | None) -> None:
        """A login, a logout or a deleted account: a new cookie, hence a new token."""
        self.cookie = cookie
        self.claims = claims
        self.cookie_changed = True

    def meta(self, total: int | None = None) -> dict[str, Any]:
        """What every answer's `meta` holds, in Aimeos' template order."""
        public = self.ctx.config.public_url
        meta: dict[str, Any] = {} if total is None else {"total": total}
        meta["prefix"] = None
        meta["content-baseurl"] = f"{public}/"
        meta["content-baseurls"] = {
            "fs-media": f"{public}/aimeos",
            "fs-mimeicon": f"{public}/vendor/shop/mimeicons",
            "fs-theme": f"{public}/vendor/shop/themes",
        }
        meta["csrf"] = {"name": TOKEN_NAME, "value": self.csrf}
        return meta

    async def raw_body(self) -> bytes:
        if self._raw is None:
            self._raw = await read_bytes(self.request, self.ctx.config.body_limits, REFUSALS)
        return self._raw

    async def document(self) -> Any:
        """The body as JSON whatever its `Content-Type` (Aimeos reads it so); a form body
        that is no JSON is its fields. None for an empty body; 400 for one that is neither
        or nests too deep."""
        if self._document is _NO_BODY:
            self._document = await self._parse()
        return self._document

    async def _parse(self) -> Any:
        raw = await self.raw_body()
        try:
            return parse_document(raw, self.ctx.config.body_limits)
        except BodyMalformed:
            # jQuery labels its JSON strings as a form; a real form is read as Laravel
            # reads one (login fields, `_token`).
            if not _is_form(self.request):
                raise AimeosError(400, INVALID_JSON) from None
        except BodyError:  # too deep, or a NUL no PostgreSQL text holds
            raise AimeosError(400, INVALID_JSON) from None
        form = _form(raw)
        if holds_nul(form):
            raise AimeosError(400, INVALID_JSON)
        return form

    async def check_csrf(self) -> None:
        """Laravel's `VerifyCsrfToken`: `$request->input('_token') ?: X-CSRF-TOKEN` (the
        query's `_token`, else the body's; an empty one gives way to the header); 419
        unless it is this cookie's token."""
        token = (
            self.parameter(TOKEN_NAME)
            or await self._body_token()
            or self.request.headers.get(TOKEN_HEADER)
        )
        if not self.ctx.core.request_tokens.matches(self.tenant, self.cookie, token):
            raise AimeosError(419, CSRF_MISMATCH)

    async def _body_token(self) -> str | None:
        try:
            document = await self.document()
        except AimeosError as error:
            if error.status == 413:
                raise
            return None  # an unreadable body holds no token: the mismatch is the answer
        token = document.get(TOKEN_NAME) if isinstance(document, dict) else None
        return token if isinstance(token, str) else None

    def finish(self, response: Response) -> Response:
        """Set the cookie when it is new or changed."""
        if self.cookie_changed:
            config = self.ctx.config
            response.set_cookie(
                SESSION_COOKIE,
                self.cookie,
                max_age=config.session_seconds,
                path=config.cookie_path,
                httponly=True,
                secure=config.secure_cookies,
                samesite="lax",
            )
        return response


def _form(raw: bytes) -> dict[str, str]:
    try:
        return dict(parse_qsl(raw.decode(), keep_blank_values=True))
    except UnicodeDecodeError:
        raise AimeosError(400, INVALID_JSON) from None


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.split(";", 1)[0].strip().lower() == FORM


async def open_call(request: Request, ctx: AimeosContext) -> Call:
    """The browser's cookie and who it is: a live customer session gives claims; anything
    else (an ended session, a visitor) is anonymous; no usable cookie gets a new one."""
    tenant = await ctx.core.tenants.get(ctx.config.tenant_code)
    query = qs.parse(request.scope.get("query_string", b"").decode("latin-1"))
    cookie = session_cookie(request.headers.get("cookie"), SESSION_COOKIE)
    if cookie is None:
        call = Call(request, ctx, tenant, ctx.core.request_tokens.new_visitor_cookie(), None, query)
        call.cookie_changed = True
        return call
    try:
        claims: AccessClaims | None = await ctx.core.auth.session_claims(tenant, cookie)
    except InvalidAccessToken:
        claims = None
    return Call(request, ctx, tenant, cookie, claims, query)
