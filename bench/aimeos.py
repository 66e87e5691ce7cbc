"""The Aimeos benchmark `make bench` runs after Medusa's: the logged-in
`GET /jsonapi/customer?include=customer/address` with a session cookie, next to the
baseline's `/aimeos/customer/{id}` doing the same two reads (the customer by id, then its
addresses). Patron's side also pays for what the baseline skips: the session lookup, the
CSRF token and the document.
"""

from __future__ import annotations

import random

import httpx

from bench.load import request_bytes
from patron.core.access import CustomerRef
from patron.core.commands import AddressDraft
from patron.services import Services
from patron.settings import Settings
from patron.storage.customers import COLUMNS, row_to_customer

SESSIONS = 1000
PATH = "/jsonapi/customer?include=customer/address"
ACCEPT = {"Accept": "application/vnd.api+json"}


async def sessions(dsn: str, customers: int) -> list[tuple[int, str]]:
    """(customer id, session cookie) for a random sample of customers, each logged in
    through the core and holding one address (added once, kept by later runs)."""
    services = await Services.start(Settings(database_url=dsn), dsn)
    try:
        tenant = await services.core.tenants.get("default")
        picks = random.sample(range(1, customers + 1), min(SESSIONS, customers))
        rows = await services.pool.fetch(
            f"SELECT {COLUMNS} FROM customers WHERE tenant_id = 1 AND customer_number = ANY($1)",
            [f"DE--{n}" for n in picks],
        )
        found: list[tuple[int, str]] = []
        for row in rows:
            customer = row_to_customer(row)
            cookie = await services.core.auth.start_session(customer)
            claims = await services.core.auth.session_claims(tenant, cookie)
            if not await services.core.addresses.list_own(claims, CustomerRef.me()):
                draft = AddressDraft(
                    first_name=customer.first_name,
                    last_name=customer.last_name,
                    address1="Bench street 1",
                    zip_code="12345",
                    city="Berlin",
                    country_code="DE",
                )
                await services.core.addresses.add_own(claims, CustomerRef.me(), draft)
            found.append((customer.id, cookie))
        return found
    finally:
        await services.close()


def scenario(pairs: list[tuple[int, str]]) -> tuple[str, list[bytes], list[bytes]]:
    """Its title, Patron's requests and the baseline's, for the same customers in order."""
    patron = [
        request_bytes(PATH, {**ACCEPT, "Cookie": f"aimeos_session={cookie}"}) for _, cookie in pairs
    ]
    baseline = [request_bytes(f"/aimeos/customer/{cid}", ACCEPT) for cid, _ in pairs]
    return f"GET {PATH} (session cookie)", patron, baseline


def check_same_answers(patron_port: int, baseline_port: int, pairs: list[tuple[int, str]]) -> None:
    """Both find the same customer and the same addresses (else the ratio compares
    different work), and Patron's answer is the logged-in customer's."""
    for customer_id, cookie in pairs[:3]:
        ours = httpx.get(
            f"http://127.0.0.1:{patron_port}{PATH}",
            headers={**ACCEPT, "Cookie": f"aimeos_session={cookie}"},
        ).json()
        theirs = httpx.get(f"http://127.0.0.1:{baseline_port}/aimeos/customer/{customer_id}").json()
        gist = (ours["data"]["id"], [i["id"] for i in ours["included"]])
        if gist != (theirs["data"]["id"], [i["id"] for i in theirs["included"]]):
            raise RuntimeError(f"customer {customer_id}: Patron and the baseline differ")
