"""Who reaches which customer: restriction grants (`--DE`), `_own` grants (the caller's
company), and tenants (a token of one tenant on another's paths) (reference 5). A narrowed
caller upserting a customer number that exists beyond its reach gets the documented 403:
nothing written, and no customer created in its place."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from patron.core.domain.model import CustomerGroup
from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.core.back_office_callers import principal_of
from tests.dialects.emporix.customer_calls import create, customers_path, fetch, listed, token_of

NOT_FOUND_TYPE = "application/json"
FORBIDDEN = {"type": "Forbidden", "status": 403, "message": "User not authorized."}


@pytest.fixture
async def full(http: httpx.AsyncClient, services: Services, shop: Tenant) -> dict[str, str]:
    """An unrestricted caller, and three customers: DE, PL and unrestricted."""
    auth = await token_of(http, services, shop)
    for number, restriction in (("de", "DE"), ("pl", "PL"), ("none", None)):
        body: dict[str, Any] = {"id": number, "contactEmail": f"{number}@example.com"}
        if restriction is not None:
            body["restriction"] = restriction
        await create(http, auth, shop, body)
    return auth


async def test_a_restricted_caller_sees_only_its_restriction(
    http: httpx.AsyncClient, services: Services, shop: Tenant, full: dict[str, str]
) -> None:
    de = await token_of(
        http, services, shop, ["customer.customer_read--DE", "customer.customer_manage--DE"]
    )

    answer = await http.get(customers_path(shop), headers=de)
    pl = await http.get(customers_path(shop, "pl"), headers=de)
    unrestricted = await http.get(customers_path(shop, "none"), headers=de)

    assert [c["id"] for c in answer.json()] == ["de"] and answer.headers["Count"] == "1"
    assert pl.status_code == 404 and pl.json()["type"] == NOT_FOUND_TYPE
    assert unrestricted.status_code == 404
    assert await listed(http, full, shop) == ["de", "pl", "none"]


async def test_a_restricted_caller_writes_only_inside_its_restriction(
    http: httpx.AsyncClient, services: Services, shop: Tenant, full: dict[str, str]
) -> None:
    de = await token_of(
        http, services, shop, ["customer.customer_read--DE", "customer.customer_manage--DE"]
    )

    inside = await http.post(
        customers_path(shop), json={"contactEmail": "in@example.com", "restriction": "DE"},
        headers=de,
    )  # fmt: skip
    outside = await http.post(
        customers_path(shop), json={"contactEmail": "out@example.com", "restriction": "PL"},
        headers=de,
    )  # fmt: skip
    unrestricted = await http.post(
        customers_path(shop), json={"contactEmail": "un@example.com"}, headers=de
    )
    moved_out = await http.patch(customers_path(shop, "de"), json={"restriction": "PL"}, headers=de)
    other = await http.patch(customers_path(shop, "pl"), json={"firstName": "X"}, headers=de)
    deleted = await http.delete(customers_path(shop, "pl"), headers=de)

    assert inside.status_code == 201
    assert outside.status_code == 403 and outside.json() == FORBIDDEN
    assert unrestricted.status_code == 403
    assert moved_out.status_code == 403
    assert other.status_code == 404 and deleted.status_code == 404
    assert (await fetch(http, full, shop, "de"))["restriction"] == "DE"
    assert "firstName" not in await fetch(http, full, shop, "pl")
    assert await listed(http, full, shop) == ["de", "pl", "none", "1"]


async def test_a_caller_that_reads_all_but_manages_one_restriction_is_refused_elsewhere(
    http: httpx.AsyncClient, services: Services, shop: Tenant, full: dict[str, str]
) -> None:
    mixed = await token_of(
        http, services, shop, ["customer.customer_read", "customer.customer_manage--DE"]
    )

    refused = await http.patch(customers_path(shop, "pl"), json={"firstName": "X"}, headers=mixed)
    allowed = await http.patch(customers_path(shop, "de"), json={"firstName": "X"}, headers=mixed)

    assert refused.status_code == 403 and refused.json() == FORBIDDEN
    assert allowed.status_code == 200


async def test_read_scope_alone_cannot_write(
    http: httpx.AsyncClient, services: Services, shop: Tenant, full: dict[str, str]
) -> None:
    reader = await token_of(http, services, shop, ["customer.customer_read"])
    writer = await token_of(http, services, shop, ["customer.customer_manage"])

    for answer in (
        await http.post(
            customers_path(shop), json={"contactEmail": "r@example.com"}, headers=reader
        ),
        await http.patch(customers_path(shop, "de"), json={}, headers=reader),
        await http.put(customers_path(shop, "de"), json={}, headers=reader),
        await http.delete(customers_path(shop, "de"), headers=reader),
        await http.get(customers_path(shop), headers=writer),
        await http.get(customers_path(shop, "de"), headers=writer),
        await http.post(customers_path(shop, "search"), json={}, headers=writer),
    ):
        assert answer.status_code == 403, answer.request.url
        assert answer.json() == FORBIDDEN


@pytest.fixture
async def acme(services: Services, shop: Tenant) -> CustomerGroup:
    return await services.core.groups.create(principal_of(shop), shop, name="ACME")


async def test_own_scopes_reach_the_callers_company_and_new_customers_join_it(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    full: dict[str, str],
    acme: CustomerGroup,
) -> None:
    found = await services.core.managed_customers.get(
        principal_of(shop), shop, "de", addresses=False
    )
    await services.core.groups.add_customers(
        principal_of(shop), shop, acme.uuid, [found.customer.uuid]
    )
    own = await token_of(
        http, services, shop,
        ["customer.customer_read_own", "customer.customer_manage_own"], company=acme.uuid,
    )  # fmt: skip

    created = await create(http, own, shop, {"contactEmail": "colleague@example.com"})
    seen = await listed(http, own, shop)
    stranger = await http.get(customers_path(shop, "pl"), headers=own)
    stranger_patch = await http.patch(customers_path(shop, "pl"), json={}, headers=own)
    colleague = await fetch(http, own, shop, created)

    assert seen == ["de", created]
    assert stranger.status_code == 404 and stranger_patch.status_code == 404
    assert colleague["businessModel"] == "B2B"
    assert colleague["b2b"] == {"legalEntities": [{"id": str(acme.uuid), "name": "ACME"}]}
    assert (await fetch(http, full, shop, "pl"))["businessModel"] == "B2C"
    page = (await http.get(customers_path(shop), headers=own)).json()
    assert [customer["b2b"] for customer in page] == [colleague["b2b"]] * 2  # lists read them too


async def test_own_scopes_without_a_company_reach_nobody(
    http: httpx.AsyncClient, services: Services, shop: Tenant, full: dict[str, str]
) -> None:
    own = await token_of(
        http, services, shop, ["customer.customer_read_own", "customer.customer_manage_own"]
    )

    assert await listed(http, own, shop) == []
    answer = await http.post(
        customers_path(shop), json={"contactEmail": "n@example.com"}, headers=own
    )
    assert answer.status_code == 403


TENANT_INVALID = {
    "type": "bad_request",
    "status": 400,
    "message": "The tenant information provided with the request is not valid.",
}


async def test_a_token_of_one_tenant_reaches_nothing_of_another(
    http: httpx.AsyncClient, services: Services, shop: Tenant, outlet: Tenant
) -> None:
    shop_token = await token_of(http, services, shop)
    outlet_token = await token_of(http, services, outlet)
    number = await create(http, outlet_token, outlet, {"contactEmail": "o@example.com"})
    before = await fetch(http, outlet_token, outlet, number)
    one = customers_path(outlet, number)

    answers = [
        await http.get(customers_path(outlet), headers=shop_token),
        await http.post(customers_path(outlet, "search"), json={"q": ""}, headers=shop_token),
        await http.post(customers_path(outlet), json={"contactEmail": "x@example.com"},
                        headers=shop_token),
        await http.get(one, headers=shop_token),
        await http.put(one, json={"firstName": "Hacked"}, headers=shop_token),
        await http.put(customers_path(outlet, "new"), json={"contactEmail": "n@example.com"},
                       headers=shop_token),
        await http.patch(one, json={"firstName": "Hacked"}, headers=shop_token),
        await http.delete(one, headers=shop_token),
    ]  # fmt: skip

    for answer in answers:
        assert answer.status_code == 400, answer.request.url
        assert answer.json() == TENANT_INVALID
    assert await fetch(http, outlet_token, outlet, number) == before
    assert await listed(http, outlet_token, outlet) == [number]
    assert await listed(http, shop_token, shop) == []


@pytest.mark.parametrize(
    "scopes",
    [
        ["customer.customer_read--DE", "customer.customer_manage--DE"],
        ["customer.customer_manage--DE"],
        ["customer.customer_read_own", "customer.customer_manage_own"],
    ],
)
@pytest.mark.parametrize("media_type", ["application/json", "application/merge-patch+json"])
async def test_an_upsert_of_a_customer_beyond_reach_is_forbidden_and_writes_nothing(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    scopes: list[str],
    media_type: str,
) -> None:
    full = await token_of(http, services, shop)
    await create(http, full, shop, {"id": "pl1", "contactEmail": "pl1@example.com",
                                    "restriction": "PL", "firstName": "Ola"})  # fmt: skip
    narrowed = await token_of(http, services, shop, scopes)

    answer = await http.put(
        customers_path(shop, "pl1"),
        content=b'{"contactEmail": "pl1@example.com", "firstName": "Mallory", "restriction": "DE"}',
        headers={**narrowed, "content-type": media_type},
    )

    assert answer.status_code == 403 and answer.json() == FORBIDDEN
    stored = await fetch(http, full, shop, "pl1")
    assert stored["firstName"] == "Ola" and stored["restriction"] == "PL"
    assert stored["metadata"]["version"] == 1
