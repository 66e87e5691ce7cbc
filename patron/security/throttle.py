"""Login throttling: the policy is pure arithmetic; counters live in Redis or, without
it, in PostgreSQL (`patron.storage.throttle`), never in one process.

After `max_failures` failures within `window_seconds`, a key is blocked for
`block_seconds`. Keys name an account (by the email typed) and a client address.

A password check is counted as a failure before it runs (`attempt`) and forgiven if it
succeeds: checked afterwards, thirty guesses sent at once would all pass the limit while
the first one was still being hashed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from patron.core.ports.security import Attempt


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    max_failures: int = 10
    window_seconds: int = 15 * 60
    block_seconds: int = 15 * 60

    def should_block(self, failures: int) -> bool:
        return failures >= self.max_failures


class Counters(Protocol):
    async def add_failure(self, key: str, window_seconds: int) -> int:
        """Count one failure; return the failures within the current window."""

    async def block(self, key: str, seconds: int) -> None: ...

    async def blocked_for(self, key: str) -> int: ...

    async def clear(self, key: str) -> None: ...

    async def forgive(self, key: str) -> None:
        """Take back one failure counted in advance (never below zero)."""


class Throttle:
    def __init__(self, policy: ThrottlePolicy, counters: Counters) -> None:
        self.policy = policy
        self._counters = counters

    async def retry_after(self, keys: Sequence[str]) -> int:
        return max([await self._counters.blocked_for(key) for key in keys], default=0)

    async def record_failure(self, keys: Sequence[str]) -> None:
        for key in keys:
            failures = await self._counters.add_failure(key, self.policy.window_seconds)
            if self.policy.should_block(failures):
                await self._counters.block(key, self.policy.block_seconds)

    async def attempt(self, keys: Sequence[str]) -> Attempt:
        """Count one password check on every key before it runs. Past the limit the
        check is refused (`retry_after` > 0) and the key blocked; the check that reaches
        the limit runs, and blocks the key if it fails."""
        if wait := await self.retry_after(keys):
            return Attempt(tuple(keys), (), wait)
        failures = []
        for key in keys:
            count = await self._counters.add_failure(key, self.policy.window_seconds)
            failures.append(count)
            if count > self.policy.max_failures:
                await self._counters.block(key, self.policy.block_seconds)
        # Asked again after counting: a block set by a concurrent attempt meanwhile also
        # restarted the count this one got.
        return Attempt(tuple(keys), tuple(failures), await self.retry_after(keys))

    async def failed(self, attempt: Attempt) -> None:
        """The checked password was wrong: its advance count stands."""
        for key, count in zip(attempt.keys, attempt.failures, strict=True):
            if self.policy.should_block(count):
                await self._counters.block(key, self.policy.block_seconds)

    async def succeeded(self, attempt: Attempt, *, clear: Sequence[str]) -> None:
        """The password was right: `clear` starts afresh, the other keys forget this one."""
        for key in attempt.keys:
            if key in clear:
                await self._counters.clear(key)
            else:
                await self._counters.forgive(key)


class RedisCounters:
    """Shared by every worker and host. A fixed window per key, started by its first failure."""

    def __init__(self, redis: Redis, prefix: str = "patron:throttle:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def add_failure(self, key: str, window_seconds: int) -> int:
        name = f"{self._prefix}fail:{key}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_seconds, nx=True)
            count, _ = await pipe.execute()
        return int(count)

    async def block(self, key: str, seconds: int) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(f"{self._prefix}block:{key}", 1, ex=seconds)
            pipe.delete(f"{self._prefix}fail:{key}")
            await pipe.execute()

    async def blocked_for(self, key: str) -> int:
        ttl = int(await self._redis.ttl(f"{self._prefix}block:{key}"))
        return max(ttl, 0)

    async def clear(self, key: str) -> None:
        await self._redis.delete(f"{self._prefix}fail:{key}")

    async def forgive(self, key: str) -> None:
        await self._redis.eval(_FORGIVE, 1, f"{self._prefix}fail:{key}")


# Decrement, but only an existing count above zero (DECR would create -1 on a missing key).
_FORGIVE = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return n
"""


class RateQuota:
    """`Quota` on the throttle's counters (Redis or PostgreSQL), so every worker and host
    shares it: a use is counted before the action runs, so uses racing each other cannot
    all pass; one past the limit is taken back at once and refused."""

    def __init__(self, counters: Counters, prefix: str = "quota:") -> None:
        self._counters = counters
        self._prefix = prefix

    async def take(self, key: str, limit: int, window_seconds: int) -> bool:
        name = self._prefix + key
        if await self._counters.add_failure(name, window_seconds) > limit:
            await self._counters.forgive(name)
            return False
        return True

    async def give_back(self, key: str) -> None:
        await self._counters.forgive(self._prefix + key)
