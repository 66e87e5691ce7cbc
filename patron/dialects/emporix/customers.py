"""`/customer/{tenant}/customers`: the tenant-managed customer profiles (reference 2).

Handlers check the caller (token, tenant, scopes), read the body with `schemas`, and turn
it into the core's commands (`customer_fields` says how Emporix' fields map); the core's
`ManagedCustomers` does the rest, reach and version checks included.
"""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.back_office.customers_by_number import NewManagedCustomer
from patron.core.domain.queries import CustomerQuery
from patron.dialects.emporix import listing, q, shapes
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.customer_fields import change_of, registration_of
from patron.dialects.emporix.errors import EmporixError, validation_failure
from patron.dialects.emporix.http import (
    JSON,
    MERGE_PATCH,
    Caller,
    answer,
    caller,
    checked,
    empty,
    media_type,
    read_json,
)
from patron.dialects.emporix.schemas import (
    CUSTOM_ID,
    CustomerCreate,
    CustomerSearch,
    CustomerUpdate,
    parameters,
    request_body,
)
from patron.dialects.emporix.scopes import (
    CUSTOMER_MANAGE,
    CUSTOMER_MANAGE_OWN,
    CUSTOMER_READ,
    CUSTOMER_READ_OWN,
)

BASE = "/customer/{tenant}/customers"
ONE = BASE + "/{customerNumber}"
READ = (CUSTOMER_READ, CUSTOMER_READ_OWN)
MANAGE = (CUSTOMER_MANAGE, CUSTOMER_MANAGE_OWN)
UPDATE_TYPES = (JSON, MERGE_PATCH)
LIST_PARAMETERS = ("sort", "pageNumber", "pageSize", "expand")
_NUMBER = re.compile(CUSTOM_ID)


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.get(
        BASE,
        summary="Retrieve a list of customers",
        openapi_extra=parameters(("tenant",), ("q", *LIST_PARAMETERS)),
    )
    async def list_customers(request: Request) -> Response:
        call = await caller(request, ctx, *READ)
        return await _listed(request, ctx, call, request.query_params.get("q") or "")

    @api.post(
        BASE + "/search",
        summary="Search for customers",
        openapi_extra=request_body(CustomerSearch, JSON) | parameters(("tenant",), LIST_PARAMETERS),
    )
    async def search_customers(request: Request) -> Response:
        call = await caller(request, ctx, *READ)
        body = checked(await read_json(request, ctx), CustomerSearch)
        return await _listed(request, ctx, call, body.q)

    @api.post(
        BASE,
        summary="Create a customer",
        status_code=201,
        openapi_extra=request_body(CustomerCreate, JSON),
    )
    async def create_customer(
        request: Request, sendPasswordResetNotifications: str | None = None
    ) -> Response:
        call = await caller(request, ctx, *MANAGE)
        body = checked(await read_json(request, ctx), CustomerCreate)
        request.state.email = body.contactEmail
        new = NewManagedCustomer(
            registration=registration_of(body, email=body.contactEmail, password=body.password),
            number=body.id,
            send_reset=_flag(sendPasswordResetNotifications),
        )
        created = await ctx.core.managed_customers.create(call.principal, call.tenant, new)
        return answer({"id": created.customer_number}, 201)

    @api.get(
        ONE,
        summary="Retrieve a customer",
        openapi_extra=parameters(("tenant", "customerNumber"), ("expand",)),
    )
    async def get_customer(request: Request) -> Response:
        call = await caller(request, ctx, *READ)
        shown = listing.expand(request.query_params.get("expand"))
        number: str = request.path_params["customerNumber"]
        found = await ctx.core.managed_customers.get(
            call.principal, call.tenant, number, addresses=shown.addresses
        )
        return answer(shapes.customer(found, shown))

    @api.put(
        ONE,
        summary="Upsert a customer",
        openapi_extra=request_body(CustomerUpdate, JSON, MERGE_PATCH),
    )
    async def upsert_customer(
        request: Request, customerNumber: str, sendPasswordResetNotifications: str | None = None
    ) -> Response:
        call = await caller(request, ctx, *MANAGE)
        merge = media_type(request, *UPDATE_TYPES) == MERGE_PATCH
        body = checked(await read_json(request, ctx, accepted=UPDATE_TYPES), CustomerUpdate)
        if not _NUMBER.fullmatch(customerNumber):
            raise EmporixError(validation_failure("customerNumber is not a valid id."))
        request.state.email = body.contactEmail or ""
        change = change_of(body, full=not merge)
        new = None
        if body.contactEmail:  # a creation needs one (without, the core refuses to create)
            new = NewManagedCustomer(
                registration=registration_of(body, email=body.contactEmail),
                number=customerNumber,
                send_reset=_flag(sendPasswordResetNotifications),
            )
        done = await ctx.core.managed_customers.upsert(
            call.principal, call.tenant, customerNumber, change, new
        )
        if done.created:
            return answer({"id": done.customer.customer_number}, 201)
        return empty(204)

    @api.patch(
        ONE,
        summary="Update a customer partially",
        openapi_extra=request_body(CustomerUpdate, JSON, MERGE_PATCH),
    )
    async def patch_customer(request: Request, customerNumber: str) -> Response:
        call = await caller(request, ctx, *MANAGE)
        body = checked(await read_json(request, ctx, accepted=UPDATE_TYPES), CustomerUpdate)
        request.state.email = body.contactEmail or ""
        await ctx.core.managed_customers.update(
            call.principal, call.tenant, customerNumber, change_of(body, full=False)
        )
        return empty(200)

    @api.delete(ONE, summary="Delete a customer", status_code=202)
    async def delete_customer(request: Request, customerNumber: str) -> Response:
        call = await caller(request, ctx, *MANAGE)
        await ctx.core.managed_customers.delete(call.principal, call.tenant, customerNumber)
        return empty(202)


async def _listed(request: Request, ctx: EmporixContext, call: Caller, text: str) -> Response:
    """One page of a list or search, the limits checked before the query runs."""
    params = request.query_params
    shown = listing.expand(params.get("expand"))
    query = CustomerQuery(
        conditions=q.parse(text),
        sort=listing.sort(params.get("sort")),
        page=listing.page(params.get("pageNumber"), params.get("pageSize")),
    )
    found, total = await ctx.core.managed_customers.search(
        call.principal, call.tenant, query, addresses=shown.addresses
    )
    asked = request.headers.get("x-total-count", "").strip().lower() == "true"
    headers = listing.count_headers(total, asked=asked)
    return answer([shapes.customer(view, shown) for view in found], 200, headers)


def _flag(text: str | None) -> bool:
    """`sendPasswordResetNotifications`: true unless it says false."""
    if text is None or text.lower() == "true":
        return True
    if text.lower() == "false":
        return False
    raise EmporixError(
        validation_failure(
            "Parameter sendPasswordResetNotifications is not valid.",
            {
                "field": "sendPasswordResetNotifications",
                "type": "invalid_value",
                "message": "Must be true or false.",
            },
        )
    )
