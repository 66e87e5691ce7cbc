"""`/jsonapi/customer?related=relationships`: the customer's list items (favourites, the
watch list, ...) and its group memberships, which it may see but not write (reference 6).

Nothing shows without `include=<domain>`: Aimeos loads and filters by those domains.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from patron.core.domain.command_fields import list_item_change, list_item_draft
from patron.core.domain.commands import ListItemDraft
from patron.core.domain.errors.not_found import ListItemNotFound
from patron.core.domain.model import ListItem
from patron.core.identity.access import CustomerRef
from patron.dialects.aimeos.errors import invalid
from patron.dialects.aimeos.http import Call
from patron.dialects.aimeos.resources import (
    Resource,
    document,
    fieldset,
    ids_to_delete,
    includes,
    many_entries,
    nothing,
    one_entry,
    related_id,
    sparse,
)
from patron.dialects.aimeos.schemas import LISTS, read_attributes
from patron.dialects.aimeos.shapes import ITEM_ALLOW, link_parameters, link_to, url

TYPE = "customer.lists"
ME = CustomerRef.me()


def shown_time(value: datetime | None) -> str | None:
    """Aimeos' `YYYY-MM-DD HH:mm:ss`, in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else None


def attributes(call: Call, found: ListItem) -> dict[str, Any]:
    """`Common\\Item\\Lists\\Standard::toArray(false)`; an empty config is PHP's `[]`."""
    shown: dict[str, Any] = {
        "customer.lists.id": str(found.id),
        "customer.lists.domain": found.domain,
        "customer.lists.refid": found.ref_id,
        "customer.lists.datestart": shown_time(found.starts_at),
        "customer.lists.dateend": shown_time(found.ends_at),
        "customer.lists.config": found.config or [],
        "customer.lists.position": found.position,
        "customer.lists.status": found.status,
        "customer.lists.type": found.type,
    }
    return sparse(shown, fieldset(call, TYPE))


def item(call: Call, customer_id: int, found: ListItem) -> dict[str, Any]:
    own: dict[str, Any] = {
        "id": str(customer_id),
        "related": "relationships",
        "relatedid": str(found.id),
    }
    if (include := call.parameter("include")) is not None:
        own["include"] = include
    return {
        "id": str(found.id),
        "type": TYPE,
        "links": {"self": link_to(url(call.ctx.config.base_url, "customer", own), ITEM_ALLOW)},
        "attributes": attributes(call, found),
    }


def _related(call: Call) -> str:
    """`links.related`: this URL without `relatedid`."""
    return url(
        call.ctx.config.base_url, "customer", link_parameters(call.query, drop=["relatedid"])
    )


def _listing(call: Call, found: list[ListItem], customer_id: int, status: int = 200) -> Response:
    items = [item(call, customer_id, i) for i in found]
    return document(call, len(items), items, status=status, related=_related(call))


def _with_utc(fields: dict[str, Any]) -> dict[str, Any]:
    """Dates are sent without a zone; Patron reads them as UTC."""
    for name in ("starts_at", "ends_at"):
        if isinstance(value := fields.get(name), datetime):
            fields[name] = value.replace(tzinfo=UTC)
    return fields


def _draft(entry: dict[str, Any]) -> ListItemDraft:
    fields = _with_utc(read_attributes(LISTS, entry))
    for name, key in (("domain", "customer.lists.domain"), ("ref_id", "customer.lists.refid")):
        if name not in fields:
            raise invalid(f'Value of "{key}" is missing')
    return list_item_draft(fields)


async def get(call: Call) -> Response:
    domains = includes(call)
    if call.claims is None or not domains:
        return nothing(call, related=_related(call))
    own = await call.ctx.core.lists.list_own(call.claims, ME, domains)
    wanted = related_id(call)
    if wanted is None:
        return _listing(call, own.items, call.claims.customer_id)
    hit = next((i for i in own.items if i.id == wanted), None)
    if hit is None:
        return document(call, 0, related=_related(call))
    return document(call, 1, item(call, call.claims.customer_id, hit), related=_related(call))


async def post(call: Call) -> Response:
    claims = call.customer()
    drafts = [_draft(entry) for entry in await many_entries(call)]
    core = call.ctx.core.lists
    await core.add_own(claims, ME, drafts)
    own = await core.list_own(claims, ME, includes(call) or None)
    return _listing(call, own.items, claims.customer_id, 201)


async def patch(call: Call) -> Response:
    claims = call.customer()
    change = list_item_change(_with_utc(read_attributes(LISTS, await one_entry(call))))
    wanted = related_id(call)
    try:
        if wanted is None:
            raise ListItemNotFound()
        updated = await call.ctx.core.lists.update_own(claims, ME, wanted, change)
    except ListItemNotFound:
        return document(call, 0, status=404, related=_related(call))
    return document(call, 1, item(call, claims.customer_id, updated), related=_related(call))


async def delete(call: Call) -> Response:
    if call.claims is not None and (wanted := await ids_to_delete(call)):
        await call.ctx.core.lists.delete_own(call.claims, ME, wanted)
    return document(call, 0, related=_related(call))


RESOURCE = Resource(LISTS, get=get, post=post, patch=patch, delete=delete)
