"""Login, logout and the CSRF token: Laravel's session and `VerifyCsrfToken`, as Patron
hosts them for `/jsonapi`; a session after something outside it ended the customer's
sessions, a cookie an attacker chose before the victim logged in, and the cookies' flags
behind https."""

from __future__ import annotations

import asyncpg
import pytest

from patron.core.domain.model import Customer
from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.aimeos.helpers import (
    CUSTOMER,
    PASSWORD,
    ROOT,
    AimeosBrowser,
    NewShop,
    existing_customer,
)
from tests.outbox import PASSWORD_RESET, mailed_key

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


ADDRESS = {"data": {"attributes": {"customer.address.city": "Berlin"}}}


async def test_a_password_reset_elsewhere_ends_the_aimeos_session(
    shop: AimeosBrowser, logged_in: Customer, services: Services, clean_db: asyncpg.Pool
) -> None:
    """A reset through Glue or Medusa ends every session: the cookie reads and writes
    nothing of the account from then on."""
    tenant = await services.core.tenants.get("default")
    await services.core.passwords.request_reset(tenant, "sonia@example.com").run()
    key = await mailed_key(clean_db, "sonia@example.com", PASSWORD_RESET)
    await services.core.passwords.restore(tenant, key, "N3w-secret-77")

    read = await shop.get(CUSTOMER)
    written = await shop.write("POST", CUSTOMER, ADDRESS, params={"related": "address"})

    assert read.json()["data"]["id"] is None
    assert written.status_code == 401
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0


async def test_an_attackers_cookie_never_becomes_the_victims_session(
    new_shop: NewShop, services: Services
) -> None:
    """Session fixation: the attacker plants a cookie it knows (and its token) in the
    victim's browser; the victim's login replaces it, and the planted cookie stays a
    visitor's."""
    await existing_customer(services)
    attacker = await new_shop("198.51.100.66")
    await attacker.options()
    planted = attacker.http.cookies["aimeos_session"]
    victim = await new_shop("203.0.113.8")
    victim.http.cookies.set("aimeos_session", planted, domain="testserver.local", path="/jsonapi")
    await victim.options()
    assert victim.csrf == attacker.csrf  # the planted cookie is the one the victim sends

    assert (await victim.login("sonia@example.com", PASSWORD)).status_code == 200

    assert victim.http.cookies["aimeos_session"] != planted
    as_attacker = await attacker.get(CUSTOMER)
    assert as_attacker.json()["data"]["id"] is None
    forged = await attacker.write("POST", CUSTOMER, ADDRESS, params={"related": "address"})
    assert forged.status_code == 401


async def test_a_password_with_angle_brackets_is_kept_as_typed(
    shop: AimeosBrowser, new_shop: NewShop
) -> None:
    """Aimeos runs `strip_tags` over every customer value, the password too: "Pa55<word!>"
    would be stored as "Pa55" and never match what the customer types at login. A
    password is hashed, never shown, so it is kept as typed."""
    typed = "Pa55-w0rd<is>long<enough"
    await shop.sign_up("tags@example.com", typed)

    logged = await shop.login("tags@example.com", typed)
    changed = await shop.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.password": "N3w<pass>word<x"}}}
    )
    elsewhere = await new_shop("198.51.100.70")

    assert logged.status_code == 200, logged.text
    assert changed.status_code == 200, changed.text
    assert (await elsewhere.login("tags@example.com", "N3w<pass>word<x")).status_code == 200


class TestBehindHttps:
    """A public URL on https: every cookie the dialect sets (a visitor's, a session's)
    is `Secure`, `HttpOnly` and `SameSite=lax`, scoped to the mount."""

    @pytest.fixture
    def settings(self) -> Settings:
        return cheap_settings(public_url="https://shop.example")

    async def test_cookies_are_secure(self, shop: AimeosBrowser, services: Services) -> None:
        await existing_customer(services)
        visitor = await shop.http.options(ROOT)
        cookie = visitor.cookies["aimeos_session"]  # httpx sends no Secure cookie over http
        token = visitor.json()["meta"]["csrf"]["value"]
        logged = await shop.http.post(
            f"{ROOT}/login",
            params={"_token": token},
            json={"email": "sonia@example.com", "password": PASSWORD},
            headers={"Cookie": f"aimeos_session={cookie}"},
        )

        assert logged.status_code == 200, logged.text
        for response in (visitor, logged):
            attributes = {a.strip().lower() for a in response.headers["set-cookie"].split(";")}
            assert {"secure", "httponly", "samesite=lax", "path=/jsonapi"} <= attributes
