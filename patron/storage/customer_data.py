"""A customer's properties and list items (and its group memberships shown as list
items): the repositories used inside a unit of work, and the single-statement reads."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeAlias

import asyncpg

from patron.core.domain.commands import ListItemChange, ListItemDraft, PropertyChange, PropertyDraft
from patron.core.domain.errors.conflict import PropertyExists
from patron.core.domain.errors.not_found import ListItemNotFound, PropertyNotFound
from patron.core.domain.model import GROUP_DOMAIN, CustomerGroup, CustomerProperty, ListItem
from patron.storage.database import Connection
from patron.storage.groups import GROUP_COLUMNS, row_to_group

PROPERTY_COLUMNS = "id, customer_id, type, language, value, created_at"
PROPERTY_UNIQUE = "customer_properties_unique"
PROPERTY_WRITABLE = frozenset({"type", "language", "value"})
PROPERTIES_OF = (
    f"SELECT {PROPERTY_COLUMNS} FROM customer_properties WHERE customer_id = $1 ORDER BY id"
)

LIST_COLUMNS = (
    "id, customer_id, domain, type, ref_id, starts_at, ends_at, config, position, status, "
    "created_at, updated_at"
)
LIST_WRITABLE = frozenset(
    {"domain", "type", "ref_id", "starts_at", "ends_at", "config", "position", "status"}
)
# A membership in the list items' shape: its id comes from their sequence, its group id is
# the reference; enabled, undated, unconfigured. $2: the domains asked for (NULL: all).
LIST_ITEMS_OF = f"""
    SELECT {LIST_COLUMNS} FROM customer_list_items
    WHERE customer_id = $1 AND ($2::text[] IS NULL OR domain = ANY($2::text[]))
    UNION ALL
    SELECT id, customer_id, '{GROUP_DOMAIN}', 'default', group_id::text, NULL, NULL,
           '{{}}'::jsonb, 0, 1, created_at, created_at
    FROM customer_group_members
    WHERE customer_id = $1 AND ($2::text[] IS NULL OR '{GROUP_DOMAIN}' = ANY($2::text[]))
    ORDER BY domain, position, id
"""
Source: TypeAlias = "Connection | asyncpg.Pool[asyncpg.Record]"
"""Where a read runs: the pool, or a unit of work's connection (under its locks)."""


def row_to_property(row: asyncpg.Record) -> CustomerProperty:
    return CustomerProperty(
        id=row["id"],
        customer_id=row["customer_id"],
        type=row["type"],
        language=row["language"],
        value=row["value"],
        created_at=row["created_at"],
    )


def row_to_list_item(row: asyncpg.Record) -> ListItem:
    return ListItem(
        id=row["id"],
        customer_id=row["customer_id"],
        domain=row["domain"],
        type=row["type"],
        ref_id=row["ref_id"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        config=row["config"],
        position=row["position"],
        status=row["status"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def assignments(changes: Mapping[str, Any], writable: frozenset[str], start: int) -> str:
    """`a = $start, b = $start+1, ...` for the sorted names of `changes`; a name outside
    `writable` is refused, so no column name comes from the caller's data unchecked."""
    unknown = set(changes) - writable
    if unknown:
        raise ValueError(f"not writable: {sorted(unknown)}")
    return ", ".join(f"{name} = ${n}" for n, name in enumerate(sorted(changes), start=start))


async def _properties_of(db: Source, customer_id: int) -> list[CustomerProperty]:
    return [row_to_property(row) for row in await db.fetch(PROPERTIES_OF, customer_id)]


async def _list_items_of(
    db: Source, customer_id: int, domains: Collection[str] | None
) -> list[ListItem]:
    wanted = None if domains is None else list(domains)
    return [row_to_list_item(row) for row in await db.fetch(LIST_ITEMS_OF, customer_id, wanted)]


class PgCustomerDataReads:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def properties_of(self, customer_id: int) -> list[CustomerProperty]:
        return await _properties_of(self._pool, customer_id)

    async def list_items_of(
        self, customer_id: int, domains: Collection[str] | None
    ) -> list[ListItem]:
        return await _list_items_of(self._pool, customer_id, domains)

    async def groups_by_id(self, tenant_id: int, group_ids: Sequence[int]) -> list[CustomerGroup]:
        rows = await self._pool.fetch(
            f"SELECT {GROUP_COLUMNS} FROM customer_groups "
            "WHERE tenant_id = $1 AND id = ANY($2::bigint[]) ORDER BY id",
            tenant_id,
            list(group_ids),
        )
        return [row_to_group(row) for row in rows]


class PgProperties:
    """`PropertyRepository` on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def of_customer(self, customer_id: int) -> list[CustomerProperty]:
        return await _properties_of(self._db, customer_id)

    async def add(self, customer_id: int, draft: PropertyDraft, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO customer_properties (customer_id, type, language, value, created_at) "
            f"VALUES ($1, $2, $3, $4, $5) ON CONFLICT ON CONSTRAINT {PROPERTY_UNIQUE} DO NOTHING",
            customer_id,
            draft.type,
            draft.language,
            draft.value,
            now,
        )

    async def update(self, property_id: int, change: PropertyChange) -> CustomerProperty:
        changes = change.changed_fields()
        names = sorted(changes)
        try:
            row = await self._db.fetchrow(
                f"UPDATE customer_properties SET {assignments(changes, PROPERTY_WRITABLE, 2)} "
                f"WHERE id = $1 RETURNING {PROPERTY_COLUMNS}",
                property_id,
                *(changes[name] for name in names),
            )
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == PROPERTY_UNIQUE:
                raise PropertyExists() from None
            raise
        if row is None:
            raise PropertyNotFound()
        return row_to_property(row)

    async def delete(self, customer_id: int, property_ids: Sequence[int]) -> None:
        await self._db.execute(
            "DELETE FROM customer_properties WHERE customer_id = $1 AND id = ANY($2::bigint[])",
            customer_id,
            list(property_ids),
        )


class PgLists:
    """`ListRepository` on one transaction's connection."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def of_customer(self, customer_id: int) -> list[ListItem]:
        return await _list_items_of(self._db, customer_id, None)

    async def upsert(self, customer_id: int, draft: ListItemDraft, now: datetime) -> None:
        await self._db.execute(
            """
            INSERT INTO customer_list_items (customer_id, domain, type, ref_id, starts_at,
                ends_at, config, position, status, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
            ON CONFLICT ON CONSTRAINT customer_list_items_key DO UPDATE SET
                starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                config = EXCLUDED.config, position = EXCLUDED.position,
                status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
            """,
            customer_id,
            draft.domain,
            draft.type,
            draft.ref_id,
            draft.starts_at,
            draft.ends_at,
            draft.config,
            draft.position,
            draft.status,
            now,
        )

    async def update(self, item_id: int, change: ListItemChange, now: datetime) -> ListItem:
        changes = change.changed_fields()
        if {"domain", "type", "ref_id"} & set(changes):
            # The item moves onto a key another item holds: that one makes way, as a second
            # add of the same key would have updated it.
            await self._db.execute(
                """
                DELETE FROM customer_list_items other USING customer_list_items item
                WHERE item.id = $1 AND other.customer_id = item.customer_id
                  AND other.id <> item.id
                  AND other.domain = coalesce($2, item.domain)
                  AND other.type = coalesce($3, item.type)
                  AND other.ref_id = coalesce($4, item.ref_id)
                """,
                item_id,
                changes.get("domain"),
                changes.get("type"),
                changes.get("ref_id"),
            )
        names = sorted(changes)
        setting = assignments(changes, LIST_WRITABLE, 3)
        row = await self._db.fetchrow(
            f"UPDATE customer_list_items SET updated_at = $2{', ' if setting else ''}{setting} "
            f"WHERE id = $1 RETURNING {LIST_COLUMNS}",
            item_id,
            now,
            *(changes[name] for name in names),
        )
        if row is None:
            raise ListItemNotFound()
        return row_to_list_item(row)

    async def delete(self, customer_id: int, item_ids: Sequence[int]) -> None:
        await self._db.execute(
            "DELETE FROM customer_list_items WHERE customer_id = $1 AND id = ANY($2::bigint[])",
            customer_id,
            list(item_ids),
        )
