"""Every dialect's answers carry the same security headers, and none that holds a token or
personal data may be stored by a cache: token answers, customer reads and lists, errors."""

from __future__ import annotations

import asyncpg
import httpx

from patron.core.domain.tenants import TenantSettings
from patron.services import Services
from tests.dialects.glue.helpers import bearer, document, signed_up
from tests.dialects.medusa.helpers import make_admin

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "same-origin",
    "content-security-policy": "frame-ancestors 'self'",
}
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def problems(label: str, answer: httpx.Response) -> list[str]:
    found = []
    for name, value in SECURITY.items():
        if answer.headers.get_list(name) != [value]:
            found.append(f"{label}: {name} is {answer.headers.get_list(name)}")
    if "no-store" not in answer.headers.get("cache-control", ""):
        found.append(f"{label}: cache-control is {answer.headers.get('cache-control')!r}")
    return found


async def glue_answers(client: httpx.AsyncClient, pool: asyncpg.Pool) -> dict[str, httpx.Response]:
    reference, tokens = await signed_up(client, pool)
    wrong = document("access-tokens", username="sonia@spryker.com", password="wrong-password")
    return {
        "glue token": await client.post(
            "/glue/access-tokens",
            json=document("access-tokens", username="sonia@spryker.com", password="change123"),
        ),
        "glue refused token": await client.post("/glue/access-tokens", json=wrong),
        "glue customer": await client.get(f"/glue/customers/{reference}", headers=bearer(tokens)),
        "glue list": await client.get("/glue/customers", headers=bearer(tokens)),
        "glue addresses": await client.get(
            f"/glue/customers/{reference}/addresses", headers=bearer(tokens)
        ),
        "glue unknown": await client.get("/glue/nothing-here"),
    }


async def medusa_answers(
    client: httpx.AsyncClient, services: Services
) -> dict[str, httpx.Response]:
    tenant = await services.core.tenants.get("default")
    admin = {**JSON, "x-medusa-access-token": (await make_admin(services, tenant)).api_token}
    login = {"email": "shopper@medusa-test.com", "password": "supersecret"}
    signup = {**login, "first_name": "Sam", "last_name": "Shop"}
    registered = await client.post("/medusa/store/customers", json=signup, headers=JSON)
    customer_id = registered.json()["customer"]["id"]
    token = await client.post("/medusa/store/auth/token", json=login, headers=JSON)
    me = {**JSON, "Authorization": f"Bearer {token.json()['access_token']}"}
    return {
        "medusa sign-up": registered,
        "medusa store token": token,
        "medusa store session": await client.post("/medusa/store/auth", json=login, headers=JSON),
        "medusa admin token": await client.post(
            "/medusa/admin/auth/token",
            json={"email": "admin@medusa-test.com", "password": "supersecret"},
            headers=JSON,
        ),
        "medusa me": await client.get("/medusa/store/customers/me", headers=me),
        "medusa list": await client.get("/medusa/admin/customers", headers=admin),
        "medusa customer": await client.get(
            f"/medusa/admin/customers/{customer_id}", headers=admin
        ),
        "medusa refused": await client.get("/medusa/admin/customers", headers=JSON),
        "medusa unknown": await client.get("/medusa/nothing-here", headers=JSON),
    }


async def aimeos_answers(client: httpx.AsyncClient) -> dict[str, httpx.Response]:
    options = await client.options("/jsonapi", headers={"Accept": "*/*"})
    csrf = options.json()["meta"]["csrf"]["value"]
    signup = {"customer.email": "ada@example.com", "customer.password": "secret123"}
    created = await client.post(
        "/jsonapi/customer",
        params={"_token": csrf},
        json={"data": {"attributes": signup}},
        headers={"Accept": "*/*"},
    )
    return {
        "aimeos sign-up": created,
        "aimeos customer": await client.get("/jsonapi/customer", headers={"Accept": "*/*"}),
        "aimeos refused": await client.put("/jsonapi/customer", params={"_token": csrf}),
        "aimeos unknown": await client.get("/jsonapi/nothing", headers={"Accept": "*/*"}),
    }


async def emporix_answers(
    client: httpx.AsyncClient, services: Services
) -> dict[str, httpx.Response]:
    # A tenant whose customers an employee creates log in at once.
    tenant = await services.core.tenant_admin.create(
        "shop", "Shop", TenantSettings(confirmation_required=False)
    )
    scopes = ["customers:read", "customers:manage"]
    service, secret = await services.core.staff_accounts.create_client(
        tenant, name="integration", scopes=scopes
    )
    storefront, _ = await services.core.staff_accounts.create_client(
        tenant, name="storefront", scopes=[]
    )
    form = {"grant_type": "client_credentials", "client_id": service.client_id}
    token = await client.post("/emporix/oauth/token", data={**form, "client_secret": secret})
    employee = {"Authorization": f"Bearer {token.json()['access_token']}"}
    base = "/emporix/customer/shop"
    created = await client.post(
        f"{base}/customers?sendPasswordResetNotifications=false",
        json={"contactEmail": "grace@example.com", "password": "initial-pw-1"},
        headers=employee,
    )
    anonymous = await client.get(
        "/emporix/customerlogin/auth/anonymous/login",
        params={"tenant": "shop", "client_id": storefront.client_id},
    )
    login = await client.post(
        f"{base}/login",
        json={"email": "grace@example.com", "password": "initial-pw-1"},
        headers={"Authorization": f"Bearer {anonymous.json()['access_token']}"},
    )
    shopper = {"Authorization": f"Bearer {login.json()['access_token']}"}
    return {
        "emporix service token": token,
        "emporix refused token": await client.post(
            "/emporix/oauth/token", data={**form, "client_secret": "wrong"}
        ),
        "emporix created": created,
        "emporix list": await client.get(f"{base}/customers", headers=employee),
        "emporix customer": await client.get(
            f"{base}/customers/{created.json()['id']}", headers=employee
        ),
        "emporix anonymous token": anonymous,
        "emporix login": login,
        "emporix me": await client.get(f"{base}/me", headers=shopper),
        "emporix my addresses": await client.get(f"{base}/me/addresses", headers=shopper),
        "emporix refused": await client.get(f"{base}/customers"),
        "emporix unknown": await client.get("/emporix/nothing-here"),
    }


async def test_every_dialect_sends_the_security_headers_and_no_store(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, services: Services
) -> None:
    answers = {
        **await glue_answers(client, clean_db),
        **await medusa_answers(client, services),
        **await aimeos_answers(client),
        **await emporix_answers(client, services),
        "root landing": await client.get("/"),
        "root health": await client.get("/health"),
        "root unknown": await client.get("/nothing-here"),
    }

    assert [p for label, answer in answers.items() for p in problems(label, answer)] == []
    statuses = {label: answer.status_code for label, answer in answers.items()}
    refused = {label: status for label, status in statuses.items() if status >= 400}
    assert refused == {
        "glue refused token": 401,
        "glue unknown": 404,
        "medusa refused": 401,
        "medusa unknown": 404,
        "aimeos refused": 403,
        "aimeos unknown": 404,
        "emporix refused token": 401,
        "emporix refused": 401,
        "emporix unknown": 404,
        "root unknown": 404,
    }


async def test_an_answer_that_may_be_cached_keeps_its_own_cache_control(
    client: httpx.AsyncClient,
) -> None:
    discovery = await client.options("/jsonapi", headers={"Accept": "*/*"})
    asset = await client.get("/static/swagger-ui/swagger-ui.css")

    assert discovery.headers.get_list("cache-control") == ["max-age=300"]
    assert asset.headers.get_list("cache-control") == ["public, max-age=86400"]
    assert asset.headers["x-content-type-options"] == "nosniff"
