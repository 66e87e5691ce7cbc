"""Attacks on the back office at the core, on real PostgreSQL: races an admin UI (or a
hostile script) can start, and the rules every dialect relies on."""

from __future__ import annotations

import asyncio

import pytest

from patron.core.domain.commands import CustomerAdminChange, ProfileChange
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.tenants import Tenant
from patron.core.identity.login_protection import address_key
from patron.services import Services
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of


async def test_racing_batches_and_group_replacements_never_deadlock(
    timed_services: Services, tenant: Tenant
) -> None:
    """Batch adds naming the same customers in opposite orders, batch removes, and
    customer updates replacing the groups, all at once on one group: every one of them
    lands (PostgreSQL would otherwise abort some as deadlocked: a 500 to the admin)."""
    core = timed_services.core
    admin = principal_of(tenant)
    customers = [
        await core.customer_admin.create(admin, tenant, registration_for(f"c{n}@example.com"))
        for n in range(6)
    ]
    forward = [customer.uuid for customer in customers]
    backward = list(reversed(forward))
    for round_ in range(4):
        group = await core.groups.create(admin, tenant, name=f"G{round_}")
        regroup = CustomerAdminChange(profile=ProfileChange(), group_uuids=(group.uuid,))
        work = []
        for n in range(4):
            work += [
                core.groups.add_customers(
                    admin, tenant, group.uuid, forward if n % 2 else backward
                ),
                core.customer_admin.update(admin, tenant, customers[n].uuid, regroup),
                core.groups.remove_customers(
                    admin, tenant, group.uuid, backward if n % 2 else forward
                ),
            ]
        outcomes = await asyncio.gather(*work, return_exceptions=True)

        assert [o for o in outcomes if isinstance(o, BaseException)] == []


async def test_ipv4_clients_of_a_dual_stack_server_are_counted_one_by_one(
    timed_services: Services, tenant: Tenant
) -> None:
    """A server listening on `::` sees IPv4 clients as `::ffff:a.b.c.d`; counted by their
    /64, every IPv4 client in the world would share one counter, and one prober would
    block every other shopper's lookups and logins. Each counts as its IPv4 address."""
    accounts = timed_services.core.accounts
    limit = timed_services.settings.login_max_failures
    for n in range(limit):
        await accounts.account_exists(tenant, f"probe{n}@example.com", client_ip="::ffff:192.0.2.1")

    with pytest.raises(LoginBlocked):  # the prober, whichever way its address is written
        await accounts.account_exists(tenant, "x@example.com", client_ip="192.0.2.1")
    assert (
        await accounts.account_exists(tenant, "x@example.com", client_ip="::ffff:192.0.2.2")
        is False
    )
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1") == "ip:192.0.2.1"
