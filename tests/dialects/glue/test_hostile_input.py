"""What an attacker sends to the Glue API: each answer is a clean Glue error, nothing is
stored, and nothing a stranger typed reaches someone else's mailbox."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.dialects.glue.helpers import (
    bearer,
    document,
    error_codes,
    register,
    registration,
    signed_up,
)


async def test_deeply_nested_json_is_a_bad_request(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    nested = '{"a":' * 400 + "1" + "}" * 400
    body = '{"data": {"type": "customers", "attributes": ' + nested + "}}"

    response = await client.post(
        "/glue/customers", content=body, headers={"Content-Type": "application/vnd.api+json"}
    )

    assert response.status_code == 400
    assert response.json() == {"errors": [{"status": 400, "detail": "Post data is invalid."}]}


async def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    huge = registration(firstName="x" * (70 * 1024))

    response = await client.post("/glue/customers", json=huge)
    login = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="a" * 10_000_000 + "@b.de", password="x"),
    )
    oauth = await client.post(
        "/glue/token",
        content=b"grant_type=password&username=" + b"a" * 200_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 413
    assert response.json() == {"errors": [{"status": 413, "detail": "Request Entity Too Large"}]}
    assert login.status_code == 413
    assert oauth.status_code == 413
    assert oauth.json()["error"] == "invalid_request"
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


@pytest.mark.parametrize(
    "name",
    [
        "Sonia\nYour account is locked",
        "Sonia\r",
        "So\x07nia",
        "\u202eainoS",  # a right-to-left override
        "Sonia\u2028",  # a line separator
        "Sonia\ufffe",  # a noncharacter
        "Son\u200bia",  # a zero-width space
    ],
)
async def test_names_refuse_control_and_format_characters(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, name: str
) -> None:
    response = await client.post("/glue/customers", json=registration(firstName=name))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "status": 422,
            "code": "901",
            "detail": "firstName => This value contains characters that are not allowed.",
        }
    ]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


async def test_edits_and_addresses_refuse_them_too(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)
    address = {
        "salutation": "Mrs",
        "firstName": "Sonia",
        "lastName": "Wagner",
        "address1": "Julie-Wolfthorn-Str.\n1",
        "address2": "1",
        "zipCode": "10115",
        "city": "Berlin",
        "iso2Code": "DE",
    }

    edited = await client.patch(
        f"/glue/customers/{reference}",
        json=document("customers", lastName="Wag\u202ener"),
        headers=bearer(tokens),
    )
    added = await client.post(
        f"/glue/customers/{reference}/addresses",
        json=document("addresses", **address),
        headers=bearer(tokens),
    )

    assert edited.json()["errors"][0]["detail"] == (
        "lastName => This value contains characters that are not allowed."
    )
    assert added.json()["errors"][0]["detail"] == (
        "address1 => This value contains characters that are not allowed."
    )
    assert await clean_db.fetchval("SELECT last_name FROM customers") == "Wagner"
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0


async def test_mail_to_an_unconfirmed_address_carries_no_text_a_stranger_chose(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    lure = "Your account is locked. Verify now at https://evil.example"
    await register(client, "victim@example.com", firstName=lure, lastName="Now")
    await client.post(
        "/glue/customer-forgotten-password",
        json=document("customer-forgotten-password", email="victim@example.com"),
    )

    bodies = await clean_db.fetch("SELECT subject, body FROM outbox ORDER BY id")

    assert len(bodies) == 2  # the confirmation, and the reset key
    for row in bodies:
        assert "evil.example" not in row["body"]
        assert "Now" not in row["body"]
        assert row["body"].startswith("Hello,\n")


async def test_the_trailing_slash_redirect_goes_to_the_public_url(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/glue/customers/?include=addresses", headers={"Host": "evil.example"}
    )

    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/glue/customers?include=addresses"


async def test_ending_a_session_ends_its_access_tokens(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)
    other_device = (
        await client.post(
            "/glue/access-tokens",
            json=document("access-tokens", username="sonia@spryker.com", password="change123"),
        )
    ).json()["data"]["attributes"]

    before = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))
    logout = await client.delete("/glue/refresh-tokens/mine", headers=bearer(other_device))
    after = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))

    assert before.status_code == 200
    assert logout.status_code == 204
    assert error_codes(after) == [(401, "001")]


async def test_a_lockout_says_when_to_come_back(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    wrong = document("access-tokens", username="someone@example.com", password="wrong-one")
    for _ in range(10):
        await client.post("/glue/access-tokens", json=wrong)

    blocked = await client.post("/glue/access-tokens", json=wrong)

    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 900


async def test_a_head_on_the_hot_route_is_its_get_without_the_body(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)

    get = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))
    head = await client.head(f"/glue/customers/{reference}", headers=bearer(tokens))

    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


async def test_an_email_change_cannot_carry_a_name_to_the_new_address(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)
    lure = document(
        "customers",
        email="victim@example.org",
        firstName="Your account is locked. Verify now at https://evil.example/x",
    )
    await client.patch(f"/glue/customers/{reference}", json=lure, headers=bearer(tokens))
    await client.post(
        "/glue/customer-forgotten-password",
        json=document("customer-forgotten-password", email="victim@example.org"),
    )

    body = await clean_db.fetchval("SELECT body FROM outbox WHERE recipient = 'victim@example.org'")
    assert body.startswith("Hello,\n")
    assert "evil.example" not in body


async def test_the_redirect_keeps_the_path_encoded(client: httpx.AsyncClient) -> None:
    response = await client.get("/glue/customers/a%3F%40evil.example/")

    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/glue/customers/a%3F%40evil.example"


async def test_the_oauth_lockout_says_when_to_come_back_too(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    form = {"grant_type": "password", "username": "someone@example.com", "password": "wrong"}
    for _ in range(10):
        await client.post("/glue/token", data=form)

    blocked = await client.post("/glue/token", data=form)

    assert blocked.status_code == 429
    assert blocked.json()["error"] == "invalid_grant"
    assert 0 < int(blocked.headers["retry-after"]) <= 900
