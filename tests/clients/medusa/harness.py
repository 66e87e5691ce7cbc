"""Runs journey.mjs against a server and answers its one question (the reset token, read
from the outbox as a mailbox would show it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg

from tests.clients.medusa.admin import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.clients.node import run_script
from tests.outbox import PASSWORD_RESET, key_in, latest_mail
from tests.waiting import wait_until_async

HERE = Path(__file__).resolve().parent
MAIL_SECONDS = 10.0
DASHBOARD = "https://admin.example.com"
STOREFRONT = "https://shop.example.com"


@dataclass(frozen=True, slots=True)
class Journey:
    base: str
    """Patron's base URL (the script talks to `<base>/medusa`)."""
    api_token: str
    customer: str
    """The email the guide's admin creates a customer with."""
    shopper: str
    """The email the shopper registers with."""
    since: datetime
    browser: bool
    """As browsers on the dashboard's and the storefront's origins (CORS checked)."""


async def reset_token(pool: asyncpg.Pool, email: str) -> str:
    """The token in the reset mail, once it is there: the core writes it after answering,
    so known and unknown addresses answer alike."""
    body = await wait_until_async(
        lambda: latest_mail(pool, email, PASSWORD_RESET),
        within=MAIL_SECONDS,
        what=f"a reset mail to {email}",
    )
    return key_in(body)


async def run_journey(
    node: str, journey: Journey, pool: asyncpg.Pool
) -> tuple[int, list[dict[str, Any]], str]:
    """Exit code, the JSON lines printed, and stderr."""
    env = {
        **os.environ,
        "MEDUSA_BASE_URL": f"{journey.base}/medusa",
        "MEDUSA_API_TOKEN": journey.api_token,
        "MEDUSA_ADMIN_EMAIL": ADMIN_EMAIL,
        "MEDUSA_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "MEDUSA_CUSTOMER_EMAIL": journey.customer,
        "MEDUSA_SHOPPER_EMAIL": journey.shopper,
        "MEDUSA_SINCE": journey.since.isoformat(),
    }
    for name in ("MEDUSA_ADMIN_ORIGIN", "MEDUSA_STORE_ORIGIN"):
        env.pop(name, None)
    if journey.browser:
        env.update(MEDUSA_ADMIN_ORIGIN=DASHBOARD, MEDUSA_STORE_ORIGIN=STOREFRONT)

    async def answer(line: dict[str, Any]) -> str | None:
        if line.get("step") == "password token requested":
            return await reset_token(pool, journey.shopper)
        return None

    return await run_script(node, "journey.mjs", cwd=HERE, env=env, answer=answer)
