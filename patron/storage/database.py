"""The asyncpg pool: JSON codecs, a no-op reset (the default reset query costs up to a
third of lookup throughput, and we leave no session state behind), and an acquire timeout
(a request that finds every connection taken is refused with `ServiceUnavailable` once the
timeout passes, rather than waiting without end)."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
import orjson
from asyncpg.pool import PoolAcquireContext, PoolConnectionProxy

from patron.core.domain.errors.unavailable import ServiceUnavailable

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
"""What repositories run their SQL on: a connection, or a pool's proxy of one."""

DEFAULT_ACQUIRE_TIMEOUT_SECONDS = 5.0
"""`PATRON_DATABASE_POOL_TIMEOUT_SECONDS`' default."""

if TYPE_CHECKING:  # generic in the stubs only
    _AcquireBase = PoolAcquireContext[asyncpg.Record]
    _PoolBase = asyncpg.Pool[asyncpg.Record]
else:
    _AcquireBase = PoolAcquireContext
    _PoolBase = asyncpg.Pool


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


UNAVAILABLE = (
    TimeoutError,  # no connection came free (or none could be opened) in time
    OSError,  # the server cannot be reached to open one
    asyncpg.TooManyConnectionsError,  # the server has no room for another
    asyncpg.CannotConnectNowError,  # the server is starting or stopping
)
"""What acquiring a connection raises when the database cannot serve one now: a 503 for
the caller, not a 500 (a statement's own errors are not acquiring's, and stay as they are)."""


class _TimedAcquire(_AcquireBase):
    """asyncpg's acquire, its failures to get a connection turned into the core's error."""

    __slots__ = ()

    async def __aenter__(self) -> PoolConnectionProxy[asyncpg.Record]:
        try:
            return await super().__aenter__()
        except UNAVAILABLE as error:
            raise ServiceUnavailable() from error

    def __await__(self) -> Generator[Any, None, PoolConnectionProxy[asyncpg.Record]]:
        try:
            return (yield from super().__await__())
        except UNAVAILABLE as error:
            raise ServiceUnavailable() from error


class TimedPool(_PoolBase):
    """A pool whose every acquire, its own `fetch`, `execute` ... included, waits at most
    `acquire_timeout` seconds for a connection."""

    __slots__ = ("acquire_timeout",)

    def __init__(self, dsn: str, *, acquire_timeout: float, **options: Any) -> None:
        super().__init__(dsn, **options)
        self.acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext[asyncpg.Record]:
        return _TimedAcquire(self, self.acquire_timeout if timeout is None else timeout)


async def create_pool(
    dsn: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    acquire_timeout: float = DEFAULT_ACQUIRE_TIMEOUT_SECONDS,
) -> asyncpg.Pool:
    # `asyncpg.create_pool` with its own defaults, but our class.
    pool = TimedPool(
        dsn,
        acquire_timeout=acquire_timeout,
        min_size=min_size,
        max_size=max_size,
        max_queries=50000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        reset=_no_reset,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
    )
    return await pool
