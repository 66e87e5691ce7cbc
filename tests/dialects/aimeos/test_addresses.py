"""`/jsonapi/customer?related=address` (reference 4)."""

from __future__ import annotations

from typing import Any

import asyncpg

from patron.core.domain.model import Customer
from patron.services import Services
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser, NewShop, existing_customer

RELATED = {"related": "address"}


def address(**values: str) -> dict[str, Any]:
    return {"attributes": {f"customer.address.{k}": v for k, v in values.items()}}


async def add(shop: AimeosBrowser, *entries: dict[str, Any]) -> Any:
    data: Any = entries[0] if len(entries) == 1 else list(entries)
    return await shop.write("POST", CUSTOMER, {"data": data}, params=RELATED)


async def test_a_visitor_has_no_addresses(shop: AimeosBrowser) -> None:
    response = await shop.get(CUSTOMER, params=RELATED)

    assert response.status_code == 200
    assert response.json()["data"] == []
    assert response.json()["meta"]["total"] == 0


async def test_post_one_answers_every_address(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await add(shop, address(firstname="test", city="Berlin", countryid="de"))

    assert response.status_code == 201
    body = response.json()
    assert body["meta"]["total"] == 1
    item = body["data"][0]
    assert item["type"] == "customer.address"
    assert item["attributes"]["customer.address.firstname"] == "test"
    assert item["attributes"]["customer.address.countryid"] == "DE"
    assert len(item["attributes"]) == 25
    assert item["links"]["self"] == {
        "href": f"http://testserver/jsonapi/customer?id={logged_in.id}&related=address"
        f"&relatedid={item['id']}",
        "allow": ["DELETE", "GET", "PATCH"],
    }
    assert item["links"]["basket.address"]["allow"] == ["POST"]


async def test_post_many_adds_them_all(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await add(shop, address(firstname="one"), address(firstname="two"))

    assert response.status_code == 201
    names = [i["attributes"]["customer.address.firstname"] for i in response.json()["data"]]
    assert names == ["one", "two"]
    assert response.json()["data"][1]["id"] is not None


async def test_a_bad_entry_adds_none(
    shop: AimeosBrowser, logged_in: Customer, clean_db: asyncpg.Pool
) -> None:
    response = await add(shop, address(firstname="one"), address(email="nope"))

    assert response.status_code == 404
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0


async def test_get_one_with_fields(shop: AimeosBrowser, logged_in: Customer) -> None:
    added = await add(shop, address(firstname="test"))
    address_id = added.json()["data"][0]["id"]

    response = await shop.get(
        CUSTOMER,
        params={
            **RELATED,
            "relatedid": address_id,
            "fields[customer.address]": "customer.address.id,customer.address.firstname",
        },
    )

    body = response.json()
    assert body["meta"]["total"] == 1
    assert body["data"]["attributes"] == {
        "customer.address.id": address_id,
        "customer.address.firstname": "test",
    }


async def test_patch_changes_one(shop: AimeosBrowser, logged_in: Customer) -> None:
    address_id = (await add(shop, address(firstname="a", lastname="b"))).json()["data"][0]["id"]

    response = await shop.write(
        "PATCH",
        CUSTOMER,
        {"data": {"attributes": {"customer.address.lastname": "test"}}},
        params={**RELATED, "relatedid": address_id},
    )

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["customer.address.lastname"] == "test"
    assert attributes["customer.address.firstname"] == "a"


async def test_patch_of_an_unknown_id_is_an_empty_404(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    response = await shop.write(
        "PATCH",
        CUSTOMER,
        {"data": {"attributes": {"customer.address.lastname": "x"}}},
        params={**RELATED, "relatedid": "999"},
    )

    assert response.status_code == 404
    body = response.json()
    assert body["meta"]["total"] == 0
    assert "data" not in body and "errors" not in body


async def test_another_customers_address_cannot_be_touched(
    shop: AimeosBrowser, new_shop: NewShop, services: Services, logged_in: Customer
) -> None:
    await existing_customer(services, "other@example.com")
    other = await new_shop("198.51.100.30")
    await other.login("other@example.com")
    theirs = (await add(other, address(city="Theirs"))).json()["data"][0]["id"]
    target = {**RELATED, "relatedid": theirs}

    read = await shop.get(CUSTOMER, params=target)
    patched = await shop.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.address.city": "Mine"}}}, target
    )
    deleted = await shop.write("DELETE", CUSTOMER, params=target)

    assert read.json()["meta"]["total"] == 0 and "data" not in read.json()
    assert patched.status_code == 404
    assert deleted.status_code == 200
    kept = (await other.get(CUSTOMER, params=RELATED)).json()["data"]
    assert [a["attributes"]["customer.address.city"] for a in kept] == ["Theirs"]


async def test_delete_by_relatedid_and_by_body(shop: AimeosBrowser, logged_in: Customer) -> None:
    added = (await add(shop, address(city="a"), address(city="b"), address(city="c"))).json()
    ids = [item["id"] for item in added["data"]]

    by_id = await shop.write("DELETE", CUSTOMER, params={**RELATED, "relatedid": ids[0]})
    by_body = await shop.write(
        "DELETE",
        CUSTOMER,
        {"data": [{"type": "customer.address", "id": ids[1]}, {"id": "12345"}]},
        params=RELATED,
    )

    assert by_id.status_code == 200 and by_id.json()["meta"]["total"] == 0
    assert by_body.status_code == 200
    left = (await shop.get(CUSTOMER, params=RELATED)).json()["data"]
    assert [a["id"] for a in left] == [ids[2]]


async def test_delete_without_ids_in_the_body_is_400(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    response = await shop.write("DELETE", CUSTOMER, {"data": [{"type": "x"}]}, params=RELATED)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"title": "ID is missing"}]


async def test_a_visitor_cannot_add_but_may_delete(shop: AimeosBrowser) -> None:
    added = await add(shop, address(city="x"))
    deleted = await shop.write("DELETE", CUSTOMER, params={**RELATED, "relatedid": "1"})

    assert added.status_code == 401
    assert added.json()["errors"] == [{"title": "Authentication required"}]
    assert deleted.status_code == 200


async def test_an_entry_without_attributes_is_400(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await shop.write("POST", CUSTOMER, {"data": [{"type": "x"}]}, params=RELATED)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"title": "Attributes are missing"}]


async def test_a_visitor_asking_for_one_gets_no_item(shop: AimeosBrowser) -> None:
    response = await shop.get(CUSTOMER, params={**RELATED, "relatedid": "1"})

    assert response.status_code == 200
    assert "data" not in response.json() and response.json()["meta"]["total"] == 0
