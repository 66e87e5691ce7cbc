"""Back-office rules under concurrency (groups, memberships, guests), on PostgreSQL:
only its row locks and unique indexes decide these races. The rules themselves are
tested on the in-memory fake (`memory`), which has no locks and answers one task at a
time."""

from __future__ import annotations

import asyncio
from uuid import UUID

import asyncpg

from patron.core.domain.commands import (
    CustomerAdminChange,
    GroupChange,
    MetadataPatch,
    ProfileChange,
)
from patron.core.domain.errors.conflict import GroupNameTaken, GuestExists
from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of
from tests.core.test_groups import customers_of
from tests.core.test_guests import EMAIL, admin_create

RESET = "customer_password_reset"


async def test_racing_guest_creations_leave_one_guest(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    results = await asyncio.gather(
        *(admin_create(timed_services.core, tenant, EMAIL, None) for _ in range(10)),
        return_exceptions=True,
    )

    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 9
    assert all(isinstance(r, GuestExists) for r in refused)
    rows = await clean_db.fetch("SELECT email, has_account FROM customers")
    assert [(row["email"], row["has_account"]) for row in rows] == [(EMAIL, False)]


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


async def members_on_postgres(pool: asyncpg.Pool, group_uuid: UUID) -> list[int]:
    rows = await pool.fetch(
        "SELECT m.customer_id FROM customer_group_members m "
        "JOIN customer_groups g ON g.id = m.group_id WHERE g.uuid = $1 ORDER BY 1",
        group_uuid,
    )
    return [row["customer_id"] for row in rows]


async def test_racing_creations_of_one_name_leave_one_group(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    admin = principal_of(tenant)

    results = await asyncio.gather(
        *(timed_services.core.groups.create(admin, tenant, name="Race") for _ in range(10)),
        return_exceptions=True,
    )

    assert sum(not isinstance(result, BaseException) for result in results) == 1
    assert all(isinstance(r, GroupNameTaken) for r in results if isinstance(r, BaseException))
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 1


async def test_metadata_patches_merge_and_racing_patches_all_land(
    timed_services: Services, tenant: Tenant
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    group = await groups.create(admin, tenant, name="VIP", metadata={"keep": 1, "drop": 2})

    await asyncio.gather(
        *(
            groups.update(
                admin, tenant, group.uuid, GroupChange(metadata=MetadataPatch(set={f"k{n}": n}))
            )
            for n in range(8)
        )
    )
    patched = await groups.update(
        admin, tenant, group.uuid, GroupChange(metadata=MetadataPatch(remove=frozenset({"drop"})))
    )

    assert patched.metadata == {"keep": 1, **{f"k{n}": n for n in range(8)}}


async def test_racing_batches_of_the_same_members_leave_each_membership_once(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    customers = await customers_of(timed_services.core, tenant, 5)
    group = await groups.create(admin, tenant, name="VIP")
    uuids = [c.uuid for c in customers]

    await asyncio.gather(
        *(
            groups.add_customers(admin, tenant, group.uuid, uuids[n % 3 :] + uuids[: n % 3])
            for n in range(12)
        )
    )

    assert await members_on_postgres(clean_db, group.uuid) == sorted(c.id for c in customers)


async def test_racing_admin_patches_of_different_keys_all_land(
    timed_services: Services, tenant: Tenant
) -> None:
    customer = await timed_services.core.accounts.register(tenant, registration_for("p@e.com"))
    admin_core = timed_services.core.customer_admin

    await asyncio.gather(
        *(
            admin_core.update(
                principal_of(tenant),
                tenant,
                customer.uuid,
                CustomerAdminChange(metadata=MetadataPatch(set={f"k{n}": n})),
            )
            for n in range(8)
        )
    )

    read = await admin_core.get(principal_of(tenant), tenant, customer.uuid)
    assert read.metadata == {f"k{n}": n for n in range(8)}
    assert read.version == customer.version + 8
