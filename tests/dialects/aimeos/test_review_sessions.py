"""Review probes: a `/jsonapi` session after something outside it ended the customer's
sessions, and a cookie an attacker chose before the victim logged in."""

from __future__ import annotations

import asyncpg
import pytest

from patron.core.domain.model import Customer
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
from tests.outbox import PASSWORD_RESET, mailed_key

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
