"""Login throttle policy and counters: PostgreSQL and Redis behave alike."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from redis.asyncio import Redis

from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.security.throttle import Counters, RedisCounters, Throttle, ThrottlePolicy
from patron.storage.throttle import PgCounters


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


async def test_counters_block_after_the_limit(counters: Counters) -> None:
    throttle = Throttle(ThrottlePolicy(3, 60, 300), counters)

    for _ in range(2):
        await throttle.record_failure(["k"])
    assert await throttle.retry_after(["k"]) == 0
    await throttle.record_failure(["k"])

    assert 299 <= await throttle.retry_after(["k"]) <= 300
    assert await throttle.retry_after(["other"]) == 0


async def test_success_clears_the_count(counters: Counters) -> None:
    throttle = Throttle(ThrottlePolicy(2, 60, 300), counters)

    await throttle.record_failure(["k"])
    await throttle.succeeded(await throttle.attempt(["k"]), clear=["k"])
    await throttle.record_failure(["k"])

    assert await throttle.retry_after(["k"]) == 0


async def test_a_block_starts_a_fresh_count(counters: Counters) -> None:
    assert [await counters.add_failure("k", 60) for _ in range(2)] == [1, 2]
    await counters.block("k", 300)

    assert await counters.add_failure("k", 60) == 1


# --- PostgreSQL only: time is moved by ageing the rows --------------------------------------


async def _age(pool: asyncpg.Pool, key: str, seconds: int) -> None:
    """Move a key's window and block `seconds` into the past."""
    await pool.execute(
        "UPDATE login_throttle SET window_ends_at = window_ends_at - make_interval(secs => $2), "
        "blocked_until = blocked_until - make_interval(secs => $2) WHERE key = $1",
        key,
        float(seconds),
    )


async def test_failures_outside_the_window_are_forgotten(clean_db: asyncpg.Pool) -> None:
    counters = PgCounters(clean_db)

    assert [await counters.add_failure("k", 60) for _ in range(2)] == [1, 2]
    await _age(clean_db, "k", 59)
    assert await counters.add_failure("k", 60) == 3  # the window is fixed, not sliding
    await _age(clean_db, "k", 2)

    assert await counters.add_failure("k", 60) == 1


async def test_a_block_ends_in_time(clean_db: asyncpg.Pool) -> None:
    counters = PgCounters(clean_db)
    await counters.block("k", 300)

    await _age(clean_db, "k", 299)
    assert await counters.blocked_for("k") == 1
    await _age(clean_db, "k", 2)
    assert await counters.blocked_for("k") == 0


async def test_concurrent_failures_are_all_counted(
    clean_db: asyncpg.Pool, database_url: str
) -> None:
    counters = PgCounters(clean_db)
    pools = [await asyncpg.create_pool(database_url, min_size=10, max_size=10) for _ in range(2)]
    try:
        racing = [PgCounters(pool) for pool in pools] * 20
        counts = await asyncio.gather(*(c.add_failure("k", 60) for c in racing))
    finally:
        await asyncio.gather(*(pool.close() for pool in pools))

    assert sorted(counts) == list(range(1, 41))
    assert await counters.add_failure("k", 60) == 41


async def test_expired_rows_are_purged_on_write(clean_db: asyncpg.Pool) -> None:
    counters = PgCounters(clean_db)
    for key in ("old-window", "old-block", "cleared", "live-block"):
        await counters.add_failure(key, 60)
    await counters.block("old-block", 60)
    await counters.block("live-block", 60)
    await counters.clear("cleared")
    await _age(clean_db, "old-window", 61)
    await _age(clean_db, "old-block", 61)

    await counters.add_failure("new", 60)

    keys = await clean_db.fetch("SELECT key FROM login_throttle ORDER BY key")
    assert [row["key"] for row in keys] == ["live-block", "new"]


async def test_forgiving_takes_back_one_failure_and_never_goes_below_zero(
    counters: Counters,
) -> None:
    await counters.add_failure("k", 60)
    await counters.add_failure("k", 60)

    await counters.forgive("k")
    await counters.forgive("never-failed")

    assert await counters.add_failure("k", 60) == 2
    assert await counters.add_failure("never-failed", 60) == 1


async def test_a_right_password_forgives_its_advance_count(counters: Counters) -> None:
    throttle = Throttle(ThrottlePolicy(2, 60, 300), counters)

    wrong = await throttle.attempt(["account", "ip"])
    await throttle.failed(wrong)
    right = await throttle.attempt(["account", "ip"])
    await throttle.succeeded(right, clear=["account"])

    assert right.failures == (2, 2) and right.retry_after == 0
    assert await counters.add_failure("account", 60) == 1  # cleared
    assert await counters.add_failure("ip", 60) == 2  # the wrong one still counts


async def test_concurrent_guesses_cannot_pass_the_limit(
    clean_db: asyncpg.Pool, database_url: str
) -> None:
    """Thirty wrong passwords at once: only as many are checked as the limit allows."""
    from patron.services import Services
    from tests.conftest import cheap_settings, registration_for

    settings = cheap_settings(database_url=database_url, login_max_failures=3)
    services = await Services.build(settings, database_url, clean_db)
    tenant = await services.core.tenants.get("default")
    await services.core.accounts.register(tenant, registration_for("target@example.com"))

    results = await asyncio.gather(
        *(
            services.core.auth.login(tenant, "target@example.com", f"guess-{n}", client_ip=None)
            for n in range(30)
        ),
        return_exceptions=True,
    )
    await services.close(keep_pool=True)

    checked = [r for r in results if isinstance(r, InvalidCredentials)]
    refused = [r for r in results if isinstance(r, LoginBlocked)]
    # Never more than the limit; under load a block may land before any check runs
    # (decision 86), so none at all is a correct outcome too.
    assert len(checked) <= 3
    assert len(checked) + len(refused) == 30
