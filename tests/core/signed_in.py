"""A signed-in customer on the in-memory fake, the start of most core rule tests."""

from __future__ import annotations

from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from tests.conftest import registration_for
from tests.fakes import MemoryServices


async def signed_in(memory: MemoryServices, tenant: Tenant, email: str) -> AccessClaims:
    """Register `email`, confirm it, log in: the claims of the access token."""
    customer = await memory.core.accounts.register(tenant, registration_for(email))
    async with memory.uow() as uow:
        await uow.customers.mark_email_verified(customer.id, tenant.id, memory.clock())
        await uow.commit()
    pair = await memory.core.auth.login(tenant, email, "change123", client_ip=None)
    return memory.core.auth.verify(pair.access_token, tenant)
