"""The wiring: state that must be shared between workers is never kept in one process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.services import Services
from tests.conftest import cheap_settings, registration_for


@pytest.fixture
async def two_workers(clean_db: asyncpg.Pool, database_url: str) -> AsyncIterator[list[Services]]:
    """Two `Services` built on their own, each with its own pool, as two workers build
    them; no Redis is configured."""
    settings = cheap_settings(database_url=database_url, login_max_failures=3)
    workers = [await Services.start(settings, database_url) for _ in range(2)]
    yield workers
    for services in workers:
        await services.close()


async def test_workers_without_redis_share_one_lockout(two_workers: list[Services]) -> None:
    first, second = two_workers
    tenant = await first.core.tenants.get("default")
    await first.core.accounts.register(tenant, registration_for("locked@example.com"))

    async def fail(services: Services, client_ip: str) -> None:
        with pytest.raises(InvalidCredentials):
            await services.core.auth.login(
                tenant, "locked@example.com", "wrong-password", client_ip=client_ip
            )

    await fail(first, "198.51.100.1")
    await fail(first, "198.51.100.1")
    await fail(second, "198.51.100.2")

    for services in two_workers:
        with pytest.raises(LoginBlocked):
            await services.core.auth.login(
                tenant, "locked@example.com", "change123", client_ip="198.51.100.3"
            )
