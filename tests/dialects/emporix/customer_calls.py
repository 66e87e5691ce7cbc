"""What the customer tests share: service tokens of any scopes (and company), and the
customer routes called as an integration calls them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

import httpx

from patron.core.domain.tenants import Tenant
from patron.dialects.emporix.scopes import to_core
from patron.services import Services
from tests.dialects.emporix.helpers import ServiceClient, bearer, token_for

READ_AND_MANAGE = ("customer.customer_read", "customer.customer_manage")


async def token_of(
    http: httpx.AsyncClient,
    services: Services,
    tenant: Tenant,
    scopes: Iterable[str] = READ_AND_MANAGE,
    *,
    company: UUID | None = None,
) -> dict[str, str]:
    """The `Authorization` header of a fresh client of `tenant` with these Emporix scopes."""
    granted = [core for name in scopes if (core := to_core(name)) is not None]
    client, secret = await services.core.staff_accounts.create_client(
        tenant, name="integration", scopes=granted, company=company
    )
    return bearer(await token_for(http, ServiceClient(client.client_id, secret)))


def customers_path(tenant: Tenant | str, *rest: str) -> str:
    code = tenant if isinstance(tenant, str) else tenant.code
    return "/".join([f"/customer/{code}/customers", *rest])


async def create(
    http: httpx.AsyncClient,
    auth: dict[str, str],
    tenant: Tenant,
    body: dict[str, Any],
    *,
    reset_mail: bool = False,
) -> str:
    """A new customer's id (asserting the 201)."""
    answer = await http.post(
        customers_path(tenant),
        json=body,
        params={"sendPasswordResetNotifications": str(reset_mail).lower()},
        headers=auth,
    )
    assert answer.status_code == 201, answer.text
    number: str = answer.json()["id"]
    return number


async def fetch(
    http: httpx.AsyncClient, auth: dict[str, str], tenant: Tenant, number: str, expand: str = ""
) -> dict[str, Any]:
    params = {"expand": expand} if expand else {}
    answer = await http.get(customers_path(tenant, number), params=params, headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def listed(
    http: httpx.AsyncClient, auth: dict[str, str], tenant: Tenant, **params: str
) -> list[str]:
    """The ids of a list's page, in order."""
    answer = await http.get(customers_path(tenant), params=params, headers=auth)
    assert answer.status_code == 200, answer.text
    return [customer["id"] for customer in answer.json()]
