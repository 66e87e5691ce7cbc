"""A narrowed caller (a restriction, `_own`) upserting a customer number that exists beyond
its reach: the documented 403, nothing written, and no customer created in its place."""

from __future__ import annotations

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.customer_calls import create, customers_path, fetch, token_of

FORBIDDEN = {"type": "Forbidden", "status": 403, "message": "User not authorized."}


@pytest.mark.parametrize(
    "scopes",
    [
        ["customer.customer_read--DE", "customer.customer_manage--DE"],
        ["customer.customer_manage--DE"],
        ["customer.customer_read_own", "customer.customer_manage_own"],
    ],
)
@pytest.mark.parametrize("media_type", ["application/json", "application/merge-patch+json"])
async def test_an_upsert_of_a_customer_beyond_reach_is_forbidden_and_writes_nothing(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    scopes: list[str],
    media_type: str,
) -> None:
    full = await token_of(http, services, shop)
    await create(http, full, shop, {"id": "pl1", "contactEmail": "pl1@example.com",
                                    "restriction": "PL", "firstName": "Ola"})  # fmt: skip
    narrowed = await token_of(http, services, shop, scopes)

    answer = await http.put(
        customers_path(shop, "pl1"),
        content=b'{"contactEmail": "pl1@example.com", "firstName": "Mallory", "restriction": "DE"}',
        headers={**narrowed, "content-type": media_type},
    )

    assert answer.status_code == 403 and answer.json() == FORBIDDEN
    stored = await fetch(http, full, shop, "pl1")
    assert stored["firstName"] == "Ola" and stored["restriction"] == "PL"
    assert stored["metadata"]["version"] == 1
