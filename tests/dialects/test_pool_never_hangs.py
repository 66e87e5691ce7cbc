"""The database pool never hangs the server (issue 18): a write holds one connection at a
time, so racing writes that outnumber the pool's connections all get their answers, and a
request that finds every connection taken gets its dialect's 503 once the pool's acquire
timeout passes, never a hang or a 500."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from patron.app import create_app
from patron.core.back_office.imports import ImportedCustomer, Refused
from patron.core.domain.errors.unavailable import ServiceUnavailable
from patron.core.domain.password_migration import ImportedPassword
from patron.dialects.aimeos.app import CUSTOMER_RESOURCES, HOST_ROUTES
from patron.services import Services
from patron.settings import Settings
from patron.storage.database import create_pool
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of
from tests.dialects.pool_routes import IMPORTED, WRITES, Write, send
from tests.dialects.pool_stages import STAGES
from tests.helpers import LOOPBACK, dialect_client

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
    async with dialect_client(services, settings, peer=LOOPBACK) as http:
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
    for mount in app.dispatch.mounts:
        for route in getattr(mount.dialect, "routes", ()):
            for method in getattr(route, "methods", None) or ():
                if method in {"POST", "PUT", "PATCH", "DELETE"}:
                    declared.add((mount.prefix, method, route.path))
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


# --- an exhausted pool ----------------------------------------------------------------------

BUSY = {
    "/glue": {"errors": [{"status": 503, "detail": "Service Unavailable"}]},
    "/medusa": {
        "code": "api_error",
        "type": "database_error",
        "message": "The database is busy. Please retry.",
    },
    "/jsonapi": [{"title": "Service temporarily unavailable, please retry"}],
    "/emporix": {
        "status": 503,
        "type": "service_unavailable",
        "message": "Service temporarily unavailable. Please retry.",
    },
}
"""Each dialect's 503 (Aimeos': the `errors` of its document, beside `meta` and `links`)."""


def busy_body(mount: str, answer: httpx.Response) -> object:
    body = answer.json()
    return body["errors"] if mount == "/jsonapi" else body


@contextlib.asynccontextmanager
async def exhausted(pool: asyncpg.Pool) -> AsyncIterator[None]:
    """Every connection the pool may open, held by the test until the block ends."""
    held = [await pool.acquire() for _ in range(pool.get_max_size())]
    try:
        yield
    finally:
        for connection in held:
            await pool.release(connection)


def _named(name: str) -> Write:
    (found,) = [write for write in WRITES if write.name == name]
    return found


BUSY_REQUESTS = [
    Write("glue", "GET", "/customers/{customer_reference}", (200,)),
    _named("glue: PATCH /customers/{customer_reference}/addresses/{address_uuid}"),
    Write("medusa store", "GET", "/store/customers/me", (200,)),
    _named("medusa store: POST /store/customers/me"),
    Write(
        "medusa admin",
        "GET",
        "/admin/customers/{id}",
        (200,),
        caller="admin",
        fields={"id": "customer_id"},
    ),
    Write("aimeos", "GET", "/customer", (200,)),
    _named("aimeos: PATCH /customer"),
    Write(
        "emporix", "GET", "/customer/{tenant}/customers/{customerNumber}", (200,), caller="service"
    ),
    _named("emporix: PATCH /customer/{tenant}/customers/{customerNumber}/addresses/{addressId}"),
    Write("emporix storefront", "GET", "/customer/{tenant}/me", (200,)),
    _named("emporix storefront: PATCH /customer/{tenant}/me"),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("write", BUSY_REQUESTS, ids=[write.name for write in BUSY_REQUESTS])
async def test_a_request_finding_every_connection_taken_gets_its_dialects_503(
    write: Write, clean_db: asyncpg.Pool, database_url: str, settings: Settings
) -> None:
    """A signed-in caller's read (the hot path, outside any transaction) or write, while
    every connection is held: the dialect's 503 with `Retry-After` once the acquire
    timeout passes; the same request answers as usual once connections are free."""
    async with services_on(database_url, settings, connections=2) as services:
        stage = await STAGES[write.stage](services, settings)
        async with exhausted(services.pool):
            busy = await send(stage, write, 0)
        again = await send(stage, write, 1)

    assert busy.status_code == 503, busy.text
    assert busy_body(write.mount, busy) == BUSY[write.mount]
    assert busy.headers["retry-after"] == "1"
    assert again.status_code in write.answers, again.text


COLD_REQUESTS = [
    ("/glue", "POST", "/glue/access-tokens", {"json": {"data": {"type": "access-tokens",
     "attributes": {"username": "a@example.com", "password": "x"}}}}),
    ("/medusa", "POST", "/medusa/store/auth/token", {"json": {"email": "a@b.c", "password": "x"}}),
    ("/medusa", "POST", "/medusa/admin/auth/token", {"json": {"email": "a@b.c", "password": "x"}}),
    ("/jsonapi", "GET", "/jsonapi/customer", {}),
    ("/emporix", "POST", "/emporix/oauth/token", {"data": {"grant_type": "client_credentials",
     "client_id": "nobody", "client_secret": "x"}}),
    ("/emporix", "GET", "/emporix/customerlogin/auth/anonymous/login",
     {"params": {"tenant": "default", "client_id": "nobody"}}),
]  # fmt: skip


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("mount", "method", "url", "sent"), COLD_REQUESTS)
async def test_a_first_request_finding_every_connection_taken_gets_its_dialects_503(
    mount: str,
    method: str,
    url: str,
    sent: dict[str, Any],
    clean_db: asyncpg.Pool,
    database_url: str,
    settings: Settings,
) -> None:
    """Before anything is cached (the tenant, read by Glue's transport and Aimeos' session
    step before any route runs): the 503 still, not a 500."""
    async with (
        services_on(database_url, settings, connections=1) as services,
        dialect_client(services, settings, peer=LOOPBACK) as http,
        exhausted(services.pool),
    ):
        answer = await http.request(
            method, url, headers={"Accept": "application/vnd.api+json"}, **sent
        )

    assert answer.status_code == 503, answer.text
    assert busy_body(mount, answer) == BUSY[mount]
    assert answer.headers["retry-after"] == "1"


@pytest.mark.timeout(60)
async def test_readiness_says_unavailable_while_every_connection_is_taken(
    clean_db: asyncpg.Pool, database_url: str, settings: Settings
) -> None:
    async with services_on(database_url, settings, connections=1) as services:
        async with exhausted(services.pool):
            busy = await ready(services, settings)
        free = await ready(services, settings)

    assert (busy.status_code, busy.json()) == (
        503,
        {"status": "unavailable", "database": "unreachable"},
    )
    assert free.status_code == 200


@pytest.mark.timeout(60)
async def test_an_import_stops_trying_once_the_database_gives_no_connection(
    clean_db: asyncpg.Pool, database_url: str, settings: Settings
) -> None:
    """Each item of a batch is its own transaction: once one finds no connection, the rest
    are refused for it too, rather than each waiting out the timeout again."""
    items = [
        ImportedCustomer(registration_for(f"imported{i}@example.com"), ImportedPassword(IMPORTED))
        for i in range(5)
    ]
    async with services_on(database_url, settings, connections=1) as services:
        tenant = await services.core.tenants.get("default")
        async with exhausted(services.pool):
            started = time.monotonic()
            outcomes = await services.core.imports.import_batch(principal_of(tenant), tenant, items)
            waited = time.monotonic() - started

    assert [(type(o), type(getattr(o, "error", None))) for o in outcomes] == [
        (Refused, ServiceUnavailable)
    ] * len(items)
    assert waited < 2 * ACQUIRE_TIMEOUT_SECONDS
