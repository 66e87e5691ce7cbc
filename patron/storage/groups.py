"""Customer groups and memberships in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from patron.core.domain.commands import UNSET, Unset
from patron.core.domain.errors.conflict import GroupNameTaken
from patron.core.domain.errors.not_found import GroupNotFound
from patron.core.domain.model import CustomerGroup
from patron.core.domain.queries import GroupQuery
from patron.storage.database import Connection, qualified
from patron.storage.listing import Filters, page_and_count

GROUP_COLUMNS = "id, uuid, tenant_id, name, metadata, created_at, updated_at"
_G_COLUMNS = qualified(GROUP_COLUMNS, "g")
NAME_INDEX = "customer_groups_name_unique"
SORT_COLUMNS = {
    "id": "g.id",
    "created_at": "g.created_at",
    "updated_at": "g.updated_at",
    "name": "g.name",
}


def row_to_group(row: asyncpg.Record) -> CustomerGroup:
    return CustomerGroup(
        id=row["id"],
        uuid=row["uuid"],
        tenant_id=row["tenant_id"],
        name=row["name"],
        metadata=row["metadata"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _name_taken(error: asyncpg.UniqueViolationError, name: str) -> Exception:
    return GroupNameTaken(name) if error.constraint_name == NAME_INDEX else error


class PgGroups:
    """Inside a unit of work: the caller's transaction holds every lock taken here."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def add(
        self, tenant_id: int, uuid: UUID, name: str, metadata: dict[str, Any], now: datetime
    ) -> CustomerGroup:
        try:
            row = await self._db.fetchrow(
                "INSERT INTO customer_groups (uuid, tenant_id, name, metadata, created_at, "
                f"updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING {GROUP_COLUMNS}",
                uuid,
                tenant_id,
                name,
                metadata,
                now,
            )
        except asyncpg.UniqueViolationError as error:
            raise _name_taken(error, name) from None
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row_to_group(row)

    async def get(
        self, tenant_id: int, group_uuid: UUID, *, for_update: bool = False
    ) -> CustomerGroup | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._db.fetchrow(
            f"SELECT {GROUP_COLUMNS} FROM customer_groups WHERE uuid = $2 AND tenant_id = $1"
            + lock,
            tenant_id,
            group_uuid,
        )
        return row_to_group(row) if row else None

    async def update(
        self,
        group_id: int,
        *,
        name: str | Unset = UNSET,
        metadata: dict[str, Any] | Unset = UNSET,
        now: datetime,
    ) -> CustomerGroup:
        given = {"name": name, "metadata": metadata}
        changes = {column: value for column, value in given.items() if value is not UNSET}
        names = sorted(changes)
        assignments = "".join(f", {name} = ${n}" for n, name in enumerate(names, start=3))
        try:
            row = await self._db.fetchrow(
                f"UPDATE customer_groups SET updated_at = $2{assignments} "
                f"WHERE id = $1 RETURNING {GROUP_COLUMNS}",
                group_id,
                now,
                *(changes[name] for name in names),
            )
        except asyncpg.UniqueViolationError as error:
            raise _name_taken(error, str(changes.get("name", ""))) from None
        if row is None:
            raise GroupNotFound()
        return row_to_group(row)

    async def delete(self, tenant_id: int, group_uuid: UUID) -> bool:
        # Memberships go with the group (ON DELETE CASCADE); the customers stay.
        deleted = await self._db.fetchval(
            "DELETE FROM customer_groups WHERE uuid = $2 AND tenant_id = $1 RETURNING true",
            tenant_id,
            group_uuid,
        )
        return bool(deleted)

    async def group_ids(self, tenant_id: int, group_uuids: Sequence[UUID]) -> dict[UUID, int]:
        rows = await self._db.fetch(
            "SELECT uuid, id FROM customer_groups WHERE tenant_id = $1 AND uuid = ANY($2::uuid[])",
            tenant_id,
            list(group_uuids),
        )
        return {row["uuid"]: row["id"] for row in rows}

    async def customer_ids(self, tenant_id: int, customer_uuids: Sequence[UUID]) -> dict[UUID, int]:
        # KEY SHARE in id order, as every batch does: a batch waits here for a customer
        # update holding the row (groups replaced under `FOR UPDATE`) instead of inserting
        # a membership first and deadlocking with it on the foreign-key check.
        rows = await self._db.fetch(
            "SELECT uuid, id FROM customers "
            "WHERE tenant_id = $1 AND uuid = ANY($2::uuid[]) AND deleted_at IS NULL "
            "ORDER BY id FOR KEY SHARE",
            tenant_id,
            list(customer_uuids),
        )
        return {row["uuid"]: row["id"] for row in rows}

    async def group_ids_of(self, customer_id: int) -> frozenset[int]:
        rows = await self._db.fetch(
            "SELECT group_id FROM customer_group_members WHERE customer_id = $1", customer_id
        )
        return frozenset(row["group_id"] for row in rows)

    async def add_members(self, group_id: int, customer_ids: Sequence[int], now: datetime) -> None:
        await self._insert_members("$1, unnest($2::bigint[])", group_id, customer_ids, now)

    async def remove_members(self, group_id: int, customer_ids: Sequence[int]) -> None:
        await self._db.execute(
            "DELETE FROM customer_group_members "
            "WHERE group_id = $1 AND customer_id = ANY($2::bigint[])",
            group_id,
            sorted(customer_ids),
        )

    async def set_groups_of(
        self, customer_id: int, group_ids: Sequence[int], now: datetime
    ) -> None:
        """Memberships that stay keep their `created_at`; the rest go or come."""
        await self._db.execute(
            "DELETE FROM customer_group_members "
            "WHERE customer_id = $1 AND NOT group_id = ANY($2::bigint[])",
            customer_id,
            list(group_ids),
        )
        await self._insert_members("unnest($2::bigint[]), $1", customer_id, group_ids, now)

    async def _insert_members(
        self, pair: str, one: int, many: Sequence[int], now: datetime
    ) -> None:
        """Memberships of `one` id with each of `many` (`pair`: the select list naming them
        as group id, customer id). ON CONFLICT: a concurrent batch naming the same member
        leaves it in once. In id order, so two batches naming the same members in other
        orders never deadlock."""
        try:
            await self._db.execute(
                "INSERT INTO customer_group_members (group_id, customer_id, created_at) "
                f"SELECT {pair}, $3 ON CONFLICT DO NOTHING",
                one,
                sorted(many),
                now,
            )
        except asyncpg.ForeignKeyViolationError:
            raise GroupNotFound() from None  # deleted by a concurrent transaction


class PgGroupReads:
    """One statement each, straight from the pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def search(self, tenant_id: int, query: GroupQuery) -> tuple[list[CustomerGroup], int]:
        where = Filters("g.tenant_id = $1", [tenant_id])
        if query.text:
            # A plain substring test: no pattern characters to escape, and the tenant's
            # groups are few enough to read through.
            where.add("strpos(lower(g.name), lower({})) > 0", query.text)
        if query.uuids:
            where.add("g.uuid = ANY({}::uuid[])", list(query.uuids))
        if query.names:
            where.add("g.name = ANY({}::text[])", list(query.names))
        where.add_bounds("g.created_at", query.created)
        where.add_bounds("g.updated_at", query.updated)
        rows, total = await page_and_count(
            self._pool,
            columns=_G_COLUMNS,
            source="customer_groups g",
            where=where,
            order=[(SORT_COLUMNS[query.sort.field], query.sort.descending)],
            tiebreak="g.id",
            page=query.page,
        )
        return [row_to_group(row) for row in rows], total

    async def get(self, tenant_id: int, group_uuid: UUID) -> CustomerGroup | None:
        row = await self._pool.fetchrow(
            f"SELECT {GROUP_COLUMNS} FROM customer_groups WHERE uuid = $2 AND tenant_id = $1",
            tenant_id,
            group_uuid,
        )
        return row_to_group(row) if row else None

    async def groups_of(self, customer_ids: Sequence[int]) -> dict[int, list[CustomerGroup]]:
        found: dict[int, list[CustomerGroup]] = {customer_id: [] for customer_id in customer_ids}
        if not found:
            return found
        rows = await self._pool.fetch(
            f"SELECT m.customer_id, {_G_COLUMNS} "
            "FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id "
            "WHERE m.customer_id = ANY($1::bigint[]) ORDER BY m.customer_id, g.id",
            list(found),
        )
        for row in rows:
            found[row["customer_id"]].append(row_to_group(row))
        return found
