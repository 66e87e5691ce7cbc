"""The asyncpg pool: JSON codecs and a no-op reset (the default reset query costs up to a
third of lookup throughput, and we leave no session state behind)."""

from __future__ import annotations

from typing import Any, TypeAlias

import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
"""What repositories run their SQL on: a connection, or a pool's proxy of one."""


def qualified(columns: str, alias: str) -> str:
    """A repository's column list (`"id, uuid, ..."`) for a statement that joins its table
    as `alias`: `"g.id, g.uuid, ..."`, so a join never keeps a second copy of the list."""
    return ", ".join(f"{alias}.{column}" for column in columns.split(", "))


async def _init_connection(connection: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await connection.set_type_codec(
            type_name,
            encoder=lambda value: orjson.dumps(value).decode(),
            decoder=orjson.loads,
            schema="pg_catalog",
        )


async def _no_reset(connection: asyncpg.Connection) -> None:
    return None


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    pool: asyncpg.Pool[Any] = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_no_reset,
    )
    return pool
