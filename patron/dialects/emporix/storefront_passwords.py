"""The storefront's password routes (reference 4.1): change one you know, reset one you
forgot. All of it is the core's `PasswordChanges`, as in every dialect: a change checks
(and throttles) the current password and ends the customer's other sessions; a reset
answers 204 before it looks the address up, mails a single-use, expiring key with the
tenant's reset link, and using the key ends every session.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.identity.access import CustomerRef
from patron.core.identity.password_changes import PasswordChange
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.http import JSON, checked, empty, read_json
from patron.dialects.emporix.schemas import Body, request_body
from patron.dialects.emporix.storefront_auth import BASE, customer, shopper
from patron.http.answers import answer_then


class PasswordChangeBody(Body):
    """`PasswordChangeDto`."""

    currentPassword: str
    newPassword: str


class PasswordResetRequest(Body):
    """`PasswordResetRequestDto`; `site` is accepted and not used (one reset link per
    tenant)."""

    email: str
    site: str | None = None


class PasswordUpdate(Body):
    """`PasswordUpdate`: the mailed token and the new password."""

    token: str
    password: str


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.post(
        BASE + "/password/change",
        summary="Change the customer's password",
        status_code=204,
        openapi_extra=request_body(PasswordChangeBody, JSON),
    )
    async def change_password(request: Request) -> Response:
        who, claims = await customer(request, ctx)
        body = checked(await read_json(request, ctx), PasswordChangeBody)
        change = PasswordChange(current=body.currentPassword, new=body.newPassword)
        await ctx.core.passwords.change_own(who.tenant, claims, CustomerRef.me(), change)
        return empty(204)

    @api.post(
        BASE + "/password/reset",
        summary="Request a password reset (always 204)",
        status_code=204,
        openapi_extra=request_body(PasswordResetRequest, JSON),
    )
    async def request_reset(request: Request) -> Response:
        who = await shopper(request, ctx)
        body = checked(await read_json(request, ctx), PasswordResetRequest)
        return answer_then(empty(204), ctx.core.passwords.request_reset(who.tenant, body.email))

    @api.post(
        BASE + "/password/reset/update",
        summary="Set a new password with the mailed token (ends every session)",
        status_code=204,
        openapi_extra=request_body(PasswordUpdate, JSON),
    )
    async def reset_password(request: Request) -> Response:
        who = await shopper(request, ctx)
        body = checked(await read_json(request, ctx), PasswordUpdate)
        await ctx.core.passwords.restore(who.tenant, body.token, body.password)
        return empty(204)
