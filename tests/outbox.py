"""The outbox as a mailbox shows it to a test: the key in the latest mail to an address."""

from __future__ import annotations

import re

import asyncpg

CONFIRMATION = "customer_confirmation"
PASSWORD_RESET = "customer_password_reset"


async def latest_mail(pool: asyncpg.Pool, email: str, template: str) -> str | None:
    """The body of the latest `template` mail to `email` (any letter case), if any."""
    body: str | None = await pool.fetchval(
        "SELECT body FROM outbox WHERE lower(recipient) = lower($1) AND template = $2 "
        "ORDER BY id DESC LIMIT 1",
        email,
        template,
    )
    return body


def key_in(body: str) -> str:
    """The key of the `token=` link in a mail."""
    match = re.search(r"token=([\w-]+)", body)
    assert match, body
    return match.group(1)


async def mailed_key(pool: asyncpg.Pool, email: str, template: str) -> str:
    """The key in the latest `template` mail to `email`, which must be there by now."""
    body = await latest_mail(pool, email, template)
    assert body, f"no {template} mail to {email}"
    return key_in(body)


LOGIN_CHANGE_NOTICE = "customer_login_change_notice"


async def login_change_notices(pool: asyncpg.Pool) -> list[tuple[str, str, str]]:
    """(recipient, subject, body) of every notice of a changed login email or password,
    oldest first."""
    rows = await pool.fetch(
        "SELECT recipient, subject, body FROM outbox WHERE template = $1 ORDER BY id",
        LOGIN_CHANGE_NOTICE,
    )
    return [(row["recipient"], row["subject"], row["body"]) for row in rows]
