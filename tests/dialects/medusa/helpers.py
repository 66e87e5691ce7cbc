"""Small steps the Medusa tests share, and their clients of `/medusa` as Medusa's own would
call it: `medusa_client` sends `Content-Type` and `Accept: application/json` on every
request, as medusa-js does, and an admin's client adds its API token
(`x-medusa-access-token`, as medusa-js sends `apiKey`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from patron.core.domain.principals import AdminUser, Scope
from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.helpers import dialect_client
from tests.outbox import PASSWORD_RESET, mailed_key

PASSWORD = "supersecret"
EMAIL = "shopper@medusa-test.com"
LOGIN = {"email": EMAIL, "password": PASSWORD}
SIGN_UP = {**LOGIN, "first_name": "Sam", "last_name": "Shop"}
"""`medusa.customers.create`'s body: Medusa v1 requires both names."""
ADDRESS = {
    "first_name": "Sam", "last_name": "Shop", "address_1": "1 Main St", "city": "Berlin",
    "country_code": "de", "postal_code": "10115",
}  # fmt: skip
ULID = r"[0-9A-HJKMNP-TV-Z]{26}"
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def new_customer(email: str = "lebron@james.com", **extra: Any) -> dict[str, Any]:
    """The body of `medusa.admin.customers.create` in seed 003."""
    return {
        "email": email,
        "password": PASSWORD,
        "first_name": "Lebron",
        "last_name": "James",
        **extra,
    }


async def create_customer(
    admin: httpx.AsyncClient, email: str = "lebron@james.com", **extra: Any
) -> dict[str, Any]:
    response = await admin.post("/admin/customers", json=new_customer(email, **extra))
    assert response.status_code == 201, response.text
    customer: dict[str, Any] = response.json()["customer"]
    return customer


async def register(
    store: httpx.AsyncClient, email: str = "shopper@medusa-test.com", **extra: Any
) -> dict[str, Any]:
    """`medusa.customers.create`: registers and logs in (the client keeps the cookie)."""
    body = {"email": email, "password": PASSWORD, "first_name": "Sam", "last_name": "Shop", **extra}
    response = await store.post("/store/customers", json=body)
    assert response.status_code == 200, response.text
    customer: dict[str, Any] = response.json()["customer"]
    return customer


async def create_group(admin: httpx.AsyncClient, name: str = "VIP", **extra: Any) -> dict[str, Any]:
    response = await admin.post("/admin/customer-groups", json={"name": name, **extra})
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()["customer_group"]
    return group


async def reset_token(pool: asyncpg.Pool, email: str) -> str:
    return await mailed_key(pool, email, PASSWORD_RESET)


def cookie_of(response: httpx.Response) -> str:
    """The `connect.sid` value a response sets."""
    header = response.headers["set-cookie"]
    match = re.match(r"connect\.sid=([^;]+);", header)
    assert match, header
    return match.group(1)


MOUNT = "/medusa"
ADMIN_EMAIL = "admin@medusa-test.com"
ADMIN_PASSWORD = "supersecret"
HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}


@dataclass(frozen=True)
class Admin:
    user: AdminUser
    api_token: str


async def make_admin(
    services: Services,
    tenant: Tenant,
    email: str = ADMIN_EMAIL,
    *,
    scopes: frozenset[str] | None = None,
) -> Admin:
    user = await services.core.staff_accounts.create_user(
        tenant, email=email, password=ADMIN_PASSWORD, scopes=scopes, first_name="Ada"
    )
    token = await services.core.staff_accounts.issue_api_token(tenant, email)
    return Admin(user, token)


def medusa_client(
    services: Services,
    settings: Settings,
    headers: dict[str, str] | None = None,
    *,
    base: str = "http://testserver",
) -> httpx.AsyncClient:
    """`base`: the host the client calls (an https one keeps `Secure` cookies)."""
    return dialect_client(
        services,
        settings,
        MOUNT,
        peer="203.0.113.9",
        headers={**HEADERS, **(headers or {})},
        base=base,
    )


READ_ONLY = frozenset({Scope.CUSTOMERS_READ.value})
