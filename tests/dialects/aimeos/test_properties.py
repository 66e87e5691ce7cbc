"""`/jsonapi/customer?related=property` (reference 5)."""

from __future__ import annotations

from typing import Any

from patron.core.domain.model import Customer
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser

RELATED = {"related": "property"}


def prop(type_: str, value: str, language: str | None = None) -> dict[str, Any]:
    attributes = {"customer.property.type": type_, "customer.property.value": value}
    if language is not None:
        attributes["customer.property.languageid"] = language
    return {"attributes": attributes}


async def add(shop: AimeosBrowser, *entries: dict[str, Any]) -> Any:
    data: Any = entries[0] if len(entries) == 1 else list(entries)
    return await shop.write("POST", CUSTOMER, {"data": data}, params=RELATED)


async def test_a_visitor_has_none(shop: AimeosBrowser) -> None:
    response = await shop.get(CUSTOMER, params=RELATED)

    assert response.json()["data"] == [] and response.json()["meta"]["total"] == 0


async def test_post_one_and_many(shop: AimeosBrowser, logged_in: Customer) -> None:
    one = await add(shop, prop("testtype", "test", "de_ch"))
    many = await add(shop, prop("testtype", "test2"), prop("testtype", "test3"))

    assert one.status_code == 201 and one.json()["meta"]["total"] == 1
    item = one.json()["data"][0]
    assert item["type"] == "customer.property"
    assert item["attributes"] == {
        "customer.property.id": item["id"],
        "customer.property.languageid": "de_CH",
        "customer.property.value": "test",
        "customer.property.type": "testtype",
    }
    assert many.status_code == 201 and many.json()["meta"]["total"] == 3


async def test_get_one_with_fields(shop: AimeosBrowser, logged_in: Customer) -> None:
    property_id = (await add(shop, prop("limit", "1000"))).json()["data"][0]["id"]

    response = await shop.get(
        CUSTOMER,
        params={
            **RELATED,
            "relatedid": property_id,
            "fields[customer.property]": "customer.property.id,customer.property.value",
        },
    )

    assert response.json()["data"]["attributes"] == {
        "customer.property.id": property_id,
        "customer.property.value": "1000",
    }


async def test_patch_and_unknown_patch(shop: AimeosBrowser, logged_in: Customer) -> None:
    property_id = (await add(shop, prop("limit", "1000"))).json()["data"][0]["id"]

    patched = await shop.write(
        "PATCH",
        CUSTOMER,
        {"data": {"attributes": {"customer.property.value": "test"}}},
        params={**RELATED, "relatedid": property_id},
    )
    unknown = await shop.write(
        "PATCH",
        CUSTOMER,
        {"data": {"attributes": {"customer.property.value": "x"}}},
        params={**RELATED, "relatedid": "999"},
    )

    assert patched.status_code == 200
    assert patched.json()["data"]["attributes"]["customer.property.value"] == "test"
    assert unknown.status_code == 404
    assert "errors" not in unknown.json() and unknown.json()["meta"]["total"] == 0


async def test_a_property_needs_a_type(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await add(shop, {"attributes": {"customer.property.value": "x"}})

    assert response.status_code == 404
    assert response.json()["errors"] == [{"title": 'Value of "customer.property.type" is missing'}]


async def test_delete_by_relatedid_and_by_body(shop: AimeosBrowser, logged_in: Customer) -> None:
    added = (await add(shop, prop("a", "1"), prop("b", "2"))).json()["data"]

    first = await shop.write("DELETE", CUSTOMER, params={**RELATED, "relatedid": added[0]["id"]})
    second = await shop.write("DELETE", CUSTOMER, {"data": {"id": added[1]["id"]}}, params=RELATED)

    assert first.status_code == 200 and second.status_code == 200
    assert (await shop.get(CUSTOMER, params=RELATED)).json()["data"] == []


async def test_a_visitor_cannot_add(shop: AimeosBrowser) -> None:
    response = await add(shop, prop("a", "1"))

    assert response.status_code == 401
