"""Login, logout and the CSRF token: Laravel's session and `VerifyCsrfToken`, as Patron
hosts them for `/jsonapi`."""

from __future__ import annotations

import asyncpg
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.aimeos.conftest import (
    CUSTOMER,
    PASSWORD,
    ROOT,
    AimeosBrowser,
    NewShop,
    existing_customer,
)

SIGN_UP = {
    "data": {"attributes": {"customer.email": "new@example.com", "customer.password": PASSWORD}}
}


async def customers(pool: asyncpg.Pool) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM customers")
    return count


async def test_login_answers_the_customer_with_a_new_token(
    shop: AimeosBrowser, services: Services
) -> None:
    customer = await existing_customer(services)
    before = (await shop.options())["meta"]["csrf"]["value"]

    response = await shop.login("sonia@example.com")

    assert response.status_code == 200
    body = response.json()
    assert body["data"]["id"] == str(customer.id)
    assert body["data"]["attributes"]["customer.email"] == "sonia@example.com"
    assert body["meta"]["csrf"]["value"] != before
    cookie = response.headers["set-cookie"]
    assert "aimeos_session=" in cookie and "HttpOnly" in cookie
    assert "Path=/jsonapi" in cookie and "SameSite=lax" in cookie
    shown = (await shop.get(CUSTOMER)).json()
    assert shown["data"]["id"] == str(customer.id)
    assert shown["meta"]["csrf"]["value"] == body["meta"]["csrf"]["value"]


async def test_login_takes_a_form_body(shop: AimeosBrowser, services: Services) -> None:
    await existing_customer(services)
    await shop.options()

    response = await shop.http.post(
        f"{ROOT}/login",
        data={"email": "sonia@example.com", "password": PASSWORD, "_token": shop.csrf or ""},
    )

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["customer.firstname"] == "Sonia"


@pytest.mark.parametrize("password", ["wrong-password", ""])
async def test_bad_credentials_are_refused(
    shop: AimeosBrowser, services: Services, password: str
) -> None:
    await existing_customer(services)

    response = await shop.login("sonia@example.com", password)

    assert response.status_code == 401
    assert response.json()["errors"] == [{"title": "These credentials do not match our records."}]
    assert (await shop.get(CUSTOMER)).json()["data"]["id"] is None


async def test_logins_are_throttled(shop: AimeosBrowser, services: Services) -> None:
    await existing_customer(services)
    for _ in range(10):
        assert (await shop.login("sonia@example.com", "wrong-password")).status_code == 401

    response = await shop.login("sonia@example.com")

    assert response.status_code == 429
    seconds = int(response.headers["retry-after"])
    assert response.json()["errors"] == [
        {"title": f"Too many login attempts. Please try again in {seconds} seconds."}
    ]


class TestConfirmationRequired:
    """`PATRON_JSONAPI_REQUIRE_CONFIRMATION`: the tenant's rule applies (it asks for one)."""

    @pytest.fixture
    def settings(self) -> Settings:
        return cheap_settings(jsonapi_require_confirmation=True)

    async def test_an_unconfirmed_customer_cannot_log_in(
        self, shop: AimeosBrowser, services: Services
    ) -> None:
        await existing_customer(services)

        response = await shop.login("sonia@example.com")

        assert response.status_code == 401


async def test_logout_ends_the_session_and_changes_the_token(
    shop: AimeosBrowser, new_shop: NewShop, logged_in: object
) -> None:
    session_token = shop.csrf
    old_cookie = shop.http.cookies["aimeos_session"]

    response = await shop.logout()

    assert response.status_code == 200
    assert response.json()["meta"]["total"] == 0
    assert response.json()["meta"]["csrf"]["value"] != session_token
    assert (await shop.get(CUSTOMER)).json()["data"]["id"] is None
    replaying = await new_shop("198.51.100.9")
    replayed = await replaying.http.get(
        CUSTOMER, headers={"Cookie": f"aimeos_session={old_cookie}"}
    )
    assert replayed.json()["data"]["id"] is None


async def test_a_visitor_gets_a_cookie_and_keeps_it(shop: AimeosBrowser) -> None:
    first = await shop.http.options(ROOT)
    second = await shop.http.options(ROOT)

    assert "aimeos_session" in first.cookies
    assert "set-cookie" not in second.headers
    assert first.json()["meta"]["csrf"] == second.json()["meta"]["csrf"]


# --- CSRF -----------------------------------------------------------------------------------


async def test_a_write_without_a_token_is_refused_and_writes_nothing(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    await shop.options()

    response = await shop.http.post(CUSTOMER, json=SIGN_UP)

    assert response.status_code == 419
    assert response.json()["errors"] == [{"title": "CSRF token mismatch."}]
    assert response.json()["meta"]["csrf"]["value"] == shop.csrf
    assert await customers(clean_db) == 0


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
async def test_a_wrong_token_is_refused_on_every_write(
    shop: AimeosBrowser, clean_db: asyncpg.Pool, method: str
) -> None:
    await shop.options()

    response = await shop.http.request(method, CUSTOMER, params={"_token": "forged"}, json=SIGN_UP)

    assert response.status_code == 419
    assert await customers(clean_db) == 0


async def test_another_browsers_token_is_refused(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    other = await new_shop("198.51.100.4")
    await other.options()
    await shop.options()

    response = await shop.http.post(CUSTOMER, params={"_token": other.csrf or ""}, json=SIGN_UP)

    assert response.status_code == 419
    assert await customers(clean_db) == 0


async def test_the_token_from_before_login_is_refused_after_it(
    shop: AimeosBrowser, services: Services
) -> None:
    await existing_customer(services)
    before = (await shop.options())["meta"]["csrf"]["value"]
    await shop.login("sonia@example.com")

    response = await shop.http.patch(
        CUSTOMER,
        params={"_token": before},
        json={"data": {"attributes": {"customer.firstname": "Mallory"}}},
    )

    assert response.status_code == 419
    shown = (await shop.get(CUSTOMER)).json()["data"]["attributes"]
    assert shown["customer.firstname"] == "Sonia"


async def test_the_token_may_come_as_a_header(shop: AimeosBrowser, services: Services) -> None:
    await existing_customer(services)
    await shop.options()

    response = await shop.http.post(
        f"{ROOT}/login",
        headers={"X-CSRF-TOKEN": shop.csrf or ""},
        json={"email": "sonia@example.com", "password": PASSWORD},
    )

    assert response.status_code == 200


async def test_the_token_may_come_in_a_json_body(shop: AimeosBrowser, services: Services) -> None:
    await existing_customer(services)
    await shop.options()

    response = await shop.http.post(
        f"{ROOT}/login",
        json={"email": "sonia@example.com", "password": PASSWORD, "_token": shop.csrf},
    )

    assert response.status_code == 200


async def test_logout_needs_the_token(shop: AimeosBrowser, logged_in: object) -> None:
    response = await shop.http.post(f"{ROOT}/logout")

    assert response.status_code == 419
    assert (await shop.get(CUSTOMER)).json()["data"]["id"] is not None


async def test_reads_need_no_token(shop: AimeosBrowser) -> None:
    response = await shop.get(CUSTOMER)

    assert response.status_code == 200
