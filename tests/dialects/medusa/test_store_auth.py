"""`/store/auth` (reference 2.6): the shopper's session and token, the email lookup, and
which credentials open which routes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.dialects.medusa.helpers import (
    ADDRESS,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    EMAIL,
    LOGIN,
    PASSWORD,
    Admin,
    medusa_client,
    register,
)


async def test_a_session_login_answers_the_customer_with_orders_and_addresses(
    store: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await register(store, EMAIL)
    await store.post("/store/customers/me/addresses", json={"address": ADDRESS})

    async with medusa_client(services, settings) as other:
        login = await other.post("/store/auth", json=LOGIN)
        session = await other.get("/store/auth")

    assert login.status_code == 200 and "connect.sid=" in login.headers["set-cookie"]
    customer = login.json()["customer"]
    assert customer["orders"] == [] and len(customer["shipping_addresses"]) == 1
    assert "billing_address" not in customer
    assert session.json() == login.json()


@pytest.mark.parametrize(
    "body",
    [
        {"email": EMAIL, "password": "wrong-password"},
        {"email": "nobody@medusa-test.com", "password": PASSWORD},
        {"email": EMAIL, "password": 12345678},
    ],
)
async def test_wrong_credentials_are_the_text_unauthorized(
    store: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    await register(store, EMAIL)
    store.cookies.clear()

    for path in ("/store/auth", "/store/auth/token"):
        response = await store.post(path, json=body)
        assert (response.status_code, response.text) == (401, "Unauthorized")


async def test_a_store_token_opens_the_store_as_a_bearer(store: httpx.AsyncClient) -> None:
    await register(store, EMAIL)
    store.cookies.clear()

    issued = await store.post("/store/auth/token", json=LOGIN)

    assert list(issued.json()) == ["access_token"] and "set-cookie" not in issued.headers
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    assert (await store.get("/store/customers/me", headers=bearer)).json()["customer"][
        "email"
    ] == EMAIL
    assert (await store.get("/store/auth", headers=bearer)).status_code == 200


async def test_a_logout_with_a_store_token_ends_the_token(
    store: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    """Decision 98: the token stands in for a session and ends as one does; the
    shopper's other sessions stay."""
    await register(store, EMAIL)
    token = (await store.post("/store/auth/token", json=LOGIN)).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    async with medusa_client(services, settings, bearer) as tokened:
        assert (await tokened.get("/store/customers/me")).status_code == 200

        logout = await tokened.request("DELETE", "/store/auth", json={})

        assert (logout.status_code, logout.text) == (200, "OK")
        for path in ("/store/customers/me", "/store/auth"):
            after = await tokened.get(path)
            assert (after.status_code, after.text) == (401, "Unauthorized"), path
        again = await tokened.request("DELETE", "/store/auth", json={})
        assert (again.status_code, again.text) == (200, "OK")
    assert (await store.get("/store/customers/me")).status_code == 200  # the cookie session


async def test_exists_is_true_for_registered_accounts_only(
    store: httpx.AsyncClient, admin: httpx.AsyncClient, services: Services, admin_user: Admin
) -> None:
    await register(store, EMAIL)

    assert (await store.get(f"/store/auth/{EMAIL}")).json() == {"exists": True}
    assert (await store.get(f"/store/auth/{EMAIL.upper()}")).json() == {"exists": True}
    assert (await store.get("/store/auth/c@d.co")).json() == {"exists": False}
    assert (await store.get("/store/auth/not-an-email")).json() == {"exists": False}
    assert (await store.get(f"/store/auth/{ADMIN_EMAIL}")).json() == {"exists": False}


async def test_exists_is_throttled_per_client_address(
    services: Services, settings: Settings
) -> None:
    async with medusa_client(services, settings) as http:
        answers = [
            await http.get(f"/store/auth/probe{i}@example.com")
            for i in range(settings.login_max_failures + 1)
        ]

    assert answers[0].status_code == 200
    assert answers[-1].status_code == 429 and int(answers[-1].headers["retry-after"]) > 0


async def test_logging_out_of_the_store_leaves_an_admin_session_alone(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    login = await store.post("/admin/auth", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert login.status_code == 200

    logout = await store.request("DELETE", "/store/auth", json={})

    assert logout.text == "OK"
    assert (await store.get("/admin/auth")).status_code == 200


async def test_an_admin_credential_never_opens_a_store_me_route(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    credentials = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    await store.post("/admin/auth", json=credentials)  # admin cookie in the jar
    token = (await store.post("/admin/auth/token", json=credentials)).json()["access_token"]

    for headers in (
        {},
        {"Authorization": f"Bearer {token}"},
        {"x-medusa-access-token": admin_user.api_token},
    ):
        for method, path in (
            ("GET", "/store/customers/me"),
            ("POST", "/store/customers/me"),
            ("GET", "/store/auth"),
            ("GET", "/store/customers/me/orders"),
            ("POST", "/store/customers/me/addresses"),
        ):
            response = await store.request(method, path, headers=headers, json={})
            assert (response.status_code, response.text) == (401, "Unauthorized"), (method, path)
