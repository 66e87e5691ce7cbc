"""Clients of `/emporix` as an Emporix integration calls it: a service token from
`POST /emporix/oauth/token` (client credentials of a client `patron admin create-client`
would make), then `Authorization: Bearer` on every request (tests/dialects/emporix/helpers.py).

Two tenants, `shop` and `outlet`, each with customers of its own, so every test can ask
whether one tenant's token reaches the other's data. `store` is `shop` as a storefront's
tenant (a module overrides `store_settings` to add the links its mails need), `visitor` its
anonymous storefront token; `number` and `auth` are a customer of `shop` and a service
token of it holding every scope, as the address tests use them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant, TenantSettings
from patron.dialects.emporix.scopes import to_core
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.address_helpers import customer, headers
from tests.dialects.emporix.helpers import ALL_SCOPES, MakeClient, ServiceClient, emporix_http
from tests.dialects.emporix.storefront_helpers import visitor_token
from tests.dialects.emporix.vendor_openapi import EmporixChecker
from tests.openapi_answers import check_every_answer


@pytest.fixture
async def shop(services: Services) -> Tenant:
    settings = TenantSettings(reference_pattern="{n}", restrictions=("DE", "PL"))
    return await services.core.tenant_admin.create("shop", "Shop", settings)


@pytest.fixture
async def outlet(services: Services) -> Tenant:
    return await services.core.tenant_admin.create("outlet", "Outlet", TenantSettings())


@pytest.fixture
async def http(services: Services, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with emporix_http(services, settings) as client:
        yield client


@pytest.fixture
def make_client(services: Services) -> MakeClient:
    """A service client of a tenant holding the Emporix scopes named."""

    async def make(tenant: Tenant, scopes: Iterable[str] = ALL_SCOPES) -> ServiceClient:
        granted = [core for name in scopes if (core := to_core(name)) is not None]
        client, secret = await services.core.staff_accounts.create_client(
            tenant, name="integration", scopes=granted
        )
        return ServiceClient(client.client_id, secret)

    return make


@pytest.fixture
def store_settings() -> dict[str, Any]:
    """The settings `store` gives `shop`; a module whose mails need links overrides this."""
    return {"confirmation_required": False}


@pytest.fixture
async def store(services: Services, shop: Tenant, store_settings: dict[str, Any]) -> Tenant:
    """`shop` as a storefront's tenant: customers an employee creates, or who sign up, log
    in at once (no double opt-in)."""
    return await services.core.tenant_admin.change_settings("shop", store_settings)


@pytest.fixture
async def visitor(http: httpx.AsyncClient, services: Services, store: Tenant) -> str:
    """An anonymous storefront token of `store`."""
    return await visitor_token(http, services, store)


@pytest.fixture
async def number(services: Services, shop: Tenant) -> str:
    """A registered customer of `shop`: its customer number."""
    return await customer(services, shop)


@pytest.fixture
async def auth(http: httpx.AsyncClient, make_client: MakeClient, shop: Tenant) -> dict[str, str]:
    """The bearer header of a service token of `shop` holding every scope."""
    return await headers(http, make_client, shop)


# --- every answer against Emporix' own OpenAPI document -------------------------------------


@pytest.fixture(scope="session")
def vendor_checker() -> EmporixChecker:
    return EmporixChecker()


@pytest.fixture(autouse=True)
def answers_match_emporix_document(
    vendor_checker: EmporixChecker, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every answer a test here receives, from whichever client: a documented status,
    media type, body and `Count` header (tests/dialects/emporix/vendor_openapi.py), and
    never a 5xx."""
    yield from check_every_answer(monkeypatch, vendor_checker, no_server_error=True)
