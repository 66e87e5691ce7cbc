"""A customer's properties: typed values it keeps about itself (Aimeos' customer
properties), written by the customer, read by every dialect that shows them.

Every write locks the customer row first, so the cap and the one-of-each rule are
decided by one writer at a time, however many requests race."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from patron.core.domain.commands import UNSET, PropertyChange, PropertyDraft
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid
from patron.core.domain.errors.limit_reached import PropertyLimitReached
from patron.core.domain.errors.not_found import PropertyNotFound
from patron.core.domain.model import AccessClaims, Customer, CustomerProperty
from patron.core.domain.text import PROPERTY_TEXT, problems_in
from patron.core.identity.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.ports.customers import CustomerDataReads, CustomerReads
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

_LANGUAGE = re.compile(r"([a-zA-Z]{2})(?:_([a-zA-Z]{2}))?")


@dataclass(frozen=True, slots=True)
class CustomerProperties:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    reads: CustomerDataReads
    clock: Clock
    max_per_customer: int = 100

    async def list_own(self, claims: AccessClaims, ref: CustomerRef) -> list[CustomerProperty]:
        """The bearer's properties, in id order (the session checked as for any read)."""
        require_owner(claims, ref)
        return await self.of_customer(await load_bearer(self.customer_reads, claims))

    async def of_customer(self, customer: Customer) -> list[CustomerProperty]:
        """`list_own` for a customer already read through an owner-checked use case (a
        dialect's `include`): no second read of the bearer."""
        return await self.reads.properties_of(customer.id)

    async def add_own(
        self, claims: AccessClaims, ref: CustomerRef, drafts: Sequence[PropertyDraft]
    ) -> list[CustomerProperty]:
        """Add all or none (one transaction, under the customer's row lock); an identical
        property is kept once. Text limits: type 1-64, value 0-255 characters, language a
        code like `de` or `de_CH`. Past `max_per_customer`: `PropertyLimitReached`.
        Returns every property of the customer after the write."""
        require_owner(claims, ref)
        checked = [checked_draft(draft) for draft in drafts]
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            current = await uow.properties.of_customer(customer.id)
            known = {_key(found) for found in current}
            fresh = {_key(draft): draft for draft in checked if _key(draft) not in known}
            if len(current) + len(fresh) > self.max_per_customer:
                raise PropertyLimitReached()
            now = self.clock()
            for draft in fresh.values():
                await uow.properties.add(customer.id, draft, now)
            stored = await uow.properties.of_customer(customer.id)
            await uow.commit()
        return stored

    async def update_own(
        self, claims: AccessClaims, ref: CustomerRef, property_id: int, change: PropertyChange
    ) -> CustomerProperty:
        """`PropertyNotFound` when it is not the bearer's; `PropertyExists` for a twin."""
        require_owner(claims, ref)
        change = checked_change(change)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            owned = {found.id: found for found in await uow.properties.of_customer(customer.id)}
            if property_id not in owned:
                raise PropertyNotFound()
            if not change.changed_fields():
                return owned[property_id]
            updated = await uow.properties.update(property_id, change)
            await uow.commit()
        return updated

    async def delete_own(
        self, claims: AccessClaims, ref: CustomerRef, property_ids: Sequence[int]
    ) -> None:
        """Delete those of the ids that are the bearer's; others are ignored."""
        require_owner(claims, ref)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            owned = {found.id for found in await uow.properties.of_customer(customer.id)}
            # Only ids read back from the database go to it: any other int is ignored here,
            # however far outside a bigint it lies.
            await uow.properties.delete(customer.id, [i for i in property_ids if i in owned])
            await uow.commit()


def checked_draft(draft: PropertyDraft) -> PropertyDraft:
    checked = checked_change(
        PropertyChange(type=draft.type, value=draft.value, language=draft.language)
    )
    return replace(draft, language=None if checked.language is UNSET else checked.language)


def checked_change(change: PropertyChange) -> PropertyChange:
    """A property change within the text limits, the language code written as Aimeos
    writes it (`de`, `de_CH`)."""
    problems = problems_in(change.changed_fields(), PROPERTY_TEXT)
    if isinstance(change.language, str):
        normalized = normalized_language(change.language)
        if normalized is None:
            problems.append(FieldProblem("language", FieldRule.INVALID))
        change = replace(change, language=normalized)
    if problems:
        raise FieldsInvalid(problems)
    return change


def normalized_language(code: object) -> str | None:
    """`de`, `DE` -> `de`; `de_ch` -> `de_CH`; None for anything else."""
    if not isinstance(code, str) or (found := _LANGUAGE.fullmatch(code)) is None:
        return None
    language, region = found.groups()
    return f"{language.lower()}_{region.upper()}" if region else language.lower()


def _key(value: PropertyDraft | CustomerProperty) -> tuple[str, str | None, str]:
    return (value.type, value.language, value.value)
