"""What the Emporix address tests share: a customer, a service token, Emporix' example
address (reference 3, TENANT-SPEC), and the routes' paths."""

from __future__ import annotations

from typing import Any

import httpx

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.conftest import registration_for
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for

EXAMPLE: dict[str, Any] = {
    "contactName": "John Doe",
    "companyName": "Emporix",
    "street": "Platz der Republik",
    "streetNumber": "1",
    "streetAppendix": "",
    "extraLine1": "",
    "extraLine2": "",
    "extraLine3": "",
    "extraLine4": "",
    "zipCode": "11011",
    "city": "Berlin",
    "country": "DE",
    "state": "Berlin",
    "contactPhone": "123456789",
    "tags": ["BILLING", "SHIPPING"],
    "isDefault": True,
}
PLAIN: dict[str, Any] = {"contactName": "Jane Roe", "city": "Warsaw", "country": "PL"}


async def customer(services: Services, tenant: Tenant, email: str = "john@example.com") -> str:
    """A registered customer of the tenant: its customer number."""
    created = await services.core.accounts.register(tenant, registration_for(email))
    return created.customer_number


async def headers(
    http: httpx.AsyncClient, make_client: MakeClient, tenant: Tenant, *scopes: str
) -> dict[str, str]:
    """The bearer header of a service token of `tenant` (all scopes when none are named)."""
    client = await (make_client(tenant, scopes) if scopes else make_client(tenant))
    return bearer(await token_for(http, client))


def at(city: str, **more: Any) -> dict[str, Any]:
    """`PLAIN` in another city (and with whatever else is given)."""
    return {**PLAIN, "city": city, **more}


def addresses_of(number: str, tenant_code: str = "shop") -> str:
    return f"/customer/{tenant_code}/customers/{number}/addresses"


async def added(
    http: httpx.AsyncClient,
    auth: dict[str, str],
    number: str,
    body: dict[str, Any],
    tenant_code: str = "shop",
) -> str:
    """POST an address that must be accepted: its id."""
    answer = await http.post(addresses_of(number, tenant_code), json=body, headers=auth)
    assert answer.status_code == 201, answer.text
    address_id: str = answer.json()["id"]
    return address_id


async def read(
    http: httpx.AsyncClient,
    auth: dict[str, str],
    number: str,
    address_id: str,
    tenant_code: str = "shop",
) -> dict[str, Any]:
    answer = await http.get(f"{addresses_of(number, tenant_code)}/{address_id}", headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def defaults_of(address: dict[str, Any]) -> tuple[bool, list[str]]:
    return address["isDefault"], address["tags"]
