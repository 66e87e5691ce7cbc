"""Outbox delivery over a real SMTP connection."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import asyncpg
import pytest

from patron.core.domain.errors.invalid_input import TenantSettingInvalid
from patron.core.domain.model import OutboxMessage
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.mail.delivery import OutboxDelivery, SmtpSender, retry_delay
from patron.services import Services
from patron.storage.outbox import NOTIFY_CHANNEL
from tests.conftest import FrozenClock, fetch_one, registration_for
from tests.smtp import free_port, smtp_server
from tests.waiting import wait_until_async


def _delivery(
    services: Services, port: int, clock: FrozenClock, attempts: int = 3
) -> OutboxDelivery:
    sender = SmtpSender(host="127.0.0.1", port=port, sender="shop@example.com", timeout=5)
    return OutboxDelivery(services.outbox, sender, clock=clock, max_attempts=attempts)


async def test_committed_mail_is_delivered_once(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("mail@example.com"))

    with smtp_server() as (inbox, port):
        delivery = _delivery(timed_services, port, clock)
        sent = await delivery.deliver_due()
        again = await delivery.deliver_due()

    assert (sent, again) == (1, 0)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "mail@example.com"
    assert message["Subject"] == "Confirm your registration"
    assert "http://testserver/register/confirm?token=" in message.get_payload()
    row = await fetch_one(clean_db, "SELECT status, attempts, sent_at, body, subject FROM outbox")
    assert (row["status"], row["attempts"]) == ("sent", 1)
    assert row["sent_at"] is not None
    # The key went to the inbox; the outbox keeps no readable copy of it.
    assert (row["body"], row["subject"]) == ("", "Confirm your registration")


async def test_a_tenants_mail_goes_out_from_the_tenants_sender(
    timed_services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    await timed_services.core.tenant_admin.change_settings(
        tenant.code, {"mail_sender": "Shop Team <team@shop.example>"}
    )
    changed = await timed_services.core.tenants.get(tenant.code)
    await timed_services.core.accounts.register(changed, registration_for("a@example.com"))
    await timed_services.core.tenant_admin.create("other", "Other", TenantSettings())
    other = await timed_services.core.tenants.get("other")
    await timed_services.core.accounts.register(other, registration_for("b@example.com"))

    with smtp_server() as (inbox, port):
        assert await _delivery(timed_services, port, clock).deliver_due() == 2

    senders = {message["To"]: message["From"] for message in inbox.messages}
    assert senders == {
        "a@example.com": "Shop Team <team@shop.example>",
        "b@example.com": "shop@example.com",  # no sender of its own: the default
    }


@pytest.mark.parametrize(
    "sender", ["team@shop.example\r\nBcc: x@evil.example", "no address", "x" * 300 + "@a.de"]
)
def test_a_sender_that_is_no_single_address_is_refused(sender: str) -> None:
    with pytest.raises(TenantSettingInvalid, match="mail_sender"):
        TenantSettings(mail_sender=sender)


async def test_a_failed_delivery_is_retried_later_then_given_up(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("mail@example.com"))
    delivery = _delivery(timed_services, free_port(), clock, attempts=2)  # nobody listens

    assert await delivery.deliver_due() == 0
    first = await fetch_one(
        clean_db,
        "SELECT status, attempts, last_error, next_attempt_at > now() AS later FROM outbox",
    )
    await clean_db.execute("UPDATE outbox SET next_attempt_at = now()")
    assert await delivery.deliver_due() == 0
    final = await fetch_one(clean_db, "SELECT status, attempts FROM outbox")

    assert (first["status"], first["attempts"], first["later"]) == ("pending", 1, True)
    assert first["last_error"]
    assert (final["status"], final["attempts"]) == ("failed", 2)


async def _listening_since(pool: asyncpg.Pool, since: datetime) -> bool:
    """A connection opened after `since` has run LISTEN on the outbox channel and is idle,
    so a NOTIFY committed from now on reaches it."""
    found: bool = await pool.fetchval(
        "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_start >= $1 AND state = 'idle' AND query = $2)",
        since,
        f'LISTEN "{NOTIFY_CHANNEL}"',
    )
    return found


async def _all_sent(pool: asyncpg.Pool) -> bool:
    statuses: list[str] = [row["status"] for row in await pool.fetch("SELECT status FROM outbox")]
    return bool(statuses) and set(statuses) == {"sent"}


async def test_the_worker_wakes_on_commit(
    timed_services: Services,
    tenant: Tenant,
    database_url: str,
    clock: FrozenClock,
    clean_db: asyncpg.Pool,
) -> None:
    with smtp_server() as (inbox, port):
        started = await clean_db.fetchval("SELECT clock_timestamp()")
        worker = asyncio.create_task(
            _delivery(timed_services, port, clock).run(database_url, poll_seconds=60)
        )
        await wait_until_async(
            lambda: _listening_since(clean_db, started), within=10, what="the worker to listen"
        )
        await timed_services.core.accounts.register(tenant, registration_for("wake@example.com"))
        # Long before the 60 s poll: only the notification can have woken it. Waiting for
        # the row (not the inbox) also lets the SMTP exchange finish before the cancel.
        await wait_until_async(
            lambda: _all_sent(clean_db), within=10, what="the message to be marked sent"
        )
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)

    assert [m["To"] for m in inbox.messages] == ["wake@example.com"]


def test_retry_delays_grow_and_are_capped() -> None:
    assert retry_delay(1) == timedelta(seconds=30)
    assert retry_delay(2) == timedelta(seconds=60)
    assert retry_delay(20) == timedelta(hours=1)


class SwallowsCancellation:
    """A sender with the defect of Python 3.11's `asyncio.wait_for` inside aiosmtplib: a
    cancellation that lands while it waits for the server's reply is lost."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()

    async def send(self, message: OutboxMessage) -> None:
        self.waiting.set()
        try:
            await asyncio.Event().wait()  # the server's reply, which never comes
        except asyncio.CancelledError:
            return  # swallowed: the task no longer knows it was cancelled


async def test_a_cancellation_a_library_swallowed_still_stops_the_worker(
    timed_services: Services,
    tenant: Tenant,
    database_url: str,
    clock: FrozenClock,
) -> None:
    """Shutdown cancels the worker; it must end, or the app's lifespan waits forever."""
    await timed_services.core.accounts.register(tenant, registration_for("stop@example.com"))
    sender = SwallowsCancellation()
    delivery = OutboxDelivery(timed_services.outbox, sender, clock=clock, max_attempts=3)
    worker = asyncio.create_task(delivery.run(database_url, poll_seconds=60))
    await asyncio.wait_for(sender.waiting.wait(), timeout=10)

    worker.cancel()
    done, _ = await asyncio.wait({worker}, timeout=10)

    assert done == {worker}
    assert worker.cancelled()
