"""One-time keys, refresh tokens, the outbox and the password-migration window in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from patron.core.domain.model import OutgoingMail
from patron.core.domain.password_migration import LEGACY_HASH_PREFIX, MigrationWindow
from patron.core.ports.customers import RefreshTokenRecord
from tests.fakes.store import MemoryStore, OneTimeRow, OutboxRow, RefreshRow, Tables


class MemoryTokens:
    """Implements `TokenRepository`; a token hash is unique, as its column is."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    async def add_one_time(
        self, *, customer_id: int, purpose: str, token_hash: bytes, expires_at: datetime
    ) -> None:
        if any(row.token_hash == token_hash for row in self._tables.one_time_tokens.values()):
            raise ValueError("duplicate one-time token hash")
        self._tables.one_time_tokens[self._store.next_id("one_time_tokens")] = OneTimeRow(
            customer_id=customer_id, purpose=purpose, token_hash=token_hash, expires_at=expires_at
        )

    async def consume_one_time(
        self, *, purpose: str, token_hash: bytes, now: datetime
    ) -> int | None:
        for key, row in self._tables.one_time_tokens.items():
            if (
                row.token_hash == token_hash
                and row.purpose == purpose
                and row.used_at is None
                and row.expires_at > now
            ):
                self._tables.one_time_tokens[key] = replace(row, used_at=now)
                return row.customer_id
        return None

    async def discard_one_time_for(self, customer_id: int, purpose: str | None = None) -> None:
        self._tables.one_time_tokens = {
            key: row
            for key, row in self._tables.one_time_tokens.items()
            if not (
                row.customer_id == customer_id
                and row.used_at is None
                and (purpose is None or row.purpose == purpose)
            )
        }

    async def add_refresh(
        self,
        *,
        customer_id: int,
        family_id: UUID,
        token_hash: bytes,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        if any(row.token_hash == token_hash for row in self._tables.refresh_tokens.values()):
            raise ValueError("duplicate refresh token hash")
        token_id = self._store.next_id("refresh_tokens")
        self._tables.refresh_tokens[token_id] = RefreshRow(
            id=token_id,
            customer_id=customer_id,
            family_id=family_id,
            token_hash=token_hash,
            expires_at=expires_at,
            created_at=now,
        )

    async def find_refresh(self, token_hash: bytes) -> RefreshTokenRecord | None:
        for row in self._tables.refresh_tokens.values():
            if row.token_hash == token_hash:
                return RefreshTokenRecord(
                    row.id,
                    row.customer_id,
                    row.family_id,
                    row.expires_at,
                    row.rotated_at,
                    row.revoked_at,
                )
        return None

    async def mark_rotated(self, token_id: int, now: datetime) -> None:
        row = self._tables.refresh_tokens.get(token_id)
        if row is not None:
            self._tables.refresh_tokens[token_id] = replace(row, rotated_at=now)

    def _revoke(self, now: datetime, *, customer_id: int | None, family_id: UUID | None) -> None:
        for key, row in list(self._tables.refresh_tokens.items()):
            if row.revoked_at is not None:
                continue
            if customer_id is not None and row.customer_id != customer_id:
                continue
            if family_id is not None and row.family_id != family_id:
                continue
            self._tables.refresh_tokens[key] = replace(row, revoked_at=now)

    async def revoke_family(self, family_id: UUID, now: datetime) -> None:
        self._revoke(now, customer_id=None, family_id=family_id)

    async def revoke_refresh(self, *, token_hash: bytes, customer_id: int, now: datetime) -> None:
        for row in self._tables.refresh_tokens.values():
            if row.token_hash == token_hash and row.customer_id == customer_id:
                self._revoke(now, customer_id=None, family_id=row.family_id)
                return

    async def revoke_all_for(
        self, customer_id: int, now: datetime, *, except_session: UUID | None = None
    ) -> None:
        for key, row in list(self._tables.refresh_tokens.items()):
            if (
                row.customer_id == customer_id
                and row.revoked_at is None
                and row.family_id != except_session
            ):
                self._tables.refresh_tokens[key] = replace(row, revoked_at=now)


class MemoryOutbox:
    """Implements `Outbox`: messages land in the unit of work's tables, so a rollback
    drops them, as the outbox row of a rolled-back change goes with it."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    async def enqueue(self, tenant_id: int, mail: OutgoingMail) -> int:
        message_id = self._store.next_id("outbox")
        self._tables.outbox[message_id] = OutboxRow(tenant_id=tenant_id, mail=mail)
        return message_id

    async def redact_for(self, customer_id: int, email: str | None = None) -> None:
        customer = self._tables.customers.get(customer_id)
        tenant_id = customer.customer.tenant_id if customer else None
        for key, row in list(self._tables.outbox.items()):
            mine = row.mail.customer_id == customer_id
            guest = (
                email is not None
                and row.mail.recipient.lower() == email.lower()
                and row.tenant_id == tenant_id
            )
            if not (mine or guest):
                continue
            pending = row.status == "pending"
            self._tables.outbox[key] = replace(
                row,
                mail=replace(row.mail, recipient="", subject="[redacted]", body=""),
                status="failed" if pending else row.status,
                last_error="redacted before delivery" if pending else row.last_error,
            )


class MemoryPasswordMigration:
    """Implements `PasswordMigrationRepository`; the share lock is a no-op."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    async def window(self, tenant_id: int, *, lock: bool = False) -> MigrationWindow | None:
        return self._tables.migration_windows.get(tenant_id)

    async def put_window(self, tenant_id: int, window: MigrationWindow) -> None:
        self._tables.migration_windows[tenant_id] = window

    async def remove_window(self, tenant_id: int) -> MigrationWindow | None:
        return self._tables.migration_windows.pop(tenant_id, None)

    def _legacy(self, tenant_id: int) -> list[int]:
        return [
            row.customer.id
            for row in self._tables.tenant_customers(tenant_id)
            if row.password_hash is not None and row.password_hash.startswith(LEGACY_HASH_PREFIX)
        ]

    async def legacy_accounts(self, tenant_id: int) -> int:
        return len(self._legacy(tenant_id))

    async def clear_legacy_hashes(self, tenant_id: int) -> None:
        for customer_id in self._legacy(tenant_id):
            row = self._tables.customers[customer_id]
            self._tables.customers[customer_id] = replace(row, password_hash=None)
