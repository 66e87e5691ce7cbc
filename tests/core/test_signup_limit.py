"""The sign-up limit per client address (Aimeos' 3 accounts per 4 hours), on real
PostgreSQL and Redis: counted before anything is written, so racing sign-ups cannot pass
it, and given back by a sign-up that fails."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import asyncpg
import pytest
from redis.asyncio import Redis

from patron.core.customers.accounts import Accounts
from patron.core.domain.commands import Registration, SignupLimit
from patron.core.domain.errors.conflict import CodeTaken, EmailTaken
from patron.core.domain.errors.invalid_input import PasswordPolicyViolation
from patron.core.domain.errors.throttled import SignupLimitReached
from patron.core.domain.tenants import Tenant
from patron.security.throttle import Counters, RateQuota, RedisCounters
from patron.services import Services
from patron.storage.throttle import PgCounters
from tests.conftest import registration_for

LIMIT = SignupLimit(client_ip="203.0.113.7", count=3, seconds=14400)


@pytest.fixture(params=["postgres", pytest.param("redis", marks=pytest.mark.redis)])
async def counters(
    request: pytest.FixtureRequest, clean_db: asyncpg.Pool
) -> AsyncIterator[Counters]:
    if request.param == "postgres":
        yield PgCounters(clean_db)
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisCounters(redis, prefix=f"patron-test:{uuid.uuid4().hex}:")
    await redis.aclose()


@pytest.fixture
def accounts(timed_services: Services, counters: Counters) -> Accounts:
    return replace(timed_services.core.accounts, quota=RateQuota(counters))


async def test_a_quota_refuses_past_its_limit_and_takes_back_a_use(counters: Counters) -> None:
    quota = RateQuota(counters)

    taken = [await quota.take("k", 2, 60) for _ in range(3)]
    await quota.give_back("k")
    again = await quota.take("k", 2, 60)

    assert taken == [True, True, False]
    assert again is True
    assert await quota.take("k", 2, 60) is False
    assert await quota.take("other", 2, 60) is True


async def test_the_fourth_sign_up_from_one_address_is_refused(
    accounts: Accounts, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    for n in range(3):
        await accounts.register(tenant, registration_for(f"c{n}@example.com"), limit=LIMIT)

    with pytest.raises(SignupLimitReached):
        await accounts.register(tenant, registration_for("c3@example.com"), limit=LIMIT)
    elsewhere = replace(LIMIT, client_ip="198.51.100.1")
    await accounts.register(tenant, registration_for("c4@example.com"), limit=elsewhere)
    unlimited = await accounts.register(tenant, registration_for("c5@example.com"))

    assert unlimited.email == "c5@example.com"
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 5


async def test_ten_racing_sign_ups_from_one_address_create_exactly_the_limit(
    accounts: Accounts, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    results = await asyncio.gather(
        *(
            accounts.register(tenant, registration_for(f"r{n}@example.com"), limit=LIMIT)
            for n in range(10)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(r, SignupLimitReached) for r in results) == 7
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 3


async def test_a_failing_sign_up_gives_its_place_back(
    accounts: Accounts, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    one = replace(LIMIT, count=1)

    with pytest.raises(PasswordPolicyViolation):  # refused before the transaction
        await accounts.register(tenant, registration_for("new@example.com", "short"), limit=one)
    created = await accounts.register(tenant, registration_for("fine@example.com"), limit=one)

    assert created.email == "fine@example.com"
    with pytest.raises(SignupLimitReached):
        await accounts.register(tenant, registration_for("more@example.com"), limit=one)


@pytest.mark.parametrize(
    ("taken", "refusal"),
    [
        (registration_for("taken@example.com"), EmailTaken),
        (registration_for("other@example.com", code="bee"), CodeTaken),
    ],
)
async def test_a_sign_up_that_names_an_account_keeps_its_place(
    accounts: Accounts,
    tenant: Tenant,
    clean_db: asyncpg.Pool,
    taken: Registration,
    refusal: type[Exception],
) -> None:
    """Else one address could learn which emails have accounts at any speed."""
    await accounts.register(tenant, registration_for("taken@example.com", code="bee"))
    one = replace(LIMIT, count=1)

    with pytest.raises(refusal):
        await accounts.register(tenant, taken, limit=one)
    with pytest.raises(SignupLimitReached):
        await accounts.register(tenant, registration_for("fine@example.com"), limit=one)

    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1


async def test_an_ipv6_client_is_counted_by_its_64_and_no_address_by_the_tenant(
    accounts: Accounts, tenant: Tenant
) -> None:
    first = replace(LIMIT, client_ip="2001:db8:1:2::1", count=1)
    same_block = replace(first, client_ip="2001:db8:1:2:ffff::9")
    anonymous = replace(first, client_ip=None)

    await accounts.register(tenant, registration_for("a@example.com"), limit=first)
    await accounts.register(tenant, registration_for("b@example.com"), limit=anonymous)

    with pytest.raises(SignupLimitReached):
        await accounts.register(tenant, registration_for("c@example.com"), limit=same_block)
    with pytest.raises(SignupLimitReached):
        await accounts.register(tenant, registration_for("d@example.com"), limit=anonymous)
