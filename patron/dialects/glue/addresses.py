"""`addresses`, a child resource of `customers`, and `?include=addresses` on customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.command_fields import address_change, address_draft
from patron.core.domain.commands import AddressDraft
from patron.core.domain.model import Customer
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import ADDRESS_UUID_MISSING
from patron.dialects.glue.http import (
    FieldMap,
    as_is,
    core_fields,
    id_missing_routes,
    path_customer,
    requested_includes,
    required_claims,
    respond,
    salutation,
    self_link,
    valid_attributes,
)
from patron.dialects.glue.openapi import fields, operation, path
from patron.dialects.glue.schemas import (
    AddressCollectionDocument,
    AddressCreateAttributes,
    AddressDocument,
    AddressUpdateAttributes,
)
from patron.dialects.glue.shapes import (
    address_resource,
    collection,
    include,
    relate,
    single,
)

TYPE = "addresses"
NO_ADDRESS = UUID(int=0)
"""Stands for a path id that is no UUID: no address has it, so it reads as not found, and
only after the ownership check (Glue authorizes the route before it looks up the id)."""


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
    return address_draft(fields | _address_fields(attributes))


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

    reference = path("customer_reference", "The customer reference, e.g. DE--1")
    uuid = path("address_uuid", "The address UUID")

    @api.get(
        one,
        response_model=AddressDocument,
        summary="Read an address",
        openapi_extra=operation(auth="required", parameters=[reference, uuid, *fields(TYPE)]),
    )
    async def get_address(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        address = await ctx.core.addresses.get_own(
            claims, path_customer(request), _address_uuid(request.path_params["address_uuid"])
        )
        return respond(request, single(address_resource(address, reference, ctx.base_url)))

    @api.get(
        many,
        response_model=AddressCollectionDocument,
        summary="List my addresses",
        openapi_extra=operation(auth="required", parameters=[reference, *fields(TYPE)]),
    )
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
        openapi_extra=operation(
            auth="required",
            body=(TYPE, AddressCreateAttributes),
            parameters=[reference, *fields(TYPE)],
        ),
        summary="Add an address",
    )
    async def add_address(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        attributes = await valid_attributes(request, TYPE, AddressCreateAttributes)
        address = await ctx.core.addresses.add_own(
            claims, path_customer(request), _draft(attributes)
        )
        return respond(request, single(address_resource(address, reference, ctx.base_url)), 201)

    @api.patch(
        one,
        response_model=AddressDocument,
        openapi_extra=operation(
            auth="required",
            body=(TYPE, AddressUpdateAttributes),
            parameters=[reference, uuid, *fields(TYPE)],
        ),
        summary="Edit an address: only the attributes sent change",
    )
    async def update_address(request: Request) -> Response:
        reference = request.path_params["customer_reference"]
        claims = required_claims(request, ctx.core)
        attributes = await valid_attributes(request, TYPE, AddressUpdateAttributes)
        address = await ctx.core.addresses.update_own(
            claims,
            path_customer(request),
            _address_uuid(request.path_params["address_uuid"]),
            address_change(_address_fields(attributes)),
        )
        return respond(request, single(address_resource(address, reference, ctx.base_url)))

    @api.delete(
        one,
        status_code=204,
        summary="Delete an address",
        openapi_extra=operation(auth="required", parameters=[reference, uuid]),
    )
    async def delete_address(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        await ctx.core.addresses.delete_own(
            claims,
            path_customer(request),
            _address_uuid(request.path_params["address_uuid"]),
        )
        return Response(status_code=204)

    id_missing_routes(api, ctx, [("DELETE", many), ("PATCH", many)], ADDRESS_UUID_MISSING)
