"""What surrounds every `/jsonapi` answer: CORS, body limits, the cookie's attributes, and
input no handler should ever see as a 500."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from patron.core.domain.model import Customer
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.aimeos.helpers import CUSTOMER, ROOT, AimeosBrowser, NewShop

ORIGIN = "https://shop.example.com"


class TestCors:
    @pytest.fixture
    def settings(self) -> Settings:
        return cheap_settings(jsonapi_cors_origins=[ORIGIN])

    async def test_a_preflight_is_answered_with_laravels_headers(self, shop: AimeosBrowser) -> None:
        response = await shop.http.options(
            CUSTOMER,
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "PATCH"},
        )

        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert response.headers["access-control-allow-credentials"] == "true"
        assert response.headers["access-control-allow-methods"] == (
            "DELETE, GET, OPTIONS, PATCH, POST, PUT"
        )
        assert "content-type" in response.headers["access-control-allow-headers"]

    async def test_answers_name_a_listed_origin_only(self, shop: AimeosBrowser) -> None:
        listed = await shop.http.get(CUSTOMER, headers={"Origin": ORIGIN})
        other = await shop.http.get(CUSTOMER, headers={"Origin": "https://evil.example"})

        assert listed.headers["access-control-allow-origin"] == ORIGIN
        assert "access-control-allow-origin" not in other.headers


async def test_without_origins_there_are_no_cors_headers(shop: AimeosBrowser) -> None:
    response = await shop.http.get(CUSTOMER, headers={"Origin": ORIGIN})

    assert "access-control-allow-origin" not in response.headers


class TestSecureCookies:
    @pytest.fixture
    def settings(self) -> Settings:
        return cheap_settings(public_url="https://shop.example.com")

    async def test_the_cookie_is_secure_under_https(self, shop: AimeosBrowser) -> None:
        response = await shop.http.options(ROOT)

        cookie = response.headers["set-cookie"]
        assert "Secure" in cookie and "Max-Age=36000" in cookie
        assert response.json()["meta"]["resources"]["customer"] == (
            "https://shop.example.com/jsonapi/customer"
        )


async def test_head_answers_as_get_without_the_body(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    """Laravel routes HEAD as GET: the same status and headers, no body."""
    get = await shop.http.get(CUSTOMER)
    head = await shop.http.head(CUSTOMER)

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["allow"] == get.headers["allow"]


async def test_an_oversized_body_is_413(shop: AimeosBrowser, clean_db: asyncpg.Pool) -> None:
    await shop.options()
    body = b'{"data": {"attributes": {"customer.email": "' + b"a" * 70000 + b'"}}}'

    response = await shop.http.post(CUSTOMER, params={"_token": shop.csrf or ""}, content=body)

    assert response.status_code == 413
    assert response.json()["meta"]["csrf"]["value"] == shop.csrf
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


async def test_a_deeply_nested_body_is_400(shop: AimeosBrowser) -> None:
    nested: object = "leaf"
    for _ in range(40):
        nested = [nested]
    body = {"data": {"attributes": {"customer.email": "a@example.com", "x": nested}}}

    response = await shop.write("POST", CUSTOMER, body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"title": "Invalid JSON in body"}]


@pytest.mark.parametrize("value", ["Eve\u0000", "Eve\u202e", "Eve\u0007"])
async def test_control_characters_are_refused(
    shop: AimeosBrowser, clean_db: asyncpg.Pool, value: str
) -> None:
    response = await shop.write(
        "POST",
        CUSTOMER,
        {
            "data": {
                "attributes": {"customer.email": "eve@example.com", "customer.firstname": value}
            }
        },
    )

    assert response.status_code in (400, 404)
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


@pytest.mark.parametrize(
    "params",
    [
        {"include": "\u0000,product"},
        {"include": "x" * 5000},
        {"relatedid": "99999999999999999999999", "related": "address"},
        {"fields[customer]": "\u0000"},
        {"fields": "plain"},
        {"related[]": "address"},
    ],
)
async def test_hostile_queries_are_no_500(
    shop: AimeosBrowser, logged_in: Customer, params: dict[str, str]
) -> None:
    response = await shop.get(CUSTOMER, params=params)

    assert response.status_code < 500


async def test_racing_sign_ups_stay_within_the_limit(
    new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    browsers = [await new_shop("192.0.2.50") for _ in range(6)]
    for browser in browsers:
        await browser.options()

    responses = await asyncio.gather(
        *(
            browser.write(
                "POST",
                CUSTOMER,
                {"data": {"attributes": {"customer.email": f"race{n}@example.com"}}},
            )
            for n, browser in enumerate(browsers)
        )
    )

    assert sorted(r.status_code for r in responses) == [201, 201, 201, 403, 403, 403]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 3


async def test_racing_sign_ups_with_one_email_make_one_account(
    new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    browsers = [await new_shop(f"192.0.2.{60 + n}") for n in range(4)]
    for browser in browsers:
        await browser.options()

    responses = await asyncio.gather(
        *(
            browser.write(
                "POST",
                CUSTOMER,
                {"data": {"attributes": {"customer.email": "same@example.com"}}},
            )
            for browser in browsers
        )
    )

    assert sorted(r.status_code for r in responses) == [201, 403, 403, 403]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
