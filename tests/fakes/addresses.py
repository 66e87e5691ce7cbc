"""Addresses in memory: `PgAddresses` and `PgAddressReads` without SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import datetime
from uuid import UUID

from patron.core.domain.commands import AddressChange
from patron.core.domain.errors.conflict import AddressConflict, AddressIdTaken
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.model import Address
from patron.core.ports.customers import AddressKey, AddressSummary, NewAddress
from tests.fakes.store import MemoryStore, Tables

_FROM_DRAFT = frozenset(f.name for f in fields(Address)) - {
    "id",
    "uuid",
    "customer_id",
    "version",
    "created_at",
    "updated_at",
}


def addresses_of(tables: Tables, customer_id: int) -> list[Address]:
    """The customer's addresses, oldest (lowest id) first."""
    return [a for _, a in sorted(tables.addresses.items()) if a.customer_id == customer_id]


def _check_unique(tables: Tables, address: Address) -> None:
    """The partial unique indexes: one default of each kind, one address per chosen id."""
    for other in addresses_of(tables, address.customer_id):
        if other.id == address.id:
            continue
        if (address.is_default_shipping and other.is_default_shipping) or (
            address.is_default_billing and other.is_default_billing
        ):
            raise AddressConflict()
        if address.code is not None and other.code == address.code:
            raise AddressIdTaken(address.code)


class MemoryAddresses:
    """Implements `AddressRepository` on a unit of work's tables."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    async def summary(self, customer_id: int) -> AddressSummary:
        mine = addresses_of(self._tables, customer_id)
        return AddressSummary(
            len(mine),
            any(a.is_default_shipping for a in mine),
            any(a.is_default_billing for a in mine),
        )

    async def get(self, customer_id: int, address_uuid: UUID) -> Address | None:
        mine = addresses_of(self._tables, customer_id)
        return next((a for a in mine if a.uuid == address_uuid), None)

    async def find(self, customer_id: int, key: AddressKey) -> Address | None:
        return key.pick(addresses_of(self._tables, customer_id))

    async def default_billing(self, customer_id: int) -> Address | None:
        mine = addresses_of(self._tables, customer_id)
        return next((a for a in mine if a.is_default_billing), None)

    async def add(self, new: NewAddress) -> Address:
        values = {name: getattr(new.draft, name) for name in _FROM_DRAFT}
        address = Address(
            id=self._store.next_id("addresses"),
            uuid=new.uuid,
            customer_id=new.customer_id,
            version=1,
            created_at=new.now,
            updated_at=new.now,
            **values,
        )
        _check_unique(self._tables, address)
        self._tables.addresses[address.id] = address
        return address

    async def update(self, address_id: int, change: AddressChange, *, now: datetime) -> Address:
        changes = change.changed_fields()
        current = self._tables.addresses.get(address_id)
        if current is None:
            raise AddressNotFound()
        if "tags" in changes:
            changes = {**changes, "tags": tuple(changes["tags"])}
        address = replace(current, **changes, updated_at=now, version=current.version + 1)
        _check_unique(self._tables, address)
        self._tables.addresses[address_id] = address
        return address

    async def clear_defaults(
        self,
        customer_id: int,
        *,
        shipping: bool,
        billing: bool,
        now: datetime,
        keep: int | None = None,
    ) -> None:
        for a in addresses_of(self._tables, customer_id):
            if a.id == keep:
                continue
            if not ((shipping and a.is_default_shipping) or (billing and a.is_default_billing)):
                continue
            self._tables.addresses[a.id] = replace(
                a,
                is_default_shipping=a.is_default_shipping and not shipping,
                is_default_billing=a.is_default_billing and not billing,
                updated_at=now,
                version=a.version + 1,
            )

    async def delete(self, customer_id: int, address_uuid: UUID) -> bool:
        found = await self.get(customer_id, address_uuid)
        if found is None:
            return False
        del self._tables.addresses[found.id]
        return True

    async def delete_many(self, customer_id: int, address_uuids: Sequence[UUID]) -> None:
        for address_uuid in address_uuids:
            await self.delete(customer_id, address_uuid)


class MemoryAddressReads:
    """Implements `AddressReads` on the committed rows."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def addresses_of(self, customer_ids: Sequence[int]) -> dict[int, list[Address]]:
        return {
            customer_id: addresses_of(self._store.tables, customer_id)
            for customer_id in customer_ids
        }

    async def address_of(self, customer_id: int, address_uuid: UUID) -> Address | None:
        mine = addresses_of(self._store.tables, customer_id)
        return next((a for a in mine if a.uuid == address_uuid), None)

    async def find(self, customer_id: int, key: AddressKey) -> Address | None:
        return key.pick(addresses_of(self._store.tables, customer_id))
