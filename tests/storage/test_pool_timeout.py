"""The pool's acquire timeout: with every connection taken, each way of asking for one (the
pool's own statements, `acquire` awaited or entered, a unit of work) is refused with the
core's `ServiceUnavailable` once the timeout passes, and works again once one is free."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from patron.core.domain.errors.unavailable import ServiceUnavailable
from patron.storage.database import create_pool
from patron.storage.uow import PgUnitOfWork
from tests.smtp import free_port

TIMEOUT = 0.3


@pytest.fixture
async def small_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=1, acquire_timeout=TIMEOUT)
    yield pool
    await pool.close()


async def _statement(pool: asyncpg.Pool) -> object:
    return await pool.fetchval("SELECT 1")


async def _awaited(pool: asyncpg.Pool) -> object:
    connection = await pool.acquire()
    await pool.release(connection)
    return connection


async def _entered(pool: asyncpg.Pool) -> object:
    async with pool.acquire() as connection:
        return await connection.fetchval("SELECT 1")


async def _unit_of_work(pool: asyncpg.Pool) -> object:
    async with PgUnitOfWork(pool) as uow:
        return await uow.customers.next_number(1)


ASKS = [_statement, _awaited, _entered, _unit_of_work]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("ask", ASKS, ids=[ask.__name__.strip("_") for ask in ASKS])
async def test_with_every_connection_taken_an_ask_is_refused_after_the_timeout(
    small_pool: asyncpg.Pool, ask: Callable[[asyncpg.Pool], Awaitable[object]]
) -> None:
    held = await small_pool.acquire()
    started = time.monotonic()
    try:
        with pytest.raises(ServiceUnavailable) as refused:
            await ask(small_pool)
        waited = time.monotonic() - started
    finally:
        await small_pool.release(held)

    assert TIMEOUT * 0.9 <= waited < TIMEOUT + 5
    assert refused.value.retry_after_seconds == 1
    assert await ask(small_pool) is not None  # a free connection again: served


@pytest.mark.timeout(30)
async def test_an_explicit_timeout_still_wins(small_pool: asyncpg.Pool) -> None:
    held = await small_pool.acquire()
    started = time.monotonic()
    try:
        with pytest.raises(ServiceUnavailable):
            await small_pool.acquire(timeout=0.05)
    finally:
        await small_pool.release(held)

    assert time.monotonic() - started < TIMEOUT


@pytest.mark.timeout(30)
async def test_a_database_that_cannot_be_reached_is_unavailable_not_an_error() -> None:
    """A pool that must open a connection to a server nobody listens on (down, or moved):
    the same refusal as a pool with none free, so every dialect answers 503, not 500."""
    pool = await create_pool(
        f"postgresql://postgres@127.0.0.1:{free_port()}/patron", min_size=0, max_size=1
    )
    try:
        with pytest.raises(ServiceUnavailable) as refused:
            await pool.fetchval("SELECT 1")
    finally:
        await pool.close()

    assert isinstance(refused.value.__cause__, OSError)
