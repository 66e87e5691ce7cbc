"""Optimistic locking under load: the version check is made under the customer's row
lock, so of many writers holding one version exactly one wins (reference 1.4)."""

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
