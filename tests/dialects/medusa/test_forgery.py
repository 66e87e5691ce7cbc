"""Writes forged by another site's page (issue 18, item 11): served over https, the session
cookie goes to Patron on any site's POST, so only JSON bodies are read (Express's `json()`
parser) and a write the cookie authenticates must come from Patron's own origin or the
API's CORS origins; a Bearer or API token, which no browser attaches, is not checked."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.medusa.helpers import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    EMAIL,
    LOGIN,
    PASSWORD,
    Admin,
    medusa_client,
    register,
)

SITE = "https://api.example.com"
SHOP = "https://shop.example.com"
ADMIN_UI = "https://admin.example.com"
EVIL = "https://evil.example"
REFUSED = {"type": "not_allowed", "message": "Origin not allowed to write with this session"}
ATTACKER_PASSWORD = "attacker-secret"


@pytest.fixture
def https_settings() -> Settings:
    return cheap_settings(
        public_url=SITE,
        medusa_store_cors_origins=[SHOP],
        medusa_admin_cors_origins=[ADMIN_UI],
    )


@pytest.fixture
async def browser(services: Services, https_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A browser that has visited the shop: its jar holds the cookies Patron set."""
    async with medusa_client(services, https_settings, base=SITE) as http:
        yield http


def _forged(origin: str | None = EVIL, content_type: str = "text/plain") -> dict[str, str]:
    """What another site's `<form>` or no-cors `fetch` makes the browser send."""
    headers = {"Content-Type": content_type}
    if origin is not None:
        headers["Origin"] = origin
    return headers


async def _logs_in_with(browser: httpx.AsyncClient, password: str) -> bool:
    response = await browser.post("/store/auth/token", json={"email": EMAIL, "password": password})
    return response.status_code == 200


async def test_another_sites_text_post_does_not_set_the_shoppers_password(
    browser: httpx.AsyncClient,
) -> None:
    await register(browser, EMAIL)
    body = json.dumps({"password": ATTACKER_PASSWORD})

    forged = await browser.post("/store/customers/me", content=body, headers=_forged())
    unlabelled = await browser.post("/store/customers/me", content=body, headers=_forged(None))

    assert (forged.status_code, forged.json()) == (403, REFUSED)
    assert unlabelled.status_code == 200  # a text body is no body, as Express reads it
    assert await _logs_in_with(browser, PASSWORD)
    assert not await _logs_in_with(browser, ATTACKER_PASSWORD)


async def test_another_sites_text_post_with_an_admins_cookie_creates_no_customer(
    browser: httpx.AsyncClient, admin_user: Admin, pool: asyncpg.Pool
) -> None:
    login = await browser.post(
        "/admin/auth", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert login.status_code == 200
    body = json.dumps(
        {"email": "made@evil.example", "password": PASSWORD, "first_name": "E", "last_name": "V"}
    )

    forged = await browser.post("/admin/customers", content=body, headers=_forged())
    unlabelled = await browser.post("/admin/customers", content=body, headers=_forged(None))

    assert (forged.status_code, forged.json()) == (403, REFUSED)
    assert unlabelled.status_code == 400
    assert unlabelled.json()["message"] == (
        "email must be an email, first_name must be a string, last_name must be a string, "
        "password must be a string"
    )
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": SHOP}, 200),
        ({"Origin": SITE}, 200),
        ({"Origin": "https://API.example.com:443"}, 200),
        ({"Referer": f"{SHOP}/account?tab=profile"}, 200),
        ({}, 200),
        ({"Origin": EVIL}, 403),
        ({"Origin": "null"}, 403),
        ({"Origin": ADMIN_UI}, 403),  # the dashboard's origin is not the storefront's
        ({"Origin": "http://shop.example.com"}, 403),
        ({"Referer": f"{EVIL}/page"}, 403),
        ({"Origin": EVIL, "Referer": f"{SHOP}/"}, 403),
    ],
)
async def test_the_cookie_writes_only_from_patrons_own_origin_or_the_apis_cors_origins(
    browser: httpx.AsyncClient, headers: dict[str, str], status: int
) -> None:
    await register(browser, EMAIL)

    response = await browser.post("/store/customers/me", json={"first_name": "X"}, headers=headers)

    assert response.status_code == status
    if status == 403:
        assert response.json() == REFUSED


async def test_a_foreign_origin_logs_no_one_out_with_the_cookie(
    browser: httpx.AsyncClient, admin_user: Admin
) -> None:
    await register(browser, EMAIL)
    await browser.post("/admin/auth", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})

    store = await browser.request("DELETE", "/store/auth", json={}, headers={"Origin": EVIL})
    admin = await browser.request("DELETE", "/admin/auth", json={}, headers={"Origin": EVIL})

    assert (store.status_code, admin.status_code) == (403, 403)
    assert (await browser.get("/store/auth")).status_code == 200
    assert (await browser.get("/admin/auth")).status_code == 200


async def test_tokens_are_not_checked_for_their_origin(
    browser: httpx.AsyncClient, admin_user: Admin
) -> None:
    """No browser attaches a Bearer or API token to another site's request."""
    await register(browser, EMAIL)
    token = (await browser.post("/store/auth/token", json=LOGIN)).json()["access_token"]
    browser.cookies.clear()
    foreign = {"Origin": EVIL}

    bearer = await browser.post(
        "/store/customers/me",
        json={"first_name": "Tok"},
        headers={**foreign, "Authorization": f"Bearer {token}"},
    )
    api_token = await browser.get(
        "/admin/customers", headers={**foreign, "x-medusa-access-token": admin_user.api_token}
    )

    assert bearer.status_code == 200 and bearer.json()["customer"]["first_name"] == "Tok"
    assert api_token.status_code == 200


async def test_a_read_with_the_cookie_from_another_origin_is_answered(
    browser: httpx.AsyncClient,
) -> None:
    """A read changes nothing; CORS decides which pages may see the answer."""
    await register(browser, EMAIL)

    response = await browser.get("/store/customers/me", headers={"Origin": EVIL})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers  # the page cannot read it


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"],
)
async def test_a_body_that_is_not_json_is_no_body(
    browser: httpx.AsyncClient, pool: asyncpg.Pool, content_type: str
) -> None:
    """Express's `json()` reads `application/json` only; Medusa's validation then sees
    `{}`."""
    response = await browser.post(
        "/store/customers",
        content=f"email={EMAIL}&password={PASSWORD}&first_name=A&last_name=B",
        headers={"Content-Type": content_type},
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "first_name must be a string, last_name must be a string, "
        "email must be an email, password must be a string",
    }
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_json_with_a_charset_is_read(browser: httpx.AsyncClient) -> None:
    body = json.dumps({**LOGIN, "first_name": "Sam", "last_name": "Shop"})

    response = await browser.post(
        "/store/customers",
        content=body,
        headers={"Content-Type": "Application/JSON; charset=utf-8"},
    )

    assert response.status_code == 200, response.text


async def test_a_star_is_no_wildcard_origin(services: Services) -> None:
    """As in Medusa v1, whose `cors` package compares the entries of a list as written."""
    settings = cheap_settings(public_url=SITE, medusa_store_cors_origins=["*"])
    async with medusa_client(services, settings, base=SITE) as http:
        await register(http, EMAIL)
        preflight = await http.options(
            "/store/customers/me",
            headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
        )
        read = await http.get("/store/customers/me", headers={"Origin": EVIL})
        write = await http.post("/store/customers/me", json={}, headers={"Origin": EVIL})

    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in read.headers
    assert write.status_code == 403


@pytest.mark.parametrize(
    ("cors", "same_site"),
    [({"medusa_store_cors_origins": [SHOP]}, "none"), ({}, "lax")],
)
async def test_the_cookie_crosses_sites_only_for_an_api_with_cors_origins(
    services: Services, cors: dict[str, list[str]], same_site: str
) -> None:
    """`SameSite=None` lets a storefront on another site send the cookie; without CORS
    origins no page of another site may use it, and `Lax` keeps it off their writes."""
    settings = cheap_settings(public_url=SITE, **cors)
    async with medusa_client(services, settings, base=SITE) as http:
        response = await http.post(
            "/store/customers", json={**LOGIN, "first_name": "Sam", "last_name": "Shop"}
        )

    attributes = [part.strip() for part in response.headers["set-cookie"].split(";")]
    assert "Secure" in attributes and f"SameSite={same_site}" in attributes
