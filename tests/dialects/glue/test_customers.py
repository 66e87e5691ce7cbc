"""Glue `customers` and `customer-confirmation`: every success and documented error."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from patron.settings import Settings
from tests.conftest import fetch_one
from tests.dialects.glue.helpers import (
    JSON_API,
    PASSWORD,
    bearer,
    confirm,
    confirmation_key,
    document,
    error_codes,
    login,
    register,
    registration,
    signed_up,
)

CUSTOMER_ATTRIBUTES = {
    "firstName",
    "lastName",
    "email",
    "gender",
    "dateOfBirth",
    "salutation",
    "createdAt",
    "updatedAt",
}
EMAIL_TAKEN_DETAIL = (
    "If this email address is already in use, you will receive a password reset link. "
    "Otherwise you must first validate your e-mail address to finish registration. "
    "Please check your e-mail."
)


async def test_registration_returns_the_customer_without_any_password(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/glue/customers", json=registration(dateOfBirth="1990-04-01"))

    assert response.status_code == 201
    assert response.headers["content-type"] == JSON_API
    data = response.json()["data"]
    assert data["type"] == "customers"
    assert data["id"] == "DE--1"
    assert set(data["attributes"]) == CUSTOMER_ATTRIBUTES
    assert data["attributes"]["email"] == "sonia@spryker.com"
    assert data["attributes"]["gender"] == "Female"
    assert data["attributes"]["salutation"] == "Mrs"
    assert data["attributes"]["dateOfBirth"] == "1990-04-01"
    assert data["links"]["self"] == "http://testserver/glue/customers/DE--1"
    assert "password" not in response.text.lower().replace("confirmpassword", "")


async def test_customer_references_follow_the_tenant_pattern(client: httpx.AsyncClient) -> None:
    first = await register(client, "a@example.com")
    second = await register(client, "b@example.com")

    assert (first["id"], second["id"]) == ("DE--1", "DE--2")


async def test_an_email_is_taken_whatever_its_letter_case(client: httpx.AsyncClient) -> None:
    await register(client, "sonia@spryker.com")

    response = await client.post("/glue/customers", json=registration("Sonia@SPRYKER.com"))

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"status": 422, "code": "400", "detail": EMAIL_TAKEN_DETAIL}]
    }


async def test_registrations_of_a_taken_email_spend_the_lookup_limit(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """The 422 tells the email has an account (issue 18, item 13), so one address may
    learn that only as often as it may look an email up; then every registration from
    it waits (429, Glue's 4401, with `Retry-After`)."""
    await register(client, "sonia@spryker.com")
    limit = settings.login_max_failures

    answers = [
        await client.post("/glue/customers", json=registration("sonia@spryker.com"))
        for _ in range(limit + 1)
    ]
    fresh = await client.post("/glue/customers", json=registration("new@spryker.com"))

    assert [a.status_code for a in answers] == [422] * limit + [429]
    assert fresh.status_code == 429 and int(fresh.headers["retry-after"]) > 0
    assert error_codes(fresh) == [(429, "4401")]


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"email": "not-an-email"}, "email => This value is not a valid email address."),
        (
            {"password": "short12", "confirmPassword": "short12"},
            "password => This value is too short. It should have 8 characters or more.",
        ),
        (
            {"password": "x" * 65, "confirmPassword": "x" * 65},
            "password => This value is too long. It should have 64 characters or less.",
        ),
        ({"acceptedTerms": False}, "acceptedTerms => This value should be true."),
        ({"salutation": "Sir"}, "salutation => The value you selected is not a valid choice."),
        ({"firstName": ""}, "firstName => This value should not be blank."),
        (
            {"lastName": "x" * 101},
            "lastName => This value is too long. It should have 100 characters or less.",
        ),
        ({"dateOfBirth": "01.04.1990"}, "dateOfBirth => This value is not a valid date."),
    ],
)
async def test_invalid_registration_fields_get_901(
    client: httpx.AsyncClient, overrides: dict[str, Any], detail: str
) -> None:
    response = await client.post("/glue/customers", json=registration(**overrides))

    assert response.status_code == 422
    assert response.json()["errors"][0] == {"status": 422, "code": "901", "detail": detail}


async def test_every_invalid_field_is_reported_at_once(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/glue/customers", json=document("customers", email="x", acceptedTerms=False)
    )

    assert response.status_code == 422
    details = [e["detail"] for e in response.json()["errors"]]
    assert "email => This value is not a valid email address." in details
    assert "password => This field is missing." in details
    assert "acceptedTerms => This value should be true." in details
    assert {e["code"] for e in response.json()["errors"]} == {"901"}


async def test_mismatched_password_confirmation_gets_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/glue/customers", json=registration(confirmPassword="change124"))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "status": 422,
            "code": "406",
            "detail": "Value in field password should be identical to value in the "
            "confirmPassword field.",
        }
    ]


async def test_an_unknown_gender_gets_414(client: httpx.AsyncClient) -> None:
    response = await client.post("/glue/customers", json=registration(gender="Diverse"))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "status": 400,
            "code": "414",
            "detail": "Gender is not valid. Possible options are: Male, Female",
        }
    ]


async def test_nothing_is_stored_when_registration_fails(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await client.post("/glue/customers", json=registration(gender="Diverse"))
    await client.post("/glue/customers", json=registration(confirmPassword="other123"))

    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0


async def test_registration_writes_a_confirmation_mail_with_a_single_use_key(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client)
    key = await confirmation_key(clean_db, "sonia@spryker.com")

    stored = await clean_db.fetchval("SELECT token_hash FROM one_time_tokens")
    assert key.encode() not in stored  # only the hash is kept
    body = document("customer-confirmation", registrationKey=key)
    first = await client.post("/glue/customer-confirmation", json=body)
    second = await client.post("/glue/customer-confirmation", json=body)

    assert first.status_code == 204
    assert second.status_code == 422
    assert second.json()["errors"] == [
        {
            "status": 422,
            "code": "423",
            "detail": "This email confirmation code is invalid or has been already used.",
        }
    ]


async def test_confirmation_without_a_key_gets_901(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/glue/customer-confirmation", json=document("customer-confirmation", registrationKey="")
    )

    assert response.status_code == 422
    assert error_codes(response) == [(422, "901")]


async def test_an_unconfirmed_customer_cannot_log_in(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client)
    body = document("access-tokens", username="sonia@spryker.com", password=PASSWORD)

    before = await client.post("/glue/access-tokens", json=body)
    await confirm(client, clean_db, "sonia@spryker.com")
    after = await client.post("/glue/access-tokens", json=body)

    assert before.status_code == 401
    assert error_codes(before) == [(401, "003")]
    assert after.status_code == 201


async def test_get_customers_lists_only_the_bearer(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db, "other@example.com")
    reference, tokens = await signed_up(client, clean_db, "sonia@spryker.com")

    response = await client.get("/glue/customers", headers=bearer(tokens))

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == [reference]
    assert body["links"] == {"self": "http://testserver/glue/customers"}
    assert set(body["data"][0]["attributes"]) == CUSTOMER_ATTRIBUTES


async def test_get_a_customer(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> None:
    reference, tokens = await signed_up(client, clean_db)

    response = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == reference
    assert data["attributes"]["firstName"] == "Sonia"
    assert data["links"]["self"] == f"http://testserver/glue/customers/{reference}"


async def test_another_customers_reference_reads_as_not_found(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    other, _ = await signed_up(client, clean_db, "other@example.com")
    _, tokens = await signed_up(client, clean_db, "sonia@spryker.com")

    foreign = await client.get(f"/glue/customers/{other}", headers=bearer(tokens))
    unknown = await client.get("/glue/customers/DE--999", headers=bearer(tokens))

    assert foreign.status_code == unknown.status_code == 404
    assert (
        foreign.json()
        == unknown.json()
        == {"errors": [{"status": 404, "code": "402", "detail": "Customer not found."}]}
    )


async def test_protected_routes_need_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/glue/customers")

    assert response.status_code == 403
    assert response.json() == {
        "errors": [{"status": 403, "code": "002", "detail": "Missing access token."}]
    }


@pytest.mark.parametrize("header", ["Bearer not-a-jwt", "Basic abc", "Bearer "])
async def test_an_invalid_token_gets_001_with_a_challenge(
    client: httpx.AsyncClient, header: str
) -> None:
    response = await client.get("/glue/customers", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="Access to shop API"'
    assert error_codes(response) == [(401, "001")]


async def test_an_invalid_token_fails_even_on_a_public_route(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/glue/customers", json=registration(), headers={"Authorization": "Bearer junk"}
    )

    assert response.status_code == 401
    assert error_codes(response) == [(401, "001")]


async def test_patch_changes_only_the_attributes_sent(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)

    response = await client.patch(
        f"/glue/customers/{reference}",
        json=document("customers", lastName="Johnson", email="sonia.johnson@spryker.com"),
        headers=bearer(tokens),
    )

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["lastName"] == "Johnson"
    assert attributes["email"] == "sonia.johnson@spryker.com"
    assert attributes["firstName"] == "Sonia"
    assert attributes["updatedAt"] >= attributes["createdAt"]
    await login(client, "sonia.johnson@spryker.com")  # the new email logs in at once
    version = await clean_db.fetchval(
        "SELECT version FROM customers WHERE customer_number = $1", reference
    )
    assert version == 3  # created, confirmed, edited


async def test_patch_cannot_take_another_customers_email(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client, "taken@example.com")
    reference, tokens = await signed_up(client, clean_db)

    response = await client.patch(
        f"/glue/customers/{reference}",
        json=document("customers", email="TAKEN@example.com"),
        headers=bearer(tokens),
    )

    assert response.status_code == 422
    assert error_codes(response) == [(422, "400")]
    email = await clean_db.fetchval(
        "SELECT email FROM customers WHERE customer_number = $1", reference
    )
    assert email == "sonia@spryker.com"


async def test_patch_errors(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> None:
    other, _ = await signed_up(client, clean_db, "other@example.com")
    reference, tokens = await signed_up(client, clean_db)
    auth = bearer(tokens)

    foreign = await client.patch(
        f"/glue/customers/{other}", json=document("customers", lastName="X"), headers=auth
    )
    mismatch = await client.patch(
        f"/glue/customers/{reference}",
        json=document("customers", password="abcdefgh1", confirmPassword="abcdefgh2"),
        headers=auth,
    )
    gender = await client.patch(
        f"/glue/customers/{reference}", json=document("customers", gender="Other"), headers=auth
    )
    invalid = await client.patch(
        f"/glue/customers/{reference}", json=document("customers", email="nope"), headers=auth
    )
    no_reference = await client.patch(
        "/glue/customers", json=document("customers", lastName="X"), headers=auth
    )

    assert foreign.status_code == 403
    assert foreign.json()["errors"] == [
        {"status": 403, "code": "411", "detail": "Unauthorized request."}
    ]
    assert error_codes(mismatch) == [(422, "406")]
    assert error_codes(gender) == [(400, "414")]
    assert error_codes(invalid) == [(422, "901")]
    assert no_reference.status_code == 400
    assert no_reference.json()["errors"] == [
        {"status": 400, "code": "405", "detail": "Customer reference is missing."}
    ]


async def test_patch_never_changes_the_password(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)

    response = await client.patch(
        f"/glue/customers/{reference}",
        json=document("customers", password="newpass123", confirmPassword="newpass123"),
        headers=bearer(tokens),
    )

    assert response.status_code == 200
    await login(client, "sonia@spryker.com", PASSWORD)


async def test_delete_anonymizes_and_frees_the_email(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)

    deleted = await client.delete(f"/glue/customers/{reference}", headers=bearer(tokens))
    read_after = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))
    login_after = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="sonia@spryker.com", password=PASSWORD),
    )
    refresh_after = await client.post(
        "/glue/refresh-tokens",
        json=document("refresh-tokens", refreshToken=tokens["refreshToken"]),
    )
    again = await register(client, "sonia@spryker.com")

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert error_codes(read_after) == [(401, "001")]
    assert error_codes(login_after) == [(401, "003")]
    assert error_codes(refresh_after) == [(401, "004")]
    assert again["id"] == "DE--2"
    row = await fetch_one(
        clean_db,
        "SELECT email, first_name, customer_number, anonymized_at FROM customers "
        "WHERE customer_number = $1",
        reference,
    )
    assert row["customer_number"] == reference
    assert row["first_name"] is None
    assert row["email"] != "sonia@spryker.com"
    assert row["anonymized_at"] is not None


async def test_delete_of_another_customer_is_refused(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    other, _ = await signed_up(client, clean_db, "other@example.com")
    _, tokens = await signed_up(client, clean_db)

    response = await client.delete(f"/glue/customers/{other}", headers=bearer(tokens))

    assert error_codes(response) == [(403, "411")]
    assert await clean_db.fetchval(
        "SELECT anonymized_at IS NULL FROM customers WHERE customer_number = $1", other
    )


async def test_strict_policy_errors(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> None:
    await clean_db.execute(
        'UPDATE tenants SET settings = settings || \'{"password_policy": "strict"}\''
    )

    too_short = await client.post(
        "/glue/customers", json=registration(password="Ab1!", confirmPassword="Ab1!")
    )
    charset = await client.post(
        "/glue/customers",
        json=registration(password="onlylowercase12", confirmPassword="onlylowercase12"),
    )
    common = await client.post(
        "/glue/customers",
        json=registration(password="Qwerty123456!", confirmPassword="Qwerty123456!"),
    )
    fine = await client.post(
        "/glue/customers",
        json=registration(password="Tr0ub4dor&3-Horse", confirmPassword="Tr0ub4dor&3-Horse"),
    )

    assert too_short.json()["errors"][0]["detail"] == (
        "password => This value is too short. It should have 12 characters or more."
    )
    assert charset.json()["errors"] == [
        {"status": 400, "code": "420", "detail": "The password character set is invalid."}
    ]
    assert common.json()["errors"] == [
        {"status": 400, "code": "422", "detail": "The password is listed as common."}
    ]
    assert fine.status_code == 201


async def test_twenty_racing_http_registrations_leave_one_account(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, settings: Settings
) -> None:
    import asyncio

    emails = [("RACE@example.com" if n % 2 else "race@EXAMPLE.com") for n in range(20)]

    responses = await asyncio.gather(
        *(client.post("/glue/customers", json=registration(email)) for email in emails)
    )

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1
    # From one address, the answers that name the account stop at its lookup limit.
    assert 0 < statuses.count(422) <= settings.login_max_failures
    assert statuses.count(201) + statuses.count(422) + statuses.count(429) == 20
    assert all(error_codes(r) == [(422, "400")] for r in responses if r.status_code == 422)
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
