"""Writers racing on one customer. Optimistic locking under load: the version check is made
under the customer's row lock, so of many writers holding one version exactly one wins
(reference 1.4). PUT is idempotent: upserts racing to create one new number end as if they
had come one after the other (one creates it, each other one updates it), never as a 409; a
POST that loses the race to an upsert is the duplicate it is."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.customer_calls import create, customers_path, fetch, token_of


async def test_of_100_concurrent_patches_with_one_version_exactly_one_succeeds(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    number = await create(http, auth, shop, {"contactEmail": "race@example.com"})
    path = customers_path(shop, number)

    answers = await asyncio.gather(
        *(
            http.patch(path, json={"firstName": f"W{i}", "metadata": {"version": 1}}, headers=auth)
            for i in range(100)
        )
    )

    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: 1, 409: 99}
    (winner,) = [i for i, answer in enumerate(answers) if answer.status_code == 200]
    body = await fetch(http, auth, shop, number)
    assert body["firstName"] == f"W{winner}" and body["metadata"]["version"] == 2


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
