"""Glue takes an address in a test or reserved domain, as Spryker does (issue 18)."""

from __future__ import annotations

import httpx
import pytest

from tests.dialects.glue.helpers import registration


@pytest.mark.parametrize("email", ["anna@shop.test", "x@example.invalid", "y@host.localhost"])
async def test_a_customer_signs_up_with_a_special_use_domain(
    client: httpx.AsyncClient, email: str
) -> None:
    response = await client.post("/glue/customers", json=registration(email))

    assert response.status_code == 201, response.text
    assert response.json()["data"]["attributes"]["email"] == email


async def test_an_address_without_a_domain_dot_is_still_refused(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/glue/customers", json=registration("anna@localhost"))

    assert response.status_code == 422
    assert response.json()["errors"][0]["detail"] == (
        "email => This value is not a valid email address."
    )
