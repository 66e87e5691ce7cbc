"""Medusa's store takes an address in a test or reserved domain, as Medusa does (issue 18)."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.dialects.medusa.helpers import PASSWORD

NAMES = {"first_name": "Anna", "last_name": "Berg"}


@pytest.mark.parametrize("email", ["anna@shop.test", "x@example.invalid", "y@host.localhost"])
async def test_a_customer_signs_up_with_a_special_use_domain(
    store: httpx.AsyncClient, email: str
) -> None:
    response = await store.post(
        "/store/customers", json={"email": email, "password": PASSWORD, **NAMES}
    )

    assert response.status_code == 200, response.text
    assert response.json()["customer"]["email"] == email
    assert (await store.get("/store/customers/me")).json()["customer"]["email"] == email


async def test_an_address_without_a_domain_dot_is_still_refused(
    store: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    response = await store.post(
        "/store/customers", json={"email": "anna@localhost", "password": PASSWORD, **NAMES}
    )

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": "email must be an email"}
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0
