"""The partial update every versioned row shares: write what changed, bump the version."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import asyncpg

from patron.storage.database import Connection


def db_value(value: Any) -> Any:
    """Enums go to the database as their values."""
    return value.value if isinstance(value, Enum) else value


async def update_versioned(
    db: Connection,
    table: str,
    row_id: int,
    changes: Mapping[str, Any],
    *,
    writable: frozenset[str],
    returning: str,
    now: datetime,
) -> asyncpg.Record | None:
    """`UPDATE table SET <changes>, updated_at, version + 1 WHERE id` and the new row.

    Column names come only from `writable`, never from the caller's data unchecked.
    """
    unknown = set(changes) - writable
    if unknown:
        raise ValueError(f"not writable: {sorted(unknown)}")
    names = sorted(changes)
    assignments = ", ".join(f"{name} = ${index}" for index, name in enumerate(names, start=3))
    row: asyncpg.Record | None = await db.fetchrow(
        f"UPDATE {table} SET {assignments}, updated_at = $2, version = version + 1 "
        f"WHERE id = $1 RETURNING {returning}",
        row_id,
        now,
        *(db_value(changes[name]) for name in names),
    )
    return row
