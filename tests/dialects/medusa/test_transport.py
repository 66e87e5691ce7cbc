"""Before the routes: CORS per API (Medusa's `admin_cors` and `store_cors`), with the
session cookie allowed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from patron.services import Services
from tests.conftest import cheap_settings
from tests.dialects.medusa.helpers import Admin, medusa_client

ADMIN_UI = "https://admin.example.com"
SHOP = "https://shop.example.com"


@pytest.fixture
async def browser(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    settings = cheap_settings(
        medusa_admin_cors_origins=[ADMIN_UI], medusa_store_cors_origins=[SHOP]
    )
    async with medusa_client(services, settings) as http:
        yield http


def _preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type,x-medusa-access-token",
    }


async def test_each_api_allows_its_own_origins_with_credentials(
    browser: httpx.AsyncClient, admin_user: Admin
) -> None:
    admin = await browser.options("/admin/customers", headers=_preflight(ADMIN_UI, "GET"))
    store = await browser.options("/store/customers", headers=_preflight(SHOP))

    for response, origin in ((admin, ADMIN_UI), (store, SHOP)):
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == origin
        assert response.headers["access-control-allow-credentials"] == "true"
        assert "x-medusa-access-token" in response.headers["access-control-allow-headers"]
    listed = await browser.get(
        "/admin/customers",
        headers={"Origin": ADMIN_UI, "x-medusa-access-token": admin_user.api_token},
    )
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == ADMIN_UI
    refused = await browser.get("/admin/customers", headers={"Origin": ADMIN_UI})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == ADMIN_UI  # readable by the UI


async def test_another_origin_is_not_allowed(browser: httpx.AsyncClient) -> None:
    shop_on_admin = await browser.options("/admin/auth", headers=_preflight(SHOP))
    admin_on_store = await browser.get("/store/auth/a@b.co", headers={"Origin": ADMIN_UI})

    assert shop_on_admin.status_code == 400
    assert "access-control-allow-origin" not in shop_on_admin.headers
    assert "access-control-allow-origin" not in admin_on_store.headers


async def test_without_configured_origins_there_is_no_cors(store: httpx.AsyncClient) -> None:
    response = await store.get("/store/auth/a@b.co", headers={"Origin": SHOP})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
