"""The mail outbox: written in the caller's transaction, read and delivered later."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

from patron.core.domain.model import OutboxMessage, OutgoingMail
from patron.storage.database import Connection

NOTIFY_CHANNEL = "patron_outbox"
_MESSAGE_COLUMNS = (
    "id, recipient, subject, body, template, status, attempts, last_error, created_at, sent_at"
)


class PgOutbox:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def enqueue(self, tenant_id: int, mail: OutgoingMail) -> int:
        # The notification is delivered at commit only, so a worker never wakes for a
        # rolled-back message; one statement, one round trip.
        message_id: int = await self._db.fetchval(
            f"""
            WITH message AS (
                INSERT INTO outbox (tenant_id, customer_id, template, recipient, subject, body)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
            SELECT id FROM message, pg_notify('{NOTIFY_CHANNEL}', '')
            """,
            tenant_id,
            mail.customer_id,
            mail.template,
            mail.recipient,
            mail.subject,
            mail.body,
        )
        return message_id

    async def redact_for(self, customer_id: int, email: str | None = None) -> None:
        await self._db.execute(
            "UPDATE outbox SET recipient = '', subject = '[redacted]', body = '', "
            "status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END, "
            "last_error = CASE WHEN status = 'pending' THEN 'redacted before delivery' "
            "ELSE last_error END "
            "WHERE customer_id = $1 OR ($2::text IS NOT NULL AND lower(recipient) = lower($2) "
            "AND tenant_id = (SELECT tenant_id FROM customers WHERE id = $1))",
            customer_id,
            email,
        )


def _row_to_message(row: asyncpg.Record) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        recipient=row["recipient"],
        subject=row["subject"],
        body=row["body"],
        template=row["template"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
        sender=row.get("sender"),  # only the claim of pending mail reads it
    )


class OutboxStore:
    """Reading and delivery bookkeeping, outside any business transaction."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def recent(self, *, limit: int = 50, recipient: str | None = None) -> list[OutboxMessage]:
        rows = await self._pool.fetch(
            f"SELECT {_MESSAGE_COLUMNS} FROM outbox "
            "WHERE ($2::text IS NULL OR lower(recipient) = lower($2)) ORDER BY id DESC LIMIT $1",
            limit,
            recipient,
        )
        return [_row_to_message(row) for row in rows]

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self._pool.fetchrow(
            f"SELECT {_MESSAGE_COLUMNS} FROM outbox WHERE id = $1", message_id
        )
        return _row_to_message(row) if row else None

    async def claim_due(self, *, limit: int, lease: timedelta) -> list[OutboxMessage]:
        """Take due messages for one sender; the lease keeps other workers off them. Each
        comes with its tenant's From address, read as it is now."""
        rows = await self._pool.fetch(
            f"""
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + $2::interval
            WHERE id IN (
                SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING {_MESSAGE_COLUMNS}, (SELECT t.settings ->> 'mail_sender' FROM tenants t
                                          WHERE t.id = outbox.tenant_id) AS sender
            """,
            limit,
            lease,
        )
        return sorted((_row_to_message(row) for row in rows), key=lambda m: m.id)

    async def mark_sent(self, message_id: int, now: datetime) -> None:
        """Sent: the body goes. It held confirmation and reset keys, a generated password,
        an unsubscribe link; the recipient's inbox has them now, and the database keeps keys
        only as hashes. Recipient, subject and template stay, for the record."""
        await self._pool.execute(
            "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL, body = '' "
            "WHERE id = $1",
            message_id,
            now,
        )

    async def mark_failed(self, message_id: int, error: str, *, retry_at: datetime | None) -> None:
        """Schedule a retry, or give up when `retry_at` is None."""
        await self._pool.execute(
            "UPDATE outbox SET last_error = $2, "
            "status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, "
            "next_attempt_at = coalesce($3, next_attempt_at) WHERE id = $1",
            message_id,
            error[:500],
            retry_at,
        )
