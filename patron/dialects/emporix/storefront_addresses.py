"""`/customer/{tenant}/me/addresses`: the customer's own addresses and their tags
(reference 4.1, 3).

The same requests and translation as the tenant-managed address routes
(`address_schemas`, `addresses`), on the bearer's own customer (the core's
`AddressAdministration.*_own`). A customer token only: an anonymous one has no addresses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.back_office.addresses import Edit
from patron.core.domain.model import AccessClaims
from patron.dialects.emporix import address_schemas as schemas
from patron.dialects.emporix import shapes
from patron.dialects.emporix.addresses import body_version, requested_tags, update_body
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.http import answer, checked, empty, read_json
from patron.dialects.emporix.storefront_auth import customer
from patron.dialects.emporix.storefront_me import ME

BASE = ME + "/addresses"
ONE = BASE + "/{addressId}"


async def _own(request: Request, ctx: EmporixContext) -> AccessClaims:
    """The customer's claims; the customer number names it in error messages."""
    _, claims = await customer(request, ctx)
    request.state.customer_number = claims.customer_number
    return claims


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.get(BASE, summary="Retrieving the customer's addresses")
    async def list_addresses(request: Request) -> Response:
        claims = await _own(request, ctx)
        found = await ctx.core.address_admin.list_own(claims)
        return answer(shapes.addresses(found))

    @api.post(BASE, summary="Adding an address to the customer's own profile")
    async def add_address(request: Request) -> Response:
        """Ids are the service's here (`AddressCreateDto` has none): a sent `id` is
        ignored."""
        claims = await _own(request, ctx)
        body = checked(await read_json(request, ctx), schemas.NewAddressBody)
        added = await ctx.core.address_admin.add_own(claims, schemas.draft(body))
        return answer({"id": shapes.address_id(added)}, 201)

    @api.get(ONE, summary="Retrieving one of the customer's addresses")
    async def get_address(request: Request, addressId: str) -> Response:
        claims = await _own(request, ctx)
        found, every = await ctx.core.address_admin.get_own(claims, addressId)
        return answer(shapes.address_among(found, every))

    @api.patch(ONE, summary="Updating one of the customer's addresses")
    async def patch_address(request: Request, addressId: str) -> Response:
        claims = await _own(request, ctx)
        body = await update_body(request, ctx)
        await ctx.core.address_admin.edit_own(
            claims, addressId, schemas.patching(body), expected_version=body_version(body)
        )
        return empty(200)

    @api.delete(ONE, summary="Deleting one of the customer's addresses", status_code=204)
    async def delete_address(request: Request, addressId: str) -> Response:
        claims = await _own(request, ctx)
        await ctx.core.address_admin.delete_own(claims, addressId)
        return empty(204)

    @api.post(ONE + "/tags", summary="Adding tags to the customer's address", status_code=204)
    async def add_tags(request: Request, addressId: str) -> Response:
        return await _retag(request, ctx, addressId, schemas.tagging)

    @api.delete(ONE + "/tags", summary="Removing tags from the customer's address", status_code=204)
    async def remove_tags(request: Request, addressId: str) -> Response:
        return await _retag(request, ctx, addressId, schemas.untagging)


async def _retag(
    request: Request, ctx: EmporixContext, address_id: str, edit: Callable[[Iterable[str]], Edit]
) -> Response:
    """`POST` and `DELETE .../tags`: the bearer first, then the `tags` query, then `edit`."""
    claims = await _own(request, ctx)
    tags = requested_tags(request)
    await ctx.core.address_admin.edit_own(claims, address_id, edit(tags))
    return empty(204)
