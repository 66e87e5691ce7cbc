"""What Emporix' handlers share: the tenant and caller of a request, bodies in (checked),
answers out.

Every tenant-managed request is checked in the order Emporix' gateway and service check
it: the bearer token (401), the path's tenant against the token's (400), the operation's
scopes (403), then the request itself. A path holding a NUL is refused by the dispatch
before any route runs (`nul_path`), still after the token, as the gateway checks it first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.errors.unauthorized import (
    AccessTokenExpired,
    InvalidAccessToken,
    TenantMismatch,
)
from patron.core.domain.principals import Principal
from patron.core.domain.tenants import Tenant
from patron.core.identity.staff_credentials import BackOfficeCredential, CredentialKind
from patron.dialects.emporix import scopes
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import (
    BODY_MALFORMED,
    BODY_NUL,
    BODY_TOO_LARGE,
    EXPIRED_TOKEN,
    FORBIDDEN,
    INVALID_TOKEN,
    PATH_NUL,
    TENANT_INVALID,
    EmporixError,
    GatewayBody,
    bad_request,
    validation_failure,
)
from patron.http.body import BodyRefusals, read_document
from patron.http.credentials import MalformedCredentials, bearer_token

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
TENANT_PATTERN = re.compile(r"[a-z][a-z0-9]{2,15}")
"""Reference 1.1: `^[a-z][a-z0-9]+$`, 3 to 16 characters."""
REFUSALS = BodyRefusals(
    EmporixError, too_large=BODY_TOO_LARGE, malformed=BODY_MALFORMED, holds_nul=BODY_NUL
)
"""Emporix' answers to a body the toolkit refuses."""

Model = TypeVar("Model", bound=BaseModel)


def answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type=JSON)


def empty(status: int, headers: dict[str, str] | None = None) -> Response:
    """An answer without a body (201 upserts excepted, Emporix' writes send none)."""
    return Response(None, status, headers)


def error_response(error: EmporixError) -> Response:
    body = error.body
    if isinstance(body, GatewayBody):
        return answer(dict(body.body), body.status, dict(body.headers) or None)
    return answer(body.to_json(), body.status)


@dataclass(frozen=True, slots=True)
class Caller:
    """An authorized tenant-managed request: its tenant and back-office principal."""

    tenant: Tenant
    principal: Principal


async def caller(request: Request, ctx: EmporixContext, *listed: str) -> Caller:
    """The tenant and principal of a request, checked in the gateway's order; `listed`
    are the operation's scopes (Emporix names), any one of which lets the caller in."""
    token = request_bearer(request)
    code: str = request.path_params["tenant"]
    tenant = await find_tenant(ctx, code)
    back_office = ctx.core.back_office
    try:
        if tenant is None:
            back_office.verify_bearer(token)
            raise EmporixError(TENANT_INVALID)  # a good token, for no tenant of ours
        principal = await back_office.authorize(
            tenant, BackOfficeCredential(CredentialKind.BEARER, token)
        )
    except AccessTokenExpired:
        raise EmporixError(EXPIRED_TOKEN) from None
    except TenantMismatch:
        raise EmporixError(TENANT_INVALID) from None
    except InvalidAccessToken:
        raise EmporixError(INVALID_TOKEN) from None
    if listed and not scopes.allows(principal, listed):
        raise EmporixError(FORBIDDEN)
    return Caller(tenant, principal)


async def nul_path(request: Request, ctx: EmporixContext) -> Response:
    """The answer to a path holding a NUL, which names nothing: the gateway's 401 for a
    missing, forged or expired token of any kind, else 400."""
    try:
        _genuine(ctx, request_bearer(request))
    except AccessTokenExpired:
        return error_response(EmporixError(EXPIRED_TOKEN))
    except InvalidAccessToken:
        return error_response(EmporixError(INVALID_TOKEN))
    except EmporixError as error:
        return error_response(error)
    return error_response(EmporixError(PATH_NUL))


def _genuine(ctx: EmporixContext, token: str) -> None:
    """Whether Patron signed `token` (a back-office, visitor or customer token of any
    tenant) and it has not expired; `InvalidAccessToken` or `AccessTokenExpired` if not."""
    core = ctx.core
    if not core.visitors.is_visitor_token(token):
        try:
            core.back_office.verify_bearer(token)
            return
        except AccessTokenExpired:
            raise
        except InvalidAccessToken:
            pass  # perhaps a customer's
    try:
        if core.visitors.is_visitor_token(token):
            core.visitors.verify_for_no_tenant(token)
        else:
            core.auth.verify_for_no_tenant(token)
    except TenantMismatch:
        return  # genuine, for some tenant


def request_bearer(request: Request) -> str:
    """The bearer token of `Authorization`, or the gateway's 401."""
    try:
        token = bearer_token(request.headers.get("authorization"))
    except MalformedCredentials:
        token = None
    if token is None:
        raise EmporixError(INVALID_TOKEN)
    return token


async def find_tenant(ctx: EmporixContext, code: str) -> Tenant | None:
    """The tenant a request names, or None when Patron keeps no such tenant."""
    if not TENANT_PATTERN.fullmatch(code):
        return None
    try:
        return await ctx.core.tenants.get(code)
    except TenantNotFound:
        return None


def media_type(request: Request, *accepted: str) -> str:
    """The body's media type (none named: JSON) if the route takes it (`accepted`), or a
    400: a body of another type (a form, text, a merge patch where no route merges) is
    not read as if it were JSON."""
    found = request.headers.get("content-type", "").partition(";")[0].strip().lower() or JSON
    if found not in accepted:
        raise EmporixError(bad_request(f"Content type '{found[:64]}' is not supported."))
    return found


async def read_json(
    request: Request,
    ctx: EmporixContext,
    *,
    max_bytes: int | None = None,
    accepted: tuple[str, ...] = (JSON,),
) -> Any:
    """The JSON document of the body, of a media type the route takes (`accepted`), within
    the mount's limits (size first, then depth, before anything else looks at it);
    `max_bytes` replaces the size limit for a route that takes more (a bulk import). No
    body is None."""
    media_type(request, *accepted)
    limits = ctx.config.body_limits
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    return await read_document(request, limits, REFUSALS)


def checked(document: Any, model: type[Model]) -> Model:
    """`document` as `model`, or 400 `validation_failure` naming every bad field."""
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise EmporixError(
            validation_failure("Request body is not valid.", *_details(error))
        ) from None


def _details(error: ValidationError) -> Iterable[dict[str, str]]:
    for item in error.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        kind = "missing" if item["type"] == "missing" else "invalid_value"
        yield {"field": name, "type": kind, "message": item["msg"]}
