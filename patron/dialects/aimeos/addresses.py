"""`/jsonapi/customer?related=address`: the customer's addresses (reference 4).

Every address of the customer is listed, its default billing address included: that one is
also what `customer.address1`, `customer.city`, ... show, so Glue, Medusa and Aimeos see
the same addresses (decision: the customer's own address fields are its billing address).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.responses import Response

from patron.core.domain.command_fields import address_change, address_draft
from patron.core.domain.model import AccessClaims, Address
from patron.core.identity.access import CustomerRef
from patron.dialects.aimeos.http import Call
from patron.dialects.aimeos.resources import (
    Resource,
    document,
    fieldset,
    ids_to_delete,
    many_entries,
    nothing,
    one_entry,
    related_id,
    sparse,
)
from patron.dialects.aimeos.schemas import ADDRESS, read_attributes
from patron.dialects.aimeos.shapes import ITEM_ALLOW, link_to, url
from patron.dialects.aimeos.values import shown_salutation
from patron.dialects.aimeos.values import shown_text as text

TYPE = "customer.address"
ME = CustomerRef.me()


def attributes(address: Address, position: int) -> dict[str, Any]:
    """`Common\\Item\\Address\\Base::toArray(false)`, in its order."""
    p = "customer.address."
    return {
        f"{p}id": str(address.id),
        f"{p}type": "delivery",
        f"{p}salutation": shown_salutation(address.salutation),
        f"{p}company": text(address.company),
        f"{p}vatid": text(address.vat_id),
        f"{p}title": text(address.title),
        f"{p}firstname": text(address.first_name),
        f"{p}lastname": text(address.last_name),
        f"{p}address1": text(address.address1),
        f"{p}address2": text(address.address2),
        f"{p}address3": text(address.address3),
        f"{p}postal": text(address.zip_code),
        f"{p}city": text(address.city),
        f"{p}state": text(address.region),
        f"{p}countryid": address.country_code,
        f"{p}languageid": address.language,
        f"{p}telephone": text(address.phone),
        f"{p}telefax": text(address.fax),
        f"{p}mobile": text(address.mobile),
        f"{p}email": text(address.email),
        f"{p}website": text(address.website),
        f"{p}longitude": address.longitude,
        f"{p}latitude": address.latitude,
        f"{p}birthday": address.birth_date.isoformat() if address.birth_date else None,
        f"{p}position": position,
    }


def item(call: Call, customer_id: int, address: Address, position: int, basket: str) -> Any:
    """An address as Aimeos lists it, with its own link and the basket's (`basket` is the
    relatedid: `delivery` in this resource, `payment` in the customer's `included`)."""
    base = call.ctx.config.base_url
    own = {"id": str(customer_id), "related": "address", "relatedid": str(address.id)}
    to_basket = {"id": "default", "related": "address", "relatedid": basket}
    return {
        "id": str(address.id),
        "type": TYPE,
        "links": {
            "self": link_to(url(base, "customer", own), ITEM_ALLOW),
            "basket.address": link_to(url(base, "basket", to_basket), ["POST"]),
        },
        "attributes": sparse(attributes(address, position), fieldset(call, TYPE)),
    }


def listing(call: Call, claims: AccessClaims, found: list[Address], status: int = 200) -> Response:
    items = [item(call, claims.customer_id, a, i, "delivery") for i, a in enumerate(found)]
    return document(call, len(items), items, status=status)


def _find(found: list[Address], address_id: int | None) -> tuple[int, Address] | None:
    for position, address in enumerate(found):
        if address.id == address_id:
            return position, address
    return None


async def get(call: Call) -> Response:
    if call.claims is None:
        return nothing(call)
    found = await call.ctx.core.addresses.list_own(call.claims, ME)
    wanted = related_id(call)
    if wanted is None:
        return listing(call, call.claims, found)
    hit = _find(found, wanted)
    if hit is None:
        return document(call, 0)
    return document(call, 1, item(call, call.claims.customer_id, hit[1], hit[0], "delivery"))


async def post(call: Call) -> Response:
    claims = call.customer()
    drafts = [address_draft(read_attributes(ADDRESS, entry)) for entry in await many_entries(call)]
    found = await call.ctx.core.addresses.add_many_own(claims, ME, drafts)
    return listing(call, claims, found, 201)


async def patch(call: Call) -> Response:
    claims = call.customer()
    fields = read_attributes(ADDRESS, await one_entry(call))
    core = call.ctx.core.addresses
    hit = _find(await core.list_own(claims, ME), related_id(call))
    if hit is None:
        return document(call, 0, status=404)
    position, address = hit
    updated = await core.update_own(claims, ME, address.uuid, address_change(fields))
    return document(call, 1, item(call, claims.customer_id, updated, position, "delivery"))


async def delete(call: Call) -> Response:
    if call.claims is None:
        return document(call, 0)
    wanted = await ids_to_delete(call)
    if wanted:
        core = call.ctx.core.addresses
        owned = await core.list_own(call.claims, ME)
        uuids: list[UUID] = [a.uuid for a in owned if a.id in wanted]
        if uuids:
            await core.delete_many_own(call.claims, ME, uuids)
    return document(call, 0)


RESOURCE = Resource(ADDRESS, get=get, post=post, patch=patch, delete=delete)
