"""`POST /emporix/customer/{tenant}/customers/import` (reference 8): one result per item,
bad items stored not at all, and imported hashes that log in through every dialect once,
to be replaced by argon2id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.helpers import bearer
from tests.dialects.emporix.import_helpers import (
    PASSWORD,
    argon2id_hash,
    bcrypt_hash,
    item,
    legacy_auth,
    pbkdf2_hash,
)
from tests.dialects.glue.helpers import document
from tests.helpers import dialect_client

IMPORT = "/emporix/customer/default/customers/import"
RETENTION = "/emporix/customer/default/config/password-migration-retention"
NEITHER = "Exactly one of 'passwordHash' or 'legacyAuth' must be provided in the account"
IMPORT_SCOPES = ["imports:read", "imports:manage", "customers:read"]


@pytest.fixture
async def default(services: Services) -> Tenant:
    return await services.core.tenants.get("default")


@pytest.fixture
async def web(services: Services, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Every dialect of the app: Emporix to import, Glue and Medusa to log in."""
    async with dialect_client(services, settings, peer="198.51.100.4") as client:
        yield client


async def service_token(
    services: Services, web: httpx.AsyncClient, tenant: Tenant, scopes: list[str]
) -> dict[str, str]:
    client, secret = await services.core.staff_accounts.create_client(
        tenant, name="migration", scopes=scopes
    )
    form = {"grant_type": "client_credentials", "client_id": client.client_id}
    answer = await web.post("/emporix/oauth/token", data={**form, "client_secret": secret})
    assert answer.status_code == 200, answer.text
    return bearer(answer.json()["access_token"])


@pytest.fixture
async def auth(services: Services, web: httpx.AsyncClient, default: Tenant) -> dict[str, str]:
    return await service_token(services, web, default, IMPORT_SCOPES)


async def imported(
    web: httpx.AsyncClient, auth: dict[str, str], items: list[Any]
) -> list[dict[str, Any]]:
    answer = await web.post(IMPORT, json=items, headers=auth)
    assert answer.status_code == 207, answer.text
    results: list[dict[str, Any]] = answer.json()
    return results


async def stored_hash(pool: asyncpg.Pool, email: str) -> str | None:
    value: str | None = await pool.fetchval(
        "SELECT password_hash FROM customers WHERE lower(email) = lower($1)", email
    )
    return value


async def glue_login(web: httpx.AsyncClient, email: str, password: str = PASSWORD) -> int:
    body = document("access-tokens", username=email, password=password)
    return (await web.post("/glue/access-tokens", json=body)).status_code


async def medusa_login(web: httpx.AsyncClient, email: str, password: str = PASSWORD) -> int:
    body = {"email": email, "password": password}
    return (await web.post("/medusa/store/auth", json=body)).status_code


async def open_window(web: httpx.AsyncClient, auth: dict[str, str]) -> None:
    answer = await web.post(RETENTION, json={"retentionEndDate": "2099-01-31"}, headers=auth)
    assert answer.status_code == 200, answer.text


async def test_the_documented_multi_status_example(
    web: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    items = [
        {**item("john.doe@emporix.com", passwordHash=pbkdf2_hash()), "id": "13869000"},
        item("jane.doe@emporix.com"),
    ]

    assert await imported(web, auth, items) == [
        {"index": 0, "id": "13869000", "code": 201, "status": "Created"},
        {"index": 1, "code": 400, "status": "Bad Request", "message": NEITHER},
    ]


async def test_a_bad_item_never_stops_the_good_ones_and_leaves_nothing_behind(
    web: httpx.AsyncClient, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    items = [
        item("good.one@example.com", passwordHash=bcrypt_hash()),
        item("both@example.com", passwordHash=bcrypt_hash(), legacyAuth=legacy_auth()),
        item("garbage@example.com", passwordHash="md5:5f4dcc3b5aa765d61d8327deb882cf99"),
        {**item("mismatch@example.com", passwordHash=bcrypt_hash()), "contactEmail": "x@y.z"},
        item("GOOD.ONE@example.com", passwordHash=argon2id_hash()),
        {**item("typed@example.com", passwordHash=bcrypt_hash()), "firstName": 42},
        {**item("taken.id@example.com", passwordHash=bcrypt_hash()), "id": "DE--1"},
        {**item("bad.id@example.com", passwordHash=bcrypt_hash()), "id": "no spaces"},
        item("not-an-email", passwordHash=bcrypt_hash()),
        {**item("good.two@example.com", passwordHash=pbkdf2_hash()), "contactEmail": None},
        "not an object",
    ]

    results = await imported(web, auth, items)

    assert [(r["index"], r["code"]) for r in results] == [
        (0, 201), (1, 400), (2, 400), (3, 400), (4, 409), (5, 400), (6, 409), (7, 400),
        (8, 400), (9, 201), (10, 400),
    ]  # fmt: skip
    assert results[0]["id"] == "DE--1"  # the tenant's next number
    assert results[1]["message"] == NEITHER
    assert results[2]["message"].startswith("The password hash is not in a supported format")
    assert results[3]["message"] == "contactEmail must match account.email."
    assert results[4] == {
        "index": 4,
        "code": 409,
        "status": "Conflict",
        "message": "Duplicate account 'GOOD.ONE@example.com' for tenant 'default'.",
    }
    assert results[5]["details"] == [{"message": "firstName: Input should be a valid string"}]
    assert results[6]["message"] == "Customer with id 'DE--1' already exists."
    assert results[8]["details"] == [{"message": "Invalid email address."}]
    assert all("id" not in result for result in results if result["code"] != 201)
    emails = await clean_db.fetch("SELECT email FROM customers ORDER BY id")
    assert [row["email"] for row in emails] == ["good.one@example.com", "good.two@example.com"]


async def test_an_imported_customer_is_a_confirmed_account_with_its_profile_and_mixins(
    web: httpx.AsyncClient, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    entry = {
        **item("mixed@example.com", passwordHash=bcrypt_hash()),
        "id": "C-100_a",
        "middleName": "M",
        "contactPhone": "+49 30 1234",
        "company": "Emporix",
        "mixins": {"loyalty": {"tier": "gold"}},
        "metadata": {"mixins": {"loyalty": "https://schemas.example/loyalty.json"}},
        "type": "CONTACT",
        "title": "MRS",
        "b2b": {"companyRegistrationId": "DE-123"},
    }

    [result] = await imported(web, auth, [entry])
    got = await web.get("/emporix/customer/default/customers/C-100_a", headers=auth)

    assert result == {"index": 0, "id": "C-100_a", "code": 201, "status": "Created"}
    assert got.status_code == 200
    body = got.json()
    assert (body["id"], body["customerNumber"], body["contactEmail"]) == (
        "C-100_a",
        "C-100_a",
        "mixed@example.com",
    )
    assert (body["firstName"], body["middleName"], body["lastName"]) == ("Jane", "M", "Doe")
    assert (body["contactPhone"], body["company"]) == ("+49 30 1234", "Emporix")
    # The profile is read and kept as a created customer's (the same fields, the same way).
    assert (body["type"], body["title"], body["b2b"]) == (
        "CONTACT",
        "MRS",
        {"companyRegistrationId": "DE-123"},
    )
    assert body["metadata"]["mixins"] == {"loyalty": "https://schemas.example/loyalty.json"}
    row = await clean_db.fetchrow(
        "SELECT metadata, email_verified_at, has_account FROM customers WHERE email = $1",
        "mixed@example.com",
    )
    assert row is not None
    assert row["metadata"]["mixins"] == {"loyalty": {"tier": "gold"}}
    assert row["email_verified_at"] is not None and row["has_account"]
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0  # no mails


@pytest.mark.parametrize(
    "body",
    [{"account": {}}, [], "text", [item(f"c{n}@example.com") for n in range(201)]],
    ids=["object", "empty", "string", "201 items"],
)
async def test_anything_but_an_array_of_1_to_200_customers_is_refused_whole(
    web: httpx.AsyncClient, auth: dict[str, str], body: Any, clean_db: asyncpg.Pool
) -> None:
    answer = await web.post(IMPORT, json=body, headers=auth)

    assert answer.status_code == 400
    assert answer.json() == {
        "status": 400,
        "type": "validation_failure",
        "message": "Request body must be an array of 1 to 200 customers.",
    }
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


async def test_200_customers_are_one_batch(
    web: httpx.AsyncClient, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    shared = pbkdf2_hash(iterations=1_000)
    items = [item(f"c{n}@example.com", passwordHash=shared) for n in range(200)]

    results = await imported(web, auth, items)

    assert [r["code"] for r in results] == [201] * 200
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 200


async def test_a_legacy_hash_needs_an_open_retention_window(
    web: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    entry = item("legacy@example.com", legacyAuth=legacy_auth())

    [refused] = await imported(web, auth, [entry])
    await open_window(web, auth)
    [accepted] = await imported(web, auth, [entry])

    assert refused == {
        "index": 0,
        "code": 400,
        "status": "Bad Request",
        "message": "Importing customers with 'legacyAuth' requires an active password "
        "migration retention configuration.",
    }
    assert accepted["code"] == 201


@pytest.mark.parametrize("made", [bcrypt_hash, pbkdf2_hash, argon2id_hash])
async def test_an_imported_hash_logs_in_through_glue_and_is_then_argon2id(
    web: httpx.AsyncClient, auth: dict[str, str], clean_db: asyncpg.Pool, made: Any
) -> None:
    email = "migrated@example.com"
    await imported(web, auth, [item(email, passwordHash=made())])

    assert await glue_login(web, email, PASSWORD + "!") == 401
    assert await glue_login(web, email) == 201
    after = await stored_hash(clean_db, email)
    assert after is not None and after.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert await medusa_login(web, email) == 200  # and the new hash works everywhere


async def test_a_legacy_hash_logs_in_through_medusa_once_then_the_window_can_close(
    web: httpx.AsyncClient, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    email = "hybris@example.com"
    await open_window(web, auth)
    await imported(web, auth, [item(email, legacyAuth=legacy_auth())])
    legacy = await stored_hash(clean_db, email)

    blocked = await web.delete(RETENTION, headers=auth)
    assert await medusa_login(web, email, "wrong-password") == 401
    assert await medusa_login(web, email) == 200
    after = await stored_hash(clean_db, email)
    closed = await web.delete(RETENTION, headers=auth)

    assert legacy is not None and legacy.startswith("$legacy-hybris-sha512-uid-salt$")
    assert blocked.status_code == 400
    assert blocked.json() == {
        "status": 400,
        "type": "validation_failure",
        "message": "Configuration removal is not possible until password migration is concluded.",
    }
    assert after is not None and after.startswith("$argon2id$")
    assert closed.status_code == 204
    assert await glue_login(web, email) == 201
