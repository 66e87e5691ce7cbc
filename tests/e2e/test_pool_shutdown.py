"""`patron serve` with its pool taken by stuck requests (issue 18): the requests beyond the
pool get Glue's 503 once the acquire timeout passes, and SIGTERM still stops the server
while the stuck ones wait on a lock."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.servers import running_server
from tests.waiting import wait_until_async

POOL = 2
LOGIN = {
    "data": {
        "type": "access-tokens",
        "attributes": {"username": "nobody@example.com", "password": "not-the-password"},
    }
}
JSON_API = {"Accept": "application/vnd.api+json"}


async def _lock_waiters(pool: asyncpg.Pool) -> int:
    """Seen from outside the lock's transaction (which keeps one snapshot of the view)."""
    count: int = await pool.fetchval(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return count


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_requests_beyond_a_stuck_pool_get_503_and_sigterm_stops_the_server(
    clean_db: asyncpg.Pool, database_url: str, tmp_path: Path
) -> None:
    with running_server(
        database_url,
        tmp_path / "server.log",
        PATRON_DATABASE_POOL_MIN="1",
        PATRON_DATABASE_POOL_MAX=str(POOL),
        PATRON_DATABASE_POOL_TIMEOUT_SECONDS="1",
        PATRON_SHUTDOWN_TIMEOUT_SECONDS="3",
    ) as server:
        locker = await asyncpg.connect(database_url)
        try:
            async with locker.transaction(), httpx.AsyncClient(timeout=60) as http:
                # Every login reads `customers`: the first POOL wait on the lock, holding
                # the server's every connection.
                await locker.execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE")
                logins = [
                    asyncio.create_task(
                        http.post(f"{server.base}/glue/access-tokens", json=LOGIN, headers=JSON_API)
                    )
                    for _ in range(3 * POOL)
                ]
                await wait_until_async(
                    lambda: _at_least(POOL, _lock_waiters(clean_db)),
                    within=30,
                    what="requests stuck on the lock",
                )
                await wait_until_async(
                    lambda: _at_least(2 * POOL, _done(logins)),
                    within=30,
                    what="answers to the requests beyond the pool",
                )
                answered = [task.result() for task in logins if task.done()]
                stuck = [task for task in logins if not task.done()]

                stopping = time.monotonic()
                server.process.send_signal(signal.SIGTERM)
                await wait_until_async(
                    lambda: _stopped(server.process), within=30, what="the server to stop"
                )
                stopped_after = time.monotonic() - stopping
                await asyncio.gather(*stuck, return_exceptions=True)  # cut off by the stop
        finally:
            await locker.close()

    assert len(answered) == 2 * POOL and len(stuck) == POOL
    assert {a.status_code for a in answered} == {503}
    assert {a.headers["retry-after"] for a in answered} == {"1"}
    assert answered[0].json() == {"errors": [{"status": 503, "detail": "Service Unavailable"}]}
    assert stopped_after < 15


async def _done(tasks: Sequence[asyncio.Task[httpx.Response]]) -> int:
    return sum(task.done() for task in tasks)


async def _stopped(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is not None


async def _at_least(count: int, counted: Awaitable[int]) -> bool:
    return await counted >= count
