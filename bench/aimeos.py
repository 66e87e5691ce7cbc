"""The Aimeos benchmark `make bench` runs last: the logged-in shopper's
`GET /jsonapi/customer?include=customer/address` with a session cookie, next to the
baseline's `/aimeos/customer` reading the same customer and its addresses (the customer id
in a plain cookie: no session, no anti-forgery token, no envelope rules).

Sessions are opened through Patron's own core (`Authentication.start_session`), as a login
leaves them, so every request pays for the session lookup and the check that it is open.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx

from bench.load import request_bytes
from patron.services import Services
from patron.settings import Settings
from patron.storage.customers import COLUMNS, row_to_customer

SESSIONS = 1000
COOKIE = "aimeos_session"
PATH = "/jsonapi/customer?include=customer%2Faddress"
ACCEPT = {"Accept": "application/vnd.api+json"}
BASELINE_PATH = "/aimeos/customer"


async def _sessions(dsn: str, customers: int) -> list[tuple[int, str]]:
    """(customer id, session cookie) for the first `SESSIONS` customers, each with one
    billing address (added once, by an earlier run or this one)."""
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            f"SELECT {COLUMNS} FROM customers WHERE tenant_id = 1 AND customer_number = ANY($1)",
            [f"DE--{n}" for n in range(1, min(SESSIONS, customers) + 1)],
        )
        await connection.execute(
            """
            INSERT INTO addresses (uuid, customer_id, first_name, last_name, address1, zip_code,
                city, country_code, is_default_billing, created_at, updated_at)
            SELECT gen_random_uuid(), c.id, c.first_name, c.last_name, 'Teststraße 1', '10115',
                'Berlin', 'DE', true, now(), now()
            FROM customers c WHERE c.id = ANY($1)
                AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.customer_id = c.id)
            """,
            [row["id"] for row in rows],
        )
    finally:
        await connection.close()
    services = await Services.start(Settings(database_url=dsn), dsn)
    try:
        return [
            (row["id"], await services.core.auth.start_session(row_to_customer(row)))
            for row in rows
        ]
    finally:
        await services.close()


def sessions(dsn: str, customers: int) -> list[tuple[int, str]]:
    return asyncio.run(_sessions(dsn, customers))


def scenario(pairs: list[tuple[int, str]]) -> tuple[str, list[bytes], list[bytes]]:
    """The title, Patron's requests and the baseline's, for the same customers in order."""
    patron = [request_bytes(PATH, _patron_headers(cookie)) for _, cookie in pairs]
    baseline = [request_bytes(BASELINE_PATH, _baseline_headers(cid)) for cid, _ in pairs]
    return f"GET {PATH} (session cookie)", patron, baseline


def check_same_answers(patron_port: int, baseline_port: int, pairs: list[tuple[int, str]]) -> None:
    """Both name the same customer and addresses for the first customers (else the ratio
    compares different work)."""
    for cid, cookie in pairs[:3]:
        ours = httpx.get(f"http://127.0.0.1:{patron_port}{PATH}", headers=_patron_headers(cookie))
        theirs = httpx.get(
            f"http://127.0.0.1:{baseline_port}{BASELINE_PATH}", headers=_baseline_headers(cid)
        )
        ours.raise_for_status()
        theirs.raise_for_status()
        if _gist(ours.json()) != _gist(theirs.json()):
            raise RuntimeError("Patron and the baseline answer differently")


def _patron_headers(cookie: str) -> dict[str, str]:
    return {**ACCEPT, "Cookie": f"{COOKIE}={cookie}"}


def _baseline_headers(customer_id: int) -> dict[str, str]:
    return {**ACCEPT, "Cookie": f"cid={customer_id}"}


def _gist(body: dict[str, Any]) -> tuple[object, ...]:
    included = body["included"]
    return (body["data"]["id"], [(item["type"], item["id"]) for item in included])
