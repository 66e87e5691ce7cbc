"""The storefront's sign-up and double opt-in (reference 4.1, 4.2).

A sign-up is the core's registration (`Accounts.register`) of the profile the
tenant-managed API writes (`customer_fields.registration_of`); `signup` credentials make
a login email apart from the contact email. Where the tenant requires
confirmation (double opt-in), the activation mail goes through the outbox with the
tenant's confirmation link; opening it (`GET .../signup/optin/{token}`) confirms the
email and logs the customer in, as a login would (a session of the core's, Emporix'
token shape). A re-send answers 202 before it looks the address up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Request
from pydantic import Field
from starlette.responses import Response

from patron.core.domain.commands import EmailLookup, SignupLimit
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.dialects.emporix import address_schemas
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.customer_fields import registration_of
from patron.dialects.emporix.errors import LOGIN_REFUSED, EmporixError, validation_failure
from patron.dialects.emporix.http import JSON, answer, checked, empty, read_json
from patron.dialects.emporix.schemas import Body, CustomerUpdate, request_body
from patron.dialects.emporix.storefront_auth import (
    BASE,
    CUSTOMER_LIFETIMES,
    NO_STORE,
    PasswordAuthentication,
    claims_for,
    customer_token_body,
    shopper,
)
from patron.http.answers import answer_then
from patron.http.proxies import client_ip

SIGNUPS_PER_ADDRESS = 10
SIGNUP_WINDOW_SECONDS = 3600
"""At most 10 accounts per client address an hour: a shop's visitors sign up once, and
the limit slows a walk through emails by their 409s."""


class CustomerSignup(Body):
    """`CustomerSignup`."""

    email: Annotated[str, Field(min_length=1)]
    password: Annotated[str, Field(min_length=1)]
    customerDetails: CustomerUpdate | None = None
    customerAddress: address_schemas.NewAddressBody | None = None
    signup: PasswordAuthentication | None = None


class RefreshToken(Body):
    """`RefreshToken`: the address to send the activation link to again."""

    email: Annotated[str, Field(min_length=1)]


def _mismatch(field: str, message: str) -> EmporixError:
    return EmporixError(
        validation_failure(
            "Request body is not valid.",
            {"field": field, "type": "invalid_value", "message": message},
        )
    )


def _login_of(body: CustomerSignup) -> tuple[str, str, str]:
    """The email and password the customer logs in with, and the contact email. `signup`
    credentials are the login (reference 4.2: "log in with a different email than the
    main contact email"), `email` then the contact email; without them `email` is both.
    `customerDetails.contactEmail`, when given, must be `email` (reference 4.2)."""
    details = body.customerDetails
    contact = details.contactEmail if details is not None else None
    if contact is not None and contact.strip().lower() != body.email.strip().lower():
        raise _mismatch("customerDetails.contactEmail", "contactEmail must be the email.")
    if body.signup is not None:
        return body.signup.email, body.signup.password, body.email
    return body.email, body.password, body.email


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.post(
        BASE + "/signup",
        summary="Sign a customer up",
        status_code=201,
        openapi_extra=request_body(CustomerSignup, JSON),
    )
    async def signup(request: Request) -> Response:
        """201 `{id}`; the customer's details and address as the tenant-managed create
        reads them, except what only the back office sets (`restriction`)."""
        who = await shopper(request, ctx)
        body = checked(await read_json(request, ctx), CustomerSignup)
        email, password, contact = _login_of(body)
        request.state.email = email
        details = (body.customerDetails or CustomerUpdate()).model_copy(
            update={"restriction": None}
        )
        address = body.customerAddress
        customer = await ctx.core.accounts.register(
            who.tenant,
            registration_of(details, email=email, password=password, contact_email=contact),
            send_confirmation=False,  # the tenant's rule: mailed where it requires it
            billing=address_schemas.draft(address) if address is not None else None,
            limit=SignupLimit(
                client_ip=client_ip(request),
                count=SIGNUPS_PER_ADDRESS,
                seconds=SIGNUP_WINDOW_SECONDS,
            ),
            lookup=EmailLookup(client_ip=client_ip(request)),  # 409 says the email is taken
        )
        return answer({"id": customer.customer_number}, 201)

    @api.get(BASE + "/signup/optin/{token}", summary="Activate an account and log it in")
    async def opt_in(request: Request, token: str) -> Response:
        who = await shopper(request, ctx)
        customer = await ctx.core.accounts.confirm(who.tenant, token)
        try:
            pair = await ctx.core.auth.open_token_session(
                customer, vendor_claims=claims_for(who.session_id), lifetimes=CUSTOMER_LIFETIMES
            )
        except InvalidCredentials:
            raise EmporixError(LOGIN_REFUSED) from None
        return answer(customer_token_body(pair, who.session_id, customer), headers=NO_STORE)

    @api.post(
        BASE + "/signup/optin/refresh_token",
        summary="Send the activation link again (always 202)",
        status_code=202,
        openapi_extra=request_body(RefreshToken, JSON),
    )
    async def resend(request: Request) -> Response:
        who = await shopper(request, ctx)
        body = checked(await read_json(request, ctx), RefreshToken)
        return answer_then(
            empty(202), ctx.core.accounts.resend_confirmation(who.tenant, body.email)
        )
