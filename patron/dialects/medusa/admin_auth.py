"""`/admin/auth`: the back office's cookie session and Bearer tokens."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.principals import AdminUser
from patron.core.identity.staff_credentials import CredentialKind
from patron.dialects.medusa import ids, shapes
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.errors import BAD_REQUEST, MedusaError
from patron.dialects.medusa.http import (
    admin_credential,
    answer,
    bearer_of,
    clear_session,
    request_tenant,
    set_session,
    text,
    valid_body,
)
from patron.dialects.medusa.openapi import operation, text_answer
from patron.dialects.medusa.schemas import AccessToken, AdminLogin, UserBody
from patron.http.proxies import client_ip


async def logged_in(request: Request, ctx: MedusaContext) -> AdminUser:
    """The user whose email and password the body holds (a session or a token follows)."""
    tenant = await request_tenant(ctx)
    body = await valid_body(request, ctx.config, AdminLogin)
    return await ctx.core.back_office.log_in(
        tenant, body["email"], body["password"], client_ip=client_ip(request)
    )


def add_routes(api: FastAPI, ctx: MedusaContext) -> None:
    @api.post(
        "/admin/auth",
        response_model=UserBody,
        summary="Log in (cookie session)",
        openapi_extra=operation(auth="none", body=AdminLogin),
    )
    async def create_session(request: Request) -> Response:
        user = await logged_in(request, ctx)
        session = await ctx.core.back_office.start_session(user)
        return set_session(answer({"user": shapes.user(user)}), ctx.config, session, "admin")

    @api.get(
        "/admin/auth",
        response_model=UserBody,
        summary="The logged-in user",
        openapi_extra=operation(
            auth="admin",
            responses={"400": text_answer("The caller is an API client, not a user")},
        ),
    )
    async def get_session(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        principal, _ = await admin_credential(request, ctx, tenant)
        if principal.user is None:
            raise MedusaError(BAD_REQUEST)
        return answer({"user": shapes.user(principal.user)})

    @api.delete(
        "/admin/auth",
        summary="Log out (ends the cookie session and the Bearer token; an API token stays)",
        responses={200: {"description": "The text OK", "content": {"text/plain": {}}}},
        openapi_extra=operation(auth="admin"),
    )
    async def delete_session(request: Request) -> Response:
        """Ends what the request logged in with: the cookie session, and a Bearer token of
        `POST /admin/auth/token` (it stands in for a session). The API token is the
        user's standing credential, replaced by `patron admin issue-token`."""
        tenant = await request_tenant(ctx)
        _, credential = await admin_credential(request, ctx, tenant)
        response = text("OK")
        if (token := bearer_of(request)) is not None:
            await ctx.core.back_office.end_token(tenant, token)
        if credential.kind is CredentialKind.SESSION:
            await ctx.core.back_office.end_session(credential.value)
            response = clear_session(response, ctx.config, "admin")
        return response

    @api.post(
        "/admin/auth/token",
        response_model=AccessToken,
        summary="Log in (Bearer token, 24 hours; ends with a logout)",
        openapi_extra=operation(auth="none", body=AdminLogin),
    )
    async def create_token(request: Request) -> Response:
        user = await logged_in(request, ctx)
        claims = {"user_id": ids.render(ids.USER, user.uuid), "domain": "admin"}
        token, _ = await ctx.core.back_office.issue_token(user, vendor_claims=claims)
        return answer({"access_token": token})
