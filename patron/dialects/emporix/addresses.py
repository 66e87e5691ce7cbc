"""`/customer/{tenant}/customers/{customerNumber}/addresses`: a customer's addresses and
their tags, as the back office manages them (reference 3; 2.1 for scopes and statuses).

Only the plain scopes open these routes (`customer.customer_read` to read,
`customer.customer_manage` to write; no `_own` variant is listed), so a caller's `_own`
grants reach no customer here either; a restriction suffix narrows which customers they
reach, as on every route.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.back_office.addresses import Edit
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.principals import Grant
from patron.dialects.emporix import address_schemas as schemas
from patron.dialects.emporix import shapes
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import EmporixError, validation_failure
from patron.dialects.emporix.http import Caller, answer, caller, checked, empty, read_json
from patron.dialects.emporix.scopes import CUSTOMER_MANAGE, CUSTOMER_READ

BASE = "/customer/{tenant}/customers/{customerNumber}/addresses"
ONE = BASE + "/{addressId}"
ID_PATTERN = re.compile(schemas.ADDRESS_ID_PATTERN)
MAX_TAGS_TEXT = 4096
"""Longest `tags` query value read (the core bounds the tags themselves)."""

CONTACT_NAME_REQUIRED = validation_failure(
    "Request body is not valid.",
    {
        "field": "contactName",
        "type": "missing",
        "message": "contactName is required to create an address.",
    },
)
ID_INVALID = validation_failure(
    "Request body is not valid.",
    {
        "field": "id",
        "type": "invalid_value",
        "message": "An address id is 1 to 66 letters, digits, '_' or '-'.",
    },
)
TAGS_MISSING = validation_failure(
    "Request is not valid.",
    {"field": "tags", "type": "missing", "message": "Name at least one tag."},
)


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.get(BASE, summary="Retrieving customer addresses")
    async def list_addresses(request: Request, customerNumber: str) -> Response:
        call = await _caller(request, ctx, CUSTOMER_READ)
        found = await ctx.core.address_admin.list(call.principal, call.tenant, customerNumber)
        return answer(shapes.addresses(found))

    @api.post(BASE, summary="Adding a customer address")
    async def add_address(request: Request, customerNumber: str) -> Response:
        call = await _caller(request, ctx, CUSTOMER_MANAGE)
        body = checked(await read_json(request, ctx), schemas.NewAddressBody)
        added = await ctx.core.address_admin.add(
            call.principal, call.tenant, customerNumber, schemas.draft(body, body.id)
        )
        return answer({"id": shapes.address_id(added)}, 201)

    @api.get(ONE, summary="Retrieving a customer address")
    async def get_address(request: Request, customerNumber: str, addressId: str) -> Response:
        call = await _caller(request, ctx, CUSTOMER_READ)
        found, every = await ctx.core.address_admin.get(
            call.principal, call.tenant, customerNumber, addressId
        )
        return answer(shapes.address_among(found, every))

    @api.put(ONE, summary="Upserting a customer address")
    async def put_address(request: Request, customerNumber: str, addressId: str) -> Response:
        """201 with the id when created (then `contactName` is required), 204 updated."""
        call = await _caller(request, ctx, CUSTOMER_MANAGE)
        body = await update_body(request, ctx)
        if not ID_PATTERN.fullmatch(addressId):  # no address has such an id: it would be new
            raise EmporixError(ID_INVALID)
        creatable = bool(body.contactName and body.contactName.strip())
        try:
            address, created = await ctx.core.address_admin.upsert(
                call.principal,
                call.tenant,
                customerNumber,
                addressId,
                draft=schemas.draft(body) if creatable else None,
                edit=schemas.replacing(body),
                expected_version=body_version(body),
            )
        except AddressNotFound:
            raise EmporixError(CONTACT_NAME_REQUIRED) from None
        return answer({"id": shapes.address_id(address)}, 201) if created else empty(204)

    @api.patch(ONE, summary="Partially updating a customer address")
    async def patch_address(request: Request, customerNumber: str, addressId: str) -> Response:
        call = await _caller(request, ctx, CUSTOMER_MANAGE)
        body = await update_body(request, ctx)
        await ctx.core.address_admin.edit(
            call.principal,
            call.tenant,
            customerNumber,
            addressId,
            schemas.patching(body),
            expected_version=body_version(body),
        )
        return empty(200)

    @api.delete(ONE, summary="Deleting a customer address", status_code=204)
    async def delete_address(request: Request, customerNumber: str, addressId: str) -> Response:
        call = await _caller(request, ctx, CUSTOMER_MANAGE)
        await ctx.core.address_admin.delete(call.principal, call.tenant, customerNumber, addressId)
        return empty(204)

    @api.post(ONE + "/tags", summary="Adding tags to a customer address", status_code=204)
    async def add_tags(request: Request, customerNumber: str, addressId: str) -> Response:
        return await _retag(request, ctx, customerNumber, addressId, schemas.tagging)

    @api.delete(ONE + "/tags", summary="Deleting tags from a customer address", status_code=204)
    async def remove_tags(request: Request, customerNumber: str, addressId: str) -> Response:
        return await _retag(request, ctx, customerNumber, addressId, schemas.untagging)


async def _retag(
    request: Request,
    ctx: EmporixContext,
    customer_number: str,
    address_id: str,
    edit: Callable[[Iterable[str]], Edit],
) -> Response:
    """`POST` and `DELETE .../tags`: the caller first, then the `tags` query, then `edit`."""
    call = await _caller(request, ctx, CUSTOMER_MANAGE)
    tags = requested_tags(request)
    await ctx.core.address_admin.edit(
        call.principal, call.tenant, customer_number, address_id, edit(tags)
    )
    return empty(204)


async def _caller(request: Request, ctx: EmporixContext, scope: str) -> Caller:
    """The checked caller, its `_own` grants set aside (the operation lists none)."""
    call = await caller(request, ctx, scope)
    kept = frozenset(
        text
        for text in call.principal.scopes
        if (grant := Grant.parse(text)) is None or not grant.own
    )
    return Caller(call.tenant, replace(call.principal, scopes=kept))


def requested_tags(request: Request) -> tuple[str, ...]:
    """`tags=A,B` (and repeated `tags=`), each tag once; at least one is required."""
    values = request.query_params.getlist("tags")
    if sum(len(value) for value in values) > MAX_TAGS_TEXT:
        raise EmporixError(validation_failure("The tags parameter is too long."))
    tags = schemas.unique(
        tag.strip() for value in values for tag in value.split(",") if tag.strip()
    )
    if not tags:
        raise EmporixError(TAGS_MISSING)
    return tags


async def update_body(request: Request, ctx: EmporixContext) -> schemas.AddressBody:
    """PUT and PATCH bodies are optional: none is an empty document."""
    document = await read_json(request, ctx)
    return checked({} if document is None else document, schemas.AddressBody)


def body_version(body: schemas.AddressBody) -> int | None:
    return body.metadata.version if body.metadata is not None else None
