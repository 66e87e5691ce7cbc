"""One customer, two vendors' APIs: what Glue does, Medusa sees, and the other way round.

Each test walks one person through both mounts of the same app (`/glue` and `/medusa`):
the same password logs in on both, an address or a group written through one is read
through the other, and a password reset through Medusa ends the Glue session.
"""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import httpx

from patron.services import Services
from tests.clients.medusa.admin import admin_api_token
from tests.dialects.glue.helpers import PASSWORD, bearer, confirm, document, login, register

NEW_PASSWORD = "second-Secret-2"
JSON = {"Accept": "application/json"}


def _session(response: httpx.Response) -> dict[str, str]:
    """The Medusa session cookie a login set, as a header (the test's own client keeps no
    jar: each request names the credential it means)."""
    set_cookie = response.headers.get("set-cookie")
    assert set_cookie, response.headers
    return {"Cookie": set_cookie.split(";")[0], **JSON}


async def _medusa_login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> tuple[dict[str, Any], dict[str, str]]:
    response = await client.post(
        "/medusa/store/auth", json={"email": email, "password": password}, headers=JSON
    )
    assert response.status_code == 200, response.text
    client.cookies.clear()
    customer: dict[str, Any] = response.json()["customer"]
    return customer, _session(response)


async def _glue_registered(client: httpx.AsyncClient, pool: asyncpg.Pool, email: str) -> str:
    """Registered and confirmed through Glue: its customer reference."""
    reference: str = (await register(client, email))["id"]
    await confirm(client, pool, email)
    return reference


async def test_a_glue_customer_logs_in_through_medusa_with_the_same_password(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference = await _glue_registered(client, clean_db, "sonia@spryker.com")

    customer, session = await _medusa_login(client, "Sonia@Spryker.com")
    me = await client.get("/medusa/store/customers/me", headers=session)
    wrong = await client.post(
        "/medusa/store/auth",
        json={"email": "sonia@spryker.com", "password": "not-her-password"},
        headers=JSON,
    )

    assert re.fullmatch(r"cus_[0-9A-HJKMNP-TV-Z]{26}", customer["id"]), customer
    assert customer["has_account"] is True
    assert (customer["email"], customer["first_name"], customer["last_name"]) == (
        "sonia@spryker.com",
        "Sonia",
        "Wagner",
    )
    assert me.status_code == 200, me.text
    assert me.json()["customer"]["id"] == customer["id"]
    assert (wrong.status_code, wrong.text) == (401, "Unauthorized")
    row = await clean_db.fetchrow(
        "SELECT customer_number, has_account FROM customers WHERE lower(email) = $1",
        "sonia@spryker.com",
    )
    assert row is not None and (row["customer_number"], row["has_account"]) == (reference, True)


async def test_an_address_added_through_medusa_is_in_glues_include(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference = await _glue_registered(client, clean_db, "sonia@spryker.com")
    tokens = await login(client, "sonia@spryker.com")
    _, session = await _medusa_login(client, "sonia@spryker.com")

    added = await client.post(
        "/medusa/store/customers/me/addresses",
        json={
            "address": {
                "first_name": "Sonia",
                "last_name": "Wagner",
                "address_1": "Julie-Wolfthorn-Str. 1",
                "address_2": "Hinterhaus",
                "city": "Berlin",
                "country_code": "de",
                "postal_code": "10115",
                "phone": "+49 30 1234567",
                "company": "Spryker",
            }
        },
        headers=session,
    )
    glue = await client.get(
        f"/glue/customers/{reference}?include=addresses", headers=bearer(tokens)
    )

    assert added.status_code == 200, added.text
    [address] = added.json()["customer"]["shipping_addresses"]
    assert address["id"].startswith("addr_")
    assert glue.status_code == 200, glue.text
    included = [r for r in glue.json().get("included", []) if r["type"] == "addresses"]
    assert [
        {k: r["attributes"][k] for k in ("firstName", "lastName", "address1", "address2",
                                         "zipCode", "city", "iso2Code", "phone", "company")}
        for r in included
    ] == [
        {
            "firstName": "Sonia", "lastName": "Wagner", "address1": "Julie-Wolfthorn-Str. 1",
            "address2": "Hinterhaus", "zipCode": "10115", "city": "Berlin", "iso2Code": "DE",
            "phone": "+49 30 1234567", "company": "Spryker",
        }
    ]  # fmt: skip


async def test_a_group_given_in_the_medusa_admin_is_on_the_glue_customer(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, services: Services
) -> None:
    await _glue_registered(client, clean_db, "sonia@spryker.com")
    customer, _ = await _medusa_login(client, "sonia@spryker.com")
    admin = {"x-medusa-access-token": await admin_api_token(services), **JSON}
    created = await client.post(
        "/medusa/admin/customer-groups", json={"name": "VIP"}, headers=admin
    )
    assert created.status_code == 200, created.text
    group = created.json()["customer_group"]

    given = await client.post(
        f"/medusa/admin/customers/{customer['id']}",
        json={"groups": [{"id": group["id"]}]},
        headers=admin,
    )
    read = await client.get(
        f"/medusa/admin/customers/{customer['id']}?expand=groups", headers=admin
    )
    members = await client.get(
        f"/medusa/admin/customer-groups/{group['id']}/customers", headers=admin
    )

    assert given.status_code == 200, given.text
    assert read.status_code == 200, read.text
    assert [(g["id"], g["name"]) for g in read.json()["customer"]["groups"]] == [
        (group["id"], "VIP")
    ]
    assert [c["id"] for c in members.json()["customers"]] == [customer["id"]]
    assert members.json()["customers"][0]["email"] == "sonia@spryker.com"


async def test_a_medusa_customer_logs_in_through_glue_once_the_mailed_key_confirms_them(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    """Medusa logs its shoppers in unconfirmed (it has no confirmation step), but the
    registration still mails the confirmation link, and the default tenant asks Glue's
    logins for a confirmed email: Glue refuses the login until the key is used."""
    registered = await client.post(
        "/medusa/store/customers",
        json={
            "email": "Mila@Example.com", "password": PASSWORD, "first_name": "Mila",
            "last_name": "Medusa",
        },
        headers=JSON,
    )  # fmt: skip
    assert registered.status_code == 200, registered.text
    client.cookies.clear()
    medusa_id = registered.json()["customer"]["id"]
    login_document = document("access-tokens", username="mila@example.com", password=PASSWORD)

    unconfirmed = await client.post("/glue/access-tokens", json=login_document)
    await confirm(client, clean_db, "mila@example.com")
    tokens = await login(client, "mila@example.com")
    reference = await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE lower(email) = 'mila@example.com'"
    )
    glue = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))

    assert [(e["status"], e["code"]) for e in unconfirmed.json()["errors"]] == [(401, "003")]
    assert glue.status_code == 200, glue.text
    attributes = glue.json()["data"]["attributes"]
    assert (attributes["email"], attributes["firstName"], attributes["lastName"]) == (
        "mila@example.com",
        "Mila",
        "Medusa",
    )
    customer, _ = await _medusa_login(client, "mila@example.com")
    assert customer["id"] == medusa_id


async def test_a_password_reset_through_medusa_ends_the_glue_refresh_token(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference = await _glue_registered(client, clean_db, "sonia@spryker.com")
    tokens = await login(client, "sonia@spryker.com")
    asked = await client.post(
        "/medusa/store/customers/password-token",
        json={"email": "sonia@spryker.com"},
        headers=JSON,
    )
    assert asked.status_code == 204, asked.text
    body = await clean_db.fetchval(
        "SELECT body FROM outbox WHERE template = 'customer_password_reset' ORDER BY id DESC"
    )
    token = re.search(r"token=([\w-]+)", body or "")
    assert token, body

    reset = await client.post(
        "/medusa/store/customers/password-reset",
        json={"email": "sonia@spryker.com", "password": NEW_PASSWORD, "token": token.group(1)},
        headers=JSON,
    )
    refreshed = await client.post(
        "/glue/refresh-tokens", json=document("refresh-tokens", refreshToken=tokens["refreshToken"])
    )
    read = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))
    old = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="sonia@spryker.com", password=PASSWORD),
    )

    assert reset.status_code == 200, reset.text
    assert [e["code"] for e in refreshed.json()["errors"]] == ["004"]
    assert refreshed.status_code == 401
    assert read.status_code == 401
    assert old.status_code == 401
    assert (await login(client, "sonia@spryker.com", NEW_PASSWORD))["accessToken"]
