"""The back office's view of a customer's addresses (Emporix' tenant-managed routes).

The customer is named by its number and must be within the caller's reach (`Reach`): one
beyond it reads as missing, like one that does not exist. An address is named by the id
its creator chose (`Address.code`) or else by its uuid (`AddressKey`). Every write locks
the customer row first, as the customer's own address writes do (`addresses`), so the
cap, the one-default-of-each-kind rule and the chosen ids are decided by one writer at a
time; the database's unique indexes are the backstop.

The customer's own addresses (Emporix' `/me/addresses`) are the same operations on the
bearer's customer (`*_own`), found by the token's session as every customer route finds it.

An edit is handed over as a function of the address as stored under that lock and of the
customer's defaults then (`AddressSummary`): a dialect whose change depends on the stored
values (a tag added to those there, a default that follows the tags, whether this address
is the one default a vendor with one shows) decides it there, and no concurrent write
slips in between.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, replace

from patron.core.customers.addresses import add_locked, checked_change, checked_draft, update_locked
from patron.core.domain.commands import AddressChange, AddressDraft
from patron.core.domain.config import CoreConfig
from patron.core.domain.errors.conflict import AddressIdTaken, VersionConflict
from patron.core.domain.errors.not_found import AddressNotFound, CustomerNotFound
from patron.core.domain.model import AccessClaims, Address, Customer
from patron.core.domain.principals import Principal, Reach, Scope
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import load_bearer, lock_bearer, require_reach, within_reach
from patron.core.ports.back_office import CustomerSearch
from patron.core.ports.customers import AddressKey, AddressReads, AddressSummary, CustomerReads
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory

Edit = Callable[[Address, AddressSummary], AddressChange]
"""The change to write, decided from the address and the customer's address summary (its
count, whether it has a default of each kind) as they are under the customer's lock."""


@dataclass(frozen=True, slots=True)
class AddressAdministration:
    uow: UnitOfWorkFactory
    customer_search: CustomerSearch
    address_reads: AddressReads
    customer_reads: CustomerReads
    clock: Clock
    config: CoreConfig

    async def list(self, principal: Principal, tenant: Tenant, number: str) -> list[Address]:
        """Oldest first."""
        customer = await self._reached(principal, tenant, number)
        return (await self.address_reads.addresses_of([customer.id]))[customer.id]

    async def get(
        self, principal: Principal, tenant: Tenant, number: str, address_id: str
    ) -> tuple[Address, builtins.list[Address]]:
        """The address, and every address of the customer (it among them, oldest first)
        read in the same statement: a vendor that shows one default address per customer
        needs the others to tell whether it is this one."""
        customer = await self._reached(principal, tenant, number)
        return await self._named(customer, address_id)

    async def add(
        self, principal: Principal, tenant: Tenant, number: str, draft: AddressDraft
    ) -> Address:
        """`AddressIdTaken` when the draft's chosen id names an address of the customer
        already (by its chosen id or its uuid)."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        draft = checked_draft(draft)
        async with self.uow() as uow:
            customer = await _locked(uow, reach, tenant, number)
            address = await self._add_new(uow, customer, draft)
            await uow.commit()
        return address

    async def upsert(
        self,
        principal: Principal,
        tenant: Tenant,
        number: str,
        address_id: str,
        *,
        draft: AddressDraft | None,
        edit: Edit,
        expected_version: int | None = None,
    ) -> tuple[Address, bool]:
        """Edit the address named `address_id`, or, when there is none, add `draft` under
        that id (None: the request cannot create one, `AddressNotFound`). True: created."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        checked = checked_draft(replace(draft, code=address_id)) if draft is not None else None
        async with self.uow() as uow:
            customer = await _locked(uow, reach, tenant, number)
            current = await uow.addresses.find(customer.id, AddressKey.of(address_id))
            if current is not None:
                updated = await self._edit(uow, customer, current, edit, expected_version)
            elif checked is None:
                raise AddressNotFound()
            else:
                updated = await self._add(uow, customer, checked)
            await uow.commit()
        return updated, current is None

    async def edit(
        self,
        principal: Principal,
        tenant: Tenant,
        number: str,
        address_id: str,
        edit: Edit,
        *,
        expected_version: int | None = None,
    ) -> Address:
        """Write what `edit` decides; a stale `expected_version` is `VersionConflict`."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        async with self.uow() as uow:
            customer = await _locked(uow, reach, tenant, number)
            updated = await self._edit_named(uow, customer, address_id, edit, expected_version)
            await uow.commit()
        return updated

    async def delete(
        self, principal: Principal, tenant: Tenant, number: str, address_id: str
    ) -> None:
        """A hard delete. A deleted default leaves no default; none is promoted."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        async with self.uow() as uow:
            customer = await _locked(uow, reach, tenant, number)
            await _delete_named(uow, customer, address_id)
            await uow.commit()

    # --- the bearer's own ------------------------------------------------------------------

    async def list_own(self, claims: AccessClaims) -> builtins.list[Address]:
        """Oldest first."""
        customer = await load_bearer(self.customer_reads, claims)
        return (await self.address_reads.addresses_of([customer.id]))[customer.id]

    async def get_own(
        self, claims: AccessClaims, address_id: str
    ) -> tuple[Address, builtins.list[Address]]:
        """As `get`, of the bearer's own addresses."""
        customer = await load_bearer(self.customer_reads, claims)
        return await self._named(customer, address_id)

    async def add_own(self, claims: AccessClaims, draft: AddressDraft) -> Address:
        draft = checked_draft(draft)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            address = await self._add_new(uow, customer, draft)
            await uow.commit()
        return address

    async def edit_own(
        self,
        claims: AccessClaims,
        address_id: str,
        edit: Edit,
        *,
        expected_version: int | None = None,
    ) -> Address:
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            updated = await self._edit_named(uow, customer, address_id, edit, expected_version)
            await uow.commit()
        return updated

    async def delete_own(self, claims: AccessClaims, address_id: str) -> None:
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await _delete_named(uow, customer, address_id)
            await uow.commit()

    async def _named(
        self, customer: Customer, address_id: str
    ) -> tuple[Address, builtins.list[Address]]:
        addresses = (await self.address_reads.addresses_of([customer.id]))[customer.id]
        address = AddressKey.of(address_id).pick(addresses)
        if address is None:
            raise AddressNotFound()
        return address, addresses

    async def _reached(self, principal: Principal, tenant: Tenant, number: str) -> Customer:
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_READ)
        return within_reach(await self.customer_search.by_number(tenant.id, number), reach)

    async def _add_new(self, uow: UnitOfWork, customer: Customer, draft: AddressDraft) -> Address:
        """`AddressIdTaken` when the draft's chosen id names an address of the customer."""
        if draft.code is not None and await uow.addresses.find(
            customer.id, AddressKey.of(draft.code)
        ):
            raise AddressIdTaken(draft.code)
        return await self._add(uow, customer, draft)

    async def _edit_named(
        self,
        uow: UnitOfWork,
        customer: Customer,
        address_id: str,
        edit: Edit,
        expected_version: int | None,
    ) -> Address:
        current = await uow.addresses.find(customer.id, AddressKey.of(address_id))
        if current is None:
            raise AddressNotFound()
        return await self._edit(uow, customer, current, edit, expected_version)

    async def _add(self, uow: UnitOfWork, customer: Customer, draft: AddressDraft) -> Address:
        limit = self.config.max_addresses_per_customer
        return await add_locked(uow, customer, draft, limit=limit, now=self.clock())

    async def _edit(
        self,
        uow: UnitOfWork,
        customer: Customer,
        current: Address,
        edit: Edit,
        expected_version: int | None,
    ) -> Address:
        if expected_version is not None and expected_version != current.version:
            raise VersionConflict(current.version)
        change = edit(current, await uow.addresses.summary(customer.id))
        change = checked_change(change)
        if change.writes_nothing:
            return current
        return await update_locked(uow, customer, current, change, now=self.clock())


async def _delete_named(uow: UnitOfWork, customer: Customer, address_id: str) -> None:
    address = await uow.addresses.find(customer.id, AddressKey.of(address_id))
    if address is None or not await uow.addresses.delete(customer.id, address.uuid):
        raise AddressNotFound()


async def _locked(uow: UnitOfWork, reach: Reach, tenant: Tenant, number: str) -> Customer:
    """The customer, its row locked for the transaction, if the caller reaches it (its
    restriction and companies as they are under the lock). Read through the unit of work's
    own connection: a second one, taken while this one is held, is how racing writes
    froze the pool (issue 18)."""
    customer = await uow.customers.by_number(tenant.id, number, for_update=True)
    if customer is None:
        raise CustomerNotFound()
    return within_reach((customer, await uow.groups.group_ids_of(customer.id)), reach)
