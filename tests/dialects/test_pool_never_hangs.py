"""The database pool never hangs the server (issue 18): a write holds one connection at a
time, so racing writes that outnumber the pool's connections all get their answers, and a
request that finds every connection taken gets its dialect's 503 once the pool's acquire
timeout passes, never a hang or a 500."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from patron.app import create_app
from patron.dialects.aimeos.app import CUSTOMER_RESOURCES, HOST_ROUTES
from patron.services import Services
from patron.settings import Settings
from patron.storage.database import create_pool
from tests.dialects.pool_routes import WRITES, Write, send
from tests.dialects.pool_stages import STAGES

POOL_SIZE = 3
RACERS = 3 * POOL_SIZE
ACQUIRE_TIMEOUT_SECONDS = 2.0
EVERY_ROUTE = pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])


@contextlib.asynccontextmanager
async def services_on(
    database_url: str, settings: Settings, connections: int
) -> AsyncIterator[Services]:
    """Services on a pool of their own with `connections` connections at most."""
    pool = await create_pool(
        database_url, min_size=1, max_size=connections, acquire_timeout=ACQUIRE_TIMEOUT_SECONDS
    )
    try:
        services = await Services.build(settings, database_url, pool)
        try:
            yield services
        finally:
            await services.close(keep_pool=True)
    finally:
        await pool.close()


async def ready(services: Services, settings: Settings) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.get("/ready")


def every_connection_is_back(pool: asyncpg.Pool) -> bool:
    return pool.get_idle_size() == pool.get_size()


@pytest.mark.timeout(60)
@EVERY_ROUTE
async def test_a_write_holds_one_connection_at_a_time(
    write: Write, clean_db: asyncpg.Pool, database_url: str, settings: Settings
) -> None:
    """On a pool of ONE connection, a write that reached for a second one while it holds
    the first would wait for itself: it must answer as it always does, no 503."""
    async with services_on(database_url, settings, connections=1) as services:
        stage = await STAGES[write.stage](services, settings)
        answer = await send(stage, write, 0)

        assert answer.status_code in write.answers, answer.text
        assert every_connection_is_back(services.pool)


@pytest.mark.timeout(60)
@EVERY_ROUTE
async def test_racing_writes_outnumbering_the_pool_all_get_their_answers(
    write: Write, clean_db: asyncpg.Pool, database_url: str, settings: Settings
) -> None:
    async with services_on(database_url, settings, connections=POOL_SIZE) as services:
        stage = await STAGES[write.stage](services, settings)
        answers = await asyncio.gather(*(send(stage, write, i) for i in range(RACERS)))

        statuses = sorted(answer.status_code for answer in answers)
        assert set(statuses) <= {*write.answers, 503}, [a.text for a in answers]
        assert every_connection_is_back(services.pool)
        assert (await ready(services, settings)).status_code == 200


def test_every_write_route_is_in_the_table(settings: Settings) -> None:
    """Each POST, PUT, PATCH and DELETE route the dialects declare (and Aimeos' resources
    and host routes) is raced above."""
    raced = {(write.mount, write.method, write.path, write.query) for write in WRITES}
    routed = {(w.mount, w.method, w.path) for w in WRITES}
    app = create_app(settings)
    declared: set[tuple[str, str, str]] = set()
    for mount, sub in app.dispatch.mounts:
        for route in getattr(sub, "routes", ()):
            for method in getattr(route, "methods", None) or ():
                if method in {"POST", "PUT", "PATCH", "DELETE"}:
                    declared.add((mount, method, route.path))
    assert {d for d in declared if d[0] != "/jsonapi"}, "no routes found"
    assert declared - routed == set()
    for related in CUSTOMER_RESOURCES:
        for method in ("POST", "PATCH", "DELETE"):
            assert any(
                w[:3] == ("/jsonapi", method, "/customer")
                and (w[3].startswith(f"related={related}") if related else "related" not in w[3])
                for w in raced
            ), (method, related)
    for host in HOST_ROUTES:
        assert ("/jsonapi", "POST", f"/{host}", "") in raced
