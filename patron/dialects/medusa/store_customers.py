"""`/store/customers`: registration, the shopper's own account and addresses, passwords.

Addresses: every Patron address is one of Medusa's `shipping_addresses`, the default
billing one is `billing_address` (see `shapes`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.command_fields import address_change, address_draft, profile_change
from patron.core.domain.commands import (
    AccountEdit,
    AddressDraft,
    BillingChoice,
    EmailLookup,
)
from patron.core.domain.countries import normalize_country_code
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.model import AccessClaims, Address, Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.dialects.medusa import ids, shapes
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.errors import (
    ADDRESS_NOT_MINE,
    MedusaError,
    MedusaErrorBody,
    not_found,
)
from patron.dialects.medusa.http import (
    answer,
    customer,
    metadata_patch,
    profile_fields,
    registration,
    request_tenant,
    set_session,
    valid_body,
)
from patron.dialects.medusa.listing import order_page
from patron.dialects.medusa.openapi import operation, paging, path
from patron.dialects.medusa.schemas import (
    AddressPayload,
    CustomerBody,
    OrderList,
    PasswordReset,
    PasswordToken,
    PaymentMethodList,
    StoreAddressCreate,
    StoreCustomerUpdate,
    StoreRegistration,
)
from patron.http.answers import answer_then
from patron.http.proxies import client_ip

ADDRESS_ID = path("address_id", "addr_<ULID>")
ME = CustomerRef.me()

# Medusa's address properties -> the core's fields.
ADDRESS_FIELDS: Mapping[str, str] = {
    "first_name": "first_name",
    "last_name": "last_name",
    "phone": "phone",
    "metadata": "metadata",
    "company": "company",
    "address_1": "address1",
    "address_2": "address2",
    "city": "city",
    "country_code": "country_code",
    "province": "region",
    "postal_code": "zip_code",
}
# What makes two addresses the same one (Medusa's `addAddress` compares these).
SAME_ADDRESS = (
    "country_code",
    "address1",
    "address2",
    "city",
    "phone",
    "zip_code",
    "region",
    "first_name",
    "last_name",
)


def address_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    fields = {ADDRESS_FIELDS[key]: value for key, value in payload.items()}
    if "metadata" in fields and fields["metadata"] is None:
        fields["metadata"] = {}
    return fields


async def store_shape(
    ctx: MedusaContext, record: Customer, relations: Sequence[str] = shapes.STORE_DEFAULT
) -> dict[str, Any]:
    """The store's customer: `shipping_addresses` and `billing_address` unless `relations`
    says otherwise (`/store/auth` answers with its own)."""
    addresses = (await ctx.core.addresses.of_customers([record])).get(record.id, [])
    return {"customer": shapes.customer(record, relations=relations, addresses=addresses)}


async def own_shape(ctx: MedusaContext, claims: AccessClaims) -> dict[str, Any]:
    return await store_shape(ctx, await ctx.core.accounts.get_own(claims, ME))


def _same(draft: AddressDraft, address: Address) -> bool:
    return all(getattr(draft, name) == getattr(address, name) for name in SAME_ADDRESS)


def _address_uuid(raw: str) -> UUID:
    found = ids.parse(ids.ADDRESS, raw)
    if found is None:
        raise MedusaError(ADDRESS_NOT_MINE)
    return found


def _draft(fields: Mapping[str, Any], *, billing: bool = False) -> AddressDraft:
    return address_draft({**fields, "is_default_billing": billing})


def add_routes(api: FastAPI, ctx: MedusaContext) -> None:
    @api.post(
        "/store/customers",
        response_model=CustomerBody,
        summary="Register, and log in (cookie session)",
        openapi_extra=operation(auth="none", body=StoreRegistration),
    )
    async def register(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        body = await valid_body(request, ctx.config, StoreRegistration)
        record = await ctx.core.accounts.register(
            tenant,
            registration(body),
            send_confirmation=False,
            lookup=EmailLookup(client_ip=client_ip(request)),  # 422 says the email is taken
        )
        response = answer(await store_shape(ctx, record))
        if ctx.config.require_confirmation and tenant.settings.confirmation_required:
            return response  # registered, but not logged in until confirmed
        return set_session(response, ctx.config, await ctx.core.auth.start_session(record), "store")

    @api.get(
        "/store/customers/me",
        response_model=CustomerBody,
        summary="My account",
        openapi_extra=operation(auth="customer"),
    )
    async def get_me(request: Request) -> Response:
        claims = await customer(request, ctx, await request_tenant(ctx))
        return answer(await own_shape(ctx, claims))

    @api.post(
        "/store/customers/me",
        response_model=CustomerBody,
        summary="Edit my account (a new password ends every other session)",
        openapi_extra=operation(auth="customer", body=StoreCustomerUpdate),
    )
    async def update_me(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        claims = await customer(request, ctx, tenant)
        body = await valid_body(request, ctx.config, StoreCustomerUpdate)
        record = await update_own(ctx, tenant, claims, body)
        return answer(await store_shape(ctx, record))

    @api.get(
        "/store/customers/me/orders",
        response_model=OrderList,
        summary="My orders: Patron keeps none, so always an empty page",
        openapi_extra=operation(auth="customer", parameters=paging(10)),
    )
    async def list_orders(request: Request) -> Response:
        claims = await customer(request, ctx, await request_tenant(ctx))
        await ctx.core.accounts.get_own(claims, ME)  # the session may have ended since
        window = order_page(request.scope["query_string"])
        return answer({"orders": [], "count": 0, "offset": window.offset, "limit": window.limit})

    @api.get(
        "/store/customers/me/payment-methods",
        response_model=PaymentMethodList,
        summary="My saved payment methods: kept by payment providers, so always empty",
        openapi_extra=operation(auth="customer"),
    )
    async def list_payment_methods(request: Request) -> Response:
        """medusa-js's `customers.paymentMethods.list()`; a storefront's account page asks
        for it, and a 404 would break the page."""
        claims = await customer(request, ctx, await request_tenant(ctx))
        await ctx.core.accounts.get_own(claims, ME)  # the session may have ended since
        return answer({"payment_methods": []})

    @api.post(
        "/store/customers/me/addresses",
        response_model=CustomerBody,
        summary="Add an address (an exact copy of one I have is not added again)",
        openapi_extra=operation(auth="customer", body=StoreAddressCreate),
    )
    async def add_address(request: Request) -> Response:
        claims = await customer(request, ctx, await request_tenant(ctx))
        body = await valid_body(request, ctx.config, StoreAddressCreate)
        draft = _draft(address_fields(body["address"]))
        record = await ctx.core.accounts.get_own(claims, ME)
        addresses = (await ctx.core.addresses.of_customers([record])).get(record.id, [])
        country = normalize_country_code(draft.country_code or "") or draft.country_code
        compared = replace(draft, country_code=country)
        if not any(_same(compared, address) for address in addresses):
            await ctx.core.addresses.add_own(claims, ME, draft)
        return answer(await store_shape(ctx, record))  # an address leaves the row as it was

    @api.post(
        "/store/customers/me/addresses/{address_id}",
        response_model=CustomerBody,
        summary="Edit one of my addresses",
        openapi_extra=operation(auth="customer", body=AddressPayload, parameters=[ADDRESS_ID]),
    )
    async def update_address(request: Request) -> Response:
        claims = await customer(request, ctx, await request_tenant(ctx))
        body = await valid_body(request, ctx.config, AddressPayload)
        address_uuid = _address_uuid(request.path_params["address_id"])
        change = address_change(address_fields(body))
        try:
            await ctx.core.addresses.update_own(claims, ME, address_uuid, change)
        except AddressNotFound:
            raise MedusaError(ADDRESS_NOT_MINE) from None
        return answer(await own_shape(ctx, claims))

    @api.delete(
        "/store/customers/me/addresses/{address_id}",
        response_model=CustomerBody,
        summary="Delete one of my addresses (idempotent)",
        openapi_extra=operation(auth="customer", parameters=[ADDRESS_ID]),
    )
    async def delete_address(request: Request) -> Response:
        claims = await customer(request, ctx, await request_tenant(ctx))
        address_uuid = ids.parse(ids.ADDRESS, request.path_params["address_id"])
        # Already gone (or never mine): Medusa answers with the customer anyway.
        if address_uuid is not None:
            with contextlib.suppress(AddressNotFound):
                await ctx.core.addresses.delete_own(claims, ME, address_uuid)
        return answer(await own_shape(ctx, claims))

    @api.post(
        "/store/customers/password-token",
        status_code=204,
        summary="Mail a password-reset token (always 204)",
        openapi_extra=operation(auth="none", body=PasswordToken),
    )
    async def password_token(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        body = await valid_body(request, ctx.config, PasswordToken)
        after = ctx.core.passwords.request_reset(tenant, body["email"])
        return answer_then(Response(status_code=204), after)

    @api.post(
        "/store/customers/password-reset",
        response_model=CustomerBody,
        summary="Set a new password with the mailed token (single use; ends every session)",
        openapi_extra=operation(auth="none", body=PasswordReset),
    )
    async def password_reset(request: Request) -> Response:
        tenant = await request_tenant(ctx)
        body = await valid_body(request, ctx.config, PasswordReset)
        record = await ctx.core.passwords.restore(
            tenant, body["token"], body["password"], email=body["email"]
        )
        return answer(await store_shape(ctx, record))


async def update_own(
    ctx: MedusaContext, tenant: Tenant, claims: AccessClaims, body: Mapping[str, Any]
) -> Customer:
    """`POST /store/customers/me`: the profile, the billing address and the password, in
    one core edit: written together or not at all."""
    profile = profile_fields(body)
    if body.get("metadata") is not None:
        profile["metadata"] = metadata_patch(body["metadata"])
    edit = AccountEdit(
        profile=profile_change(profile),
        billing=_billing_choice(body["billing_address"]) if "billing_address" in body else None,
        new_password=body.get("password"),
    )
    try:
        return await ctx.core.accounts.edit_own(tenant, claims, ME, edit)
    except AddressNotFound:
        raise MedusaError(_address_not_found(body["billing_address"])) from None


def _billing_choice(value: str | Mapping[str, Any] | None) -> BillingChoice:
    """Medusa's `billing_address`: an address id makes that address the billing one; an
    object edits the billing address in place, or adds it as the billing address when there
    is none (Medusa's `updateBillingAddress`); null leaves none."""
    if value is None:
        return BillingChoice()
    if isinstance(value, str):
        chosen = ids.parse(ids.ADDRESS, value)
        if chosen is None:
            raise MedusaError(_address_not_found(value))
        return BillingChoice(address=chosen)
    fields = address_fields(AddressPayload.model_validate(value).model_dump())
    return BillingChoice(fields=address_change(fields))


def _address_not_found(value: object) -> MedusaErrorBody:
    return not_found(f"Address with id {value} was not found")
