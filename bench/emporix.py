"""The Emporix benchmarks `make bench` runs last: the tenant-managed customer list
`GET /emporix/customer/default/customers` with a service token (client credentials, as an
integration gets one), once with `q=contactEmail:<email>` and once with a `metadataCreatedAt`
range, `sort=metadataCreatedAt:DESC` and `pageSize=60`, next to the baseline's
`/emporix/customers` (bench/baseline.py) running the same search through Patron's own
`PgCustomerSearch`, and the EXPLAIN of both statements (which index serves each).
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx

from bench.load import request_bytes
from bench.medusa import explain_search
from patron.core.domain.queries import CustomerQuery, Page
from patron.dialects.emporix.q import parse
from patron.dialects.emporix.scopes import CUSTOMER_READ, to_core
from patron.services import Services
from patron.settings import Settings

TENANT = "default"
PAGE_SIZE = 60
SORT = "metadataCreatedAt:DESC"
"""As Emporix' dashboard sends it; also `CustomerQuery`'s default order, so the baseline's
statement is Patron's."""
REQUESTS = 1000
WINDOW = timedelta(hours=6)
"""About 360 customers (bench.run spaces sign-ups a minute apart): a full page of 60 and a
count of several hundred."""
JSON = {"Accept": "application/json"}


async def _client(dsn: str) -> tuple[str, str]:
    """A new service client of the default tenant that may read customers: its id and
    secret (the secret is shown once, so every run makes its own)."""
    services = await Services.start(Settings(database_url=dsn), dsn)
    try:
        tenant = await services.core.tenants.get(TENANT)
        client, secret = await services.core.staff_accounts.create_client(
            tenant, name="bench", scopes=[str(to_core(CUSTOMER_READ))]
        )
    finally:
        await services.close()
    return client.client_id, secret


def service_token(dsn: str, port: int) -> str:
    """`POST /emporix/oauth/token` with the client's credentials."""
    client_id, secret = asyncio.run(_client(dsn))
    response = httpx.post(
        f"http://127.0.0.1:{port}/emporix/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        timeout=30,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _created_span(dsn: str) -> tuple[datetime, datetime]:
    async def span() -> tuple[datetime, datetime]:
        connection = await asyncpg.connect(dsn)
        try:
            row = await connection.fetchrow(
                "SELECT min(created_at), max(created_at) FROM customers WHERE tenant_id = 1"
            )
        finally:
            await connection.close()
        assert row is not None
        return row[0], row[1]

    return asyncio.run(span())


def timestamp(moment: datetime) -> str:
    """As Emporix writes dates: ISO 8601 in UTC with milliseconds."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _range(start: datetime) -> str:
    return f'metadataCreatedAt:(>="{timestamp(start)}" AND <"{timestamp(start + WINDOW)}")'


def queries(dsn: str, customers: int) -> dict[str, tuple[str, list[str]]]:
    """Per scenario: its title and the `q` values of its requests."""
    first, last = _created_span(dsn)
    minutes = int((last - first - WINDOW).total_seconds() // 60)
    emails = random.sample(range(1, customers + 1), min(REQUESTS, customers))
    return {
        "email": (
            "GET /emporix/customer/{tenant}/customers?q=contactEmail:<email>",
            [f"contactEmail:user{n}@bench.example" for n in emails],
        ),
        "range": (
            f'GET /emporix/customer/{{tenant}}/customers?q=metadataCreatedAt:(>="…" AND <"…")'
            f"&sort={SORT}&pageSize={PAGE_SIZE}",
            [
                _range(first + timedelta(minutes=random.randrange(max(1, minutes))))
                for _ in range(REQUESTS)
            ],
        ),
    }


def _query_string(q: str) -> str:
    return urlencode({"q": q, "sort": SORT, "pageSize": PAGE_SIZE})


def scenarios(
    plan: dict[str, tuple[str, list[str]]], token: str
) -> dict[str, tuple[str, list[bytes], list[bytes]]]:
    """Per scenario: its title, Patron's requests and the baseline's, the same sequence."""
    auth = {**JSON, "Authorization": f"Bearer {token}"}
    return {
        name: (
            title,
            [
                request_bytes(f"/emporix/customer/{TENANT}/customers?{_query_string(q)}", auth)
                for q in values
            ],
            [request_bytes(f"/emporix/customers?{_query_string(q)}", JSON) for q in values],
        )
        for name, (title, values) in plan.items()
    }


def check_same_answers(
    patron_port: int, baseline_port: int, token: str, plan: dict[str, tuple[str, list[str]]]
) -> None:
    """Both targets find the same customers and totals for the first requests of each
    scenario (else the ratio compares different work)."""
    auth = {**JSON, "Authorization": f"Bearer {token}"}
    for _, values in plan.values():
        for q in values[:3]:
            query = _query_string(q)
            ours = httpx.get(
                f"http://127.0.0.1:{patron_port}/emporix/customer/{TENANT}/customers?{query}",
                headers={**auth, "X-Total-Count": "true"},
            )
            theirs = httpx.get(f"http://127.0.0.1:{baseline_port}/emporix/customers?{query}")
            ours.raise_for_status()
            theirs.raise_for_status()
            if _gist(ours) != _gist(theirs) or not ours.json():
                raise RuntimeError(f"{q}: Patron and the baseline answer differently")


def _gist(response: httpx.Response) -> tuple[object, ...]:
    return (
        tuple(c["customerNumber"] for c in response.json()),
        response.headers.get("Count") or response.headers.get("X-Total-Count"),
    )


def search_of(q: str) -> CustomerQuery:
    """The search both sides run for `q` (sorted as `SORT` says, a page of `PAGE_SIZE`)."""
    return CustomerQuery(conditions=parse(q), page=Page(limit=PAGE_SIZE), with_anonymized=False)


def run_explain(dsn: str, plan: dict[str, tuple[str, list[str]]]) -> dict[str, dict[str, Any]]:
    """Per scenario, the plan of the statement its first request runs."""

    async def explain_all() -> dict[str, dict[str, Any]]:
        return {
            name: {"q": values[0], **await explain_search(dsn, search_of(values[0]))}
            for name, (_, values) in plan.items()
        }

    return asyncio.run(explain_all())
