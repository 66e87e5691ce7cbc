"""Login throttle counters in PostgreSQL: shared by every worker and host without Redis.

The same fixed window as the Redis counters: a key's window starts at its first failure
and lasts `window_seconds`; a failure after it ends starts a new one. Times come from the
database's clock, so hosts with drifting clocks still agree.
"""

from __future__ import annotations

import math

import asyncpg

# Each statement is atomic on the key's row: concurrent failures are all counted, because
# ON CONFLICT DO UPDATE locks the row and sees the latest committed count.
_ADD_FAILURE = """
    INSERT INTO login_throttle AS t (key, failures, window_ends_at)
    VALUES ($1, 1, now() + $2::integer * interval '1 second')
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.window_ends_at > now() THEN t.failures + 1 ELSE 1 END,
        window_ends_at = CASE WHEN t.window_ends_at > now() THEN t.window_ends_at
                              ELSE EXCLUDED.window_ends_at END
    RETURNING failures
"""
# SKIP LOCKED: the purge never waits, so it cannot deadlock with a concurrent failure.
_PURGE = """
    DELETE FROM login_throttle WHERE key IN (
        SELECT key FROM login_throttle WHERE expires_at <= now()
        LIMIT $1 FOR UPDATE SKIP LOCKED)
"""
_BLOCK = """
    INSERT INTO login_throttle (key, blocked_until)
    VALUES ($1, now() + $2::integer * interval '1 second')
    ON CONFLICT (key) DO UPDATE SET
        blocked_until = EXCLUDED.blocked_until, failures = 0, window_ends_at = NULL
"""
_BLOCKED_FOR = """
    SELECT extract(epoch FROM blocked_until - now())::float8 FROM login_throttle
    WHERE key = $1 AND blocked_until > now()
"""
_CLEAR = "UPDATE login_throttle SET failures = 0, window_ends_at = NULL WHERE key = $1"
_FORGIVE = (
    "UPDATE login_throttle SET failures = failures - 1 "
    "WHERE key = $1 AND failures > 0 AND window_ends_at > now()"
)


class PgCounters:
    """Implements `patron.security.throttle.Counters` on the `login_throttle` table."""

    def __init__(self, pool: asyncpg.Pool, *, purge_batch: int = 100) -> None:
        self._pool = pool
        self._purge_batch = purge_batch

    async def add_failure(self, key: str, window_seconds: int) -> int:
        failures: int = await self._pool.fetchval(_ADD_FAILURE, key, window_seconds)
        # Each failure adds at most one row and removes up to a batch of expired ones, so
        # expired rows cannot pile up. A statement of its own: it must not hold locks
        # while the upsert waits for a row.
        await self._pool.execute(_PURGE, self._purge_batch)
        return failures

    async def block(self, key: str, seconds: int) -> None:
        await self._pool.execute(_BLOCK, key, seconds)

    async def blocked_for(self, key: str) -> int:
        remaining: float | None = await self._pool.fetchval(_BLOCKED_FOR, key)
        return 0 if remaining is None else max(1, math.ceil(remaining))

    async def clear(self, key: str) -> None:
        await self._pool.execute(_CLEAR, key)

    async def forgive(self, key: str) -> None:
        await self._pool.execute(_FORGIVE, key)
