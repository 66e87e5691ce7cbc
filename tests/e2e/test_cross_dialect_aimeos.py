"""One customer through Aimeos' JSON API and the other vendors' APIs of the same app: an
account made at `/jsonapi` logs in through Glue once confirmed and its billing address is
Glue's and Medusa's, one address whichever side changes it; Glue's and Medusa's customers
log in at `/jsonapi`; failed logins there lock the account in Glue; an account deleted
there ends its Glue tokens and leaves its e-mail free.

`client` keeps cookies as a browser does; the Aimeos token is read from `meta.csrf` of the
latest answer and sent as the guide's snippets send it, as `_token` in the query.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from patron.settings import Settings
from tests.dialects.glue.helpers import PASSWORD, bearer, confirm, document, login, register
from tests.outbox import key_in

CUSTOMER = "/jsonapi/customer"
JSON = {"Accept": "application/json"}
BILLING = {
    "customer.firstname": "Anna", "customer.lastname": "Aimeos", "customer.company": "Aimeos GmbH",
    "customer.address1": "Pickhuben", "customer.address2": "2", "customer.address3": "3. OG",
    "customer.postal": "20457", "customer.city": "Hamburg", "customer.state": "HH",
    "customer.countryid": "DE", "customer.telephone": "+4940123456",
}  # fmt: skip


async def token(client: httpx.AsyncClient) -> str:
    """The browser's current anti-forgery token, from the API root."""
    root = await client.options("/jsonapi")
    assert root.status_code == 200, root.text
    value: str = root.json()["meta"]["csrf"]["value"]
    return value


async def aimeos_write(
    client: httpx.AsyncClient, method: str, json: Any | None = None
) -> httpx.Response:
    params = {"_token": await token(client)}
    return await client.request(method, CUSTOMER, params=params, json=json)


async def aimeos_login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    body = {"email": email, "password": password, "_token": await token(client)}
    return await client.post("/jsonapi/login", json=body)


async def _mailed_key(pool: asyncpg.Pool, email: str) -> str:
    """The key of the link in the latest mail to `email`, whichever mail holds it."""
    mail = await pool.fetchval(
        "SELECT body FROM outbox WHERE lower(recipient) = lower($1) AND body LIKE '%token=%' "
        "ORDER BY id DESC LIMIT 1",
        email,
    )
    assert mail, f"no mail with a link to {email}"
    return key_in(mail)


async def test_an_aimeos_account_logs_in_through_glue_once_confirmed_and_its_address_is_shared(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    email = "anna@aimeos.example"
    created = await aimeos_write(
        client,
        "POST",
        {"data": {"attributes": {"customer.email": email, "customer.password": PASSWORD,
                                 **BILLING}}},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    customer_id = int(created.json()["data"]["id"])
    glue_login = document("access-tokens", username=email, password=PASSWORD)

    unconfirmed = await client.post("/glue/access-tokens", json=glue_login)
    confirmed = await client.post(
        "/glue/customer-confirmation",
        json=document("customer-confirmation", registrationKey=await _mailed_key(clean_db, email)),
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
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
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
    client.cookies.clear()

    for typed, email, first, last in (
        ("sonia@spryker.com", "sonia@spryker.com", "Sonia", "Wagner"),
        ("Mila@Medusa.example", "mila@medusa.example", "Mila", "Medusa"),
    ):
        logged_in = await aimeos_login(client, typed, PASSWORD)
        shown = await client.get(CUSTOMER)
        assert logged_in.status_code == 200, logged_in.text
        attributes = shown.json()["data"]["attributes"]
        assert (attributes["customer.email"], attributes["customer.code"]) == (email, email)
        assert (attributes["customer.firstname"], attributes["customer.lastname"]) == (first, last)
        assert shown.json()["data"]["id"] == str(
            await clean_db.fetchval(
                "SELECT id FROM customers WHERE lower(email) = lower($1)", email
            )
        )
        client.cookies.clear()


async def test_an_account_deleted_through_jsonapi_frees_its_email_for_glue(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    email = "gone@aimeos.example"
    created = await aimeos_write(
        client,
        "POST",
        {"data": {"attributes": {"customer.email": email, "customer.password": PASSWORD}}},
    )
    assert created.status_code == 201, created.text
    assert (await aimeos_login(client, email, PASSWORD)).status_code == 200
    deleted = await aimeos_write(client, "DELETE")
    client.cookies.clear()

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
    client: httpx.AsyncClient, pool: asyncpg.Pool, email: str
) -> tuple[int, dict[str, Any]]:
    """Signed up at `/jsonapi` with a billing address, confirmed and logged in there and
    in Glue: its id and its Glue tokens."""
    created = await aimeos_write(
        client,
        "POST",
        {"data": {"attributes": {"customer.email": email, "customer.password": PASSWORD,
                                 **BILLING}}},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    confirmed = await client.post(
        "/glue/customer-confirmation",
        json=document("customer-confirmation", registrationKey=await _mailed_key(pool, email)),
    )
    assert confirmed.status_code == 204, confirmed.text
    assert (await aimeos_login(client, email, PASSWORD)).status_code == 200
    return int(created.json()["data"]["id"]), await login(client, email)


async def test_a_billing_change_through_jsonapi_changes_the_one_address_everywhere(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    """`customer.city` and friends edit the default billing address in place: Glue and
    Medusa see the new values on the same address, not a second one."""
    email = "anna@aimeos.example"
    customer_id, tokens = await _confirmed_aimeos_account(client, clean_db, email)
    before = await clean_db.fetch("SELECT id FROM addresses WHERE customer_id = $1", customer_id)

    patched = await aimeos_write(
        client,
        "PATCH",
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
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    email = "anna@aimeos.example"
    customer_id, tokens = await _confirmed_aimeos_account(client, clean_db, email)
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
    shown = await client.get(CUSTOMER)

    assert changed.status_code == 200, changed.text
    attributes = shown.json()["data"]["attributes"]
    assert (attributes["customer.city"], attributes["customer.address1"]) == (
        "Harburg",
        "Pickhuben",
    )


async def test_deleting_through_jsonapi_ends_the_glue_tokens(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    email = "anna@aimeos.example"
    customer_id, tokens = await _confirmed_aimeos_account(client, clean_db, email)
    reference = await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE id = $1", customer_id
    )

    deleted = await aimeos_write(client, "DELETE")
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
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, settings: Settings
) -> None:
    """One throttle for every dialect: guessing through `/jsonapi` cannot go on in Glue."""
    email = "anna@aimeos.example"
    await _confirmed_aimeos_account(client, clean_db, email)
    client.cookies.clear()

    for _ in range(settings.login_max_failures):
        wrong = await aimeos_login(client, email, "not-her-password")
        assert wrong.status_code == 401, wrong.text
    glue = await client.post(
        "/glue/access-tokens", json=document("access-tokens", username=email, password=PASSWORD)
    )

    assert glue.status_code == 429, glue.text
