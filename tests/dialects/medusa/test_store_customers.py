"""The store's customer routes (reference 2.6): registration with a session, `me`,
addresses, the billing address, orders, passwords."""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.medusa.helpers import (
    ADDRESS,
    EMAIL,
    LOGIN,
    SIGN_UP,
    ULID,
    cookie_of,
    medusa_client,
    register,
    reset_token,
)

STORE_KEYS = [
    "id", "email", "first_name", "last_name", "billing_address_id", "phone", "has_account",
    "metadata", "created_at", "updated_at", "deleted_at", "shipping_addresses", "billing_address",
]  # fmt: skip


async def _me(store: httpx.AsyncClient) -> dict[str, Any]:
    response = await store.get("/store/customers/me")
    assert response.status_code == 200, response.text
    customer: dict[str, Any] = response.json()["customer"]
    return customer


# --- registration and the session ---------------------------------------------------------


async def test_registration_logs_in_with_a_session_cookie_until_logout(
    store: httpx.AsyncClient,
) -> None:
    response = await store.post(
        "/store/customers",
        json={**SIGN_UP, "email": "Shopper@Medusa-Test.com", "last_name": ""},
    )

    assert response.status_code == 200
    customer = response.json()["customer"]
    assert list(customer) == STORE_KEYS
    assert re.fullmatch(f"cus_{ULID}", customer["id"])
    assert customer["email"] == EMAIL and customer["has_account"] is True
    assert (customer["first_name"], customer["last_name"]) == ("Sam", "")
    assert customer["shipping_addresses"] == [] and customer["billing_address"] is None
    cookie = response.headers["set-cookie"]
    assert re.match(r"connect\.sid=[\w-]{40,};", cookie)
    for attribute in ("HttpOnly", "Path=/medusa/store;", "Max-Age=36000", "SameSite=lax"):
        assert attribute in cookie
    assert "Secure" not in cookie
    assert await _me(store) == customer

    logout = await store.request("DELETE", "/store/auth", json={})
    assert (logout.status_code, logout.text) == (200, "OK")
    store.cookies.set("connect.sid", cookie_of(response))  # the old cookie, sent again
    after = await store.get("/store/customers/me")
    assert (after.status_code, after.text) == (401, "Unauthorized")


async def test_a_registered_email_cannot_register_again(store: httpx.AsyncClient) -> None:
    await register(store, EMAIL)

    response = await store.post("/store/customers", json={**SIGN_UP, "email": EMAIL.upper()})

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "A customer with the given email already has an account. Log in instead",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**SIGN_UP, "password": None}, "password must be a string"),
        (
            {},
            "first_name must be a string, last_name must be a string, email must be an email, "
            "password must be a string",
        ),
        (LOGIN, "first_name must be a string, last_name must be a string"),
        ({**LOGIN, "first_name": "Sam"}, "last_name must be a string"),
        ({**SIGN_UP, "first_name": 1}, "first_name must be a string"),
        ({**SIGN_UP, "last_name": None}, "last_name must be a string"),
        ({**SIGN_UP, "metadata": {}}, "property metadata should not exist"),
        ({**SIGN_UP, "password": "short"}, "password must be longer than or equal to 8 characters"),
    ],
)
async def test_a_bad_registration_is_invalid_data_and_writes_nothing(
    store: httpx.AsyncClient, pool: asyncpg.Pool, body: dict[str, Any], message: str
) -> None:
    response = await store.post("/store/customers", json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert "set-cookie" not in response.headers
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_a_mount_that_requires_confirmation_logs_in_only_confirmed_customers(
    services: Services,
) -> None:
    settings = cheap_settings(medusa_require_confirmation=True)
    async with medusa_client(services, settings) as http:
        registered = await http.post("/store/customers", json=SIGN_UP)
        login = await http.post("/store/auth", json=LOGIN)

    assert registered.status_code == 200 and "set-cookie" not in registered.headers
    assert (login.status_code, login.text) == (401, "Unauthorized")


# --- me -------------------------------------------------------------------------------------


async def test_me_is_edited_and_metadata_merged(store: httpx.AsyncClient) -> None:
    await register(store, EMAIL)
    await store.post("/store/customers/me", json={"metadata": {"a": 1, "b": 2}})

    response = await store.post(
        "/store/customers/me",
        json={"first_name": "Samantha", "phone": "+49 30 1234", "metadata": {"a": "", "c": 3}},
    )

    assert response.status_code == 200
    customer = response.json()["customer"]
    assert (customer["first_name"], customer["last_name"], customer["phone"]) == (
        "Samantha", "Shop", "+49 30 1234"
    )  # fmt: skip
    assert customer["metadata"] == {"b": 2, "c": 3}
    assert list(customer) == STORE_KEYS


async def test_a_new_password_keeps_this_session_and_ends_the_others(
    store: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await register(store, EMAIL)
    async with medusa_client(services, settings) as other:
        await other.post("/store/auth", json=LOGIN)
        assert (await other.get("/store/customers/me")).status_code == 200

        changed = await store.post("/store/customers/me", json={"password": "a-new-secret"})

        assert changed.status_code == 200
        assert (await store.get("/store/customers/me")).status_code == 200
        assert (await other.get("/store/customers/me")).status_code == 401
        assert (await other.post("/store/auth", json=LOGIN)).status_code == 401
        relogin = await other.post("/store/auth", json={**LOGIN, "password": "a-new-secret"})
        assert relogin.status_code == 200


async def test_the_billing_address_is_added_updated_chosen_and_cleared(
    store: httpx.AsyncClient,
) -> None:
    await register(store, EMAIL)

    added = (
        await store.post(
            "/store/customers/me", json={"billing_address": {**ADDRESS, "city": "Bonn"}}
        )
    ).json()["customer"]
    billing = added["billing_address"]
    assert billing["city"] == "Bonn" and billing["country_code"] == "de"
    assert added["billing_address_id"] == billing["id"]
    assert [a["id"] for a in added["shipping_addresses"]] == [billing["id"]]

    updated = (
        await store.post("/store/customers/me", json={"billing_address": {"city": "Köln"}})
    ).json()["customer"]
    assert updated["billing_address"]["id"] == billing["id"]
    assert updated["billing_address"]["city"] == "Köln"

    other = (await store.post("/store/customers/me/addresses", json={"address": ADDRESS})).json()[
        "customer"
    ]["shipping_addresses"]
    other_id = next(a["id"] for a in other if a["id"] != billing["id"])
    chosen = (await store.post("/store/customers/me", json={"billing_address": other_id})).json()[
        "customer"
    ]
    assert chosen["billing_address_id"] == other_id

    cleared = (await store.post("/store/customers/me", json={"billing_address": None})).json()[
        "customer"
    ]
    assert cleared["billing_address_id"] is None and cleared["billing_address"] is None
    assert len(cleared["shipping_addresses"]) == 2


async def test_an_unknown_billing_address_changes_nothing(store: httpx.AsyncClient) -> None:
    await register(store, EMAIL)
    before = await _me(store)

    for value in ("addr_01ARZ3NDEKTSV4RRFFQ69G5FAV", "nope"):
        response = await store.post(
            "/store/customers/me",
            json={"first_name": "Changed", "password": "a-new-secret", "billing_address": value},
        )
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "message": f"Address with id {value} was not found",
        }
    assert await _me(store) == before
    assert (await store.post("/store/auth", json=LOGIN)).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"billing_address": 5}, "billing_address must be one of AddressPayload or String"),
        ({"billing_address": {"city": 5}},
         "billing_address must be one of AddressPayload or String"),
        ({"email": "not-an-email"}, "email must be an email"),
        ({"metadata": "x"}, "metadata must be an object"),
        ({"groups": []}, "property groups should not exist"),
        ({"first_name": "x" * 101, "password": "a-new-secret"},
         "first_name must be shorter than or equal to 100 characters"),
        ({"first_name": "Changed", "password": "short"},
         "password must be longer than or equal to 8 characters"),
        ({"first_name": "Changed", "billing_address": {**ADDRESS, "country_code": "zz"}},
         "country_code must be a valid country code"),
    ],
)  # fmt: skip
async def test_a_bad_me_update_is_refused_and_changes_nothing(
    store: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    await register(store, EMAIL)
    before = await _me(store)

    response = await store.post("/store/customers/me", json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert await _me(store) == before


# --- addresses ------------------------------------------------------------------------------


async def test_addresses_are_added_once_edited_and_deleted(store: httpx.AsyncClient) -> None:
    await register(store, EMAIL)

    first = await store.post("/store/customers/me/addresses", json={"address": ADDRESS})
    again = await store.post("/store/customers/me/addresses", json={"address": ADDRESS})
    other = await store.post(
        "/store/customers/me/addresses", json={"address": {**ADDRESS, "address_2": "Hinterhaus"}}
    )

    assert first.status_code == again.status_code == other.status_code == 200
    (address,) = again.json()["customer"]["shipping_addresses"]
    assert re.fullmatch(f"addr_{ULID}", address["id"])
    assert (address["address_1"], address["postal_code"], address["country_code"]) == (
        "1 Main St", "10115", "de"
    )  # fmt: skip
    assert len(other.json()["customer"]["shipping_addresses"]) == 2

    path = f"/store/customers/me/addresses/{address['id']}"
    edited = await store.post(path, json={"province": "Berlin", "company": "ACME"})
    assert edited.status_code == 200
    shown = next(
        a for a in edited.json()["customer"]["shipping_addresses"] if a["id"] == address["id"]
    )
    assert (shown["province"], shown["company"], shown["city"]) == ("Berlin", "ACME", "Berlin")

    for _ in range(2):  # idempotent
        deleted = await store.request("DELETE", path, json={})
        assert deleted.status_code == 200
        assert address["id"] not in {
            a["id"] for a in deleted.json()["customer"]["shipping_addresses"]
        }


async def test_another_customers_address_cannot_be_edited(
    store: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await register(store, EMAIL)
    mine = (await store.post("/store/customers/me/addresses", json={"address": ADDRESS})).json()[
        "customer"
    ]["shipping_addresses"][0]

    async with medusa_client(services, settings) as other:
        await register(other, "other@medusa-test.com")
        for address_id in (mine["id"], "addr_bogus"):
            response = await other.post(
                f"/store/customers/me/addresses/{address_id}", json={"city": "Paris"}
            )
            assert response.status_code == 400
            assert response.json() == {
                "type": "invalid_data",
                "message": "Could not find address for customer",
            }
        deleted = await other.request("DELETE", f"/store/customers/me/addresses/{mine['id']}")
        assert deleted.status_code == 200

    assert (await _me(store))["shipping_addresses"] == [mine]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "nested property address must be either object or array"),
        ({"address": "x"}, "nested property address must be either object or array"),
        ({"address": {"first_name": "Sam"}},
         "last_name must be a string, address_1 must be a string, city must be a string, "
         "country_code must be a string, postal_code must be a string"),
        ({"address": {**ADDRESS, "is_default": True}}, "property is_default should not exist"),
        ({"address": {**ADDRESS, "country_code": "xx"}},
         "country_code must be a valid country code"),
        ({"address": {**ADDRESS, "city": "x" * 300}},
         "city must be shorter than or equal to 255 characters"),
    ],
)  # fmt: skip
async def test_a_bad_address_is_refused(
    store: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    await register(store, EMAIL)

    response = await store.post("/store/customers/me/addresses", json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert (await _me(store))["shipping_addresses"] == []


# --- orders and passwords -------------------------------------------------------------------


async def test_orders_are_an_empty_page(store: httpx.AsyncClient) -> None:
    await register(store, EMAIL)

    default = await store.get("/store/customers/me/orders")
    paged = await store.get("/store/customers/me/orders", params={"limit": 5, "offset": 10})
    bad = await store.get("/store/customers/me/orders", params={"limit": "many"})

    assert default.json() == {"orders": [], "count": 0, "offset": 0, "limit": 10}
    assert paged.json() == {"orders": [], "count": 0, "offset": 10, "limit": 5}
    assert bad.status_code == 400


async def test_payment_methods_are_an_empty_list_for_a_shopper_only(
    store: httpx.AsyncClient,
) -> None:
    anonymous = await store.get("/store/customers/me/payment-methods")
    await register(store, EMAIL)
    mine = await store.get("/store/customers/me/payment-methods")
    await store.delete("/store/auth")
    after_logout = await store.get("/store/customers/me/payment-methods")

    assert (anonymous.status_code, anonymous.text) == (401, "Unauthorized")
    assert (mine.status_code, mine.json()) == (200, {"payment_methods": []})
    assert after_logout.status_code == 401


async def test_a_forgotten_password_is_reset_with_the_mailed_token(
    store: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    await register(store, EMAIL)
    issued = await store.post("/store/auth/token", json=LOGIN)
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    store.cookies.clear()

    unknown = await store.post(
        "/store/customers/password-token", json={"email": "nobody@medusa-test.com"}
    )
    known = await store.post("/store/customers/password-token", json={"email": EMAIL})

    assert (unknown.status_code, unknown.content) == (204, b"")
    assert (known.status_code, known.content) == (204, b"")
    token = await reset_token(pool, EMAIL)
    wrong_email = await store.post(
        "/store/customers/password-reset",
        json={"email": "nobody@medusa-test.com", "token": token, "password": "a-new-secret"},
    )
    assert wrong_email.status_code == 401
    reset = await store.post(
        "/store/customers/password-reset",
        json={"email": EMAIL, "token": token, "password": "a-new-secret"},
    )
    assert reset.status_code == 200 and reset.json()["customer"]["email"] == EMAIL
    reused = await store.post(
        "/store/customers/password-reset",
        json={"email": EMAIL, "token": token, "password": "another-secret"},
    )
    assert reused.status_code == 401
    assert reused.json() == {
        "type": "unauthorized",
        "message": "Invalid or expired password reset token",
    }
    assert (await store.get("/store/customers/me", headers=bearer)).status_code == 401
    assert (await store.post("/store/auth", json=LOGIN)).status_code == 401
    relogin = await store.post("/store/auth", json={**LOGIN, "password": "a-new-secret"})
    assert relogin.status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("password-token", {}, "email must be an email"),
        ("password-token", {"email": "x"}, "email must be an email"),
        ("password-reset", {"email": EMAIL},
         "token must be a string, password must be a string"),
        ("password-reset", {"email": EMAIL, "token": 1, "password": "a-new-secret"},
         "token must be a string"),
    ],
)  # fmt: skip
async def test_a_bad_password_body_is_invalid_data(
    store: httpx.AsyncClient, path: str, body: dict[str, Any], message: str
) -> None:
    response = await store.post(f"/store/customers/{path}", json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


async def test_sign_ups_of_a_registered_email_spend_the_lookup_limit(
    store: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    """The 422 tells the email has an account, as `GET /store/auth/{email}` would: it is
    counted on the same per-address limit, and once that is spent every sign-up and
    lookup from the address waits (429)."""
    await register(store, EMAIL)
    limit = settings.login_max_failures
    async with medusa_client(services, settings) as prober:  # the same client address
        answers = [
            (await prober.post("/store/customers", json=SIGN_UP)).status_code
            for _ in range(limit + 1)
        ]
        lookup = await prober.get("/store/auth/anyone@example.com")
        fresh = await prober.post("/store/customers", json={**SIGN_UP, "email": "new@example.com"})

    assert answers == [422] * limit + [429]
    assert lookup.status_code == 429
    assert fresh.status_code == 429 and int(fresh.headers["retry-after"]) > 0
    assert fresh.json()["type"] == "not_allowed" and "set-cookie" not in fresh.headers
