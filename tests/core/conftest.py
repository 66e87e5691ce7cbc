"""Core fixtures: the core on the in-memory fake (`memory`), or on PostgreSQL.

A test of a core rule asks for `memory` and runs without a database; a test that proves
SQL behaviour (locks, races, search) asks for `timed_services` as before. `tenant` is the
default tenant of whichever of the two the test asked for.
"""

from __future__ import annotations

import asyncpg
import pytest

from patron.core.customers.addresses import Addresses
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.conftest import FrozenClock
from tests.core.signed_in import signed_in_on_postgres
from tests.fakes import MemoryServices


@pytest.fixture
def memory(settings: Settings, clock: FrozenClock) -> MemoryServices:
    """The core over a fresh in-memory store, on the test's clock."""
    return MemoryServices.build(settings, clock)


@pytest.fixture
async def postgres_tenant(timed_services: Services) -> Tenant:
    return await timed_services.core.tenants.get("default")


@pytest.fixture
def tenant(request: pytest.FixtureRequest) -> Tenant:
    """The default tenant: of the fake when the test asks for `memory`, else PostgreSQL's
    (so a test moved to the fake changes its signature, not its body)."""
    if "memory" in request.fixturenames:
        services: MemoryServices = request.getfixturevalue("memory")
        return services.store.default_tenant
    found: Tenant = request.getfixturevalue("postgres_tenant")
    return found


@pytest.fixture
async def postgres_claims(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> AccessClaims:
    """A signed-in customer on PostgreSQL, for the tests of its locks and SQL."""
    return await signed_in_on_postgres(timed_services, tenant, clean_db, "sonia@example.com")


@pytest.fixture
def postgres_addresses(timed_services: Services) -> Addresses:
    return timed_services.core.addresses
