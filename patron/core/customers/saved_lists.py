"""A customer's lists: favourites, a watch list, anything it links to by reference
(Aimeos' customer list items), and its group memberships, shown in the same shape but
never written by the customer.

Every write locks the customer row first, so the cap is decided by one writer at a time."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from patron.core.domain.commands import ListItemChange, ListItemDraft
from patron.core.domain.errors.forbidden import GroupsReadOnly
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid
from patron.core.domain.errors.limit_reached import ListLimitReached
from patron.core.domain.errors.not_found import ListItemNotFound
from patron.core.domain.model import GROUP_DOMAIN, AccessClaims, Customer, CustomerGroup, ListItem
from patron.core.domain.text import LIST_TEXT, MAX_CONFIG_BYTES, json_problems, problems_in
from patron.core.identity.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.ports.customers import CustomerDataReads, CustomerReads
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

STATUSES = frozenset({-2, -1, 0, 1})
"""Archived, in review, disabled, enabled (Aimeos' list statuses)."""
MAX_POSITION = 2**31 - 1
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
"""Dates start where Aimeos' `DATETIME` columns do (MySQL: year 1000). Year 1 would be
read back by asyncpg as a naive `datetime.min` (its -infinity), which no aware time
compares with."""


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
        require_owner(claims, ref)
        customer = await load_bearer(self.customer_reads, claims)
        return await self.of_customer(customer, domains, active_only=active_only)

    async def of_customer(
        self, customer: Customer, domains: Collection[str] | None, *, active_only: bool = True
    ) -> OwnLists:
        """`list_own` for a customer already read through an owner-checked use case (a
        dialect's `include`): no second read of the bearer."""
        if domains is not None:  # one no item can have (a NUL...) never reaches the database
            domains = [d for d in domains if not problems_in({"domain": d}, LIST_TEXT)]
        items = await self.reads.list_items_of(customer.id, domains)
        if active_only:
            now = self.clock()
            items = [item for item in items if item.is_active(now)]
        group_ids = [int(item.ref_id) for item in items if item.domain == GROUP_DOMAIN]
        groups = await self.reads.groups_by_id(customer.tenant_id, group_ids) if group_ids else []
        return OwnLists(items, {group.id: group for group in groups})

    async def add_own(
        self, claims: AccessClaims, ref: CustomerRef, drafts: Sequence[ListItemDraft]
    ) -> None:
        """All or none, under the customer's row lock. An item with the (domain, type,
        ref_id) of an existing one updates it. `GroupsReadOnly` for the group domain;
        `ListLimitReached` past `max_per_customer`; text limits: domain 1-32, type 1-64,
        ref_id 1-36 characters, config a JSON object of at most 64 KiB."""
        require_owner(claims, ref)
        for draft in drafts:
            check_fields(_draft_fields(draft))
        by_key = {_key(draft): draft for draft in drafts}  # a repeated key: the last one
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            current = [i for i in await uow.lists.of_customer(customer.id) if _own(i)]
            fresh = by_key.keys() - {_key(item) for item in current}
            if len(current) + len(fresh) > self.max_per_customer:
                raise ListLimitReached()
            now = self.clock()
            for draft in by_key.values():
                await uow.lists.upsert(customer.id, draft, now)
            await uow.commit()

    async def update_own(
        self, claims: AccessClaims, ref: CustomerRef, item_id: int, change: ListItemChange
    ) -> ListItem:
        """`ListItemNotFound` when it is not the bearer's; `GroupsReadOnly` for a
        membership or a change into the group domain."""
        require_owner(claims, ref)
        fields = change.changed_fields()
        check_fields(fields)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            owned = {item.id: item for item in await uow.lists.of_customer(customer.id)}
            item = owned.get(item_id)
            if item is None:
                raise ListItemNotFound()
            if not _own(item):
                raise GroupsReadOnly()
            if not fields:
                return item
            updated = await uow.lists.update(item_id, change, self.clock())
            await uow.commit()
        return updated

    async def delete_own(
        self, claims: AccessClaims, ref: CustomerRef, item_ids: Sequence[int]
    ) -> None:
        """Delete those of the ids that are the bearer's list items, all or none:
        `GroupsReadOnly` (and nothing deleted) when one is a membership; unknown ids are
        ignored."""
        require_owner(claims, ref)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            owned = {item.id: item for item in await uow.lists.of_customer(customer.id)}
            named = [owned[item_id] for item_id in item_ids if item_id in owned]
            if not all(_own(item) for item in named):
                raise GroupsReadOnly()
            await uow.lists.delete(customer.id, [item.id for item in named])
            await uow.commit()


def check_fields(fields: Mapping[str, Any]) -> None:
    """A list item's fields (all of a draft, or those a change sets): the group domain is
    the back office's; text within Aimeos' limits; config a storable JSON object; dates
    with a time zone; position and status within what Aimeos stores."""
    if fields.get("domain") == GROUP_DOMAIN:
        raise GroupsReadOnly()
    problems = problems_in(fields, LIST_TEXT)
    if "config" in fields:
        config = fields["config"]
        if isinstance(config, dict):
            problems += json_problems("config", config, MAX_CONFIG_BYTES)
        else:
            problems.append(FieldProblem("config", FieldRule.INVALID))
    for name in ("starts_at", "ends_at"):
        if fields.get(name) is not None and not _aware_and_storable(fields[name]):
            problems.append(FieldProblem(name, FieldRule.INVALID))
    if "position" in fields and not _whole_in(fields["position"], range(MAX_POSITION + 1)):
        problems.append(FieldProblem("position", FieldRule.INVALID, MAX_POSITION))
    if "status" in fields and not _whole_in(fields["status"], STATUSES):
        problems.append(FieldProblem("status", FieldRule.INVALID))
    for name in ("domain", "type", "ref_id"):
        if name in fields and not isinstance(fields[name], str):
            problems.append(FieldProblem(name, FieldRule.INVALID))
    if problems:
        raise FieldsInvalid(problems)


def _draft_fields(draft: ListItemDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in draft.__dataclass_fields__}


def _aware_and_storable(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None and value >= EARLIEST


def _whole_in(value: object, allowed: Collection[int]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in allowed


def _own(item: ListItem) -> bool:
    """A list item the customer wrote, not a group membership shown as one."""
    return item.domain != GROUP_DOMAIN


def _key(item: ListItem | ListItemDraft) -> tuple[str, str, str]:
    return (item.domain, item.type, item.ref_id)
