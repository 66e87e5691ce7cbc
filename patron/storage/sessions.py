"""Server-side sessions: a PostgreSQL table, or Redis keys with a TTL when Redis is set."""

from __future__ import annotations

import asyncpg
from redis.asyncio import Redis


class PgSessions:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool


class RedisSessions:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
