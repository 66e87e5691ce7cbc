"""Fixtures of the storage tests: a database of their own, migrated as each test says."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from tests.conftest import _with_database
from tests.storage.backends import Backend, memory_backend, postgres_backend


@pytest.fixture
async def empty_database(server_dsn: str) -> AsyncIterator[str]:
    name = f"patron_mig_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    yield _with_database(server_dsn, name)
    admin = await asyncpg.connect(server_dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest.fixture(params=["memory", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """The unit-of-work contract runs on the fake and on PostgreSQL (from empty tables)."""
    if request.param == "memory":
        return memory_backend(datetime.now(UTC))
    pool: asyncpg.Pool = request.getfixturevalue("clean_db")
    return postgres_backend(pool)
