"""Attacks on the back office at the core, on real PostgreSQL: races an admin UI (or a
hostile script) can start, and the rules every dialect relies on."""

from __future__ import annotations

import pytest

from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.tenants import Tenant
from patron.core.identity.login_protection import address_key
from tests.fakes import MemoryServices


async def test_ipv4_clients_of_a_dual_stack_server_are_counted_one_by_one(
    memory: MemoryServices, tenant: Tenant
) -> None:
    """A server listening on `::` sees IPv4 clients as `::ffff:a.b.c.d`; counted by their
    /64, every IPv4 client in the world would share one counter, and one prober would
    block every other shopper's lookups and logins. Each counts as its IPv4 address."""
    accounts = memory.core.accounts
    limit = memory.settings.login_max_failures
    for n in range(limit):
        await accounts.account_exists(tenant, f"probe{n}@example.com", client_ip="::ffff:192.0.2.1")

    with pytest.raises(LoginBlocked):  # the prober, whichever way its address is written
        await accounts.account_exists(tenant, "x@example.com", client_ip="192.0.2.1")
    assert (
        await accounts.account_exists(tenant, "x@example.com", client_ip="::ffff:192.0.2.2")
        is False
    )
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1") == "ip:192.0.2.1"
