"""The storefront's tenant-isolation matrix: every customer-managed operation under
`/customer/{tenant}` that `/emporix` serves x {a customer token, an anonymous token} of one
tenant on the other tenant's path (issue 18, item 3).

A genuine token on the other tenant's path gets exactly the documented 400 (reference 5.1,
7.2) and the database is unchanged; the same token with a broken signature gets the
gateway's 401, so only a token whose signature verifies learns that the tenant is wrong; a
token on its own tenant's path is let through. Path and query parameters are real values of
the path's tenant (an address id, the customer's refresh token) and writes carry the
document's own request example, so a leak would reach real data. The operations come from
the document (`vendor_openapi.self_service_served_operations`): a route is in the matrix
the moment it is served.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import registration_for
from tests.core.test_addresses import draft
from tests.database_state import database_state
from tests.dialects.emporix.helpers import bearer
from tests.dialects.emporix.storefront_helpers import anonymous, storefront_client_id
from tests.dialects.emporix.test_oauth import TENANT_INVALID
from tests.dialects.emporix.vendor_openapi import (
    VendorOperation,
    self_service_document,
    self_service_served_operations,
)

STOREFRONT = [
    o for o in self_service_served_operations() if o.template.startswith("/customer/{tenant}/")
]
INVALID_TOKEN = {
    "fault": {
        "faultstring": "Invalid access token",
        "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
    }
}


@dataclass(frozen=True)
class Place:
    """A tenant's real values: its customer's email, tokens and address."""

    code: str
    email: str
    customer_token: str
    refresh_token: str
    anonymous_token: str
    address_id: str


@pytest.fixture
async def places(
    services: Services,
    clean_db: asyncpg.Pool,
    http: httpx.AsyncClient,
    shop: Tenant,
    outlet: Tenant,
) -> tuple[Place, Place]:
    found = []
    for tenant in (shop, outlet):
        email = f"anna@{tenant.code}.test"
        customer = await services.core.accounts.register(tenant, registration_for(email))
        await clean_db.execute(
            "UPDATE customers SET email_verified_at = now() WHERE id = $1", customer.id
        )
        visitor = await anonymous(http, tenant, await storefront_client_id(services, tenant))
        login = await http.post(
            f"/customer/{tenant.code}/login",
            json={"email": email, "password": "change123"},
            headers=bearer(visitor["access_token"]),
        )
        assert login.status_code == 200, login.text
        tokens = login.json()
        claims = services.core.auth.verify(tokens["access_token"], tenant)
        address = await services.core.addresses.add_own(claims, CustomerRef.me(), draft())
        found.append(
            Place(
                tenant.code,
                email,
                tokens["access_token"],
                tokens["refresh_token"],
                visitor["access_token"],
                str(address.uuid),
            )
        )
    return found[0], found[1]


def _parameters(operation: VendorOperation) -> list[dict[str, Any]]:
    document = self_service_document()
    reusable = document["components"]["parameters"]
    listed = [
        *operation.spec.get("parameters", []),
        *document["paths"][operation.template].get("parameters", []),
    ]
    return [reusable[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in listed]


def _request(operation: VendorOperation, path_of: Place, token: str) -> dict[str, Any]:
    """The request as Emporix' document shows it, with the path tenant's real values: its
    JSON body example (its customer's email where it names one), and every required
    query parameter."""
    request: dict[str, Any] = {"headers": bearer(token)}
    content = operation.spec.get("requestBody", {}).get("content", {}).get("application/json")
    examples = (content or {}).get("examples", {})
    if examples:
        body = dict(next(iter(examples.values()))["value"])
        if "email" in body:
            body["email"] = path_of.email
        request["json"] = body
    real = {
        "accessToken": token,
        "refreshToken": path_of.refresh_token,
        "tags": "BILLING,SHIPPING",
    }
    required = [p["name"] for p in _parameters(operation) if p.get("required")]
    query = {name: real[name] for name in required if name in real}
    if query:
        request["params"] = query
    return request


def _path(operation: VendorOperation, place: Place) -> str:
    return operation.template.format(
        tenant=place.code, addressId=place.address_id, token="a-mailed-key"
    )


def _forged(token: str) -> str:
    """The token with its signature broken (a visitor token's MAC, a JWT's signature): one
    character well inside it changed, so no padding bit can hide the change."""
    return token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]


@pytest.mark.parametrize("operation", STOREFRONT, ids=lambda o: o.operation_id)
@pytest.mark.parametrize("kind", ["customer", "anonymous"])
async def test_a_token_of_another_tenant_gets_the_documented_400_and_changes_nothing(
    http: httpx.AsyncClient,
    clean_db: asyncpg.Pool,
    places: tuple[Place, Place],
    operation: VendorOperation,
    kind: str,
) -> None:
    for token_of, path_of in (places, places[::-1]):
        token = token_of.customer_token if kind == "customer" else token_of.anonymous_token
        before = await database_state(clean_db)

        answer = await http.request(
            operation.method, _path(operation, path_of), **_request(operation, path_of, token)
        )
        forged = await http.request(
            operation.method,
            _path(operation, path_of),
            **_request(operation, path_of, _forged(token)),
        )

        assert (answer.status_code, answer.json()) == (400, TENANT_INVALID), answer.text
        assert (forged.status_code, forged.json()) == (401, INVALID_TOKEN), forged.text
        assert await database_state(clean_db) == before, (token_of.code, path_of.code)


@pytest.mark.parametrize("operation", STOREFRONT, ids=lambda o: o.operation_id)
async def test_a_customer_token_is_let_through_on_its_own_tenants_path(
    http: httpx.AsyncClient, places: tuple[Place, Place], operation: VendorOperation
) -> None:
    for own in places:
        answer = await http.request(
            operation.method, _path(operation, own), **_request(operation, own, own.customer_token)
        )
        assert not answer.content or answer.json() != TENANT_INVALID, (own.code, answer.text)


@pytest.mark.parametrize("kind", ["customer", "anonymous", "forged"])
async def test_a_tenant_patron_does_not_keep_is_the_400_for_a_genuine_token_only(
    http: httpx.AsyncClient, places: tuple[Place, Place], kind: str
) -> None:
    shop = places[0]
    token = {
        "customer": shop.customer_token,
        "anonymous": shop.anonymous_token,
        "forged": _forged(shop.customer_token),
    }[kind]

    answer = await http.get("/customer/nosuch/me", headers=bearer(token))

    expected = (401, INVALID_TOKEN) if kind == "forged" else (400, TENANT_INVALID)
    assert (answer.status_code, answer.json()) == expected


def test_the_matrix_covers_the_storefront() -> None:
    names = {o.template for o in STOREFRONT}
    assert {"/customer/{tenant}/me", "/customer/{tenant}/me/addresses/{addressId}"} <= names
    assert "/customer/{tenant}/refreshauthtoken" in names
