"""A customer's properties and list items in memory (`PgProperties`, `PgLists`,
`PgCustomerDataReads`); group memberships show as list items, as in SQL."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from patron.core.domain.commands import ListItemChange, ListItemDraft, PropertyChange, PropertyDraft
from patron.core.domain.errors.conflict import PropertyExists
from patron.core.domain.errors.not_found import ListItemNotFound, PropertyNotFound
from patron.core.domain.model import GROUP_DOMAIN, CustomerGroup, CustomerProperty, ListItem
from patron.storage.customer_data import LIST_WRITABLE, PROPERTY_WRITABLE
from tests.fakes.store import MemoryStore, Tables

LIST_SEQUENCE = "list_items"
"""List items and group memberships share one sequence: one id names one relation."""


def _writable(changes: dict[str, Any], writable: frozenset[str]) -> None:
    unknown = set(changes) - writable
    if unknown:
        raise ValueError(f"not writable: {sorted(unknown)}")


def properties_of(tables: Tables, customer_id: int) -> list[CustomerProperty]:
    return [p for _, p in sorted(tables.properties.items()) if p.customer_id == customer_id]


def list_items_of(
    tables: Tables, customer_id: int, domains: Collection[str] | None
) -> list[ListItem]:
    items = [
        item
        for item in tables.list_items.values()
        if item.customer_id == customer_id and (domains is None or item.domain in domains)
    ]
    if domains is None or GROUP_DOMAIN in domains:
        items += [
            ListItem(
                id=key,
                customer_id=m.customer_id,
                domain=GROUP_DOMAIN,
                type="default",
                ref_id=str(m.group_id),
                starts_at=None,
                ends_at=None,
                config={},
                position=0,
                status=1,
                created_at=m.created_at,
                updated_at=m.created_at,
            )
            for key, m in tables.memberships.items()
            if m.customer_id == customer_id
        ]
    return sorted(items, key=lambda item: (item.domain, item.position, item.id))


class MemoryProperties:
    """Implements `PropertyRepository`: (type, language, value) is unique per customer."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    def _twin(self, candidate: CustomerProperty) -> bool:
        return any(
            (p.type, p.language, p.value) == (candidate.type, candidate.language, candidate.value)
            for p in properties_of(self._tables, candidate.customer_id)
            if p.id != candidate.id
        )

    async def of_customer(self, customer_id: int) -> list[CustomerProperty]:
        return properties_of(self._tables, customer_id)

    async def add(self, customer_id: int, draft: PropertyDraft, now: datetime) -> None:
        new = CustomerProperty(
            id=self._store.next_id("properties"),
            customer_id=customer_id,
            type=draft.type,
            language=draft.language,
            value=draft.value,
            created_at=now,
        )
        if not self._twin(new):
            self._tables.properties[new.id] = new

    async def update(self, property_id: int, change: PropertyChange) -> CustomerProperty:
        changes = change.changed_fields()
        _writable(changes, PROPERTY_WRITABLE)
        current = self._tables.properties.get(property_id)
        if current is None:
            raise PropertyNotFound()
        updated = replace(current, **changes)
        if self._twin(updated):
            raise PropertyExists()
        self._tables.properties[property_id] = updated
        return updated

    async def delete(self, customer_id: int, property_ids: Sequence[int]) -> None:
        for property_id in property_ids:
            found = self._tables.properties.get(property_id)
            if found is not None and found.customer_id == customer_id:
                del self._tables.properties[property_id]


class MemoryLists:
    """Implements `ListRepository`: (domain, type, ref_id) is unique per customer."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    def _holder(self, item: ListItem) -> ListItem | None:
        """The other item of the customer holding `item`'s key."""
        return next(
            (
                other
                for other in self._tables.list_items.values()
                if other.customer_id == item.customer_id
                and other.id != item.id
                and (other.domain, other.type, other.ref_id)
                == (item.domain, item.type, item.ref_id)
            ),
            None,
        )

    async def of_customer(self, customer_id: int) -> list[ListItem]:
        return list_items_of(self._tables, customer_id, None)

    async def upsert(self, customer_id: int, draft: ListItemDraft, now: datetime) -> None:
        new = ListItem(
            id=0,
            customer_id=customer_id,
            domain=draft.domain,
            type=draft.type,
            ref_id=draft.ref_id,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            config=draft.config,
            position=draft.position,
            status=draft.status,
            created_at=now,
            updated_at=now,
        )
        drawn = self._store.next_id(LIST_SEQUENCE)  # drawn even on conflict, as in SQL
        held = self._holder(new)
        if held is not None:
            kept = replace(new, id=held.id, created_at=held.created_at)
        else:
            kept = replace(new, id=drawn)
        self._tables.list_items[kept.id] = kept

    async def update(self, item_id: int, change: ListItemChange, now: datetime) -> ListItem:
        changes = change.changed_fields()
        _writable(changes, LIST_WRITABLE)
        current = self._tables.list_items.get(item_id)
        if current is None:
            raise ListItemNotFound()
        updated = replace(current, **changes, updated_at=now)
        held = self._holder(updated)
        if held is not None:  # it makes way, as a second add of the key would update it
            del self._tables.list_items[held.id]
        self._tables.list_items[item_id] = updated
        return updated

    async def delete(self, customer_id: int, item_ids: Sequence[int]) -> None:
        for item_id in item_ids:
            found = self._tables.list_items.get(item_id)
            if found is not None and found.customer_id == customer_id:
                del self._tables.list_items[item_id]


class MemoryCustomerDataReads:
    """Implements `CustomerDataReads` on the committed rows."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def properties_of(self, customer_id: int) -> list[CustomerProperty]:
        return properties_of(self._store.tables, customer_id)

    async def list_items_of(
        self, customer_id: int, domains: Collection[str] | None
    ) -> list[ListItem]:
        return list_items_of(self._store.tables, customer_id, domains)

    async def groups_by_id(self, tenant_id: int, group_ids: Sequence[int]) -> list[CustomerGroup]:
        groups = self._store.tables.groups
        return [
            g for _, g in sorted(groups.items()) if g.tenant_id == tenant_id and g.id in group_ids
        ]
