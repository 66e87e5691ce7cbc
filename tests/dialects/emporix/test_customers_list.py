"""Customer lists and searches: `q`, `sort`, paging, `expand` and the count headers
(reference 1.2, 1.3, 2.1)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.customer_calls import create, customers_path, listed, token_of

PEOPLE: list[dict[str, Any]] = [
    {"id": "c1", "contactEmail": "anna@example.com", "firstName": "Anna", "lastName": "Berg"},
    {"id": "c2", "contactEmail": "bert@example.com", "firstName": "Bert", "lastName": "Adams"},
    {"id": "c3", "contactEmail": "cleo@example.com", "firstName": "Anna", "lastName": "Adams",
     "mixins": {"loyalty": {"level": "gold", "points": 30}}},
    {"id": "c4", "contactEmail": "dora@example.com", "firstName": "Dora", "restriction": "DE",
     "mixins": {"loyalty": {"level": "silver", "points": 5}}},
]  # fmt: skip


@pytest.fixture
async def auth(http: httpx.AsyncClient, services: Services, shop: Tenant) -> dict[str, str]:
    headers = await token_of(http, services, shop)
    for person in PEOPLE:
        await create(http, headers, shop, person)
    return headers


async def test_the_list_is_a_bare_array_with_its_counts_in_headers(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str]
) -> None:
    asked = await http.get(
        customers_path(shop), params={"pageSize": "2"}, headers={**auth, "X-Total-Count": "true"}
    )
    unasked = await http.get(customers_path(shop), params={"pageSize": "2"}, headers=auth)

    assert asked.status_code == 200
    assert [c["id"] for c in asked.json()] == ["c1", "c2"]
    assert asked.headers["X-Total-Count"] == "4"
    assert asked.headers["hybris-count"] == "4" and asked.headers["Count"] == "4"
    assert "x-total-count" not in unasked.headers and unasked.headers["Count"] == "4"


async def test_pages_are_numbered_from_one(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str]
) -> None:
    second = await listed(http, auth, shop, pageNumber="2", pageSize="3")
    past = await listed(http, auth, shop, pageNumber="9", pageSize="3")
    everything = await listed(http, auth, shop)

    assert second == ["c4"] and past == [] and everything == ["c1", "c2", "c3", "c4"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("lastName,firstName", ["c3", "c2", "c1", "c4"]),  # no last name: last
        ("firstName:asc,lastName:DESC", ["c1", "c3", "c2", "c4"]),
        ("metadataCreatedAt:DESC", ["c4", "c3", "c2", "c1"]),
        ("id:desc", ["c4", "c3", "c2", "c1"]),
    ],
)
async def test_sort_takes_several_fields_and_any_case_of_direction(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str], sort: str, expected: list[str]
) -> None:
    assert await listed(http, auth, shop, sort=sort) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("firstName:Anna", ["c1", "c3"]),
        ("firstName:Anna lastName:Adams", ["c3"]),
        ("contactEmail:BERT@example.com", ["c2"]),
        ("id:(c1,c4)", ["c1", "c4"]),
        ("firstName:~^[AB]", ["c1", "c2", "c3"]),
        ("lastName:null", ["c4"]),
        ("restriction:DE", ["c4"]),
        ("mixins.loyalty:exists", ["c3", "c4"]),
        ("mixins.loyalty:missing", ["c1", "c2"]),
        ("mixins.loyalty.level:gold", ["c3"]),
        ("mixins.loyalty.points:(>=5 AND <30)", ["c4"]),
        ('metadataCreatedAt:>"2000-01-01T00:00:00Z" active:true', ["c1", "c2", "c3", "c4"]),
    ],
)
async def test_q_filters_in_the_database(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str], q: str, expected: list[str]
) -> None:
    assert await listed(http, auth, shop, q=q) == expected


async def test_search_takes_q_in_the_body_and_the_list_parameters_in_the_query(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str]
) -> None:
    answer = await http.post(
        customers_path(shop, "search"),
        params={"sort": "id:desc", "pageSize": "1"},
        json={"q": "firstName:Anna"},
        headers=auth,
    )

    assert answer.status_code == 200
    assert [c["id"] for c in answer.json()] == ["c3"] and answer.headers["Count"] == "2"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "firstName:(Anna"},
        {"q": "unknown:1"},
        {"q": "active:maybe"},
        {"sort": "password"},
        {"sort": "firstName:sideways"},
        {"pageNumber": "0"},
        {"pageSize": "-1"},
        {"pageSize": "ten"},
        {"expand": "everything"},
    ],
)
async def test_bad_list_parameters_are_validation_failures(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str], params: dict[str, str]
) -> None:
    answer = await http.get(customers_path(shop), params=params, headers=auth)

    assert answer.status_code == 400
    assert answer.json()["type"] == "validation_failure"
    assert answer.json()["status"] == 400


async def test_a_bad_search_body_is_a_validation_failure(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str]
) -> None:
    for body in ({"q": 5}, {"q": "x:"}):
        answer = await http.post(customers_path(shop, "search"), json=body, headers=auth)
        assert answer.status_code == 400 and answer.json()["type"] == "validation_failure"


async def test_deleted_customers_leave_the_list(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str]
) -> None:
    await http.delete(customers_path(shop, "c2"), headers=auth)

    assert await listed(http, auth, shop) == ["c1", "c3", "c4"]


async def test_expand_shows_mixins_and_accounts_on_every_item(
    http: httpx.AsyncClient, shop: Tenant, auth: dict[str, str]
) -> None:
    answer = await http.get(
        customers_path(shop), params={"expand": "accounts,mixin:*", "q": "id:c3"}, headers=auth
    )
    plain = await http.get(customers_path(shop), params={"q": "id:c3"}, headers=auth)

    (item,) = answer.json()
    assert item["mixins"] == {"loyalty": {"level": "gold", "points": 30}}
    assert item["accounts"] == [{"id": "cleo@example.com"}]
    assert "mixins" not in plain.json()[0] and "accounts" not in plain.json()[0]
