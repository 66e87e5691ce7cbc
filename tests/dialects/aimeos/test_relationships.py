"""`/jsonapi/customer?related=relationships` (reference 6)."""

from __future__ import annotations

from typing import Any

from patron.core.domain.model import Customer
from patron.services import Services
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser

RELATED = {"related": "relationships", "include": "product"}


def favourite(refid: str, **more: Any) -> dict[str, Any]:
    attributes = {
        "customer.lists.domain": "product",
        "customer.lists.type": "favorite",
        "customer.lists.refid": refid,
        **more,
    }
    return {"attributes": attributes}


async def add(shop: AimeosBrowser, *entries: dict[str, Any]) -> Any:
    data: Any = entries[0] if len(entries) == 1 else list(entries)
    return await shop.write("POST", CUSTOMER, {"data": data}, params=RELATED)


async def test_post_one_and_many(shop: AimeosBrowser, logged_in: Customer) -> None:
    one = await add(shop, favourite("-1"))
    many = await add(shop, favourite("-2"), favourite("-3"))

    assert one.status_code == 201 and one.json()["meta"]["total"] == 1
    item = one.json()["data"][0]
    assert item["type"] == "customer.lists"
    attributes = item["attributes"]
    assert attributes["customer.lists.refid"] == "-1"
    assert attributes["customer.lists.config"] == []
    assert attributes["customer.lists.status"] == 1
    assert len(attributes) == 9
    assert item["links"]["self"]["href"] == (
        f"http://testserver/jsonapi/customer?id={logged_in.id}&related=relationships"
        f"&relatedid={item['id']}&include=product"
    )
    assert many.json()["meta"]["total"] == 3


async def test_nothing_shows_without_include(shop: AimeosBrowser, logged_in: Customer) -> None:
    await add(shop, favourite("1"))

    response = await shop.get(CUSTOMER, params={"related": "relationships"})

    assert response.json()["data"] == [] and response.json()["meta"]["total"] == 0


async def test_get_one_with_fields(shop: AimeosBrowser, logged_in: Customer) -> None:
    item_id = (await add(shop, favourite("7"))).json()["data"][0]["id"]

    response = await shop.get(
        CUSTOMER,
        params={
            **RELATED,
            "relatedid": item_id,
            "fields[customer.lists]": "customer.lists.id,customer.lists.refid",
        },
    )

    assert response.json()["data"]["attributes"] == {
        "customer.lists.id": item_id,
        "customer.lists.refid": "7",
    }
    assert response.json()["links"]["related"] == (
        "http://testserver/jsonapi/customer?related=relationships&include=product"
        "&fields%5Bcustomer.lists%5D=customer.lists.id%2Ccustomer.lists.refid"
    )


async def test_patch_config_and_dates(shop: AimeosBrowser, logged_in: Customer) -> None:
    item_id = (await add(shop, favourite("7"))).json()["data"][0]["id"]

    response = await shop.write(
        "PATCH",
        CUSTOMER,
        {
            "data": {
                "attributes": {
                    "customer.lists.config": {"key": "value"},
                    "customer.lists.datestart": "2020-01-01T10:00",
                }
            }
        },
        params={**RELATED, "relatedid": item_id},
    )

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["customer.lists.config"] == {"key": "value"}
    assert attributes["customer.lists.datestart"] == "2020-01-01 10:00:00"


async def test_a_bad_date_is_404(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await add(shop, favourite("7", **{"customer.lists.dateend": "tomorrow"}))

    assert response.status_code == 404
    assert response.json()["errors"] == [{"title": 'Invalid date/time "tomorrow"'}]


async def test_unknown_patch_is_an_empty_404(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await shop.write(
        "PATCH",
        CUSTOMER,
        {"data": {"attributes": {"customer.lists.position": 2}}},
        params={**RELATED, "relatedid": "999"},
    )

    assert response.status_code == 404
    assert "errors" not in response.json()


async def test_groups_cannot_be_managed(
    shop: AimeosBrowser, logged_in: Customer, services: Services
) -> None:
    added = await add(
        shop,
        {"attributes": {"customer.lists.domain": "group", "customer.lists.refid": "1"}},
    )

    assert added.status_code == 403
    assert added.json()["errors"] == [{"title": "You are not allowed to manage groups"}]


async def test_delete_by_relatedid_and_by_body(shop: AimeosBrowser, logged_in: Customer) -> None:
    items = (await add(shop, favourite("1"), favourite("2"))).json()["data"]

    first = await shop.write("DELETE", CUSTOMER, params={**RELATED, "relatedid": items[0]["id"]})
    second = await shop.write(
        "DELETE", CUSTOMER, {"data": [{"id": items[1]["id"]}, {"id": "999"}]}, params=RELATED
    )

    assert first.status_code == 200 and second.status_code == 200
    assert second.json()["meta"]["total"] == 0
    assert (await shop.get(CUSTOMER, params=RELATED)).json()["data"] == []


async def test_a_visitor_cannot_add(shop: AimeosBrowser) -> None:
    assert (await add(shop, favourite("1"))).status_code == 401
