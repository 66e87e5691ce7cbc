"""`/admin/customer-groups`: groups, their members, and batches of members."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.commands import UNSET, GroupChange
from patron.core.domain.errors.not_found import CustomersNotFound, GroupNotFound
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import Principal
from patron.core.domain.queries import MAX_PAGE_SIZE, CustomerQuery, Page
from patron.core.domain.tenants import Tenant
from patron.dialects.medusa import ids, shapes
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.customers import customer_page
from patron.dialects.medusa.errors import (
    MedusaError,
    group_not_found,
    invalid_data,
    medusa_error,
)
from patron.dialects.medusa.http import admin_caller, answer, metadata_patch, valid_body
from patron.dialects.medusa.listing import customer_list, expand_only, group_list
from patron.dialects.medusa.openapi import (
    CUSTOMER_LIST,
    EXPAND,
    FIELDS,
    GROUP_LIST,
    operation,
    path,
)
from patron.dialects.medusa.schemas import (
    CustomerList,
    GroupBatch,
    GroupBody,
    GroupCreate,
    GroupDeleted,
    GroupList,
    GroupUpdate,
)

GROUP_ID = path("id", "cgrp_<ULID>")


def group_uuid(raw: str) -> UUID:
    found = ids.parse(ids.GROUP, raw)
    if found is None:
        raise MedusaError(group_not_found(raw))
    return found


async def members(
    ctx: MedusaContext, principal: Principal, tenant: Tenant, group: CustomerGroup
) -> list[Customer]:
    """`expand=customers`: the group's customers (the first thousand, newest first)."""
    query = CustomerQuery(group_uuids=(group.uuid,), page=Page(limit=MAX_PAGE_SIZE))
    found, _ = await ctx.core.customer_admin.search(principal, tenant, query)
    return found


async def rendered(
    ctx: MedusaContext,
    principal: Principal,
    tenant: Tenant,
    groups: Sequence[CustomerGroup],
    expand: str | None,
) -> list[dict[str, Any]]:
    relations = shapes.expanded(expand, shapes.GROUP_RELATIONS, ())
    if shapes.CUSTOMERS not in relations:
        return [shapes.group(item, relations=relations) for item in groups]
    # One group after the other: a page of a thousand groups read at once would take every
    # pooled connection and stall every other request of the worker.
    found = [await members(ctx, principal, tenant, item) for item in groups]
    addresses = await ctx.core.addresses.of_customers([c for customers in found for c in customers])
    return [
        shapes.group(item, relations=relations, customers=customers, addresses=addresses)
        for item, customers in zip(groups, found, strict=True)
    ]


def _change(body: dict[str, Any]) -> GroupChange:
    if "name" in body and body["name"] is None:
        raise MedusaError(invalid_data("name must be a string"))
    metadata = body.get("metadata")
    return GroupChange(
        name=body.get("name", UNSET),
        metadata=metadata_patch(metadata) if metadata is not None else None,
    )


def _members(body: dict[str, Any]) -> tuple[list[UUID], dict[str, str], list[str]]:
    """The customers a batch names: their uuids, the ids as sent by uuid, the ids that
    name no customer at all (not a `cus_` id)."""
    uuids: list[UUID] = []
    named: dict[str, str] = {}
    malformed: list[str] = []
    for reference in body["customer_ids"]:
        found = ids.parse(ids.CUSTOMER, reference["id"])
        if found is None:
            malformed.append(reference["id"])
        else:
            uuids.append(found)
            named.setdefault(str(found), reference["id"])
    return uuids, named, malformed


def _missing(ids_as_sent: Sequence[str]) -> MedusaError:
    return medusa_error(CustomersNotFound(list(ids_as_sent)))


@contextmanager
def found_or_404(raw: str) -> Iterator[None]:
    """Medusa's 404 for the group `raw` names, where the core finds none."""
    try:
        yield
    except GroupNotFound:
        raise MedusaError(group_not_found(raw)) from None


def add_routes(api: FastAPI, ctx: MedusaContext) -> None:
    @api.post(
        "/admin/customer-groups",
        response_model=GroupBody,
        summary="Create a customer group (names are unique, as written)",
        openapi_extra=operation(auth="admin", body=GroupCreate),
    )
    async def create_group(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        body = await valid_body(request, ctx.config, GroupCreate)
        group = await ctx.core.groups.create(
            principal, tenant, name=body["name"], metadata=body.get("metadata") or {}
        )
        return answer({"customer_group": shapes.group(group)})

    @api.get(
        "/admin/customer-groups",
        response_model=GroupList,
        summary="List customer groups (10 by default, newest first)",
        openapi_extra=operation(auth="admin", parameters=GROUP_LIST),
    )
    async def list_groups(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        listing = group_list(request.scope["query_string"])
        window = listing.page
        if listing.query is None:
            return answer(shapes.page("customer_groups", [], 0, window.offset, window.limit))
        found, count = await ctx.core.groups.search(principal, tenant, listing.query)
        items = await rendered(ctx, principal, tenant, found, listing.expand)
        return answer(shapes.page("customer_groups", items, count, window.offset, window.limit))

    @api.get(
        "/admin/customer-groups/{id}",
        response_model=GroupBody,
        summary="A customer group (`expand=customers` adds its members)",
        openapi_extra=operation(auth="admin", parameters=[GROUP_ID, EXPAND, FIELDS]),
    )
    async def get_group(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        expand = expand_only(request.scope["query_string"])
        raw = request.path_params["id"]
        with found_or_404(raw):
            group = await ctx.core.groups.get(principal, tenant, group_uuid(raw))
        (item,) = await rendered(ctx, principal, tenant, [group], expand)
        return answer({"customer_group": item})

    @api.post(
        "/admin/customer-groups/{id}",
        response_model=GroupBody,
        summary="Edit a customer group (metadata is merged)",
        openapi_extra=operation(
            auth="admin", body=GroupUpdate, parameters=[GROUP_ID, EXPAND, FIELDS]
        ),
    )
    async def update_group(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        expand = expand_only(request.scope["query_string"])
        raw = request.path_params["id"]
        target = group_uuid(raw)
        change = _change(await valid_body(request, ctx.config, GroupUpdate))
        with found_or_404(raw):
            group = await ctx.core.groups.update(principal, tenant, target, change)
        (item,) = await rendered(ctx, principal, tenant, [group], expand)
        return answer({"customer_group": item})

    @api.delete(
        "/admin/customer-groups/{id}",
        response_model=GroupDeleted,
        summary="Delete a customer group (idempotent; its customers stay)",
        openapi_extra=operation(auth="admin", parameters=[GROUP_ID]),
    )
    async def delete_group(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        raw = request.path_params["id"]
        await ctx.core.groups.delete(principal, tenant, ids.parse(ids.GROUP, raw))
        return answer({"id": raw, "object": "customer_group", "deleted": True})

    @api.get(
        "/admin/customer-groups/{id}/customers",
        response_model=CustomerList,
        summary="The group's customers (the customer list's query; `groups` is this one)",
        openapi_extra=operation(auth="admin", parameters=[GROUP_ID, *CUSTOMER_LIST]),
    )
    async def list_members(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        raw = request.path_params["id"]
        listing = customer_list(request.scope["query_string"], groups=(raw,))
        return await customer_page(ctx, principal, tenant, listing)

    @api.post(
        "/admin/customer-groups/{id}/customers/batch",
        response_model=GroupBody,
        summary="Add customers to the group (members already in it stay as they are)",
        openapi_extra=operation(auth="admin", body=GroupBatch, parameters=[GROUP_ID]),
    )
    async def add_members(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        raw = request.path_params["id"]
        target = group_uuid(raw)
        uuids, named, malformed = _members(await valid_body(request, ctx.config, GroupBatch))
        try:
            with found_or_404(raw):
                if malformed:  # no customer has such an id; the group is checked first
                    await ctx.core.groups.get(principal, tenant, target)
                    raise _missing(malformed)
                group = await ctx.core.groups.add_customers(principal, tenant, target, uuids)
        except CustomersNotFound as error:
            raise _missing([named.get(str(m), str(m)) for m in error.missing]) from None
        return answer({"customer_group": shapes.group(group)})

    @api.delete(
        "/admin/customer-groups/{id}/customers/batch",
        response_model=GroupBody,
        summary="Remove customers from the group (non-members are ignored)",
        openapi_extra=operation(auth="admin", body=GroupBatch, parameters=[GROUP_ID]),
    )
    async def remove_members(request: Request) -> Response:
        tenant, principal = await admin_caller(request, ctx)
        raw = request.path_params["id"]
        target = group_uuid(raw)
        uuids, _, _ = _members(await valid_body(request, ctx.config, GroupBatch))
        with found_or_404(raw):
            group = await ctx.core.groups.remove_customers(principal, tenant, target, uuids)
        return answer({"customer_group": shapes.group(group)})
