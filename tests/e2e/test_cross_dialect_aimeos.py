"""One customer through Aimeos' JSON API and the other vendors' APIs of the same app: an
account made at `/jsonapi` logs in through Glue once confirmed and its billing address is
Glue's and Medusa's, one address whichever side changes it; Glue's and Medusa's customers
log in at `/jsonapi`; failed logins there lock the account in Glue; an account deleted
there ends its Glue tokens and leaves its e-mail free.

`client` keeps cookies as a browser does; on `/jsonapi` it is driven as the Aimeos tests'
browser drives it (the latest `meta.csrf` sent as `_token` in the query).
"""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from patron.settings import Settings
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser
from tests.dialects.glue.helpers import PASSWORD, bearer, confirm, document, login, register
from tests.outbox import mailed_key

JSON = {"Accept": "application/json"}
ACCOUNT_MAIL = "customer_account"
"""The mail of an Aimeos sign-up, holding the confirmation link when one is due."""
BILLING = {
    "customer.firstname": "Anna", "customer.lastname": "Aimeos", "customer.company": "Aimeos GmbH",
    "customer.address1": "Pickhuben", "customer.address2": "2", "customer.address3": "3. OG",
    "customer.postal": "20457", "customer.city": "Hamburg", "customer.state": "HH",
    "customer.countryid": "DE", "customer.telephone": "+4940123456",
}  # fmt: skip


@pytest.fixture
def jsonapi(client: httpx.AsyncClient) -> AimeosBrowser:
    """The same cookie-keeping client, as a storefront on `/jsonapi` drives it."""
    return AimeosBrowser(client)


def new_visit(jsonapi: AimeosBrowser) -> None:
    """A fresh browser: no cookie, so no token yet."""
    jsonapi.http.cookies.clear()
    jsonapi.csrf = None


async def test_an_aimeos_account_logs_in_through_glue_once_confirmed_and_its_address_is_shared(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    email = "anna@aimeos.example"
    values = {"customer.email": email, "customer.password": PASSWORD, **BILLING}
    created = await jsonapi.write("POST", CUSTOMER, {"data": {"attributes": values}})
    assert created.status_code == 201, created.text
    customer_id = int(created.json()["data"]["id"])
    glue_login = document("access-tokens", username=email, password=PASSWORD)

    unconfirmed = await client.post("/glue/access-tokens", json=glue_login)
    confirmed = await client.post(
        "/glue/customer-confirmation",
        json=document(
            "customer-confirmation", registrationKey=await mailed_key(clean_db, email, ACCOUNT_MAIL)
        ),
    )
    tokens = await login(client, email)
    reference = await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE id = $1", customer_id
    )
    glue = await client.get(
        f"/glue/customers/{reference}?include=addresses", headers=bearer(tokens)
    )
    medusa_login = await client.post(
        "/medusa/store/auth", json={"email": email, "password": PASSWORD}, headers=JSON
    )
    medusa = await client.get("/medusa/store/customers/me", headers=JSON)

    assert [e["status"] for e in unconfirmed.json()["errors"]] == [401]
    assert confirmed.status_code == 204, confirmed.text
    assert glue.status_code == 200, glue.text
    attributes = glue.json()["data"]["attributes"]
    assert (attributes["email"], attributes["firstName"], attributes["lastName"]) == (
        email,
        "Anna",
        "Aimeos",
    )
    [address] = [r["attributes"] for r in glue.json()["included"] if r["type"] == "addresses"]
    assert {k: address[k] for k in ("firstName", "lastName", "company", "address1", "address2",
                                     "address3", "zipCode", "city", "iso2Code", "phone",
                                     "isDefaultBilling")} == {
        "firstName": "Anna", "lastName": "Aimeos", "company": "Aimeos GmbH",
        "address1": "Pickhuben", "address2": "2", "address3": "3. OG", "zipCode": "20457",
        "city": "Hamburg", "iso2Code": "DE", "phone": "+4940123456", "isDefaultBilling": True,
    }  # fmt: skip
    assert medusa_login.status_code == 200, medusa_login.text
    customer = medusa.json()["customer"]
    billing = customer["billing_address"]
    assert {k: billing[k] for k in ("first_name", "last_name", "company", "address_1",
                                    "address_2", "postal_code", "city", "country_code",
                                    "phone")} == {
        "first_name": "Anna", "last_name": "Aimeos", "company": "Aimeos GmbH",
        "address_1": "Pickhuben", "address_2": "2", "postal_code": "20457", "city": "Hamburg",
        "country_code": "de", "phone": "+4940123456",
    }  # fmt: skip
    assert [a["id"] for a in customer["shipping_addresses"]] == [billing["id"]]


async def test_glue_and_medusa_customers_log_in_through_jsonapi_and_see_their_data(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    await register(client, "sonia@spryker.com")
    await confirm(client, clean_db, "sonia@spryker.com")
    medusa = await client.post(
        "/medusa/store/customers",
        json={"email": "mila@medusa.example", "password": PASSWORD, "first_name": "Mila",
              "last_name": "Medusa", "phone": "+4930123"},
        headers=JSON,
    )  # fmt: skip
    assert medusa.status_code == 200, medusa.text
    new_visit(jsonapi)

    for typed, email, first, last in (
        ("sonia@spryker.com", "sonia@spryker.com", "Sonia", "Wagner"),
        ("Mila@Medusa.example", "mila@medusa.example", "Mila", "Medusa"),
    ):
        logged_in = await jsonapi.login(typed, PASSWORD)
        shown = await jsonapi.get()
        assert logged_in.status_code == 200, logged_in.text
        attributes = shown.json()["data"]["attributes"]
        assert (attributes["customer.email"], attributes["customer.code"]) == (email, email)
        assert (attributes["customer.firstname"], attributes["customer.lastname"]) == (first, last)
        assert shown.json()["data"]["id"] == str(
            await clean_db.fetchval(
                "SELECT id FROM customers WHERE lower(email) = lower($1)", email
            )
        )
        new_visit(jsonapi)


async def test_an_account_deleted_through_jsonapi_frees_its_email_for_glue(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    email = "gone@aimeos.example"
    created = await jsonapi.write(
        "POST",
        CUSTOMER,
        {"data": {"attributes": {"customer.email": email, "customer.password": PASSWORD}}},
    )
    assert created.status_code == 201, created.text
    assert (await jsonapi.login(email, PASSWORD)).status_code == 200
    deleted = await jsonapi.write("DELETE", CUSTOMER)
    new_visit(jsonapi)

    again = await register(client, email, firstName="Greta")
    await confirm(client, clean_db, email)
    tokens = await login(client, email)
    glue = await client.get(f"/glue/customers/{again['id']}", headers=bearer(tokens))

    assert (deleted.status_code, deleted.json()["meta"]["total"]) == (200, 0)
    assert glue.json()["data"]["attributes"]["firstName"] == "Greta"
    new_id = await clean_db.fetchval(
        "SELECT id FROM customers WHERE lower(email) = $1 AND has_account", email
    )
    assert new_id != int(created.json()["data"]["id"])


async def _confirmed_aimeos_account(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, pool: asyncpg.Pool, email: str
) -> tuple[int, dict[str, Any]]:
    """Signed up at `/jsonapi` with a billing address, confirmed and logged in there and
    in Glue: its id and its Glue tokens."""
    values = {"customer.email": email, "customer.password": PASSWORD, **BILLING}
    created = await jsonapi.write("POST", CUSTOMER, {"data": {"attributes": values}})
    assert created.status_code == 201, created.text
    confirmed = await client.post(
        "/glue/customer-confirmation",
        json=document(
            "customer-confirmation", registrationKey=await mailed_key(pool, email, ACCOUNT_MAIL)
        ),
    )
    assert confirmed.status_code == 204, confirmed.text
    assert (await jsonapi.login(email, PASSWORD)).status_code == 200
    return int(created.json()["data"]["id"]), await login(client, email)


async def test_a_billing_change_through_jsonapi_changes_the_one_address_everywhere(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    """`customer.city` and friends edit the default billing address in place: Glue and
    Medusa see the new values on the same address, not a second one."""
    email = "anna@aimeos.example"
    customer_id, tokens = await _confirmed_aimeos_account(client, jsonapi, clean_db, email)
    before = await clean_db.fetch("SELECT id FROM addresses WHERE customer_id = $1", customer_id)

    patched = await jsonapi.write(
        "PATCH",
        CUSTOMER,
        {"data": {"attributes": {"customer.city": "Altona", "customer.postal": "22765"}}},
    )
    reference = await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE id = $1", customer_id
    )
    glue = await client.get(
        f"/glue/customers/{reference}?include=addresses", headers=bearer(tokens)
    )
    after = await clean_db.fetch("SELECT id FROM addresses WHERE customer_id = $1", customer_id)

    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["attributes"]["customer.city"] == "Altona"
    assert after == before and len(after) == 1
    [address] = [r["attributes"] for r in glue.json()["included"] if r["type"] == "addresses"]
    assert (address["city"], address["zipCode"], address["address1"]) == (
        "Altona",
        "22765",
        "Pickhuben",
    )


async def test_an_address_changed_in_glue_is_the_customers_own_address_in_jsonapi(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    email = "anna@aimeos.example"
    customer_id, tokens = await _confirmed_aimeos_account(client, jsonapi, clean_db, email)
    reference = await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE id = $1", customer_id
    )
    address_id = await clean_db.fetchval(
        "SELECT uuid FROM addresses WHERE customer_id = $1", customer_id
    )

    changed = await client.patch(
        f"/glue/customers/{reference}/addresses/{address_id}",
        json={"data": {"type": "addresses", "id": str(address_id),
                       "attributes": {"city": "Harburg"}}},
        headers=bearer(tokens),
    )  # fmt: skip
    shown = await jsonapi.get()

    assert changed.status_code == 200, changed.text
    attributes = shown.json()["data"]["attributes"]
    assert (attributes["customer.city"], attributes["customer.address1"]) == (
        "Harburg",
        "Pickhuben",
    )


async def test_deleting_through_jsonapi_ends_the_glue_tokens(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    email = "anna@aimeos.example"
    customer_id, tokens = await _confirmed_aimeos_account(client, jsonapi, clean_db, email)
    reference = await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE id = $1", customer_id
    )

    deleted = await jsonapi.write("DELETE", CUSTOMER)
    access = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))
    refreshed = await client.post(
        "/glue/refresh-tokens",
        json=document("refresh-tokens", refreshToken=tokens["refreshToken"]),
    )

    assert deleted.status_code == 200, deleted.text
    assert access.status_code == 401, access.text
    assert refreshed.status_code == 401, refreshed.text
    assert [e["code"] for e in refreshed.json()["errors"]] == ["004"]


async def test_failed_logins_through_jsonapi_lock_the_account_in_glue_too(
    client: httpx.AsyncClient, jsonapi: AimeosBrowser, clean_db: asyncpg.Pool, settings: Settings
) -> None:
    """One throttle for every dialect: guessing through `/jsonapi` cannot go on in Glue."""
    email = "anna@aimeos.example"
    await _confirmed_aimeos_account(client, jsonapi, clean_db, email)
    new_visit(jsonapi)

    for _ in range(settings.login_max_failures):
        wrong = await jsonapi.login(email, "not-her-password")
        assert wrong.status_code == 401, wrong.text
    glue = await client.post(
        "/glue/access-tokens", json=document("access-tokens", username=email, password=PASSWORD)
    )

    assert glue.status_code == 429, glue.text
