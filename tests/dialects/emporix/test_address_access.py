"""Who reaches a customer's addresses: the tenant in the path (400), the operation's plain
scopes (403; no `_own` variant is listed), and the restriction a grant is narrowed to
(a customer beyond it is not found, like one that does not exist)."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.core.back_office_callers import principal_of
from tests.dialects.emporix.address_helpers import (
    PLAIN,
    added,
    addresses_of,
    customer,
    headers,
    read,
)
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for

TENANT_INVALID = {
    "type": "bad_request",
    "status": 400,
    "message": "The tenant information provided with the request is not valid.",
}
FORBIDDEN = {"type": "Forbidden", "status": 403, "message": "User not authorized."}
READS = ("GET list", "GET one")


def requests(base: str, address_id: str) -> dict[str, tuple[str, str, Any]]:
    """Every address route, by name: (method, path, body)."""
    one = f"{base}/{address_id}"
    return {
        "GET list": ("GET", base, None),
        "POST": ("POST", base, {**PLAIN, "city": "Elsewhere"}),
        "GET one": ("GET", one, None),
        "PUT": ("PUT", one, {**PLAIN, "city": "Elsewhere"}),
        "PATCH": ("PATCH", one, {"city": "Elsewhere"}),
        "DELETE": ("DELETE", one, None),
        "POST tags": ("POST", one + "/tags?tags=X", None),
        "DELETE tags": ("DELETE", one + "/tags?tags=X", None),
    }


async def rows(pool: asyncpg.Pool) -> list[tuple[Any, ...]]:
    found = await pool.fetch("SELECT customer_id, city, tags, version FROM addresses ORDER BY id")
    return [tuple(row) for row in found]


async def test_a_token_on_another_tenants_path_is_400_and_changes_nothing(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    outlet: Tenant,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> None:
    outlet_number = await customer(services, outlet, "otto@example.com")
    outlet_auth = await headers(http, make_client, outlet)
    address_id = await added(http, outlet_auth, outlet_number, {**PLAIN, "id": "home"}, "outlet")
    before = await rows(clean_db)
    shop_auth = await headers(http, make_client, shop)

    base = addresses_of(outlet_number, "outlet")
    for name, (method, path, body) in requests(base, address_id).items():
        answer = await http.request(method, path, json=body, headers=shop_auth)
        assert (answer.status_code, answer.json()) == (400, TENANT_INVALID), name

    assert await rows(clean_db) == before
    assert (await read(http, outlet_auth, outlet_number, "home", "outlet"))["city"] == "Warsaw"


@pytest.mark.parametrize(
    "scopes",
    [
        ("customer.customer_read_own", "customer.customer_manage_own"),
        ("customer.import_read", "customer.import_manage"),
    ],
)
async def test_own_and_unrelated_scopes_open_no_address_route(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
    scopes: tuple[str, ...],
) -> None:
    number = await customer(services, shop)
    address_id = await added(http, await headers(http, make_client, shop), number, PLAIN)
    before = await rows(clean_db)
    auth = await headers(http, make_client, shop, *scopes)

    for name, (method, path, body) in requests(addresses_of(number), address_id).items():
        answer = await http.request(method, path, json=body, headers=auth)
        assert (answer.status_code, answer.json()) == (403, FORBIDDEN), name

    assert await rows(clean_db) == before


async def test_reading_is_not_managing(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> None:
    number = await customer(services, shop)
    address_id = await added(http, await headers(http, make_client, shop), number, PLAIN)
    before = await rows(clean_db)
    auth = await headers(http, make_client, shop, "customer.customer_read")

    for name, (method, path, body) in requests(addresses_of(number), address_id).items():
        answer = await http.request(method, path, json=body, headers=auth)
        assert answer.status_code == (200 if name in READS else 403), name

    assert await rows(clean_db) == before


async def test_a_restricted_grant_reaches_only_customers_of_its_restriction(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> None:
    open_number = await customer(services, shop, "open@example.com")
    german = await customer(services, shop, "german@example.com")
    await clean_db.execute(
        "UPDATE customers SET restriction = 'DE' WHERE customer_number = $1", german
    )
    everything = await headers(http, make_client, shop)
    open_id = await added(http, everything, open_number, PLAIN)
    german_id = await added(http, everything, german, PLAIN)
    before = await rows(clean_db)
    polish = await headers(
        http, make_client, shop, "customer.customer_read--PL", "customer.customer_manage--PL"
    )
    german_auth = await headers(
        http, make_client, shop, "customer.customer_read--DE", "customer.customer_manage--DE"
    )

    for number, address_id in ((open_number, open_id), (german, german_id)):
        for name, (method, path, body) in requests(addresses_of(number), address_id).items():
            answer = await http.request(method, path, json=body, headers=polish)
            assert answer.status_code == 404, (number, name)
            assert answer.json()["message"] == "Customer not Found"
    assert await rows(clean_db) == before

    seen = await http.get(addresses_of(german), headers=german_auth)
    changed = await http.patch(
        f"{addresses_of(german)}/{german_id}", json={"city": "Munich"}, headers=german_auth
    )
    beyond = await http.get(addresses_of(open_number), headers=german_auth)

    assert [address["id"] for address in seen.json()] == [german_id]
    assert changed.status_code == 200
    assert (await read(http, everything, german, german_id))["city"] == "Munich"
    assert beyond.status_code == 404


async def test_an_own_grant_beside_a_restricted_one_reaches_no_company_customer(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> None:
    number = await customer(services, shop, "colleague@example.com")
    address_id = await added(http, await headers(http, make_client, shop), number, PLAIN)
    admin = principal_of(shop)
    company = await services.core.groups.create(admin, shop, name="ACME")
    member = await services.core.customer_admin.get_by_number(admin, shop, number)
    await services.core.groups.add_customers(admin, shop, company.uuid, [member.uuid])
    client = await make_client(shop, ["customer.customer_read_own", "customer.customer_read--DE"])
    await clean_db.execute(
        "UPDATE api_clients SET company_group_id = $1 WHERE client_id = $2",
        company.id,
        client.client_id,
    )
    auth = bearer(await token_for(http, client))

    profile = await http.get(f"/customer/shop/customers/{number}", headers=auth)
    listed = await http.get(addresses_of(number), headers=auth)
    one = await http.get(f"{addresses_of(number)}/{address_id}", headers=auth)

    assert profile.status_code == 200  # the customer routes list `_own`
    assert (listed.status_code, one.status_code) == (404, 404)
