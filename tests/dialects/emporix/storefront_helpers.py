"""A storefront's way in, as Emporix' B2B showcase takes it: an anonymous token for the
shop's client id, then a customer login on top of it."""

from __future__ import annotations

from typing import Any

import httpx

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for

PASSWORD = "initial-pw-1"


async def storefront_client_id(services: Services, tenant: Tenant) -> str:
    """A storefront client: an API client of the tenant holding no scopes."""
    client, _ = await services.core.staff_accounts.create_client(
        tenant, name="storefront", scopes=[]
    )
    return client.client_id


async def visitor_token(http: httpx.AsyncClient, services: Services, tenant: Tenant) -> str:
    """An anonymous token of a new storefront client of the tenant, as a visitor holds it."""
    token: str = (await anonymous(http, tenant, await storefront_client_id(services, tenant)))[
        "access_token"
    ]
    return token


async def anonymous(http: httpx.AsyncClient, tenant: Tenant, client_id: str) -> dict[str, Any]:
    answer = await http.get(
        "/customerlogin/auth/anonymous/login",
        params={"tenant": tenant.code, "client_id": client_id},
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def login_answer(
    http: httpx.AsyncClient, tenant: Tenant, anonymous_token: str, email: str, password: str
) -> httpx.Response:
    return await http.post(
        f"/customer/{tenant.code}/login",
        json={"email": email, "password": password},
        headers=bearer(anonymous_token),
    )


async def logged_in(
    http: httpx.AsyncClient, tenant: Tenant, anonymous_token: str, email: str
) -> dict[str, Any]:
    answer = await login_answer(http, tenant, anonymous_token, email, PASSWORD)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def created_with_password(
    http: httpx.AsyncClient, make_client: MakeClient, tenant: Tenant, email: str, **fields: Any
) -> str:
    """A customer an employee created through the tenant-managed API with an initial
    password: its number."""
    token = await token_for(http, await make_client(tenant))
    answer = await http.post(
        f"/customer/{tenant.code}/customers?sendPasswordResetNotifications=false",
        json={"contactEmail": email, "password": PASSWORD, **fields},
        headers=bearer(token),
    )
    assert answer.status_code == 201, answer.text
    number: str = answer.json()["id"]
    return number
