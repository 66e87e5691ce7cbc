"""The tenant-isolation matrix: every tenant-managed operation of Emporix' document that
`/emporix` serves x {shop's token, outlet's token} x {shop's path, outlet's path}.

A token on the other tenant's path gets exactly the documented 400 (the same token with a
broken signature the gateway's 401) and the database is unchanged (a digest of every table
before and after); a token on its own tenant's path is let through (whatever the handler
answers, it is not that 400). Path parameters are real
ids of the path's tenant (a customer number, an address id) and writes carry the document's
own request example, so a leak would reach real data. The operations come from the document
(`vendor_openapi.served_operations`): a route is in the matrix the moment it is served, and
`PENDING` lists the rest.
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
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for
from tests.dialects.emporix.test_oauth import TENANT_INVALID
from tests.dialects.emporix.vendor_openapi import (
    VendorOperation,
    parameters,
    served_operations,
)

TENANTED = [o for o in served_operations() if o.template.startswith("/customer/{tenant}/")]


@dataclass(frozen=True)
class Place:
    """A tenant's real ids and a token of a client of that tenant with every scope."""

    code: str
    customer_number: str
    address_id: str
    token: str


async def _place(
    services: Services,
    pool: asyncpg.Pool,
    http: httpx.AsyncClient,
    make_client: MakeClient,
    tenant: Tenant,
) -> Place:
    email = f"anna@{tenant.code}.example"
    customer = await services.core.accounts.register(tenant, registration_for(email))
    await pool.execute("UPDATE customers SET email_verified_at = now() WHERE id = $1", customer.id)
    _, pair = await services.core.auth.login(tenant, email, "change123", client_ip=None)
    claims = services.core.auth.verify(pair.access_token, tenant)
    address = await services.core.addresses.add_own(claims, CustomerRef.me(), draft())
    token = await token_for(http, await make_client(tenant))
    return Place(tenant.code, customer.customer_number, str(address.uuid), token)


@pytest.fixture
async def places(
    services: Services,
    clean_db: asyncpg.Pool,
    http: httpx.AsyncClient,
    make_client: MakeClient,
    shop: Tenant,
    outlet: Tenant,
) -> tuple[Place, Place]:
    return (
        await _place(services, clean_db, http, make_client, shop),
        await _place(services, clean_db, http, make_client, outlet),
    )


def _path(operation: VendorOperation, place: Place) -> str:
    return operation.template.format(
        tenant=place.code, customerNumber=place.customer_number, addressId=place.address_id
    )


def _example(operation: VendorOperation) -> dict[str, Any]:
    """The request as Emporix' document shows it: its JSON body example, and an example
    value for every required query parameter."""
    request: dict[str, Any] = {}
    content = operation.spec.get("requestBody", {}).get("content", {}).get("application/json")
    examples = (content or {}).get("examples", {})
    if examples:
        request["json"] = next(iter(examples.values()))["value"]
    required = [p for p in parameters(operation) if p.get("required") and p["in"] == "query"]
    if required:
        request["params"] = {p["name"]: p["schema"]["example"] for p in required}
    return request


@pytest.mark.parametrize("operation", TENANTED, ids=lambda o: o.operation_id)
async def test_a_token_reaches_its_own_tenant_only(
    http: httpx.AsyncClient,
    clean_db: asyncpg.Pool,
    places: tuple[Place, Place],
    operation: VendorOperation,
) -> None:
    request = _example(operation)
    for token_of in places:
        for path_of in places:
            if token_of is path_of:
                continue
            before = await database_state(clean_db)
            answer = await http.request(
                operation.method,
                _path(operation, path_of),
                headers=bearer(token_of.token),
                **request,
            )
            token = token_of.token
            forged = await http.request(
                operation.method,
                _path(operation, path_of),
                headers=bearer(token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]),
                **request,
            )
            assert answer.status_code == 400, (token_of.code, path_of.code, answer.text)
            assert answer.json() == TENANT_INVALID
            assert forged.status_code == 401, forged.text  # only a genuine token learns it
            assert await database_state(clean_db) == before, (token_of.code, path_of.code)
    for own in places:
        answer = await http.request(
            operation.method, _path(operation, own), headers=bearer(own.token), **request
        )
        assert not answer.content or answer.json() != TENANT_INVALID, (own.code, answer.text)


def test_the_matrix_covers_every_served_tenant_operation() -> None:
    """At least the customer read is served (the skeleton's); the matrix grows as routes
    land, because it is the document's list, filtered by what the app routes."""
    assert "GET-customer-tenant-retrieve-customer" in {o.operation_id for o in TENANTED}
