"""A customer's properties and list items (and its group memberships shown as list
items): the repositories used inside a unit of work, and the single-statement reads."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import asyncpg

from patron.core.commands import ListItemDraft, PropertyDraft
from patron.core.model import CustomerGroup, CustomerProperty, ListItem
from patron.storage.database import Connection


class PgCustomerDataReads:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def properties_of(self, customer_id: int) -> list[CustomerProperty]:
        raise NotImplementedError

    async def list_items_of(
        self, customer_id: int, domains: Collection[str] | None
    ) -> list[ListItem]:
        raise NotImplementedError

    async def groups_by_id(self, tenant_id: int, group_ids: Sequence[int]) -> list[CustomerGroup]:
        raise NotImplementedError


class PgProperties:
    """`PropertyRepository` on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def of_customer(self, customer_id: int) -> list[CustomerProperty]:
        raise NotImplementedError

    async def add(self, customer_id: int, draft: PropertyDraft, now: datetime) -> None:
        raise NotImplementedError

    async def update(self, property_id: int, changes: dict[str, Any]) -> CustomerProperty:
        raise NotImplementedError

    async def delete(self, customer_id: int, property_ids: Sequence[int]) -> None:
        raise NotImplementedError


class PgLists:
    """`ListRepository` on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def of_customer(self, customer_id: int) -> list[ListItem]:
        raise NotImplementedError

    async def upsert(self, customer_id: int, draft: ListItemDraft, now: datetime) -> None:
        raise NotImplementedError

    async def update(self, item_id: int, changes: dict[str, Any], now: datetime) -> ListItem:
        raise NotImplementedError

    async def delete(self, customer_id: int, item_ids: Sequence[int]) -> None:
        raise NotImplementedError
