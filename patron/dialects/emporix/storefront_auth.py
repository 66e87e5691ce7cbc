"""Emporix' storefront sign-in (reference 4.1, 4.2): anonymous tokens of a storefront
client, customer login on top of one, logout, refresh and validation.

The anonymous session is the core's `Visitors`; a customer login is the core's
(`Authentication`: the shared throttle, sessions as refresh-token families, rotation with
reuse detection), with Emporix' lifetimes. The customer token is an HS256 JWT whose `sub`
is the customer number; it doubles as the `saas_token`, and carries the anonymous
session's id (`sessionId`), which a login keeps.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import FastAPI, Request
from pydantic import Field
from starlette.responses import Response

from patron.core.domain.errors.unauthorized import InvalidCredentials, TenantMismatch
from patron.core.domain.model import AccessClaims, Customer, TokenPair
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.identity.sessions import Lifetimes
from patron.core.identity.visitors import VisitorTokens
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import (
    INVALID_API_KEY,
    INVALID_TOKEN,
    LOGIN_REFUSED,
    TENANT_INVALID,
    EmporixError,
)
from patron.dialects.emporix.http import (
    JSON,
    answer,
    checked,
    empty,
    find_tenant,
    read_json,
    request_bearer,
)
from patron.dialects.emporix.schemas import Body, request_body
from patron.http.proxies import client_ip

CUSTOMER_LIFETIMES = Lifetimes(access_seconds=2591999, refresh_seconds=86399)
"""Reference 4.2: a customer token lives 30 days, its refresh token a day."""
CUSTOMER_SCOPES = ("customer.customerprofile_view", "customer.customerprofile_edit")
"""What a customer token allows in Emporix' words: the customer's own profile."""
SESSION_CLAIM = "sessionId"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
BASE = "/customer/{tenant}"


class PasswordAuthentication(Body):
    """`PasswordAuthentication` (reference 4.1)."""

    email: Annotated[str, Field(min_length=1)]
    password: Annotated[str, Field(min_length=6)]


@dataclass(frozen=True, slots=True)
class Shopper:
    """Whoever a storefront request comes from: a visitor (anonymous token) or a
    customer (customer token), with the Emporix session both belong to."""

    tenant: Tenant
    token: str
    session_id: str
    claims: AccessClaims | None = None
    """The customer's; None for a visitor."""


async def storefront_tenant(ctx: EmporixContext, code: str) -> Tenant:
    tenant = await find_tenant(ctx, code)
    if tenant is None:
        raise EmporixError(TENANT_INVALID)
    return tenant


async def presented(request: Request, ctx: EmporixContext) -> Shopper:
    """The request's shopper, visitor or customer, checked as the gateway does: the token
    (401), then the path's tenant (400: a genuine token of another tenant, or of any
    tenant where the path names none Patron keeps; a forged one is the 401 either way).
    Whether a customer token's session is still open is left to the route, which reads
    the customer (`load_bearer`) anyway."""
    token = request_bearer(request)
    tenant = await find_tenant(ctx, request.path_params["tenant"])
    visitors = ctx.core.visitors
    is_visitor = visitors.is_visitor_token(token)
    if tenant is None:
        if is_visitor:
            visitors.verify_for_no_tenant(token)
        ctx.core.auth.verify_for_no_tenant(token)
    if is_visitor:
        session = await visitors.verify(tenant, token)
        return Shopper(tenant, token, str(session.session_id))
    return customer_shopper(ctx, tenant, token)


async def shopper(request: Request, ctx: EmporixContext) -> Shopper:
    """As `presented`, for routes that do not read the bearer's customer: a customer
    token whose session ended (logout, password reset, deletion) is refused here, so it
    opens no login, sign-up or reset either."""
    who = await presented(request, ctx)
    if who.claims is not None:
        await ctx.core.accounts.get_own(who.claims, CustomerRef.me())
    return who


async def customer(request: Request, ctx: EmporixContext) -> tuple[Shopper, AccessClaims]:
    """As `presented`, for routes only a customer token opens, whose use case reads the
    customer (or, as logout, is harmless on an ended session); an anonymous token is the
    invalid-token fault. The shopper and its claims."""
    who = await presented(request, ctx)
    if who.claims is None:
        raise EmporixError(INVALID_TOKEN)
    return who, who.claims


def customer_shopper(ctx: EmporixContext, tenant: Tenant, token: str) -> Shopper:
    """A customer token of `tenant` (signature, expiry, tenant; whether its session is
    still open is checked where the customer is read)."""
    claims = ctx.core.auth.verify(token, tenant)
    session_id = _payload(token).get(SESSION_CLAIM)
    if not isinstance(session_id, str):
        session_id = str(claims.session_id)
    return Shopper(tenant, token, session_id, claims)


def _payload(token: str) -> dict[str, Any]:
    """The claims of a customer token the core has verified (read, not checked again)."""
    try:
        payload = token.split(".")[1]
        claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, binascii.Error, orjson.JSONDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def claims_for(session_id: str) -> Callable[[Customer], Mapping[str, object]]:
    """Emporix' claims: the customer number as `sub`, the session kept from the visitor."""
    return lambda customer: {"sub": customer.customer_number, SESSION_CLAIM: session_id}


def scope_text(tenant: Tenant) -> str:
    return " ".join((*CUSTOMER_SCOPES, f"tenant={tenant.code}"))


def _visitor_body(tenant: Tenant, tokens: VisitorTokens) -> dict[str, object]:
    return {
        "token_type": "Bearer",
        "access_token": tokens.access_token,
        "expires_in": tokens.expires_in,
        "refresh_token": tokens.refresh_token,
        "refresh_token_expires_in": tokens.refresh_expires_in,
        "sessionId": str(tokens.session_id),
        "scope": f"tenant={tenant.code}",
    }


def refresh_body(pair: TokenPair, session_id: str) -> dict[str, object]:
    """`RefreshCustomerToken`: snake_case, and the deprecated camelCase beside it, which
    storefronts written before 2025 (Emporix' B2B showcase) still read."""
    refresh_expires = CUSTOMER_LIFETIMES.refresh_seconds
    return {
        "access_token": pair.access_token,
        "expires_in": pair.expires_in,
        "refresh_token": pair.refresh_token,
        "refresh_token_expires_in": refresh_expires,
        "token_type": pair.token_type,
        "session_id": session_id,
        "accessToken": pair.access_token,
        "expiresIn": pair.expires_in,
        "refreshToken": pair.refresh_token,
        "refreshTokenExpiresIn": refresh_expires,
    }


def customer_token_body(pair: TokenPair, session_id: str, customer: Customer) -> dict[str, object]:
    """`CustomerToken`: the refresh shape plus the SaaS token (the same JWT) and
    `initialPassword` (a string, as the schema types it): "true" while the customer's
    password is the one an employee chose."""
    return {
        **refresh_body(pair, session_id),
        "saas_token": pair.access_token,
        "saasToken": pair.access_token,
        "initialPassword": "true" if customer.password_set_by_staff else "false",
    }


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.get("/customerlogin/auth/anonymous/login", summary="Request an anonymous token")
    async def anonymous_login(
        tenant: str,
        client_id: str,
        currency: str | None = None,
        siteCode: str | None = None,
        language: str | None = None,
        targetLocation: str | None = None,
    ) -> Response:
        found = await storefront_tenant(ctx, tenant)
        try:
            tokens = await ctx.core.visitors.open(found, client_id)
        except InvalidCredentials:
            raise EmporixError(INVALID_API_KEY) from None
        return answer(_visitor_body(found, tokens), headers=NO_STORE)

    @api.get("/customerlogin/auth/anonymous/refresh", summary="Refresh an anonymous token")
    async def anonymous_refresh(
        tenant: str,
        refresh_token: str,
        client_id: str,
        anonymous_token: str | None = None,
    ) -> Response:
        found = await storefront_tenant(ctx, tenant)
        try:
            tokens = await ctx.core.visitors.refresh(found, client_id, refresh_token)
        except InvalidCredentials:
            raise EmporixError(INVALID_API_KEY) from None
        return answer(_visitor_body(found, tokens), headers=NO_STORE)

    @api.post(
        BASE + "/login",
        summary="Log a customer in",
        openapi_extra=request_body(PasswordAuthentication, JSON),
    )
    async def login(request: Request) -> Response:
        who = await shopper(request, ctx)
        body = checked(await read_json(request, ctx), PasswordAuthentication)
        try:
            found, pair = await ctx.core.auth.login(
                who.tenant,
                body.email,
                body.password,
                client_ip=client_ip(request),
                vendor_claims=claims_for(who.session_id),
                lifetimes=CUSTOMER_LIFETIMES,
            )
        except InvalidCredentials:
            raise EmporixError(LOGIN_REFUSED) from None
        return answer(customer_token_body(pair, who.session_id, found), headers=NO_STORE)

    @api.get(BASE + "/logout", summary="Log a customer out", status_code=204)
    async def logout(request: Request, accessToken: str) -> Response:
        """Ends the session of `accessToken` (the bearer's own: a customer cannot end
        another's session with a token it holds)."""
        who, claims = await customer(request, ctx)
        try:
            ended = customer_shopper(ctx, who.tenant, accessToken).claims
        except TenantMismatch:  # not the bearer's either: the same 401 as any other's
            raise EmporixError(INVALID_TOKEN) from None
        if ended is None or ended.customer_id != claims.customer_id:
            raise EmporixError(INVALID_TOKEN)
        await ctx.core.auth.end_token_session(ended)
        return empty(204)

    @api.get(BASE + "/refreshauthtoken", summary="Refresh a customer token")
    async def refresh(
        request: Request, refreshToken: str, legalEntityId: str | None = None
    ) -> Response:
        """Rotates the refresh token; a spent one ends its whole session. The bearer may
        be the visitor (as Emporix documents it) or the customer, then only with a
        refresh token of its own (another's is the invalid-token 401, spending nothing)."""
        who = await shopper(request, ctx)
        pair = await ctx.core.auth.refresh(
            who.tenant,
            refreshToken,
            vendor_claims=claims_for(who.session_id),
            lifetimes=CUSTOMER_LIFETIMES,
            holder=who.claims,
        )
        return answer(refresh_body(pair, who.session_id), headers=NO_STORE)

    @api.get(BASE + "/validateauthtoken", summary="Validate a customer token")
    async def validate(request: Request) -> Response:
        who, claims = await customer(request, ctx)
        found = await ctx.core.accounts.get_own(claims, CustomerRef.me())
        expires = _payload(who.token).get("exp", 0)
        body = {
            "token_type": "Bearer",
            "expires_in": max(0, int(expires) - int(ctx.core.auth.clock().timestamp())),
            "scope": scope_text(who.tenant),
            "sessionId": who.session_id,
            "email": found.email,
        }
        return answer({k: v for k, v in body.items() if v is not None})
