"""The tenant's password-migration window, and the accounts still holding legacy hashes
(found by their prefix; the partial index `customers_legacy_hash` of migration 0011 holds
exactly those rows, so counting them reads no other customer)."""

from __future__ import annotations

import asyncpg

from patron.core.domain.password_migration import LEGACY_HASH_PREFIX, MigrationWindow
from patron.storage.database import Connection

LEGACY = f"password_hash LIKE '{LEGACY_HASH_PREFIX}%'"
"""A literal, as the index's predicate is: a parameter would not match it."""


def _window(row: asyncpg.Record | None) -> MigrationWindow | None:
    if row is None:
        return None
    return MigrationWindow(row["ends_on"], row["reminder_on"], row["notifications"])


class PgPasswordMigration:
    """Implements `patron.core.domain.password_migration.PasswordMigrationRepository`."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def window(self, tenant_id: int, *, lock: bool = False) -> MigrationWindow | None:
        share = " FOR SHARE" if lock else ""
        row = await self._db.fetchrow(
            "SELECT ends_on, reminder_on, notifications FROM password_migration_windows "
            f"WHERE tenant_id = $1{share}",
            tenant_id,
        )
        return _window(row)

    async def put_window(self, tenant_id: int, window: MigrationWindow) -> None:
        await self._db.execute(
            """
            INSERT INTO password_migration_windows
                (tenant_id, ends_on, reminder_on, notifications, updated_at)
            VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (tenant_id) DO UPDATE SET
                ends_on = excluded.ends_on, reminder_on = excluded.reminder_on,
                notifications = excluded.notifications, updated_at = now()
            """,
            tenant_id,
            window.ends_on,
            window.reminder_on,
            window.notifications,
        )

    async def remove_window(self, tenant_id: int) -> MigrationWindow | None:
        row = await self._db.fetchrow(
            "DELETE FROM password_migration_windows WHERE tenant_id = $1 "
            "RETURNING ends_on, reminder_on, notifications",
            tenant_id,
        )
        return _window(row)

    async def legacy_accounts(self, tenant_id: int) -> int:
        count: int = await self._db.fetchval(
            f"SELECT count(*) FROM customers WHERE tenant_id = $1 AND {LEGACY}", tenant_id
        )
        return count

    async def clear_legacy_hashes(self, tenant_id: int) -> None:
        await self._db.execute(
            f"UPDATE customers SET password_hash = NULL WHERE tenant_id = $1 AND {LEGACY}",
            tenant_id,
        )
