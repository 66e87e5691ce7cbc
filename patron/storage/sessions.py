"""Server-side sessions: a PostgreSQL table, or Redis keys with a TTL when Redis is set.

Both keep a session under the SHA-256 hash of its cookie, never the cookie itself, and
both check expiry against the caller's clock (the core's), so a session ends when the core
says, whatever the store's own clock thinks.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson
from redis.asyncio import Redis

from patron.core.domain.model import Audience, SessionRecord

COLUMNS = (
    "tenant_id, audience, subject_id, subject_uuid, subject_number, family_id, created_at, "
    "expires_at"
)
# SKIP LOCKED: a purge never waits for, nor blocks, another request's purge.
_PURGE = """
    DELETE FROM sessions WHERE token_hash IN (
        SELECT token_hash FROM sessions WHERE expires_at <= $1
        LIMIT $2 FOR UPDATE SKIP LOCKED)
"""


class PgSessions:
    """Implements `SessionStore` on the `sessions` table (shared by every worker)."""

    def __init__(self, pool: asyncpg.Pool, *, purge_batch: int = 100) -> None:
        self._pool = pool
        self._purge_batch = purge_batch

    async def put(self, token_hash: bytes, record: SessionRecord) -> None:
        await self._pool.execute(
            f"INSERT INTO sessions (token_hash, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9)",
            token_hash,
            record.tenant_id,
            record.audience.value,
            record.subject_id,
            record.subject_uuid,
            record.subject_number,
            record.family_id,
            record.created_at,
            record.expires_at,
        )
        # Each new session removes up to a batch of expired ones, so they cannot pile up;
        # a statement of its own, so the insert never waits for it.
        await self._pool.execute(_PURGE, record.created_at, self._purge_batch)

    async def get(self, token_hash: bytes, now: datetime) -> SessionRecord | None:
        row = await self._pool.fetchrow(
            f"SELECT {COLUMNS} FROM sessions WHERE token_hash = $1 AND expires_at > $2",
            token_hash,
            now,
        )
        return _record(dict(row)) if row else None

    async def delete(self, token_hash: bytes) -> None:
        await self._pool.execute("DELETE FROM sessions WHERE token_hash = $1", token_hash)


class RedisSessions:
    """Implements `SessionStore` as `patron:session:<hex hash>` keys holding JSON, which
    Redis drops when the session expires."""

    def __init__(self, redis: Redis, prefix: str = "patron:session:") -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, token_hash: bytes) -> str:
        return f"{self._prefix}{token_hash.hex()}"

    async def put(self, token_hash: bytes, record: SessionRecord) -> None:
        lifetime = (record.expires_at - record.created_at).total_seconds()
        if lifetime <= 0:
            return  # born expired: nothing to keep
        value = orjson.dumps(
            {
                "tenant_id": record.tenant_id,
                "audience": record.audience.value,
                "subject_id": record.subject_id,
                "subject_uuid": str(record.subject_uuid),
                "subject_number": record.subject_number,
                "family_id": None if record.family_id is None else str(record.family_id),
                "created_at": record.created_at.isoformat(),
                "expires_at": record.expires_at.isoformat(),
            }
        )
        await self._redis.set(self._key(token_hash), value, px=math.ceil(lifetime * 1000))

    async def get(self, token_hash: bytes, now: datetime) -> SessionRecord | None:
        value = await self._redis.get(self._key(token_hash))
        if value is None:
            return None
        data = orjson.loads(value)
        record = _record(
            {
                **data,
                "subject_uuid": UUID(data["subject_uuid"]),
                "family_id": None if data["family_id"] is None else UUID(data["family_id"]),
                "created_at": datetime.fromisoformat(data["created_at"]),
                "expires_at": datetime.fromisoformat(data["expires_at"]),
            }
        )
        return record if record.expires_at > now else None

    async def delete(self, token_hash: bytes) -> None:
        await self._redis.delete(self._key(token_hash))


def _record(values: dict[str, Any]) -> SessionRecord:
    return SessionRecord(
        tenant_id=values["tenant_id"],
        audience=Audience(values["audience"]),
        subject_id=values["subject_id"],
        subject_uuid=values["subject_uuid"],
        subject_number=values["subject_number"],
        family_id=values["family_id"],
        created_at=values["created_at"],
        expires_at=values["expires_at"],
    )
