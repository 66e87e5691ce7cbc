"""Refresh tokens and one-time keys; the database only ever sees their hashes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from patron.core.ports.customers import RefreshTokenRecord
from patron.storage.database import Connection


class PgTokens:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def add_one_time(
        self, *, customer_id: int, purpose: str, token_hash: bytes, expires_at: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO one_time_tokens (customer_id, purpose, token_hash, expires_at) "
            "VALUES ($1, $2, $3, $4)",
            customer_id,
            purpose,
            token_hash,
            expires_at,
        )

    async def consume_one_time(
        self, *, purpose: str, token_hash: bytes, now: datetime
    ) -> int | None:
        customer_id: int | None = await self._db.fetchval(
            "UPDATE one_time_tokens SET used_at = $3 "
            "WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 "
            "RETURNING customer_id",
            token_hash,
            purpose,
            now,
        )
        return customer_id

    async def discard_one_time_for(self, customer_id: int, purpose: str | None = None) -> None:
        await self._db.execute(
            "DELETE FROM one_time_tokens "
            "WHERE customer_id = $1 AND used_at IS NULL AND ($2::text IS NULL OR purpose = $2)",
            customer_id,
            purpose,
        )

    async def add_refresh(
        self,
        *,
        customer_id: int,
        family_id: UUID,
        token_hash: bytes,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        await self._db.execute(
            "INSERT INTO refresh_tokens "
            "(customer_id, family_id, token_hash, expires_at, created_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            customer_id,
            family_id,
            token_hash,
            expires_at,
            now,
        )

    async def find_refresh(self, token_hash: bytes) -> RefreshTokenRecord | None:
        row = await self._db.fetchrow(
            "SELECT id, customer_id, family_id, expires_at, rotated_at, revoked_at "
            "FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
            token_hash,
        )
        if row is None:
            return None
        return RefreshTokenRecord(
            id=row["id"],
            customer_id=row["customer_id"],
            family_id=row["family_id"],
            expires_at=row["expires_at"],
            rotated_at=row["rotated_at"],
            revoked_at=row["revoked_at"],
        )

    async def mark_rotated(self, token_id: int, now: datetime) -> None:
        await self._db.execute(
            "UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1", token_id, now
        )

    async def revoke_family(self, family_id: UUID, now: datetime) -> None:
        await self._db.execute(
            "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
            family_id,
            now,
        )

    async def revoke_refresh(self, *, token_hash: bytes, customer_id: int, now: datetime) -> None:
        """Revoking a refresh token ends its session: its whole family goes."""
        await self._db.execute(
            "UPDATE refresh_tokens SET revoked_at = $3 WHERE revoked_at IS NULL AND family_id = "
            "(SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND customer_id = $2)",
            token_hash,
            customer_id,
            now,
        )

    async def revoke_all_for(
        self, customer_id: int, now: datetime, *, except_session: UUID | None = None
    ) -> None:
        await self._db.execute(
            "UPDATE refresh_tokens SET revoked_at = $2 "
            "WHERE customer_id = $1 AND revoked_at IS NULL "
            "AND family_id IS DISTINCT FROM $3",
            customer_id,
            now,
            except_session,
        )
