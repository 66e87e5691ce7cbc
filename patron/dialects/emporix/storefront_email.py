"""The storefront's email change (reference 4.1): asked for with the password by a
customer token (Emporix: scope `customer.customerprofile_edit`, which every customer
token holds and an anonymous one does not), confirmed with the key mailed to the new
address. The email is the login everywhere, so every dialect logs in with the new one
from then on (the core's `EmailChanges`); the contact email follows it where the request
says `syncContactEmail`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.email_addresses import lookup_key
from patron.core.domain.errors.conflict import EmailTaken
from patron.core.identity.access import CustomerRef
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import FORBIDDEN, EmporixError, conflict, validation_failure
from patron.dialects.emporix.http import JSON, checked, empty, read_json
from patron.dialects.emporix.schemas import Body, request_body
from patron.dialects.emporix.storefront_auth import BASE, presented, shopper

CHANGE = BASE + "/me/accounts/internal/email/change"
NEW_EMAIL_TAKEN = conflict("The new email address is already used by another account.")
NOT_THE_LOGIN = validation_failure(
    "Request body is not valid.",
    {"field": "email", "type": "invalid_value", "message": "email is not the account's login."},
)


class ChangeEmailRequest(Body):
    """`ChangeEmailRequestDto`. `syncContactEmail`: the contact email becomes the new
    login email too; false (the default) keeps the contact email as it is."""

    email: str
    password: str
    newEmail: str
    syncContactEmail: bool = False


class UpdateEmail(Body):
    """`UpdateEmail`: the key from the mail."""

    token: str


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.post(
        CHANGE,
        summary="Ask to change the login email (a key is mailed to the new address)",
        status_code=204,
        openapi_extra=request_body(ChangeEmailRequest, JSON),
    )
    async def change_email(request: Request) -> Response:
        who = await presented(request, ctx)
        if who.claims is None:
            raise EmporixError(FORBIDDEN)  # an anonymous token lacks customerprofile_edit
        body = checked(await read_json(request, ctx), ChangeEmailRequest)
        customer = await ctx.core.accounts.get_own(who.claims, CustomerRef.me())
        if customer.email is None or lookup_key(customer.email) != lookup_key(body.email):
            raise EmporixError(NOT_THE_LOGIN)
        request.state.email = body.newEmail
        await ctx.core.email_changes.request(
            who.tenant,
            who.claims,
            body.password,
            body.newEmail,
            sync_contact=body.syncContactEmail,
        )
        return empty(204)

    @api.post(
        CHANGE + "/confirm",
        summary="Confirm the new email with the mailed key",
        status_code=204,
        openapi_extra=request_body(UpdateEmail, JSON),
    )
    async def confirm_email(request: Request) -> Response:
        who = await shopper(request, ctx)
        body = checked(await read_json(request, ctx), UpdateEmail)
        try:
            await ctx.core.email_changes.confirm(who.tenant, body.token)
        except EmailTaken:
            raise EmporixError(NEW_EMAIL_TAKEN) from None
        return empty(204)
