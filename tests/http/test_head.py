"""A HEAD on any GET route of any dialect answers as the GET would, without the body."""

from __future__ import annotations

import asyncpg
import httpx

from tests.dialects.glue.helpers import bearer, signed_up

JSON = {"Accept": "application/json"}


def same_but_body(label: str, get: httpx.Response, head: httpx.Response) -> list[str]:
    problems = []
    if head.status_code != get.status_code:
        problems.append(f"{label}: HEAD {head.status_code}, GET {get.status_code}")
    if head.content:
        problems.append(f"{label}: HEAD has a body")
    for name in ("content-type", "content-length", "cache-control", "x-content-type-options"):
        if head.headers.get(name) != get.headers.get(name):
            problems.append(f"{label}: {name} {head.headers.get(name)} != {get.headers.get(name)}")
    return problems


async def test_a_head_is_the_get_without_its_body_on_every_dialect(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)
    signup = {
        "email": "sam@example.com",
        "password": "supersecret",
        "first_name": "Sam",
        "last_name": "Shop",
    }
    await client.post("/medusa/store/customers", json=signup, headers=JSON)  # the cookie stays
    requests = {
        "glue customer": (f"/glue/customers/{reference}", bearer(tokens)),
        "glue list": ("/glue/customers", bearer(tokens)),
        "glue unauthenticated": (f"/glue/customers/{reference}", {}),
        "glue docs": ("/glue/docs", {"Accept": "text/html"}),
        "medusa me": ("/medusa/store/customers/me", JSON),
        "medusa unauthenticated": ("/medusa/admin/customers", JSON),
        "medusa unknown": ("/medusa/nothing-here", JSON),
        "medusa document": ("/medusa/openapi.json", JSON),
        "aimeos root": ("/jsonapi", {"Accept": "*/*"}),
        "aimeos customer": ("/jsonapi/customer", {"Accept": "*/*"}),
        "emporix unauthenticated": ("/emporix/customer/default/customers", JSON),
        "emporix docs": ("/emporix/docs", {"Accept": "text/html"}),
        "root": ("/", {}),
        "health": ("/health", {}),
    }
    problems = []
    statuses = {}
    for label, (path, headers) in requests.items():
        get = await client.get(path, headers=headers)
        head = await client.head(path, headers=headers)
        statuses[label] = head.status_code
        problems.extend(same_but_body(label, get, head))

    assert problems == []
    assert statuses["glue customer"] == statuses["medusa me"] == statuses["aimeos root"] == 200
    assert statuses["glue unauthenticated"] == 403
    assert statuses["medusa unauthenticated"] == statuses["emporix unauthenticated"] == 401
    assert statuses["medusa unknown"] == 404
