"""Fixtures of the storage tests: a database of their own, migrated as each test says."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.conftest import _with_database


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
