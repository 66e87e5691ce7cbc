"""Core rules under concurrency, on PostgreSQL: only its row locks and unique indexes
decide these races. The rules themselves are tested on the in-memory fake (`memory`),
which has no locks and answers one task at a time."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import asyncpg

from patron.core.customers.addresses import Addresses
from patron.core.domain.commands import AddressChange, MetadataPatch, ProfileChange, PropertyDraft
from patron.core.domain.config import CoreConfig
from patron.core.domain.errors.conflict import CodeTaken, EmailTaken, SubscriptionExists
from patron.core.domain.errors.limit_reached import (
    AddressLimitReached,
    ListLimitReached,
    PropertyLimitReached,
)
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import registration_for
from tests.core.signed_in import signed_in_on_postgres
from tests.core.test_addresses import draft
from tests.core.test_lists import favourite

RESET = "customer_password_reset"


async def _claims(services: Services, tenant: Tenant, pool: asyncpg.Pool) -> AccessClaims:
    await services.core.accounts.register(
        tenant, registration_for("m@example.com", metadata={"keep": 1, "drop": 2})
    )
    await pool.execute("UPDATE customers SET email_verified_at = now()")
    _, pair = await services.core.auth.login(tenant, "m@example.com", "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


async def test_racing_patches_of_different_keys_all_land(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    claims = await _claims(timed_services, tenant, clean_db)
    accounts = timed_services.core.accounts

    await asyncio.gather(
        *(
            accounts.update_own(
                claims, CustomerRef.me(), ProfileChange(metadata=MetadataPatch(set={f"k{n}": n}))
            )
            for n in range(10)
        )
    )

    stored = await clean_db.fetchval("SELECT metadata FROM customers")
    assert stored == {"keep": 1, "drop": 2, **{f"k{n}": n for n in range(10)}}


async def test_racing_reset_requests_leave_one_working_key(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("pw@example.com"))

    await asyncio.gather(
        *(
            timed_services.core.passwords.request_reset(tenant, "pw@example.com").run()
            for _ in range(5)
        )
    )

    assert await clean_db.fetchval("SELECT count(*) FROM outbox WHERE template = $1", RESET) == 5
    assert (
        await clean_db.fetchval(
            "SELECT count(*) FROM one_time_tokens WHERE purpose = 'reset_password'"
        )
        == 1
    )


async def test_racing_identical_subscriptions_leave_exactly_one(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    availability = timed_services.core.availability
    await availability.set_availability(tenant, "SKU-1", available=False)

    results = await asyncio.gather(
        *(
            availability.subscribe(tenant, sku="SKU-1", email=e, locale="en_US")
            for e in ["race@example.com", "RACE@example.com"] * 5
        ),
        return_exceptions=True,
    )

    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 9
    assert all(isinstance(r, SubscriptionExists) for r in refused)
    assert await clean_db.fetchval("SELECT count(*) FROM availability_subscriptions") == 1


async def test_two_processes_marking_a_sku_available_mail_each_subscriber_once(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    availability = timed_services.core.availability
    for round_ in range(5):
        sku = f"SKU-{round_}"
        await availability.set_availability(tenant, sku, available=False)
        emails = [f"s{n}@example.com" for n in range(15)]
        for email in emails:
            await availability.subscribe(tenant, sku=sku, email=email, locale="en_US")

        counts = await asyncio.gather(
            availability.set_availability(tenant, sku, available=True),
            availability.set_availability(tenant, sku, available=True),
        )

        assert sorted(counts) == [0, 15]
        recipients = await clean_db.fetch(
            "SELECT recipient FROM outbox WHERE body LIKE '%' || $1 || '%'", sku
        )
        assert sorted(r["recipient"] for r in recipients) == sorted(emails)


async def test_a_subscription_racing_the_return_is_either_mailed_or_kept_open(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    availability = timed_services.core.availability
    for round_ in range(10):
        sku = f"SKU-{round_}"
        await availability.set_availability(tenant, sku, available=False)

        await asyncio.gather(
            availability.subscribe(tenant, sku=sku, email="r@example.com", locale="en_US"),
            availability.set_availability(tenant, sku, available=True),
        )

        mailed = await clean_db.fetchval(
            "SELECT count(*) FROM outbox WHERE body LIKE '%' || $1 || ' %'", sku
        )
        open_ = await clean_db.fetchval(
            "SELECT count(*) FROM availability_subscriptions WHERE sku = $1", sku
        )
        assert (mailed, open_) in ((1, 0), (0, 1))


async def test_twenty_racing_registrations_leave_exactly_one_account(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    spellings = ("race@example.com", "RACE@EXAMPLE.COM", "Race@Example.com")
    emails = [spellings[n % 3] for n in range(20)]

    results = await asyncio.gather(
        *(timed_services.core.accounts.register(tenant, registration_for(e)) for e in emails),
        return_exceptions=True,
    )

    created = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(created) == 1
    assert len(refused) == 19
    assert all(isinstance(r, EmailTaken) for r in refused)
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 1
    assert await clean_db.fetchval("SELECT next_customer_number FROM tenants") == 2


async def test_racing_registrations_of_different_emails_get_distinct_numbers(
    timed_services: Services, tenant: Tenant
) -> None:
    customers = await asyncio.gather(
        *(
            timed_services.core.accounts.register(tenant, registration_for(f"u{n}@example.com"))
            for n in range(20)
        )
    )

    numbers = sorted(int(c.customer_number.removeprefix("DE--")) for c in customers)
    assert numbers == list(range(1, 21))


async def test_a_code_is_one_customers_per_tenant_even_in_a_race(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    results = await asyncio.gather(
        *(
            timed_services.core.accounts.register(
                tenant, registration_for(f"c{n}@example.com", code="same")
            )
            for n in range(10)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(r, CodeTaken) for r in results) == 9
    assert await clean_db.fetchval("SELECT count(*) FROM customers WHERE code = 'same'") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1


async def test_concurrent_new_defaults_leave_exactly_one(
    postgres_addresses: Addresses, postgres_claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    me = CustomerRef.me()

    await asyncio.gather(
        *(
            postgres_addresses.add_own(postgres_claims, me, draft(is_default_shipping=True))
            for _ in range(10)
        )
    )

    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 10
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_shipping") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_billing") == 1


async def test_concurrent_changes_to_default_leave_exactly_one(
    postgres_addresses: Addresses, postgres_claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    me = CustomerRef.me()
    made = [await postgres_addresses.add_own(postgres_claims, me, draft()) for _ in range(6)]
    promote = AddressChange(is_default_shipping=True, is_default_billing=True)

    await asyncio.gather(
        *(postgres_addresses.update_own(postgres_claims, me, a.uuid, promote) for a in made)
    )

    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_shipping") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_billing") == 1


async def test_concurrent_adds_never_pass_the_cap(
    postgres_addresses: Addresses, postgres_claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    capped = replace(postgres_addresses, config=CoreConfig(max_addresses_per_customer=2))

    results = await asyncio.gather(
        *(capped.add_own(postgres_claims, CustomerRef.me(), draft()) for _ in range(6)),
        return_exceptions=True,
    )

    assert sum(isinstance(r, AddressLimitReached) for r in results) == 4
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 2


async def test_racing_address_batches_never_pass_the_cap(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    """On PostgreSQL: the customer's row lock is what serializes the batches."""
    claims = await signed_in_on_postgres(timed_services, tenant, clean_db, "sonia@example.com")
    addresses = timed_services.core.addresses
    capped = replace(addresses, config=CoreConfig(max_addresses_per_customer=5))

    results = await asyncio.gather(
        *(capped.add_many_own(claims, CustomerRef.me(), [draft(), draft()]) for _ in range(6)),
        return_exceptions=True,
    )

    assert sum(isinstance(r, AddressLimitReached) for r in results) == 4
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 4


async def test_racing_property_adds_never_pass_the_cap(
    timed_services: Services, postgres_claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    capped = replace(timed_services.core.properties, max_per_customer=4)

    results = await asyncio.gather(
        *(
            capped.add_own(
                postgres_claims, CustomerRef.me(), [PropertyDraft(type="t", value=f"v{n}")]
            )
            for n in range(10)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(r, PropertyLimitReached) for r in results) == 6
    assert sum(isinstance(r, list) for r in results) == 4
    assert await clean_db.fetchval("SELECT count(*) FROM customer_properties") == 4


async def test_racing_list_adds_never_pass_the_cap(
    timed_services: Services, postgres_claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    capped = replace(timed_services.core.lists, max_per_customer=3)

    results = await asyncio.gather(
        *(
            capped.add_own(postgres_claims, CustomerRef.me(), [favourite(str(n))])
            for n in range(10)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(r, ListLimitReached) for r in results) == 7
    assert sum(r is None for r in results) == 3
    assert await clean_db.fetchval("SELECT count(*) FROM customer_list_items") == 3
