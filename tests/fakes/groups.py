"""Customer groups and their members in memory (`PgGroups`, `PgGroupReads`), and the
back office's customer lookups (`PgCustomerSearch`); searches are SQL, tested on
PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NoReturn
from uuid import UUID

from patron.core.domain.commands import UNSET, Unset
from patron.core.domain.errors.conflict import GroupNameTaken
from patron.core.domain.errors.not_found import GroupNotFound
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.queries import CustomerQuery, GroupQuery
from tests.fakes.customer_data import LIST_SEQUENCE
from tests.fakes.store import Membership, MemoryStore, Tables

WRITABLE = frozenset({"name", "metadata"})
"""What a group update may write (its own set: storage's goes with the typed update)."""


def groups_of(tables: Tables, customer_id: int) -> list[CustomerGroup]:
    ids = {m.group_id for m in tables.memberships.values() if m.customer_id == customer_id}
    return [group for key, group in sorted(tables.groups.items()) if key in ids]


class MemoryGroups:
    """Implements `GroupRepository`: a name is one group's per tenant, as given."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    def _check_name(self, group: CustomerGroup) -> None:
        for other in self._tables.groups.values():
            if other.id != group.id and (other.tenant_id, other.name) == (
                group.tenant_id,
                group.name,
            ):
                raise GroupNameTaken(group.name)

    def _by_uuid(self, tenant_id: int, group_uuid: UUID) -> CustomerGroup | None:
        return next(
            (
                g
                for g in self._tables.groups.values()
                if (g.tenant_id, g.uuid) == (tenant_id, group_uuid)
            ),
            None,
        )

    async def add(
        self, tenant_id: int, uuid: UUID, name: str, metadata: dict[str, Any], now: datetime
    ) -> CustomerGroup:
        group = CustomerGroup(
            self._store.next_id("groups"), uuid, tenant_id, name, metadata, now, now
        )
        self._check_name(group)
        self._tables.groups[group.id] = group
        return group

    async def get(
        self, tenant_id: int, group_uuid: UUID, *, for_update: bool = False
    ) -> CustomerGroup | None:
        return self._by_uuid(tenant_id, group_uuid)

    async def update(
        self,
        group_id: int,
        *,
        name: str | Unset = UNSET,
        metadata: dict[str, Any] | Unset = UNSET,
        now: datetime,
    ) -> CustomerGroup:
        current = self._tables.groups.get(group_id)
        if current is None:
            raise GroupNotFound()
        group = replace(
            current,
            name=current.name if isinstance(name, Unset) else name,
            metadata=current.metadata if isinstance(metadata, Unset) else metadata,
            updated_at=now,
        )
        self._check_name(group)
        self._tables.groups[group_id] = group
        return group

    async def delete(self, tenant_id: int, group_uuid: UUID) -> bool:
        group = self._by_uuid(tenant_id, group_uuid)
        if group is None:
            return False
        del self._tables.groups[group.id]
        self._tables.memberships = {
            key: m for key, m in self._tables.memberships.items() if m.group_id != group.id
        }
        return True

    async def group_ids(self, tenant_id: int, group_uuids: Sequence[UUID]) -> dict[UUID, int]:
        return {
            g.uuid: g.id
            for g in self._tables.groups.values()
            if g.tenant_id == tenant_id and g.uuid in group_uuids
        }

    async def customer_ids(self, tenant_id: int, customer_uuids: Sequence[UUID]) -> dict[UUID, int]:
        return {
            row.customer.uuid: row.customer.id
            for _, row in sorted(self._tables.customers.items())
            if row.customer.tenant_id == tenant_id and row.customer.uuid in customer_uuids
        }

    async def group_ids_of(self, customer_id: int) -> frozenset[int]:
        return frozenset(g.id for g in groups_of(self._tables, customer_id))

    def _member(self, group_id: int, customer_id: int, now: datetime) -> None:
        if group_id not in self._tables.groups:
            raise GroupNotFound()
        if any(
            (m.group_id, m.customer_id) == (group_id, customer_id)
            for m in self._tables.memberships.values()
        ):
            return
        key = self._store.next_id(LIST_SEQUENCE)
        self._tables.memberships[key] = Membership(group_id, customer_id, now)

    async def add_members(self, group_id: int, customer_ids: Sequence[int], now: datetime) -> None:
        for customer_id in sorted(customer_ids):
            self._member(group_id, customer_id, now)

    async def remove_members(self, group_id: int, customer_ids: Sequence[int]) -> None:
        self._tables.memberships = {
            key: m
            for key, m in self._tables.memberships.items()
            if not (m.group_id == group_id and m.customer_id in customer_ids)
        }

    async def set_groups_of(
        self, customer_id: int, group_ids: Sequence[int], now: datetime
    ) -> None:
        self._tables.memberships = {
            key: m
            for key, m in self._tables.memberships.items()
            if m.customer_id != customer_id or m.group_id in group_ids
        }
        for group_id in sorted(group_ids):
            self._member(group_id, customer_id, now)


class MemoryGroupReads:
    """Implements `GroupReads` on the committed rows; `search` is PostgreSQL's alone."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def search(self, tenant_id: int, query: GroupQuery) -> NoReturn:
        raise NotImplementedError("group search is SQL: test it on PostgreSQL")

    async def get(self, tenant_id: int, group_uuid: UUID) -> CustomerGroup | None:
        return next(
            (
                g
                for g in self._store.tables.groups.values()
                if (g.tenant_id, g.uuid) == (tenant_id, group_uuid)
            ),
            None,
        )

    async def groups_of(self, customer_ids: Sequence[int]) -> dict[int, list[CustomerGroup]]:
        return {
            customer_id: groups_of(self._store.tables, customer_id) for customer_id in customer_ids
        }


class MemoryCustomerSearch:
    """Implements `CustomerSearch`: the lookups by id; the filtered searches are SQL and
    tested on PostgreSQL."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def search(self, tenant_id: int, query: CustomerQuery) -> NoReturn:
        raise NotImplementedError("customer search is SQL: test it on PostgreSQL")

    async def search_with_groups(self, tenant_id: int, query: CustomerQuery) -> NoReturn:
        raise NotImplementedError("customer search is SQL: test it on PostgreSQL")

    async def by_uuid(self, tenant_id: int, customer_uuid: UUID) -> Customer | None:
        tables = self._store.tables
        found = (r.customer for r in tables.tenant_customers(tenant_id))
        return next((c for c in found if c.uuid == customer_uuid), None)

    async def by_number(
        self, tenant_id: int, number: str
    ) -> tuple[Customer, frozenset[int]] | None:
        tables = self._store.tables
        found = (r.customer for r in tables.tenant_customers(tenant_id))
        customer = next((c for c in found if c.customer_number == number), None)
        if customer is None:
            return None
        return customer, frozenset(g.id for g in groups_of(tables, customer.id))
