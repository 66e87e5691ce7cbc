"""`/jsonapi/customer?related=property`: the customer's properties (reference 5)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from patron.core.domain.command_fields import property_change, property_draft
from patron.core.domain.commands import PropertyDraft
from patron.core.domain.errors.not_found import PropertyNotFound
from patron.core.domain.model import CustomerProperty
from patron.core.identity.access import CustomerRef
from patron.dialects.aimeos.errors import invalid
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
from patron.dialects.aimeos.schemas import PROPERTY, read_attributes
from patron.dialects.aimeos.shapes import ITEM_ALLOW, link_to, url

TYPE = "customer.property"
ME = CustomerRef.me()


def item(call: Call, customer_id: int, found: CustomerProperty) -> dict[str, Any]:
    own = {"id": str(customer_id), "related": "property", "relatedid": str(found.id)}
    attributes = {
        "customer.property.id": str(found.id),
        "customer.property.languageid": found.language,
        "customer.property.value": found.value,
        "customer.property.type": found.type,
    }
    return {
        "id": str(found.id),
        "type": TYPE,
        "links": {"self": link_to(url(call.ctx.config.base_url, "customer", own), ITEM_ALLOW)},
        "attributes": sparse(attributes, fieldset(call, TYPE)),
    }


def _draft(entry: dict[str, Any]) -> PropertyDraft:
    fields = read_attributes(PROPERTY, entry)
    if "type" not in fields:
        raise invalid('Value of "customer.property.type" is missing')
    return property_draft(fields)


async def get(call: Call) -> Response:
    if call.claims is None:
        return nothing(call)
    customer_id = call.claims.customer_id
    found = await call.ctx.core.properties.list_own(call.claims, ME)
    wanted = related_id(call)
    if wanted is None:
        return document(call, len(found), [item(call, customer_id, p) for p in found])
    hit = next((p for p in found if p.id == wanted), None)
    # Aimeos' total here is 1 whenever the customer has any property (reference 5).
    total = 1 if found else 0
    return document(call, total, item(call, customer_id, hit) if hit else None)


async def post(call: Call) -> Response:
    claims = call.customer()
    drafts = [_draft(entry) for entry in await many_entries(call)]
    found = await call.ctx.core.properties.add_own(claims, ME, drafts)
    items = [item(call, claims.customer_id, p) for p in found]
    return document(call, len(items), items, status=201)


async def patch(call: Call) -> Response:
    claims = call.customer()
    change = property_change(read_attributes(PROPERTY, await one_entry(call)))
    wanted = related_id(call)
    try:
        if wanted is None:
            raise PropertyNotFound()
        updated = await call.ctx.core.properties.update_own(claims, ME, wanted, change)
    except PropertyNotFound:
        return document(call, 0, status=404)
    return document(call, 1, item(call, claims.customer_id, updated))


async def delete(call: Call) -> Response:
    if call.claims is not None and (wanted := await ids_to_delete(call)):
        await call.ctx.core.properties.delete_own(call.claims, ME, wanted)
    return document(call, 0)


RESOURCE = Resource(PROPERTY, get=get, post=post, patch=patch, delete=delete)
