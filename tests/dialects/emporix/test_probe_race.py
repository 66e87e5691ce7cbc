"""PUT is idempotent: upserts racing to create one new number end as if they had come one
after the other (one creates it, each other one updates it), never as a 409; a POST that
loses the race to an upsert is the duplicate it is."""

from __future__ import annotations

import asyncio

import httpx

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.customer_calls import customers_path, fetch, token_of


async def test_identical_upserts_racing_to_create_one_number_all_succeed(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    body = {"contactEmail": "retry@example.com", "firstName": "Ada"}

    answers = await asyncio.gather(
        *(http.put(customers_path(shop, "retry"), json=body, headers=auth) for _ in range(10))
    )

    assert sorted(answer.status_code for answer in answers) == [201] + [204] * 9
    assert await services.pool.fetchval("SELECT count(*) FROM customers") == 1
    stored = await fetch(http, auth, shop, "retry")
    assert stored["firstName"] == "Ada" and stored["metadata"]["version"] == 1


async def test_an_upsert_racing_a_creation_of_its_number_updates_or_loses_to_it(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)

    put, post = await asyncio.gather(
        http.put(
            customers_path(shop, "both"), json={"contactEmail": "put@example.com"}, headers=auth
        ),
        http.post(
            customers_path(shop),
            json={"id": "both", "contactEmail": "post@example.com"},
            headers=auth,
        ),
    )

    assert (put.status_code, post.status_code) in ((201, 409), (204, 201))
    assert await services.pool.fetchval("SELECT count(*) FROM customers") == 1
    stored = await fetch(http, auth, shop, "both")
    assert stored["contactEmail"] == "put@example.com"  # the upsert came second, or alone
