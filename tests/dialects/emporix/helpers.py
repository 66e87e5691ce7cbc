"""What every Emporix test shares: a client of `/emporix`, a service client of a tenant and
its token from `POST /emporix/oauth/token` (client credentials, as an integration of a
client `patron admin create-client` made), and the bearer header it sends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from patron.services import Services
from patron.settings import Settings
from tests.helpers import dialect_client

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


MakeClient = Callable[..., Awaitable[ServiceClient]]


def emporix_http(
    services: Services, settings: Settings, *, peer: str = "203.0.113.11"
) -> httpx.AsyncClient:
    """A client of `/emporix` (its URLs relative to the mount), as an integration calls it."""
    return dialect_client(services, settings, MOUNT, peer=peer)


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
