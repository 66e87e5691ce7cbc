"""Login throttle policy and counters: memory and Redis behave alike."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from patron.security.throttle import (
    Counters,
    MemoryCounters,
    RedisCounters,
    Throttle,
    ThrottlePolicy,
)


class ManualMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_counters_block_after_the_limit_and_release_in_time() -> None:
    time = ManualMonotonic()
    throttle = Throttle(ThrottlePolicy(3, 60, 300), MemoryCounters(time))
    keys = ["account:1:a@b.de"]

    for _ in range(2):
        await throttle.record_failure(keys)
    assert await throttle.retry_after(keys) == 0
    await throttle.record_failure(keys)
    assert await throttle.retry_after(keys) == 300

    time.now += 299
    assert await throttle.retry_after(keys) == 1
    time.now += 2
    assert await throttle.retry_after(keys) == 0


async def test_failures_outside_the_window_are_forgotten() -> None:
    time = ManualMonotonic()
    throttle = Throttle(ThrottlePolicy(3, 60, 300), MemoryCounters(time))

    await throttle.record_failure(["k"])
    await throttle.record_failure(["k"])
    time.now += 61
    await throttle.record_failure(["k"])

    assert await throttle.retry_after(["k"]) == 0


async def test_success_clears_the_count() -> None:
    throttle = Throttle(ThrottlePolicy(2, 60, 300), MemoryCounters())

    await throttle.record_failure(["k"])
    await throttle.record_success(["k"])
    await throttle.record_failure(["k"])

    assert await throttle.retry_after(["k"]) == 0


@pytest.fixture
async def redis_counters(redis_url: str) -> AsyncIterator[RedisCounters]:
    redis = Redis.from_url(redis_url)
    yield RedisCounters(redis, prefix=f"patron-test:{uuid.uuid4().hex}:")
    await redis.aclose()


@pytest.mark.redis
async def test_redis_counters_block_after_the_limit(redis_counters: Counters) -> None:
    throttle = Throttle(ThrottlePolicy(3, 60, 300), redis_counters)

    for _ in range(3):
        await throttle.record_failure(["k"])

    assert 299 <= await throttle.retry_after(["k"]) <= 300
    assert await throttle.retry_after(["other"]) == 0


@pytest.mark.redis
async def test_redis_counters_clear_on_success(redis_counters: Counters) -> None:
    throttle = Throttle(ThrottlePolicy(2, 60, 300), redis_counters)

    await throttle.record_failure(["k"])
    await throttle.record_success(["k"])
    await throttle.record_failure(["k"])

    assert await throttle.retry_after(["k"]) == 0
