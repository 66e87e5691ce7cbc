"""One customer store: an account made through `/jsonapi` is the same customer in Glue and
Medusa, with the same billing address."""

from __future__ import annotations

import asyncpg
import httpx

from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, AimeosBrowser
from tests.dialects.glue.helpers import bearer, document, login
from tests.outbox import mailed_key

EMAIL = "testuser@example.com"
ATTRIBUTES = {
    "customer.email": EMAIL,
    "customer.password": PASSWORD,
    "customer.salutation": "mrs",
    "customer.firstname": "Test",
    "customer.lastname": "User",
    "customer.address1": "Test street",
    "customer.postal": "12345",
    "customer.city": "Test city",
    "customer.countryid": "DE",
}


async def test_the_account_and_its_address_show_in_glue_and_medusa(
    shop: AimeosBrowser, client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    created = await shop.write("POST", CUSTOMER, {"data": {"attributes": ATTRIBUTES}})
    assert created.status_code == 201

    # The tenant asks for confirmation: the account mail carries the link Glue needs.
    key = await mailed_key(clean_db, EMAIL, "customer_account")
    confirmed = await client.post(
        "/glue/customer-confirmation",
        json=document("customer-confirmation", registrationKey=key),
    )
    assert confirmed.status_code == 204
    tokens = await login(client, EMAIL, PASSWORD)
    reference = await clean_db.fetchval("SELECT customer_number FROM customers")
    glue = await client.get(f"/glue/customers/{reference}/addresses", headers=bearer(tokens))
    assert glue.status_code == 200
    [address] = glue.json()["data"]
    assert address["attributes"]["address1"] == "Test street"
    assert address["attributes"]["isDefaultBilling"] is True

    store = await client.post("/medusa/store/auth", json={"email": EMAIL, "password": PASSWORD})
    assert store.status_code == 200
    me = await client.get("/medusa/store/customers/me")
    billing = me.json()["customer"]["billing_address"]
    assert billing["address_1"] == "Test street"
    assert billing["first_name"] == "Test"
