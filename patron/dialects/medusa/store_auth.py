"""`/store/auth`: the shopper's cookie session and Bearer tokens, and the email lookup."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.dialects.medusa import ids, shapes
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.errors import UNAUTHORIZED, MedusaError
from patron.dialects.medusa.http import (
    answer,
    bearer_of,
    check_origin,
    clear_session,
    customer,
    request_tenant,
    session_of,
    set_session,
    text,
    valid_body,
)
from patron.dialects.medusa.openapi import operation, path
from patron.dialects.medusa.schemas import AccessToken, CustomerBody, Exists, StoreLogin
from patron.dialects.medusa.store_customers import store_shape
from patron.http.proxies import client_ip


def store_claims(record: Customer) -> Mapping[str, object]:
    """Medusa's store token payload: `{customer_id, domain: "store"}`."""
    return {"customer_id": ids.render(ids.CUSTOMER, record.uuid), "domain": "store"}


async def authenticated(request: Request, ctx: MedusaContext, tenant: Tenant) -> Customer:
    """The customer whose email and password the body holds. Medusa has no confirmation
    step, so unconfirmed customers log in unless the mount says otherwise."""
    body = await valid_body(request, ctx.config, StoreLogin)
    password: Any = body["password"]
    if not isinstance(password, str):  # "not empty" is all Medusa asks; no password is one
        raise MedusaError(UNAUTHORIZED)
    return await ctx.core.auth.authenticate(
        tenant,
        body["email"],
        password,
        client_ip=client_ip(request),
        require_confirmation=None if ctx.config.require_confirmation else False,
    )


async def auth_shape(ctx: MedusaContext, record: Customer) -> dict[str, Any]:
    """`/store/auth` answers with `orders` and `shipping_addresses`."""
    return await store_shape(ctx, record, shapes.AUTH_DEFAULT)


def add_routes(api: FastAPI, ctx: MedusaContext) -> None:
    @api.post(
        "/store/auth",
        response_model=CustomerBody,
        summary="Log in (cookie session)",
        openapi_extra=operation(auth="none", body=StoreLogin),
    )
    async def create_session(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        record = await authenticated(request, ctx, tenant)
        session = await ctx.core.auth.start_session(record)
        return set_session(answer(await auth_shape(ctx, record)), ctx.config, session, "store")

    @api.get(
        "/store/auth",
        response_model=CustomerBody,
        summary="The logged-in customer",
        openapi_extra=operation(auth="customer"),
    )
    async def get_session(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        claims = await customer(request, ctx, tenant)
        record = await ctx.core.accounts.get_own(claims, CustomerRef.me())
        return answer(await auth_shape(ctx, record))

    @api.delete(
        "/store/auth",
        summary="Log out (ends the cookie session and the Bearer token; always OK)",
        responses={200: {"description": "The text OK", "content": {"text/plain": {}}}},
        openapi_extra=operation(auth="none"),
    )
    async def delete_session(request: Request) -> Response:
        """Ends the shopper's cookie session and the store token the request carries
        (it stands in for a session, decision 98); an admin's session stays."""
        session, token = session_of(request), bearer_of(request)
        response = text("OK")
        if session is None and token is None:
            return response
        tenant = await request_tenant(ctx)
        if session is not None:
            try:  # only a shopper's session
                await ctx.core.auth.session_claims(tenant, session)
            except InvalidAccessToken:
                pass
            else:
                check_origin(request, ctx.config, "store")
                await ctx.core.auth.end_session(session)
                response = clear_session(response, ctx.config, "store")
        if token is not None:
            with contextlib.suppress(InvalidAccessToken, CustomerNotFound):
                await ctx.core.auth.end_token_session(ctx.core.auth.verify(token, tenant))
        return response

    @api.post(
        "/store/auth/token",
        response_model=AccessToken,
        summary="Log in (Bearer token; it ends when a session would)",
        openapi_extra=operation(auth="none", body=StoreLogin),
    )
    async def create_token(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        record = await authenticated(request, ctx, tenant)
        token, _ = await ctx.core.auth.issue_session_token(record, vendor_claims=store_claims)
        return answer({"access_token": token})

    @api.get(
        "/store/auth/{email}",
        response_model=Exists,
        summary="Whether a registered customer has this email (throttled per address)",
        openapi_extra=operation(
            auth="none", parameters=[path("email", "The email, as typed (not URL-encoded)")]
        ),
    )
    async def email_exists(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        exists = await ctx.core.accounts.account_exists(
            tenant, request.path_params["email"], client_ip=client_ip(request)
        )
        return answer({"exists": exists})
