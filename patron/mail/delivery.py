"""Outbox delivery: claim due messages, send them over SMTP, record the outcome.

Nothing is sent before the change that wrote it commits, because the worker reads only
committed rows. A lease on each claimed row keeps other workers from sending it twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import asyncpg

from patron.core.domain.model import OutboxMessage
from patron.core.ports.unit_of_work import Clock
from patron.storage.outbox import NOTIFY_CHANNEL, OutboxStore

log = logging.getLogger("patron.mail")

LEASE = timedelta(minutes=2)


class Sender(Protocol):
    async def send(self, message: OutboxMessage) -> None: ...


class SmtpSender:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        tls: str = "none",
        timeout: float = 30.0,
    ) -> None:
        self._host, self._port, self._from = host, port, sender
        self._username, self._password = username, password
        self._tls, self._timeout = tls, timeout

    async def send(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = message.sender or self._from
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["X-Patron-Message-Id"] = str(message.id)
        email.set_content(message.body)
        await aiosmtplib.send(
            email,
            hostname=self._host,
            port=self._port,
            username=self._username,
            password=self._password,
            use_tls=self._tls == "tls",
            start_tls=self._tls == "starttls",
            timeout=self._timeout,
        )


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


class OutboxDelivery:
    def __init__(
        self, store: OutboxStore, sender: Sender, *, clock: Clock, max_attempts: int
    ) -> None:
        self._store = store
        self._sender = sender
        self._clock = clock
        self._max_attempts = max_attempts

    async def deliver_due(self, batch: int = 20) -> int:
        """Send what is due now; return how many were sent."""
        sent = 0
        for message in await self._store.claim_due(limit=batch, lease=LEASE):
            try:
                await self._sender.send(message)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                now = self._clock()
                give_up = message.attempts >= self._max_attempts
                retry_at: datetime | None = None if give_up else now + retry_delay(message.attempts)
                await self._store.mark_failed(
                    message.id, f"{type(error).__name__}: {error}", retry_at=retry_at
                )
                log.warning("mail %s not sent (attempt %s)", message.id, message.attempts)
            else:
                await self._store.mark_sent(message.id, self._clock())
                sent += 1
        return sent

    async def run(self, dsn: str, *, poll_seconds: float) -> None:
        """Deliver until cancelled: on every NOTIFY from a commit, and every poll interval."""
        wake = asyncio.Event()
        listener = await asyncpg.connect(dsn)
        try:
            await listener.add_listener(NOTIFY_CHANNEL, lambda *_: wake.set())
            while True:
                try:
                    while await self.deliver_due():
                        _raise_if_cancelled()
                except (asyncpg.PostgresError, OSError):
                    log.exception("outbox delivery failed; retrying")
                _raise_if_cancelled()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=poll_seconds)
                wake.clear()
        finally:
            await listener.close()


def _raise_if_cancelled() -> None:
    """Honour a cancellation that a library swallowed: on Python 3.11, `asyncio.wait_for`
    inside aiosmtplib can lose one that lands while it reads the server's reply, and the
    app's shutdown would then wait for this task forever."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError()
