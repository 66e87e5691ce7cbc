"""What Medusa's handlers share: bodies in (checked), credentials, cookies, answers out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from patron.core.domain.commands import MetadataPatch, Registration
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import AccessClaims
from patron.core.domain.principals import Principal
from patron.core.domain.tenants import Tenant
from patron.core.identity.staff_credentials import BackOfficeCredential, CredentialKind
from patron.dialects.medusa.config import SESSION_COOKIE, Api, MedusaConfig
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.errors import (
    BODY_MALFORMED,
    BODY_NUL,
    BODY_TOO_LARGE,
    FOREIGN_ORIGIN,
    UNAUTHORIZED,
    MedusaError,
    invalid_data,
    validation_failed,
)
from patron.dialects.medusa.validation import RequestModel, violations
from patron.http.body import BodyRefusals, read_document
from patron.http.credentials import MalformedCredentials, bearer_token, session_cookie
from patron.http.origins import UNSAFE_METHODS, is_foreign

JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
API_TOKEN_HEADER = "x-medusa-access-token"
JSON_MEDIA_TYPE = "application/json"
REFUSALS = BodyRefusals(
    MedusaError, too_large=BODY_TOO_LARGE, malformed=BODY_MALFORMED, holds_nul=BODY_NUL
)
"""Medusa's answers to a body the toolkit refuses."""


def answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON as Express's `res.json` sends it."""
    return Response(orjson.dumps(body), status, headers, media_type=JSON)


def text(body: str, status: int = 200) -> Response:
    """Express's `res.sendStatus`: the status' text as the body."""
    return Response(body, status, media_type=TEXT)


def error_response(error: MedusaError) -> Response:
    body = error.body
    if body.plain:
        return text(body.message, body.status)
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    return answer(body.to_json(), body.status, headers)


def is_json(request: Request) -> bool:
    """Whether the body is labelled `application/json` (any parameters), the one type
    Express's `json()` parser reads."""
    content_type = request.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower() == JSON_MEDIA_TYPE


async def read_json(request: Request, config: MedusaConfig) -> dict[str, Any]:
    """The JSON object of the body, within the mount's limits. No body is `{}`, as Express's
    JSON parser leaves it (medusa-js sends POSTs without one, and DELETEs with `{}`); so is
    a body of another type, which Medusa's parser does not read: a form or `text/plain`
    (what another site's page can send without asking) says nothing, and the route's own
    validation answers as it would to `{}`."""
    if not is_json(request):
        return {}
    document = await read_document(request, config.body_limits, REFUSALS)
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise MedusaError(BODY_MALFORMED)
    return document


async def valid_body(
    request: Request, config: MedusaConfig, model: type[RequestModel]
) -> dict[str, Any]:
    """The body after Medusa's validation against `model`: the properties it sent (null
    ones included, absent ones not)."""
    document = await read_json(request, config)
    try:
        checked = model.model_validate(document)
    except ValidationError as error:
        raise validation_failed(violations(error, model)) from None
    found: dict[str, Any] = checked.model_dump()
    return found


async def request_tenant(ctx: MedusaContext) -> Tenant:
    """The tenant the mount serves (cached by the core's directory)."""
    return await ctx.core.tenants.get(ctx.config.tenant_code)


def _session(request: Request) -> str | None:
    return session_cookie(request.headers.get("cookie"), SESSION_COOKIE)


def _bearer(request: Request) -> str | None:
    try:
        return bearer_token(request.headers.get("authorization"))
    except MalformedCredentials:  # not a Bearer header: that strategy fails, the next tries
        return None


async def admin(request: Request, ctx: MedusaContext, tenant: Tenant) -> Principal:
    """The back-office caller, by Medusa's strategies in their order: the session cookie,
    a Bearer token, the `x-medusa-access-token` header. The first that authorizes wins; a
    customer's session or token never does (the core checks the audience). None: 401."""
    principal, _ = await admin_credential(request, ctx, tenant)
    return principal


async def admin_caller(request: Request, ctx: MedusaContext) -> tuple[Tenant, Principal]:
    """The mount's tenant and the back-office caller: how every admin route starts."""
    tenant = await request_tenant(ctx)
    return tenant, await admin(request, ctx, tenant)


async def admin_credential(
    request: Request, ctx: MedusaContext, tenant: Tenant
) -> tuple[Principal, BackOfficeCredential]:
    """`admin`, and the credential that authorized (logout ends only a session)."""
    headers = request.headers
    credentials = []
    if "cookie" in headers and (session := _session(request)) is not None:
        credentials.append(BackOfficeCredential(CredentialKind.SESSION, session))
    if "authorization" in headers and (token := _bearer(request)) is not None:
        credentials.append(BackOfficeCredential(CredentialKind.BEARER, token))
    if (api_token := headers.get(API_TOKEN_HEADER)) is not None and api_token:
        credentials.append(BackOfficeCredential(CredentialKind.API_TOKEN, api_token))
    for credential in credentials:
        try:
            principal = await ctx.core.back_office.authorize(tenant, credential)
        except InvalidAccessToken:
            continue
        if credential.kind is CredentialKind.SESSION:
            check_origin(request, ctx.config, "admin")
        return principal, credential
    raise MedusaError(UNAUTHORIZED)


async def customer_claims(
    request: Request, ctx: MedusaContext, tenant: Tenant
) -> AccessClaims | None:
    """The shopper, by Medusa's store strategies: the session cookie, then a Bearer store
    token. An admin's session or token is no shopper (the core checks the audience)."""
    if (session := _session(request)) is not None:
        try:
            claims = await ctx.core.auth.session_claims(tenant, session)
        except InvalidAccessToken:
            pass
        else:
            check_origin(request, ctx.config, "store")
            return claims
    if (token := _bearer(request)) is not None:
        try:
            return ctx.core.auth.verify(token, tenant)
        except InvalidAccessToken:
            pass
    return None


async def customer(request: Request, ctx: MedusaContext, tenant: Tenant) -> AccessClaims:
    """`requireCustomerAuthentication`: a shopper, or 401."""
    claims = await customer_claims(request, ctx, tenant)
    if claims is None:
        raise MedusaError(UNAUTHORIZED)
    return claims


def check_origin(request: Request, config: MedusaConfig, api: Api) -> None:
    """A write the session cookie authenticates must come from a page of Patron's own
    origin or of `api`'s CORS origins: the browser attaches the cookie to a POST that any
    site's page makes, and tells the page's origin in `Origin` (or `Referer`). 403
    otherwise. A Bearer or API token needs no such check: no browser attaches one to
    another site's request. A request naming no page at all comes from no browser."""
    if request.method not in UNSAFE_METHODS:
        return
    headers = request.headers
    if is_foreign(headers.get("origin"), headers.get("referer"), config.trusted_origins(api)):
        raise MedusaError(FOREIGN_ORIGIN)


def session_of(request: Request) -> str | None:
    """The session cookie the request carries, if any."""
    return _session(request)


def bearer_of(request: Request) -> str | None:
    """The Bearer token the request carries, if any (a malformed header is none)."""
    return _bearer(request)


def set_session(response: Response, config: MedusaConfig, token: str, api: Api) -> Response:
    """`Set-Cookie: connect.sid=...`, HttpOnly, for the session's life, sent only to the
    API (`/admin` or `/store`) the session belongs to."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=config.session_seconds,
        path=config.cookie_path(api),
        httponly=True,
        secure=config.secure_cookies,
        samesite=config.same_site(api),
    )
    return response


def clear_session(response: Response, config: MedusaConfig, api: Api) -> Response:
    response.delete_cookie(
        SESSION_COOKIE,
        path=config.cookie_path(api),
        httponly=True,
        secure=config.secure_cookies,
        samesite=config.same_site(api),
    )
    return response


def metadata_patch(values: Mapping[str, Any]) -> MetadataPatch:
    """Medusa's `setMetadata`: merged into what is stored; a key sent as "" is removed."""
    return MetadataPatch(
        set={key: value for key, value in values.items() if value != ""},
        remove=frozenset(key for key, value in values.items() if value == ""),
    )


def registration(body: Mapping[str, Any]) -> Registration:
    """A sign-up as the admin's and the store's create bodies hold it (both require the
    names; only the admin's may carry metadata)."""
    return Registration(
        email=body["email"].lower(),  # Medusa lower-cases emails it creates
        password=body["password"],
        first_name=body.get("first_name"),
        last_name=body.get("last_name"),
        phone=body.get("phone"),
        metadata=body.get("metadata") or {},
    )


def profile_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The profile properties a customer edit sent, the admin's and the store's alike; a
    null email fails Medusa's `IsEmail`, while null names and phone clear them."""
    profile: dict[str, Any] = {
        key: body[key] for key in ("first_name", "last_name", "phone") if key in body
    }
    if "email" in body:
        if body["email"] is None:
            raise MedusaError(invalid_data("email must be an email"))
        profile["email"] = body["email"]
    return profile
