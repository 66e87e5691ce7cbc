"""`addresses`, a child resource of `customers`, and `?include=addresses` on customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.countries import normalize_country_code
from patron.core.model import AddressChange, AddressDraft, Customer
from patron.dialects.glue import validation as v
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.documents import (
    address_resource,
    collection,
    include,
    relate,
    single,
)
from patron.dialects.glue.errors import ADDRESS_UUID_MISSING, GlueError
from patron.dialects.glue.http import (
    FieldMap,
    as_is,
    core_fields,
    path_customer,
    requested_includes,
    required_claims,
    respond,
    salutation,
    self_link,
    valid_attributes,
)
from patron.dialects.glue.schemas import (
    AddressCollectionDocument,
    AddressCreateAttributes,
    AddressDocument,
    AddressUpdateAttributes,
    request_document,
)

TYPE = "addresses"
SALUTATIONS = ("Mr", "Mrs", "Ms", "Dr")
NAME = v.length(maximum=100)
LINE = v.length(maximum=255)
ZIP_CODE = v.length(maximum=15)
CITY = v.length(3, 255)
NO_ADDRESS = UUID(int=0)
"""Stands for a path id that is no UUID: no address has it, so it reads as not found, and
only after the ownership check (Glue authorizes the route before it looks up the id)."""


def is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "This value should be of type bool."


def country(value: Any) -> str | None:
    if isinstance(value, str) and normalize_country_code(value):
        return None
    return "This value is not a valid country."


# customers-rest-api's `addresses` validation, plus company and a real-country check.
CREATE_SCHEMA: dict[str, v.Field] = {
    "salutation": v.required(v.choice(SALUTATIONS)),
    "firstName": v.required(NAME),
    "lastName": v.required(NAME),
    "address1": v.required(LINE),
    "address2": v.required(LINE),
    "address3": v.optional(LINE, nullable=True),
    "zipCode": v.required(ZIP_CODE),
    "city": v.required(CITY),
    "iso2Code": v.required(country),
    "company": v.optional(LINE, nullable=True),
    "phone": v.optional(LINE, nullable=True),
    "isDefaultShipping": v.optional(is_bool, nullable=True),
    "isDefaultBilling": v.optional(is_bool, nullable=True),
}

UPDATE_SCHEMA: dict[str, v.Field] = {
    "salutation": v.optional(v.not_blank, v.choice(SALUTATIONS)),
    "firstName": v.optional(v.not_blank, NAME),
    "lastName": v.optional(v.not_blank, NAME),
    "address1": v.optional(v.not_blank, LINE),
    "address2": v.optional(v.not_blank, LINE),
    "address3": v.optional(LINE, nullable=True),
    "zipCode": v.optional(v.not_blank, ZIP_CODE),
    "city": v.optional(v.not_blank, CITY),
    "iso2Code": v.optional(v.not_blank, country),
    "company": v.optional(LINE, nullable=True),
    "phone": v.optional(LINE, nullable=True),
    "isDefaultShipping": v.optional(is_bool, nullable=True),
    "isDefaultBilling": v.optional(is_bool, nullable=True),
}


# Glue attribute -> (core field, conversion). `country` and `customer_reference` are not
# here: Glue ignores them (the name comes from iso2Code, the owner from the token).
_FIELDS: FieldMap = {
    "salutation": ("salutation", salutation),
    "firstName": ("first_name", as_is),
    "lastName": ("last_name", as_is),
    "address1": ("address1", as_is),
    "address2": ("address2", as_is),
    "address3": ("address3", as_is),
    "zipCode": ("zip_code", as_is),
    "city": ("city", as_is),
    "iso2Code": ("country_code", as_is),
    "company": ("company", as_is),
    "phone": ("phone", as_is),
    "isDefaultShipping": ("is_default_shipping", as_is),
    "isDefaultBilling": ("is_default_billing", as_is),
}
_FLAGS = frozenset({"isDefaultShipping", "isDefaultBilling"})


def _address_fields(attributes: dict[str, Any]) -> dict[str, Any]:
    """The core fields the request sets; a null default flag counts as not sent."""
    sent = {k: value for k, value in attributes.items() if not (k in _FLAGS and value is None)}
    return core_fields(sent, _FIELDS)


def _draft(attributes: dict[str, Any]) -> AddressDraft:
    # Glue: "Default for isDefault* when not set: true".
    fields = {"is_default_shipping": True, "is_default_billing": True}
    return AddressDraft(**(fields | _address_fields(attributes)))


def _address_uuid(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        return NO_ADDRESS


async def include_addresses(
    request: Request, ctx: GlueContext, document: dict[str, Any], customers: Sequence[Customer]
) -> None:
    """`?include=addresses` on customers: relationships on each customer resource and the
    addresses in `included`, read in one query for all customers of the document."""
    if TYPE not in requested_includes(request):
        return
    by_customer = await ctx.core.addresses.of_customers(customers)
    by_reference = {customer.customer_number: customer for customer in customers}
    data = document["data"]
    for item in data if isinstance(data, list) else [data]:
        customer = by_reference[item["id"]]
        related = [
            address_resource(address, customer.customer_number, ctx.base_url)
            for address in by_customer[customer.id]
        ]
        relate(item, TYPE, related)
        include(document, related)


def add_routes(api: FastAPI, ctx: GlueContext) -> None:
    """Routes go straight on the app, as in `customers`: one match per request."""
    one = "/customers/{customer_reference}/addresses/{address_uuid}"
    many = "/customers/{customer_reference}/addresses"

    @api.get(one, response_model=AddressDocument, summary="Read an address")
    async def get_address(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        address = await ctx.core.addresses.get_own(
            claims, path_customer(request), _address_uuid(request.path_params["address_uuid"])
        )
        return respond(request, single(address_resource(address, reference, ctx.base_url)))

    @api.get(many, response_model=AddressCollectionDocument, summary="List my addresses")
    async def list_addresses(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        addresses = await ctx.core.addresses.list_own(claims, path_customer(request))
        return respond(
            request,
            collection(
                (address_resource(address, reference, ctx.base_url) for address in addresses),
                self_link(request, ctx.base_url, f"/customers/{reference}/addresses"),
            ),
        )

    @api.post(
        many,
        status_code=201,
        response_model=AddressDocument,
        openapi_extra=request_document(TYPE, AddressCreateAttributes),
        summary="Add an address",
    )
    async def add_address(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        attributes = await valid_attributes(request, TYPE, CREATE_SCHEMA)
        address = await ctx.core.addresses.add_own(
            claims, path_customer(request), _draft(attributes)
        )
        return respond(request, single(address_resource(address, reference, ctx.base_url)), 201)

    @api.patch(
        one,
        response_model=AddressDocument,
        openapi_extra=request_document(TYPE, AddressUpdateAttributes),
        summary="Edit an address: only the attributes sent change",
    )
    async def update_address(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        attributes = await valid_attributes(request, TYPE, UPDATE_SCHEMA)
        address = await ctx.core.addresses.update_own(
            claims,
            path_customer(request),
            _address_uuid(request.path_params["address_uuid"]),
            AddressChange(**_address_fields(attributes)),
        )
        return respond(request, single(address_resource(address, reference, ctx.base_url)))

    @api.delete(one, status_code=204, summary="Delete an address")
    async def delete_address(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        await ctx.core.addresses.delete_own(
            claims,
            path_customer(request),
            _address_uuid(request.path_params["address_uuid"]),
        )
        return Response(status_code=204)

    @api.patch(many, include_in_schema=False)
    @api.delete(many, include_in_schema=False)
    async def address_uuid_missing(request: Request) -> Response:
        required_claims(request, ctx.core)
        raise GlueError(ADDRESS_UUID_MISSING)
