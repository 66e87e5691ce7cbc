"""A customer's properties: typed values it keeps about itself (Aimeos' customer
properties), written by the customer, read by every dialect that shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from patron.core.access import CustomerRef
from patron.core.commands import PropertyChange, PropertyDraft
from patron.core.model import AccessClaims, CustomerProperty
from patron.core.ports import Clock, CustomerDataReads, CustomerReads, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class CustomerProperties:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    reads: CustomerDataReads
    clock: Clock
    max_per_customer: int = 100

    async def list_own(self, claims: AccessClaims, ref: CustomerRef) -> list[CustomerProperty]:
        """The bearer's properties, in id order (the session checked as for any read)."""
        raise NotImplementedError

    async def add_own(
        self, claims: AccessClaims, ref: CustomerRef, drafts: Sequence[PropertyDraft]
    ) -> list[CustomerProperty]:
        """Add all or none (one transaction, under the customer's row lock); an identical
        property is kept once. Text limits: type 1-64, value 0-255 characters, language a
        code like `de` or `de_CH`. Past `max_per_customer`: `PropertyLimitReached`.
        Returns every property of the customer after the write."""
        raise NotImplementedError

    async def update_own(
        self, claims: AccessClaims, ref: CustomerRef, property_id: int, change: PropertyChange
    ) -> CustomerProperty:
        """`PropertyNotFound` when it is not the bearer's; `PropertyExists` for a twin."""
        raise NotImplementedError

    async def delete_own(
        self, claims: AccessClaims, ref: CustomerRef, property_ids: Sequence[int]
    ) -> None:
        """Delete those of the ids that are the bearer's; others are ignored."""
        raise NotImplementedError
