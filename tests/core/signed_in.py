"""A signed-in customer, the start of most core rule tests: on the in-memory fake, or on
PostgreSQL."""

from __future__ import annotations

import asyncpg

from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.conftest import registration_for
from tests.fakes import MemoryServices


async def signed_in(memory: MemoryServices, tenant: Tenant, email: str) -> AccessClaims:
    """Register `email`, confirm it, log in: the claims of the access token."""
    customer = await memory.core.accounts.register(tenant, registration_for(email))
    async with memory.uow() as uow:
        await uow.customers.mark_email_verified(customer.id, tenant.id, memory.clock())
        await uow.commit()
    _, pair = await memory.core.auth.login(tenant, email, "change123", client_ip=None)
    return memory.core.auth.verify(pair.access_token, tenant)


async def signed_in_on_postgres(
    services: Services, tenant: Tenant, pool: asyncpg.Pool, email: str
) -> AccessClaims:
    """The same on PostgreSQL, for the tests that need its locks or SQL."""
    await services.core.accounts.register(tenant, registration_for(email))
    await pool.execute(
        "UPDATE customers SET email_verified_at = now() WHERE email = $1", email.lower()
    )
    _, pair = await services.core.auth.login(tenant, email, "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)
