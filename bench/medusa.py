"""The Medusa admin benchmarks `make bench` runs after the Glue read: the admin read
`GET /medusa/admin/customers/{id}` and the admin list `GET /medusa/admin/customers?limit=20`
(at a random offset, and with `q`), each with an admin Bearer JWT, next to the baseline's
`/admin/customers/{id}` and `/admin/customers` (bench/baseline.py) doing the same queries.

Also: which index serves `q` (EXPLAIN of the statement Patron's list runs).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from typing import Any
from urllib.parse import quote

import httpx
from asyncpg.connection import LoggedQuery

from bench.load import request_bytes
from patron.core.domain.errors.conflict import AdminEmailTaken
from patron.core.domain.queries import CustomerQuery, Page
from patron.services import Services
from patron.settings import Settings
from patron.storage.customer_search import PgCustomerSearch
from patron.storage.database import create_pool

ADMIN_EMAIL = "bench-admin@bench.example"
ADMIN_PASSWORD = "bench-Admin-Secret-1"  # of the throwaway benchmark database only
READ_IDS = 1000
PAGE = 20
QUERIES = (
    # Surnames: about one customer in 48 each (bench.run names them), as an admin types them.
    "schmidt", "müller", "nguyen", "garcía", "kowalsk", "rossi", "yilmaz", "johanss",
    # First names: about one in 32.
    "sophie", "mateo", "aiko", "lukas",
    # Email fragments: a handful each.
    "user4242", "user777", "user12345", "user9090",
)  # fmt: skip
"""What `q` searches for: the realistic spread of one admin search box (a few to about
two thousand matches among 100,000)."""
JSON = {"Accept": "application/json"}


async def ensure_admin(dsn: str) -> None:
    """The benchmark's admin user (every back-office scope), made through the core once."""
    settings = Settings(database_url=dsn)
    services = await Services.start(settings, dsn)
    try:
        tenant = await services.core.tenants.get("default")
        with contextlib.suppress(AdminEmailTaken):  # made by an earlier run
            await services.core.staff_accounts.create_user(
                tenant, email=ADMIN_EMAIL, password=ADMIN_PASSWORD
            )
    finally:
        await services.close()


def admin_jwt(port: int) -> str:
    """A Bearer token as Medusa's admin gets one: `POST /medusa/admin/auth/token`."""
    response = httpx.post(
        f"http://127.0.0.1:{port}/medusa/admin/auth/token",
        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        headers=JSON,
        timeout=30,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def customer_ids(port: int, token: str, customers: int) -> list[str]:
    """`cus_...` ids of random customers, as the admin list shows them."""
    ids: list[str] = []
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}/medusa",
        headers={**JSON, "Authorization": f"Bearer {token}"},
        timeout=30,
    ) as client:
        while len(ids) < READ_IDS:
            offset = random.randrange(max(1, customers - 200))
            response = client.get("/admin/customers", params={"limit": 200, "offset": offset})
            response.raise_for_status()
            ids += [c["id"] for c in response.json()["customers"]]
    return ids[:READ_IDS]


def scenarios(
    ids: list[str], token: str, customers: int
) -> dict[str, tuple[str, list[bytes], list[bytes]]]:
    """Per scenario: its title, Patron's requests and the baseline's, the same sequence."""
    auth = {**JSON, "Authorization": f"Bearer {token}"}
    offsets = [random.randrange(customers - PAGE) for _ in range(1000)]
    paths = {
        "read": ("GET /medusa/admin/customers/{id}", [f"/admin/customers/{i}" for i in ids]),
        "list": (
            f"GET /medusa/admin/customers?limit={PAGE}&offset=<random>",
            [f"/admin/customers?limit={PAGE}&offset={o}" for o in offsets],
        ),
        "q": (
            f"GET /medusa/admin/customers?q=<substring>&limit={PAGE}",
            [f"/admin/customers?q={quote(q)}&limit={PAGE}" for q in QUERIES],
        ),
    }
    return {
        name: (
            title,
            [request_bytes(f"/medusa{path}", auth) for path in group],
            [request_bytes(path, JSON) for path in group],
        )
        for name, (title, group) in paths.items()
    }


def check_same_answers(
    patron_port: int,
    baseline_port: int,
    token: str,
    plan: dict[str, tuple[str, list[bytes], list[bytes]]],
) -> None:
    """Both targets find the same customers and counts for the first requests of each
    scenario (else the ratio compares different work)."""
    auth = {**JSON, "Authorization": f"Bearer {token}"}
    for name, (_, _, baseline_requests) in plan.items():
        for raw in baseline_requests[:3] + (baseline_requests if name == "q" else []):
            path = raw.split(b" ", 2)[1].decode()
            ours = httpx.get(f"http://127.0.0.1:{patron_port}/medusa{path}", headers=auth)
            theirs = httpx.get(f"http://127.0.0.1:{baseline_port}{path}", headers=JSON)
            ours.raise_for_status()
            theirs.raise_for_status()
            if _gist(ours.json()) != _gist(theirs.json()):
                raise RuntimeError(f"{path}: Patron and the baseline answer differently")


def _gist(body: dict[str, Any]) -> tuple[object, ...]:
    if "customer" in body:
        customer = body["customer"]
        return (customer["id"], customer["email"], len(customer["shipping_addresses"]))
    return (tuple(c["id"] for c in body["customers"]), body["count"])


async def explain_q(dsn: str, text: str) -> dict[str, Any]:
    """The plan of the statement Patron's list runs for `q`."""
    return {"q": text, **await explain_search(dsn, CustomerQuery(text=text, page=Page(limit=PAGE)))}


async def explain_search(dsn: str, query: CustomerQuery) -> dict[str, Any]:
    """The plan of the statement Patron's customer search runs for `query` in the default
    tenant: the search runs through Patron's own `PgCustomerSearch`, a query logger catches
    its SQL text and arguments, and that very statement is explained."""
    logged: list[LoggedQuery] = []

    pool = await create_pool(dsn, min_size=1, max_size=1)
    try:
        async with pool.acquire() as connection:  # the pool's one connection
            connection.add_query_logger(logged.append)
        _, total = await PgCustomerSearch(pool).search(1, query)
        statement = logged[0]
        raw = await pool.fetchval(
            f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement.query}", *statement.args
        )
    finally:
        await pool.close()
    plan = json.loads(raw) if isinstance(raw, str) else raw
    nodes = _nodes(plan)
    return {
        "matches": total,
        "statement": statement.query,
        "indexes": sorted({n["Index Name"] for n in nodes if "Index Name" in n}),
        "scans": sorted({n["Node Type"] for n in nodes if "Scan" in n.get("Node Type", "")}),
        "execution_ms": plan[0].get("Execution Time"),
    }


def _nodes(plan: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = list(plan) if isinstance(plan, list) else [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack += node.get("Plans", [])
            if "Plan" in node:
                stack.append(node["Plan"])
    return found


EXPLAINED = ("schmidt", "user4242")
"""A surname (about two thousand matches) and an email fragment (eleven)."""


def run_explain(dsn: str) -> list[dict[str, Any]]:
    async def explain_all() -> list[dict[str, Any]]:
        return [await explain_q(dsn, text) for text in EXPLAINED]

    return asyncio.run(explain_all())
