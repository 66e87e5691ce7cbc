"""`/admin/customers`: the back office's list, read, create and edit of customers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.command_fields import profile_change
from patron.core.domain.commands import CustomerAdminChange
from patron.core.domain.errors.not_found import CustomerNotFound, GroupNotFound
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import Principal
from patron.core.domain.tenants import Tenant
from patron.dialects.medusa import ids, shapes
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.errors import (
    MedusaError,
    MedusaErrorBody,
    customer_not_found,
    not_found,
    shown_id,
)
from patron.dialects.medusa.http import (
    admin_caller,
    answer,
    metadata_patch,
    profile_fields,
    registration,
    valid_body,
)
from patron.dialects.medusa.listing import CustomerList, customer_list, expand_only
from patron.dialects.medusa.openapi import CUSTOMER_LIST, EXPAND, FIELDS, operation, path
from patron.dialects.medusa.schemas import (
    AdminCustomerCreate,
    AdminCustomerUpdate,
    CustomerBody,
)
from patron.dialects.medusa.schemas import (
    CustomerList as CustomerListBody,
)
from patron.http.apps import serve_first

CUSTOMER_ID = path("id", "cus_<ULID>")


def customer_uuid(raw: str) -> UUID:
    found = ids.parse(ids.CUSTOMER, raw)
    if found is None:
        raise MedusaError(customer_not_found(raw))
    return found


async def rendered(
    ctx: MedusaContext,
    principal: Principal,
    tenant: Tenant,
    customers: Sequence[Customer],
    relations: Sequence[str],
) -> list[dict[str, Any]]:
    """Customers with the relations asked for, each relation read for all at once. The
    addresses are read whatever is asked: `billing_address_id` is one of them."""
    if not customers:
        return []
    addresses = await ctx.core.addresses.of_customers(customers)
    groups: dict[int, list[CustomerGroup]] = {}
    if shapes.GROUPS in relations:
        groups = await ctx.core.groups.groups_of(principal, tenant, customers)
    return [
        shapes.customer(
            item,
            relations=relations,
            addresses=addresses.get(item.id, ()),
            groups=groups.get(item.id, ()),
        )
        for item in customers
    ]


async def customer_page(
    ctx: MedusaContext, principal: Principal, tenant: Tenant, listing: CustomerList
) -> Response:
    """`{customers, count, offset, limit}`; `limit` is what was served (at most 1000)."""
    window = listing.page
    if listing.query is None:
        return answer(shapes.page("customers", [], 0, window.offset, window.limit))
    found, count = await ctx.core.customer_admin.search(principal, tenant, listing.query)
    relations = shapes.expanded(listing.expand, shapes.CUSTOMER_RELATIONS, ())
    items = await rendered(ctx, principal, tenant, found, relations)
    return answer(shapes.page("customers", items, count, window.offset, window.limit))


@contextmanager
def found_or_404(raw: str) -> Iterator[None]:
    """Medusa's 404 for the customer `raw` names, where the core finds none."""
    try:
        yield
    except CustomerNotFound:
        raise MedusaError(customer_not_found(raw)) from None


async def one_customer(
    ctx: MedusaContext,
    principal: Principal,
    tenant: Tenant,
    record: Customer,
    expand: str | None,
) -> Response:
    """`{customer}` with the relations `expand` asks for (the admin defaults without)."""
    relations = shapes.expanded(expand, shapes.CUSTOMER_RELATIONS, shapes.ADMIN_DEFAULT)
    (item,) = await rendered(ctx, principal, tenant, [record], relations)
    return answer({"customer": item})


def add_routes(api: FastAPI, ctx: MedusaContext) -> None:
    """Routes go straight on the app: an included router costs a second match per request."""

    @api.get(
        "/admin/customers/{id}",
        response_model=CustomerBody,
        summary="A customer (orders and shipping_addresses unless `expand` names others)",
        openapi_extra=operation(auth="admin", parameters=[CUSTOMER_ID, EXPAND, FIELDS]),
    )
    async def get_customer(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        query = request.scope["query_string"]
        expand = expand_only(query) if query else None
        raw = request.path_params["id"]
        with found_or_404(raw):
            record = await ctx.core.customer_admin.get(principal, tenant, customer_uuid(raw))
        return await one_customer(ctx, principal, tenant, record, expand)

    @api.get(
        "/admin/customers",
        response_model=CustomerListBody,
        summary="List customers",
        openapi_extra=operation(auth="admin", parameters=CUSTOMER_LIST),
    )
    async def list_customers(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        listing = customer_list(request.scope["query_string"])
        return await customer_page(ctx, principal, tenant, listing)

    serve_first(api, "/admin/customers/{id}", get_customer)  # the two hot reads
    serve_first(api, "/admin/customers", list_customers)

    @api.post(
        "/admin/customers",
        status_code=201,
        response_model=CustomerBody,
        summary="Create a customer with an account (the password is required)",
        openapi_extra=operation(auth="admin", body=AdminCustomerCreate),
    )
    async def create_customer(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        body = await valid_body(request, ctx.config, AdminCustomerCreate)
        record = await ctx.core.customer_admin.create(principal, tenant, registration(body))
        return answer({"customer": shapes.customer(record)}, 201)

    @api.post(
        "/admin/customers/{id}",
        response_model=CustomerBody,
        summary="Edit a customer (groups replace the customer's; metadata is merged)",
        openapi_extra=operation(
            auth="admin", body=AdminCustomerUpdate, parameters=[CUSTOMER_ID, EXPAND, FIELDS]
        ),
    )
    async def update_customer(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        expand = expand_only(request.scope["query_string"])
        raw = request.path_params["id"]
        target = customer_uuid(raw)
        body = await valid_body(request, ctx.config, AdminCustomerUpdate)
        change, named_groups = admin_change(body)
        try:
            with found_or_404(raw):
                record = await ctx.core.customer_admin.update(principal, tenant, target, change)
        except GroupNotFound as error:
            shown = named_groups.get(error.group) or shown_id(ids.GROUP, error.group)
            raise MedusaError(group_missing(shown)) from None
        return await one_customer(ctx, principal, tenant, record, expand)


def group_missing(group_id: str) -> MedusaErrorBody:
    """The foreign-key failure Medusa reports for an unknown group of a customer."""
    return not_found(f"Customer_group with customer_group_id {group_id} does not exist.")


def admin_change(body: dict[str, Any]) -> tuple[CustomerAdminChange, dict[str, str]]:
    """The edit a body asks for, and the group ids as sent, by the uuid they name (the
    core reports an unknown group by its uuid; Medusa by the id it was sent)."""
    profile = profile_fields(body)
    named: dict[str, str] = {}
    group_uuids = None
    if body.get("groups") is not None:
        uuids = []
        for reference in body["groups"]:
            found = ids.parse(ids.GROUP, reference["id"])
            if found is None:
                raise MedusaError(group_missing(reference["id"]))
            named[str(found)] = reference["id"]
            uuids.append(found)
        group_uuids = tuple(uuids)
    metadata = body.get("metadata")
    change = CustomerAdminChange(
        profile=profile_change(profile),
        password=body.get("password"),
        metadata=metadata_patch(metadata) if metadata is not None else None,
        group_uuids=group_uuids,
    )
    return change, named
