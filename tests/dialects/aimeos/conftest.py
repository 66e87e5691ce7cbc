"""`shop`: a browser on `/jsonapi` (`AimeosBrowser`, tests/dialects/aimeos/helpers.py), as
a front end written against Aimeos' guide drives it: it keeps cookies, starts from
`OPTIONS /jsonapi`, and sends the latest `meta.csrf` token as the `_token` query parameter
on every write (no CSRF bypass anywhere).

`shop.csrf` is the token of the latest answer of any kind (an httpx response hook reads
`meta.csrf` from every JSON body), so after a login or logout it is already the new one.
`new_shop(ip)`: more browsers, each at its own client address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from patron.core.domain.model import Customer
from patron.services import Services
from patron.settings import Settings
from tests.dialects.aimeos.helpers import CLIENT_IP, AimeosBrowser, NewShop, existing_customer
from tests.helpers import dialect_client


@pytest.fixture
async def new_shop(services: Services, settings: Settings) -> AsyncIterator[NewShop]:
    """Browsers at other client addresses (each with its own cookie jar)."""
    clients: list[httpx.AsyncClient] = []

    async def make(ip: str) -> AimeosBrowser:
        http = dialect_client(services, settings, peer=ip)
        clients.append(http)
        return AimeosBrowser(http)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def shop(new_shop: NewShop) -> AimeosBrowser:
    return await new_shop(CLIENT_IP)


@pytest.fixture
async def logged_in(shop: AimeosBrowser, services: Services) -> Customer:
    """`shop` logged in as an existing customer."""
    customer = await existing_customer(services)
    response = await shop.login("sonia@example.com")
    assert response.status_code == 200, response.text
    return customer
