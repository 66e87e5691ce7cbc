"""Emporix' sign-up and the tenant-managed create take an address in a test or reserved
domain, as Emporix does (issue 18)."""

from __future__ import annotations

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for
from tests.dialects.emporix.storefront_helpers import anonymous, storefront_client_id

EMAILS = ["anna@shop.test", "x@example.invalid", "y@host.localhost"]
PASSWORD = "sign-up-pw-1"


@pytest.mark.parametrize("email", EMAILS)
async def test_a_customer_signs_up_with_a_special_use_domain(
    http: httpx.AsyncClient, services: Services, shop: Tenant, email: str
) -> None:
    await services.core.tenant_admin.change_settings("shop", {"confirmation_required": False})
    visitor = await anonymous(http, shop, await storefront_client_id(services, shop))
    token = bearer(visitor["access_token"])

    signed_up = await http.post(
        "/customer/shop/signup", json={"email": email, "password": PASSWORD}, headers=token
    )
    login = await http.post(
        "/customer/shop/login", json={"email": email, "password": PASSWORD}, headers=token
    )

    assert signed_up.status_code == 201, signed_up.text
    assert login.status_code == 200, login.text
    me = await http.get("/customer/shop/me", headers=bearer(login.json()["access_token"]))
    assert me.json()["contactEmail"] == email


@pytest.mark.parametrize("email", EMAILS)
async def test_an_employee_creates_a_customer_with_a_special_use_domain(
    http: httpx.AsyncClient, make_client: MakeClient, shop: Tenant, email: str
) -> None:
    service = bearer(await token_for(http, await make_client(shop)))

    created = await http.post(
        "/customer/shop/customers", json={"contactEmail": email}, headers=service
    )

    assert created.status_code == 201, created.text
    number = created.json()["id"]
    found = await http.get(f"/customer/shop/customers/{number}", headers=service)
    assert found.json()["contactEmail"] == email


async def test_an_address_without_a_domain_dot_is_still_refused(
    http: httpx.AsyncClient, make_client: MakeClient, shop: Tenant
) -> None:
    service = bearer(await token_for(http, await make_client(shop)))

    created = await http.post(
        "/customer/shop/customers", json={"contactEmail": "anna@localhost"}, headers=service
    )

    assert created.status_code == 400
    assert created.json()["details"][0]["message"] == "Invalid email address."
