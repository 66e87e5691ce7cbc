"""Clients of `/emporix` as an Emporix integration calls it: a service token from
`POST /emporix/oauth/token` (client credentials of a client `patron admin create-client`
would make), then `Authorization: Bearer` on every request.

Two tenants, `shop` and `outlet`, each with customers of its own, so every test can ask
whether one tenant's token reaches the other's data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from patron.core.model import Tenant, TenantSettings
from patron.dialects.emporix.scopes import to_core
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.vendor_openapi import EmporixChecker
from tests.helpers import dialect_client
from tests.openapi_answers import check_every_answer

MOUNT = "/emporix"
ALL_SCOPES = (
    "customer.customer_read",
    "customer.customer_manage",
    "customer.import_read",
    "customer.import_manage",
)


@dataclass(frozen=True)
class ServiceClient:
    client_id: str
    secret: str


def emporix_http(
    services: Services, settings: Settings, *, peer: str = "203.0.113.11"
) -> httpx.AsyncClient:
    """A client of `/emporix` (its URLs relative to the mount), as an integration calls it."""
    return dialect_client(services, settings, MOUNT, peer=peer)


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


MakeClient = Callable[..., Awaitable[ServiceClient]]


@pytest.fixture
def make_client(services: Services) -> MakeClient:
    """A service client of a tenant holding the Emporix scopes named."""

    async def make(tenant: Tenant, scopes: Iterable[str] = ALL_SCOPES) -> ServiceClient:
        granted = [core for name in scopes if (core := to_core(name)) is not None]
        client, secret = await services.core.back_office.create_client(
            tenant, name="integration", scopes=granted
        )
        return ServiceClient(client.client_id, secret)

    return make


async def token_for(http: httpx.AsyncClient, client: ServiceClient, scope: str = "") -> str:
    form = {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": client.secret,
    }
    if scope:
        form["scope"] = scope
    answer = await http.post("/oauth/token", data=form)
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


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
