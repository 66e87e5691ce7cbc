"""A customer's lists: favourites, a watch list, anything it links to by reference
(Aimeos' customer list items), and its group memberships, shown in the same shape but
never written by the customer."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from patron.core.access import CustomerRef
from patron.core.commands import ListItemChange, ListItemDraft
from patron.core.model import AccessClaims, CustomerGroup, ListItem
from patron.core.ports import Clock, CustomerDataReads, CustomerReads, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class OwnLists:
    items: list[ListItem]
    groups: dict[int, CustomerGroup]
    """The groups the `GROUP_DOMAIN` items refer to, by id (their `ref_id`)."""


@dataclass(frozen=True, slots=True)
class CustomerLists:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    reads: CustomerDataReads
    clock: Clock
    max_per_customer: int = 500

    async def list_own(
        self,
        claims: AccessClaims,
        ref: CustomerRef,
        domains: Collection[str] | None,
        *,
        active_only: bool = True,
    ) -> OwnLists:
        """The bearer's items of `domains` (None: all), active ones only unless asked
        otherwise, with the groups its memberships refer to."""
        raise NotImplementedError

    async def add_own(
        self, claims: AccessClaims, ref: CustomerRef, drafts: Sequence[ListItemDraft]
    ) -> None:
        """All or none, under the customer's row lock. An item with the (domain, type,
        ref_id) of an existing one updates it. `GroupsReadOnly` for the group domain;
        `ListLimitReached` past `max_per_customer`; text limits: domain 1-32, type 1-64,
        ref_id 1-36 characters, config a JSON object of at most 64 KiB."""
        raise NotImplementedError

    async def update_own(
        self, claims: AccessClaims, ref: CustomerRef, item_id: int, change: ListItemChange
    ) -> ListItem:
        """`ListItemNotFound` when it is not the bearer's; `GroupsReadOnly` for a
        membership or a change into the group domain."""
        raise NotImplementedError

    async def delete_own(
        self, claims: AccessClaims, ref: CustomerRef, item_ids: Sequence[int]
    ) -> None:
        """Delete those of the ids that are the bearer's list items, all or none:
        `GroupsReadOnly` (and nothing deleted) when one is a membership; unknown ids are
        ignored."""
        raise NotImplementedError
