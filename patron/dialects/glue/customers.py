"""`customers` and `customer-confirmation` resources."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.command_fields import profile_change
from patron.core.domain.commands import EmailLookup, Registration
from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.model import Gender, Salutation
from patron.core.identity.access import CustomerRef
from patron.dialects.glue.addresses import include_addresses
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import (
    CUSTOMER_NOT_FOUND,
    CUSTOMER_REFERENCE_MISSING,
    GENDER_INVALID,
    GlueError,
    glue_error,
    password_mismatch,
)
from patron.dialects.glue.http import (
    FieldMap,
    as_is,
    core_fields,
    id_missing_routes,
    optional_claims,
    path_customer,
    policy_attributes,
    request_tenant,
    required_claims,
    respond,
    salutation,
    self_link,
    valid_attributes,
)
from patron.dialects.glue.openapi import INCLUDE, fields, operation, path
from patron.dialects.glue.schemas import (
    DOCUMENTED_PASSWORD,
    ConfirmationAttributes,
    CustomerCollectionDocument,
    CustomerDocument,
    CustomerUpdateAttributes,
    registration_model,
)
from patron.dialects.glue.shapes import (
    collection,
    customer_resource,
    single,
)
from patron.http.apps import serve_first
from patron.http.proxies import client_ip

GENDERS = tuple(g.value for g in Gender)
REFERENCE = path("customer_reference", "The customer reference, e.g. DE--1")

# Reading another customer answers "not found", so references cannot be probed.
READ_OVERRIDES = {ErrorCode.NOT_OWNER: CUSTOMER_NOT_FOUND}


def _gender(value: Any) -> Gender | None:
    """Glue's own gender error (414) for a value outside Male/Female."""
    if value is None:
        return None
    if value not in GENDERS:
        raise GlueError(GENDER_INVALID)
    return Gender(value)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def add_routes(api: FastAPI, ctx: GlueContext) -> None:
    """Routes go straight on the app: an included router costs a second match per request."""

    # The hottest route first: routes are tried in the order they are added.
    @api.get(
        "/customers/{customer_reference}",
        response_model=CustomerDocument,
        summary="Read a customer",
        openapi_extra=operation(
            auth="required", parameters=[REFERENCE, INCLUDE, *fields("customers", "addresses")]
        ),
    )
    async def get_customer(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        try:
            customer = await ctx.core.accounts.get_own(claims, path_customer(request))
        except DomainError as error:
            raise glue_error(error, READ_OVERRIDES) from None
        document = single(customer_resource(customer, ctx.base_url))
        await include_addresses(request, ctx, document, [customer])
        return respond(request, document)

    serve_first(api, "/customers/{customer_reference}", get_customer)  # the hot read

    @api.post(
        "/customers",
        status_code=201,
        response_model=CustomerDocument,
        openapi_extra=operation(
            auth="optional",
            body=("customers", registration_model(*DOCUMENTED_PASSWORD)),
            parameters=fields("customers"),
        ),
        summary="Register a customer",
    )
    async def create_customer(request: Request) -> Response:
        optional_claims(request, ctx.core)
        tenant, attributes = await policy_attributes(request, "customers", registration_model)
        if attributes["password"] != attributes["confirmPassword"]:
            raise GlueError(password_mismatch())
        registration = Registration(
            email=attributes["email"],
            password=attributes["password"],
            accepted_terms=attributes["acceptedTerms"],
            salutation=Salutation(attributes["salutation"]),
            first_name=attributes["firstName"],
            last_name=attributes["lastName"],
            gender=_gender(attributes["gender"]),
            birth_date=_date(attributes.get("dateOfBirth")),
        )
        customer = await ctx.core.accounts.register(
            tenant,
            registration,
            send_confirmation=ctx.config.send_confirmation_mail,
            lookup=EmailLookup(client_ip=client_ip(request)),  # 422 says the email is taken
        )
        return respond(request, single(customer_resource(customer, ctx.base_url)), 201)

    @api.get(
        "/customers",
        response_model=CustomerCollectionDocument,
        summary="My customer",
        openapi_extra=operation(
            auth="required", parameters=[INCLUDE, *fields("customers", "addresses")]
        ),
    )
    async def list_customers(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        try:
            customer = await ctx.core.accounts.get_own(claims, CustomerRef.me())
        except DomainError as error:
            raise glue_error(error, READ_OVERRIDES) from None
        document = collection(
            [customer_resource(customer, ctx.base_url)],
            self_link(request, ctx.base_url, "/customers"),
        )
        await include_addresses(request, ctx, document, [customer])
        return respond(request, document)

    @api.patch(
        "/customers/{customer_reference}",
        response_model=CustomerDocument,
        openapi_extra=operation(
            auth="required",
            body=("customers", CustomerUpdateAttributes),
            parameters=[REFERENCE, *fields("customers")],
        ),
        summary="Edit a customer",
    )
    async def update_customer(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        attributes = await valid_attributes(request, "customers", CustomerUpdateAttributes)
        if "password" in attributes and attributes["password"] != attributes.get("confirmPassword"):
            raise GlueError(password_mismatch())  # checked, never stored
        change = profile_change(core_fields(attributes, _PROFILE_FIELDS))
        customer = await ctx.core.accounts.update_own(claims, path_customer(request), change)
        return respond(request, single(customer_resource(customer, ctx.base_url)))

    @api.delete(
        "/customers/{customer_reference}",
        status_code=204,
        summary="Anonymize a customer",
        openapi_extra=operation(auth="required", parameters=[REFERENCE]),
    )
    async def anonymize_customer(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        await ctx.core.accounts.anonymize_own(claims, path_customer(request))
        return Response(status_code=204)

    id_missing_routes(
        api,
        ctx,
        [("DELETE", "/customers"), ("PATCH", "/customers")],
        CUSTOMER_REFERENCE_MISSING,
    )

    @api.post(
        "/customer-confirmation",
        status_code=204,
        openapi_extra=operation(
            auth="optional", body=("customer-confirmation", ConfirmationAttributes)
        ),
        summary="Confirm a registration with the key from the email",
    )
    async def confirm_customer(request: Request) -> Response:
        optional_claims(request, ctx.core)
        attributes = await valid_attributes(
            request, "customer-confirmation", ConfirmationAttributes
        )
        await ctx.core.accounts.confirm(request_tenant(request), attributes["registrationKey"])
        return Response(status_code=204)


_PROFILE_FIELDS: FieldMap = {
    "firstName": ("first_name", as_is),
    "lastName": ("last_name", as_is),
    "email": ("email", as_is),
    "salutation": ("salutation", salutation),
    "gender": ("gender", _gender),
    "dateOfBirth": ("birth_date", _date),
}
