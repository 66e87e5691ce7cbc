"""Glue availability notifications: every endpoint, every documented error, pagination."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import asyncpg
import httpx
import pytest

from patron.services import Services
from tests.dialects.glue.helpers import JSON_API, bearer, document, error_codes, signed_up

BASE = "http://testserver/glue"
MINE = "/glue/my-availability-notifications"
ITEM_KEYS = {"localeName", "email", "sku"}


def subscription(sku: str = "SKU-1", email: str = "guest@example.com") -> dict[str, Any]:
    return document("availability-notifications", sku=sku, email=email)


async def register_skus(services: Services, *skus: str, available: bool = False) -> None:
    tenant = await services.core.tenants.get("default")
    for sku in skus:
        await services.core.availability.set_availability(tenant, sku, available=available)


async def subscribe(
    client: httpx.AsyncClient, sku: str, email: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/glue/availability-notifications", json=subscription(sku, email), headers=headers
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def page_link(path: str, offset: int, limit: int, query: str = "") -> str:
    return f"{BASE}{path}?{query}page[offset]={offset}&page[limit]={limit}"


# --- POST /availability-notifications ----------------------------------------------------


async def test_a_guest_subscribes(client: httpx.AsyncClient, services: Services) -> None:
    await register_skus(services, "130_24725761")

    response = await client.post(
        "/glue/availability-notifications", json=subscription("130_24725761", "sonia@acme.com")
    )

    assert response.status_code == 201
    assert response.headers["content-type"] == JSON_API
    data = response.json()["data"]
    key = data["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert response.json() == {
        "data": {
            "type": "availability-notifications",
            "id": key,
            "attributes": {"localeName": "en_US", "email": "sonia@acme.com", "sku": "130_24725761"},
            "links": {"self": f"{BASE}/availability-notifications/{key}"},
        }
    }


async def test_the_locale_comes_from_accept_language(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "SKU-1")

    data = await subscribe(client, "SKU-1", "g@example.com", {"Accept-Language": "de-DE"})

    assert data["attributes"]["localeName"] == "de_DE"
    assert await clean_db.fetchval("SELECT locale FROM availability_subscriptions") == "de_DE"


async def test_a_customers_subscription_is_linked_to_the_account(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "SKU-1", "SKU-2")
    _, tokens = await signed_up(client, clean_db)

    mine = await subscribe(client, "SKU-1", "sonia@spryker.com", bearer(tokens))
    await subscribe(client, "SKU-2", "sonia@spryker.com")  # as a guest: not linked
    listed = await client.get(MINE, headers=bearer(tokens))

    assert [item["id"] for item in listed.json()["data"]] == [mine["id"]]


async def test_an_invalid_token_fails_the_public_subscribe(
    client: httpx.AsyncClient, services: Services
) -> None:
    await register_skus(services, "SKU-1")

    response = await client.post(
        "/glue/availability-notifications",
        json=subscription(),
        headers={"Authorization": "Bearer not-a-token"},
    )

    assert error_codes(response) == [(401, "001")]
    assert response.headers["www-authenticate"] == 'Bearer realm="Access to shop API"'


@pytest.mark.parametrize(
    ("attributes", "details"),
    [
        ({}, ["sku => This field is missing.", "email => This field is missing."]),
        (
            {"sku": "", "email": ""},
            ["sku => This value should not be blank.", "email => This value should not be blank."],
        ),
        ({"sku": "SKU-1", "email": "@"}, ["email => This value is not a valid email address."]),
        ({"sku": "  ", "email": "g@example.com"}, ["sku => This value should not be blank."]),
        ({"sku": 42, "email": "g@example.com"}, ["sku => This value should be of type string."]),
    ],
)
async def test_invalid_attributes_get_901(
    client: httpx.AsyncClient, attributes: dict[str, Any], details: list[str]
) -> None:
    response = await client.post(
        "/glue/availability-notifications",
        json=document("availability-notifications", **attributes),
    )

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"status": 422, "code": "901", "detail": detail} for detail in details]
    }


async def test_the_wrong_resource_type_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/glue/availability-notifications", json=document("customers", sku="x", email="a@b.cd")
    )

    assert response.json() == {"errors": [{"status": 400, "detail": "Invalid type."}]}


async def test_an_unknown_sku_gets_4601(client: httpx.AsyncClient, services: Services) -> None:
    await register_skus(services, "SKU-1")

    response = await client.post("/glue/availability-notifications", json=subscription("SKU-X"))

    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"status": 404, "code": "4601", "detail": "Product not found."}]
    }


async def test_a_second_subscription_whatever_the_case_gets_4602(
    client: httpx.AsyncClient, services: Services
) -> None:
    await register_skus(services, "SKU-1")
    await subscribe(client, "SKU-1", "guest@example.com")

    response = await client.post(
        "/glue/availability-notifications", json=subscription("SKU-1", "GUEST@example.COM")
    )

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"status": 422, "code": "4602", "detail": "Subscription already exists."}]
    }


async def test_racing_identical_subscriptions_give_one_201_and_4602s(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "SKU-1")

    responses = await asyncio.gather(
        *(
            client.post("/glue/availability-notifications", json=subscription("SKU-1"))
            for _ in range(6)
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422, 422, 422, 422, 422]
    assert all(error_codes(r) == [(422, "4602")] for r in responses if r.status_code == 422)
    assert await clean_db.fetchval("SELECT count(*) FROM availability_subscriptions") == 1


async def test_an_overlong_address_gets_901(client: httpx.AsyncClient, services: Services) -> None:
    await register_skus(services, "SKU-1")
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"

    response = await client.post(
        "/glue/availability-notifications", json=subscription("SKU-1", too_long)
    )

    assert response.json() == {
        "errors": [
            {
                "status": 422,
                "code": "901",
                "detail": "email => This value is not a valid email address.",
            }
        ]
    }


async def test_subscribing_to_an_available_sku_is_accepted(
    client: httpx.AsyncClient, services: Services
) -> None:
    await register_skus(services, "SKU-1", available=True)

    data = await subscribe(client, "SKU-1", "g@example.com")

    assert data["attributes"]["sku"] == "SKU-1"


# --- DELETE /availability-notifications/{key} --------------------------------------------


async def test_anyone_with_the_key_unsubscribes(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "SKU-1")
    _, tokens = await signed_up(client, clean_db)
    key = (await subscribe(client, "SKU-1", "sonia@spryker.com", bearer(tokens)))["id"]

    deleted = await client.delete(f"/glue/availability-notifications/{key}")  # no token needed
    again = await client.delete(f"/glue/availability-notifications/{key}")

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert again.status_code == 404
    assert again.json() == {
        "errors": [{"status": 404, "code": "4603", "detail": "Subscription doesn't exist."}]
    }
    assert (await client.get(MINE, headers=bearer(tokens))).json()["data"] == []


async def test_an_unknown_key_gets_4603(client: httpx.AsyncClient) -> None:
    response = await client.delete("/glue/availability-notifications/" + "0" * 32)

    assert error_codes(response) == [(404, "4603")]


async def test_delete_without_a_key_names_the_missing_id(client: httpx.AsyncClient) -> None:
    response = await client.delete("/glue/availability-notifications")
    with_bad_token = await client.delete(
        "/glue/availability-notifications", headers={"Authorization": "Bearer x"}
    )

    assert response.json() == {
        "errors": [{"status": 400, "detail": "Resource id is not specified."}]
    }
    assert error_codes(with_bad_token) == [(401, "001")]


async def test_unsupported_methods_are_not_found(client: httpx.AsyncClient) -> None:
    listed = await client.get("/glue/availability-notifications")
    read = await client.get("/glue/availability-notifications/" + "0" * 32)

    assert listed.json() == read.json() == {"errors": [{"status": 404, "detail": "Not Found"}]}


# --- GET /my-availability-notifications ---------------------------------------------------


async def test_my_subscriptions_need_a_token(client: httpx.AsyncClient) -> None:
    missing = await client.get(MINE)
    invalid = await client.get(MINE, headers={"Authorization": "Bearer nope"})

    assert missing.status_code == 403
    assert missing.json() == {
        "errors": [{"status": 403, "code": "002", "detail": "Missing access token."}]
    }
    assert error_codes(invalid) == [(401, "001")]


async def test_my_subscriptions_are_mine_only_oldest_first(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "A", "B", "C")
    _, sonia = await signed_up(client, clean_db, "sonia@spryker.com")
    _, other = await signed_up(client, clean_db, "other@spryker.com")
    keys = [
        (await subscribe(client, sku, "sonia@spryker.com", bearer(sonia)))["id"]
        for sku in ("C", "A")
    ]
    await subscribe(client, "B", "other@spryker.com", bearer(other))
    await subscribe(client, "B", "guest@spryker.com")

    response = await client.get(MINE, headers=bearer(sonia))

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == keys
    assert [item["attributes"]["sku"] for item in body["data"]] == ["C", "A"]
    assert all(item["type"] == "availability-notifications" for item in body["data"])
    assert all(set(item["attributes"]) == ITEM_KEYS for item in body["data"])
    assert body["data"][0]["links"] == {"self": f"{BASE}/availability-notifications/{keys[0]}"}
    assert body["links"] == {"self": f"{BASE}/my-availability-notifications"}


async def test_no_subscriptions_is_an_empty_collection(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, tokens = await signed_up(client, clean_db)

    plain = await client.get(MINE, headers=bearer(tokens))
    paged = await client.get(f"{MINE}?page[offset]=0&page[limit]=2", headers=bearer(tokens))

    assert plain.json() == {"data": [], "links": {"self": f"{BASE}/my-availability-notifications"}}
    assert paged.json() == {
        "data": [],
        "links": {"self": f"{BASE}/my-availability-notifications?page[offset]=0&page[limit]=2"},
    }


@pytest.fixture
async def five(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> tuple[dict[str, str], list[str]]:
    """A customer with five subscriptions: (auth header, keys oldest first)."""
    skus = [f"SKU-{n}" for n in range(5)]
    await register_skus(services, *skus)
    _, tokens = await signed_up(client, clean_db)
    keys = [(await subscribe(client, s, "sonia@spryker.com", bearer(tokens)))["id"] for s in skus]
    return bearer(tokens), keys


async def test_the_reference_pagination_example(
    client: httpx.AsyncClient, five: tuple[dict[str, str], list[str]]
) -> None:
    auth, keys = five
    path = "/my-availability-notifications"

    response = await client.get(f"{MINE}?page[offset]=2&page[limit]=2", headers=auth)

    body = response.json()
    assert [item["id"] for item in body["data"]] == keys[2:4]
    assert body["links"] == {
        "self": f"{BASE}{path}?page[offset]=2&page[limit]=2",
        "last": page_link(path, 4, 2),
        "first": page_link(path, 0, 2),
        "prev": page_link(path, 0, 2),
        "next": page_link(path, 4, 2),
    }


@pytest.mark.parametrize(
    ("offset", "limit", "items", "expected"),
    [
        (0, 2, [0, 1], {"last": 4, "first": 0, "next": 2}),
        (4, 2, [4], {"last": 4, "first": 0, "prev": 2}),
        (1, 3, [1, 2, 3], {"last": 3, "first": 0, "prev": 0, "next": 4}),
        (0, 5, [0, 1, 2, 3, 4], {"last": 0, "first": 0}),
        (8, 2, [], {"last": 4, "first": 0, "prev": 6}),
    ],
)
async def test_pagination_links_for_several_offsets(
    client: httpx.AsyncClient,
    five: tuple[dict[str, str], list[str]],
    offset: int,
    limit: int,
    items: list[int],
    expected: dict[str, int],
) -> None:
    auth, keys = five
    path = "/my-availability-notifications"

    response = await client.get(MINE, params={"page[offset]": offset, "page[limit]": limit},
                                headers=auth)  # fmt: skip

    body = response.json()
    assert [item["id"] for item in body["data"]] == [keys[n] for n in items]
    links = dict(body["links"])
    assert links.pop("self").startswith(f"{BASE}{path}?")
    assert links == {name: page_link(path, value, limit) for name, value in expected.items()}


async def test_other_query_parameters_stay_in_the_page_links(
    client: httpx.AsyncClient, five: tuple[dict[str, str], list[str]]
) -> None:
    auth, _ = five
    query = "fields[availability-notifications]=sku&page[offset]=0&page[limit]=2"

    response = await client.get(f"{MINE}?{query}", headers=auth)

    body = response.json()
    assert all(set(item["attributes"]) == {"sku"} for item in body["data"])
    assert body["links"]["next"] == page_link(
        "/my-availability-notifications", 2, 2, "fields[availability-notifications]=sku&"
    )


async def test_a_limit_above_500_is_served_as_500(
    client: httpx.AsyncClient, five: tuple[dict[str, str], list[str]]
) -> None:
    auth, _ = five

    response = await client.get(f"{MINE}?page[offset]=0&page[limit]=1000", headers=auth)

    assert len(response.json()["data"]) == 5
    assert response.json()["links"]["first"].endswith("page[offset]=0&page[limit]=500")


@pytest.mark.parametrize(
    "query",
    [
        "page[offset]=a&page[limit]=2",
        "page[offset]=0&page[limit]=x",
        "page[offset]=-1&page[limit]=2",
        "page[offset]=0&page[limit]=0",
        "page[offset]=0&page[limit]=-3",
        "page[offset]=2",
    ],
)
async def test_invalid_page_parameters_get_400(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, query: str
) -> None:
    _, tokens = await signed_up(client, clean_db)

    response = await client.get(f"{MINE}?{query}", headers=bearer(tokens))
    anonymous = await client.get(f"{MINE}?{query}")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"status": 400, "detail": "Pagination parameters are invalid."}]
    }
    assert anonymous.status_code == 400  # checked before the token, as Glue does


async def test_an_anonymized_customers_token_no_longer_lists(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "SKU-1")
    reference, tokens = await signed_up(client, clean_db)
    await subscribe(client, "SKU-1", "sonia@spryker.com", bearer(tokens))

    deleted = await client.delete(f"/glue/customers/{reference}", headers=bearer(tokens))
    response = await client.get(MINE, headers=bearer(tokens))

    assert deleted.status_code == 204
    assert error_codes(response) == [(401, "001")]
    assert await clean_db.fetchval("SELECT count(*) FROM availability_subscriptions") == 0


# --- GET /customers/{ref}/availability-notifications ----------------------------------


async def test_a_customers_subscriptions_by_reference(
    client: httpx.AsyncClient, five: tuple[dict[str, str], list[str]]
) -> None:
    auth, keys = five
    path = "/customers/DE--1/availability-notifications"

    plain = await client.get(f"/glue{path}", headers=auth)
    paged = await client.get(f"/glue{path}?page[offset]=4&page[limit]=2", headers=auth)

    assert [item["id"] for item in plain.json()["data"]] == keys
    assert plain.json()["links"] == {"self": f"{BASE}{path}"}
    assert [item["id"] for item in paged.json()["data"]] == keys[4:]
    assert paged.json()["links"]["prev"] == page_link(path, 2, 2)


async def test_another_customers_subscriptions_get_4606(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db, "owner@spryker.com")
    _, intruder = await signed_up(client, clean_db, "intruder@spryker.com")

    foreign = await client.get(
        "/glue/customers/DE--1/availability-notifications", headers=bearer(intruder)
    )
    missing = await client.get("/glue/customers/DE--1/availability-notifications")

    assert foreign.status_code == 403
    assert foreign.json() == {
        "errors": [{"status": 403, "code": "4606", "detail": "Unauthorized request."}]
    }
    assert error_codes(missing) == [(403, "002")]


# --- the register and the notification --------------------------------------------------


async def test_back_in_stock_mails_each_subscriber_and_closes_the_subscription(
    client: httpx.AsyncClient, services: Services, clean_db: asyncpg.Pool
) -> None:
    await register_skus(services, "SKU-1", "SKU-2")
    _, tokens = await signed_up(client, clean_db)
    customer_key = (await subscribe(client, "SKU-1", "sonia@spryker.com", bearer(tokens)))["id"]
    await subscribe(client, "SKU-1", "guest@example.com")
    kept = (await subscribe(client, "SKU-2", "sonia@spryker.com", bearer(tokens)))["id"]
    tenant = await services.core.tenants.get("default")

    notified = await services.core.availability.set_availability(
        tenant, "SKU-1", available=True, name="Desk lamp"
    )

    assert notified == 2
    mails = await clean_db.fetch(
        "SELECT recipient, template, body FROM outbox "
        "WHERE template = 'availability_notification' ORDER BY id"
    )
    assert [(m["recipient"], m["template"]) for m in mails] == [
        ("sonia@spryker.com", "availability_notification"),
        ("guest@example.com", "availability_notification"),
    ]
    assert all("Desk lamp" in m["body"] for m in mails)
    listed = await client.get(MINE, headers=bearer(tokens))
    assert [item["id"] for item in listed.json()["data"]] == [kept]
    gone = await client.delete(f"/glue/availability-notifications/{customer_key}")
    assert error_codes(gone) == [(404, "4603")]


async def test_the_routes_are_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/glue/openapi.json")).json()["paths"]

    assert "requestBody" in paths["/availability-notifications"]["post"]
    assert "delete" in paths["/availability-notifications/{subscription_key}"]
    assert "get" in paths["/my-availability-notifications"]
    assert "get" in paths["/customers/{customer_reference}/availability-notifications"]
