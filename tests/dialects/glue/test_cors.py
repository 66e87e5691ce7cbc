"""Glue's CORS (OPTIONS for every resource, checked preflights, the allowed origin) and the
rule against acting as a customer and a guest at once (005)."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.helpers import LOOPBACK, dialect_client

SHOP = "https://shop.example.com"


@pytest.fixture
def settings() -> Settings:
    return cheap_settings(glue_cors_origins=(SHOP,))


def preflight(method: str, headers: str = "") -> dict[str, str]:
    asked = {"Origin": SHOP, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return asked


async def test_a_preflight_lists_the_resources_methods(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    response = await client.options(
        "/glue/customers/DE--1", headers=preflight("PATCH", "Authorization, Content-Type")
    )

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["access-control-allow-methods"] == "DELETE, GET, OPTIONS, PATCH"
    assert response.headers["access-control-allow-headers"] == (
        "accept, content-type, content-language, accept-language, authorization, "
        "x-anonymous-customer-unique-id"
    )
    assert response.headers["access-control-allow-origin"] == SHOP
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


async def test_sub_resources_have_their_own_methods(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    collection = await client.options("/glue/customers/DE--1/addresses", headers=preflight("POST"))
    confirmation = await client.options("/glue/customer-confirmation", headers=preflight("POST"))

    assert collection.headers["access-control-allow-methods"] == "GET, OPTIONS, POST"
    assert confirmation.headers["access-control-allow-methods"] == "OPTIONS, POST"


async def test_a_guest_storefront_may_send_its_guest_header(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    """Oryx sends X-Anonymous-Customer-Unique-Id on a guest's registration and login."""
    response = await client.options(
        "/glue/customers", headers=preflight("POST", "x-anonymous-customer-unique-id")
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SHOP


@pytest.mark.parametrize(
    "asked",
    [preflight("PUT"), preflight("GET", "Authorization, X-Debug")],
    ids=["method the resource lacks", "header Glue does not allow"],
)
async def test_a_preflight_asking_too_much_is_not_allowed(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, asked: dict[str, str]
) -> None:
    response = await client.options("/glue/customers/DE--1", headers=asked)

    assert response.status_code == 403
    assert response.json() == {"errors": [{"status": 403, "detail": "Not allowed."}]}


async def test_options_on_an_unknown_resource_is_not_found(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    response = await client.options("/glue/wishlists", headers=preflight("GET"))

    assert response.status_code == 404
    assert response.json() == {"errors": [{"status": 404, "detail": "Not Found"}]}


async def test_answers_name_the_allowed_origin_only(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    allowed = await client.get("/glue/customers", headers={"Origin": SHOP})
    other = await client.get("/glue/customers", headers={"Origin": "https://evil.example"})

    assert allowed.status_code == other.status_code == 403  # no token: 002, but readable
    assert allowed.headers["access-control-allow-origin"] == SHOP
    assert "access-control-allow-origin" not in other.headers
    assert other.headers["vary"] == "Origin"


async def test_a_customer_cannot_also_act_as_a_guest(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    response = await client.get(
        "/glue/customers",
        headers={"Authorization": "Bearer x", "X-Anonymous-Customer-Unique-Id": "guest-1"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "status": 400,
                "code": "005",
                "detail": "Headers request error. "
                "A user can't act as logged and not logged user at the same time.",
            }
        ]
    }


async def test_without_configured_origins_no_origin_is_allowed(
    services: Services, clean_db: asyncpg.Pool
) -> None:
    async with dialect_client(services, cheap_settings(), peer=LOOPBACK) as plain:
        answer = await plain.options("/glue/customers", headers=preflight("GET"))

    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers
