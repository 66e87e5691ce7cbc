"""Medusa v1's response shapes, built from the core's records.

The address mapping: every Patron address of a customer is one of Medusa's
`shipping_addresses`; the one flagged default billing is `billing_address` (and its id is
`billing_address_id`). Fields: `address1` is `address_1`, `address2` `address_2`,
`zip_code` `postal_code`, `region` `province`; `country_code` is lower case, as Medusa
stores it. Ids are `cus_`, `addr_`, `cgrp_` and `usr_` + the ULID of the uuid; empty
metadata is null; timestamps are ISO 8601 in UTC with milliseconds; nothing is ever
soft-deleted here, so `deleted_at` is null.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from patron.core.domain.model import Address, Customer, CustomerGroup
from patron.core.domain.principals import AdminUser
from patron.dialects.medusa import ids

Body = dict[str, Any]

ORDERS = "orders"
SHIPPING_ADDRESSES = "shipping_addresses"
BILLING_ADDRESS = "billing_address"
GROUPS = "groups"
CUSTOMERS = "customers"
PRICE_LISTS = "price_lists"

ADMIN_DEFAULT = (ORDERS, SHIPPING_ADDRESSES)
"""`GET /admin/customers/{id}` without `expand` (`defaultAdminCustomersRelations`)."""
STORE_DEFAULT = (SHIPPING_ADDRESSES, BILLING_ADDRESS)
"""`/store/customers/me` (`defaultStoreCustomersRelations`)."""
AUTH_DEFAULT = (ORDERS, SHIPPING_ADDRESSES)
"""`/store/auth` (`orders, orders.items, shipping_addresses`; Patron keeps no orders)."""
CUSTOMER_RELATIONS = frozenset({ORDERS, SHIPPING_ADDRESSES, BILLING_ADDRESS, GROUPS})
GROUP_RELATIONS = frozenset({CUSTOMERS, PRICE_LISTS})


def timestamp(moment: datetime) -> str:
    """`2024-05-01T10:00:00.000Z`, as JavaScript's `Date.toJSON` writes it."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def metadata(values: Mapping[str, Any]) -> dict[str, Any] | None:
    return dict(values) or None


def entity_tail(record: Address | Customer | CustomerGroup | AdminUser) -> Body:
    """What closes every Medusa entity: its metadata, its timestamps, `deleted_at`."""
    return {
        "metadata": metadata(record.metadata),
        "created_at": timestamp(record.created_at),
        "updated_at": timestamp(record.updated_at),
        "deleted_at": None,
    }


def expanded(expand: str | None, known: Collection[str], default: Sequence[str]) -> list[str]:
    """The relations `?expand=a,b` asks for, replacing the defaults (an empty `expand`
    keeps them). Names Patron does not know are left out (`orders.items` is `orders`)."""
    if not expand:
        return list(default)
    found: list[str] = []
    for name in expand.split(","):
        relation = name.strip().split(".", 1)[0]
        if relation in known and relation not in found:
            found.append(relation)
    return found


def address(item: Address, customer_id: str) -> Body:
    return {
        "id": ids.render(ids.ADDRESS, item.uuid),
        "customer_id": customer_id,
        "company": item.company,
        "first_name": item.first_name,
        "last_name": item.last_name,
        "address_1": item.address1,
        "address_2": item.address2,
        "city": item.city,
        "country_code": item.country_code.lower() if item.country_code else item.country_code,
        "province": item.region,
        "postal_code": item.zip_code,
        "phone": item.phone,
        **entity_tail(item),
    }


def billing_of(addresses: Sequence[Address]) -> Address | None:
    return next((item for item in addresses if item.is_default_billing), None)


def customer(
    record: Customer,
    *,
    relations: Sequence[str] = (),
    addresses: Sequence[Address] = (),
    groups: Sequence[CustomerGroup] = (),
) -> Body:
    """A customer with the relations asked for; `addresses` must be all of the customer's
    whenever `billing_address_id` is to be right (pass them whenever they were read)."""
    customer_id = ids.render(ids.CUSTOMER, record.uuid)
    billing = billing_of(addresses)
    body: Body = {
        "id": customer_id,
        "email": record.email,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "billing_address_id": ids.render(ids.ADDRESS, billing.uuid) if billing else None,
        "phone": record.phone,
        "has_account": record.has_account,
        **entity_tail(record),
    }
    for relation in relations:
        if relation == ORDERS:
            body[ORDERS] = []
        elif relation == SHIPPING_ADDRESSES:
            body[SHIPPING_ADDRESSES] = [address(item, customer_id) for item in addresses]
        elif relation == BILLING_ADDRESS:
            body[BILLING_ADDRESS] = address(billing, customer_id) if billing else None
        elif relation == GROUPS:
            body[GROUPS] = [group(item) for item in groups]
    return body


def group(
    record: CustomerGroup,
    *,
    relations: Sequence[str] = (),
    customers: Sequence[Customer] = (),
    addresses: Mapping[int, Sequence[Address]] | None = None,
) -> Body:
    """A group; with `customers`, its members (`addresses` by customer id, for their
    `billing_address_id`)."""
    body: Body = {
        "id": ids.render(ids.GROUP, record.uuid),
        "name": record.name,
        **entity_tail(record),
    }
    for relation in relations:
        if relation == CUSTOMERS:
            body[CUSTOMERS] = [
                customer(item, addresses=(addresses or {}).get(item.id, ())) for item in customers
            ]
        elif relation == PRICE_LISTS:
            body[PRICE_LISTS] = []
    return body


def user(record: AdminUser) -> Body:
    """An admin user. Its API token is never shown: Patron keeps only its hash."""
    return {
        "id": ids.render(ids.USER, record.uuid),
        "email": record.email,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "role": record.role.value,
        **entity_tail(record),
    }


def page(key: str, items: list[Body], count: int, offset: int, limit: int) -> Body:
    return {key: items, "count": count, "offset": offset, "limit": limit}
