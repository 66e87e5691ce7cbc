"""Customer addresses: the bearer lists, reads, adds, edits and deletes their own.

Every write locks the customer row before it looks at the other addresses, so the cap on
addresses and the one-default-of-each-kind rule are decided by one writer at a time:
concurrent requests cannot leave two defaults (the database's partial unique indexes are
the backstop) nor more addresses than the cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from ulid import ULID

from patron.core.domain.commands import AddressChange, AddressDraft, Unset
from patron.core.domain.config import CoreConfig
from patron.core.domain.countries import normalize_country_code
from patron.core.domain.errors.invalid_input import CountryInvalid, FieldsInvalid
from patron.core.domain.errors.limit_reached import AddressLimitReached
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.model import AccessClaims, Address, Customer
from patron.core.domain.text import ADDRESS_TEXT, check_text, coordinates_of, tag_problems
from patron.core.identity.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.ports.customers import AddressReads, CustomerReads, NewAddress
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Addresses:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    address_reads: AddressReads
    clock: Clock
    config: CoreConfig

    async def list_own(self, claims: AccessClaims, ref: CustomerRef) -> list[Address]:
        customer = await self._own(claims, ref)
        return (await self.address_reads.addresses_of([customer.id]))[customer.id]

    async def get_own(self, claims: AccessClaims, ref: CustomerRef, address_uuid: UUID) -> Address:
        """Another customer's address reads as not found, so ids cannot be probed."""
        customer = await self._own(claims, ref)
        address = await self.address_reads.address_of(customer.id, address_uuid)
        if address is None:
            raise AddressNotFound()
        return address

    async def add_own(self, claims: AccessClaims, ref: CustomerRef, draft: AddressDraft) -> Address:
        """Spryker's rule for defaults: an address asked to be a default becomes it and
        demotes the previous one; one added while there is no default of its kind becomes
        that default whatever it asked."""
        require_owner(claims, ref)
        draft = checked_draft(draft)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            address = await add_locked(
                uow, customer, draft, limit=self.config.max_addresses_per_customer, now=self.clock()
            )
            await uow.commit()
        return address

    async def update_own(
        self,
        claims: AccessClaims,
        ref: CustomerRef,
        address_uuid: UUID,
        change: AddressChange,
    ) -> Address:
        """Only what `change` sets is written. Clearing a default promotes no other address."""
        require_owner(claims, ref)
        change = checked_change(change)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            address = await uow.addresses.get(customer.id, address_uuid)
            if address is None:
                raise AddressNotFound()
            if change.writes_nothing:
                return address
            updated = await update_locked(uow, customer, address, change, now=self.clock())
            await uow.commit()
        return updated

    async def delete_own(self, claims: AccessClaims, ref: CustomerRef, address_uuid: UUID) -> None:
        """A hard delete. A deleted default leaves no default; none is promoted."""
        require_owner(claims, ref)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            if not await uow.addresses.delete(customer.id, address_uuid):
                raise AddressNotFound()
            await uow.commit()

    async def add_many_own(
        self, claims: AccessClaims, ref: CustomerRef, drafts: Sequence[AddressDraft]
    ) -> list[Address]:
        """Add all or none, in one transaction under the customer's row lock (the cap
        counts them all). Returns every address of the customer after the write."""
        require_owner(claims, ref)
        checked = [checked_draft(draft) for draft in drafts]
        limit = self.config.max_addresses_per_customer
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            now = self.clock()
            for draft in checked:
                await add_locked(uow, customer, draft, limit=limit, now=now)
            await uow.commit()
        return (await self.address_reads.addresses_of([customer.id]))[customer.id]

    async def delete_many_own(
        self, claims: AccessClaims, ref: CustomerRef, address_uuids: Sequence[UUID]
    ) -> None:
        """Delete those that are the bearer's, in one transaction; others are ignored."""
        require_owner(claims, ref)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await uow.addresses.delete_many(customer.id, address_uuids)
            await uow.commit()

    async def of_customers(self, customers: Sequence[Customer]) -> dict[int, list[Address]]:
        """The addresses of customers already read through an owner-checked use case (for
        a dialect's `include`), by customer id, in one query whatever their number."""
        if not customers:
            return {}
        return await self.address_reads.addresses_of([customer.id for customer in customers])

    async def _own(self, claims: AccessClaims, ref: CustomerRef) -> Customer:
        require_owner(claims, ref)
        return await load_bearer(self.customer_reads, claims)


def checked_draft(draft: AddressDraft) -> AddressDraft:
    """A new address within the text limits, its country code normalized."""
    check_text(draft.text_fields() | coordinates_of(draft), ADDRESS_TEXT)
    if problems := tag_problems(draft.tags):
        raise FieldsInvalid(problems)
    if draft.country_code is not None:
        draft = replace(draft, country_code=_country(draft.country_code))
    return draft


def checked_change(change: AddressChange) -> AddressChange:
    """An address change within the text limits, the country normalized."""
    check_text(change.changed_fields(), ADDRESS_TEXT)
    if not isinstance(change.tags, Unset) and (problems := tag_problems(change.tags)):
        raise FieldsInvalid(problems)
    if isinstance(change.country_code, str):
        change = replace(change, country_code=_country(change.country_code))
    return change


async def add_locked(
    uow: UnitOfWork, customer: Customer, draft: AddressDraft, *, limit: int, now: datetime
) -> Address:
    """Add a checked address to a customer whose row the caller has locked: the cap, and
    Spryker's defaults (asked for, or the first of its kind unless the draft says not to),
    demoting the previous one (every other default when `end_other_defaults`)."""
    summary = await uow.addresses.summary(customer.id)
    if summary.count >= limit:
        raise AddressLimitReached(limit)
    promote = draft.promote_first
    shipping = draft.is_default_shipping or (promote and not summary.has_default_shipping)
    billing = draft.is_default_billing or (promote and not summary.has_default_billing)
    sole = draft.end_other_defaults
    demote_shipping = (shipping or sole) and summary.has_default_shipping
    demote_billing = (billing or sole) and summary.has_default_billing
    if demote_shipping or demote_billing:
        await uow.addresses.clear_defaults(
            customer.id, shipping=demote_shipping, billing=demote_billing, now=now
        )
    return await uow.addresses.add(
        NewAddress(
            customer_id=customer.id,
            uuid=ULID().to_uuid(),
            draft=replace(draft, is_default_shipping=shipping, is_default_billing=billing),
            now=now,
        )
    )


async def update_locked(
    uow: UnitOfWork,
    customer: Customer,
    address: Address,
    change: AddressChange,
    *,
    now: datetime,
) -> Address:
    """Write a checked change to an address of a customer whose row the caller has locked;
    a default flag set to True demotes the previous default of its kind, and
    `end_other_defaults` every default of the customer's other addresses."""
    demote_shipping = change.end_other_defaults or change.is_default_shipping is True
    demote_billing = change.end_other_defaults or change.is_default_billing is True
    if demote_shipping or demote_billing:
        await uow.addresses.clear_defaults(
            customer.id, shipping=demote_shipping, billing=demote_billing, now=now, keep=address.id
        )
    return await uow.addresses.update(address.id, change, now=now)


def _country(code: str) -> str:
    normalized = normalize_country_code(code)
    if normalized is None:
        raise CountryInvalid()
    return normalized
