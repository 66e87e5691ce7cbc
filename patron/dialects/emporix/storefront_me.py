"""`/customer/{tenant}/me`: the storefront's own profile (reference 4.1, 4.3), and its
deletion as the reference's history describes it (4.1, removed endpoints).

The profile is the tenant-managed customer (`shapes.customer`, `customer_fields`), shown
to its owner without what only the back office sees; an anonymous token reads Emporix'
anonymous customer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.identity.access import CustomerRef
from patron.dialects.emporix import listing, shapes
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.customer_fields import change_of
from patron.dialects.emporix.customers import UPDATE_TYPES
from patron.dialects.emporix.http import JSON, MERGE_PATCH, answer, checked, empty, read_json
from patron.dialects.emporix.schemas import CustomerUpdate, request_body
from patron.dialects.emporix.storefront_auth import BASE, customer, presented

ME = BASE + "/me"
ANONYMOUS_CUSTOMER: dict[str, Any] = {
    "firstName": "Anonymous",
    "lastName": "Anonymous",
    "preferredSite": "default",
    "customerNumber": "00000000",
    "id": "00000000",
    "accounts": [],
}
"""Reference 4.3, verbatim: what `/me` says to an anonymous token."""
BACK_OFFICE_ONLY = ("active", "onHold", "restriction")
"""Access control, not profile: the customer-managed `Customer` has none of them."""


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.get(ME, summary="Retrieve the customer's own profile")
    async def get_me(request: Request, expand: str | None = None) -> Response:
        who = await presented(request, ctx)
        shown = replace(listing.expand(expand), accounts=True)
        if who.claims is None:
            return answer(ANONYMOUS_CUSTOMER)
        customer = await ctx.core.accounts.get_own(who.claims, CustomerRef.me())
        (view,) = await ctx.core.managed_customers.views([customer], addresses=shown.addresses)
        body = shapes.customer(view, shown)
        return answer({k: v for k, v in body.items() if k not in BACK_OFFICE_ONLY})

    @api.patch(
        ME,
        summary="Update the customer's own profile",
        openapi_extra=request_body(CustomerUpdate, JSON, MERGE_PATCH),
    )
    async def patch_me(request: Request) -> Response:
        """A partial update (JSON or merge patch alike); `metadata.version`, when sent,
        must be the stored one (409). `active`, `onHold` and `restriction` are the back
        office's: the core leaves them as they are."""
        who, claims = await customer(request, ctx)
        body = checked(await read_json(request, ctx, accepted=UPDATE_TYPES), CustomerUpdate)
        change = change_of(body, full=False)
        await ctx.core.managed_customers.update_own(who.tenant, claims, change)
        return empty(200)

    @api.delete(ME, summary="Delete the customer's own account (two steps)")
    async def delete_me(request: Request, token: str | None = None) -> Response:
        """Without `token`: a deletion key is mailed to the account (202). With the
        mailed key: the account is anonymized as every dialect does it (204)."""
        who, claims = await customer(request, ctx)
        if token is None:
            await ctx.core.account_deletions.request(who.tenant, claims)
            return empty(202)
        await ctx.core.account_deletions.confirm(claims, token)
        return empty(204)
