"""Aimeos' own test suite (ai-client-jsonapi `tests/`, reference section 7) ported to HTTP:
each test here is one of theirs, named after it, with its asserts, against Patron.

Their fixture user `test@example.com` (1 address, 1 property, 2 product list items: a
favourite and a watched product) is built through the API and logged in. Tests that only
check how a mocked exception maps to a status are not ported (reference 7); the statuses
Patron's own errors get are tested where Patron raises them. Their POST tests run on a
controller holding a new customer, so the ones here run for a fresh account.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.aimeos.black_box import (
    ADDRESSES,
    FIXTURE_EMAIL,
    PROPERTIES,
    RELATIONSHIPS,
    FixtureUser,
    attributes,
    body,
    fixture_user,
    signed_in,
    titles,
)
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser, NewShop

RESOURCES = {
    "customer": {},
    "customer/address": ADDRESSES,
    "customer/property": PROPERTIES,
    "customer/relationships": RELATIONSHIPS,
}
NOT_ALLOWED = ["Not allowed for this resource"]


@pytest.fixture
async def user(shop: AimeosBrowser) -> FixtureUser:
    return await fixture_user(shop)


def data_answer(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """Every data answer: its status, exactly one `Allow` and one `Content-Type`, no errors."""
    assert response.status_code == status, response.text
    assert len(response.headers.get_list("allow")) == 1, response.headers
    assert len(response.headers.get_list("content-type")) == 1, response.headers
    document = body(response)
    assert "errors" not in document, document
    return document


async def get(shop: AimeosBrowser, **params: str) -> dict[str, Any]:
    return data_answer(await shop.get(CUSTOMER, params=params))


async def options(shop: AimeosBrowser, **params: str) -> dict[str, Any]:
    response = await shop.http.request("OPTIONS", CUSTOMER, params=params)
    document = data_answer(response)
    assert response.headers["cache-control"] == "max-age=300"
    return document


# --- tests/Client/JsonApi/Customer/StandardTest.php ---------------------------------------


async def test_customer_delete(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = data_answer(await shop.write("DELETE", CUSTOMER))
    after = await get(shop)

    assert document["meta"]["total"] == 0
    assert after["data"]["id"] is None


async def test_customer_get(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(shop)

    assert document["meta"]["total"] == 1
    assert document["data"]["type"] == "customer"
    assert len(document["data"]["attributes"]) > 13
    assert document["included"] == []


async def test_customer_get_included(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(shop, include="customer.address,customer.property")

    assert document["meta"]["total"] == 1
    relationships = document["data"]["relationships"]
    assert relationships["customer.address"]["data"] == [
        {"id": user.address_id, "type": "customer.address"}
    ]
    assert relationships["customer.property"]["data"] == [
        {"id": user.property_id, "type": "customer.property"}
    ]
    assert len(document["included"]) == 2


async def test_customer_get_included_none(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(shop, include="")

    assert "relationships" not in document["data"]
    assert document["included"] == []


async def test_customer_patch(shop: AimeosBrowser, new_shop: NewShop, user: FixtureUser) -> None:
    response = await shop.write(
        "PATCH", CUSTOMER, json=attributes(**{"customer.status": 0, "customer.latitude": 50.1})
    )
    document = data_answer(response)
    shown = document["data"]["attributes"]

    assert document["meta"]["total"] == 1
    assert document["data"]["type"] == "customer"
    assert len(shown) >= 24
    assert shown["customer.code"] == FIXTURE_EMAIL
    assert shown["customer.latitude"] == 50.1
    assert "customer.status" not in shown
    still_enabled = await (await new_shop("198.51.100.50")).login(FIXTURE_EMAIL, "secret123")
    assert still_enabled.status_code == 200, still_enabled.text


async def test_customer_post(new_shop: NewShop) -> None:
    """Theirs sends only `customer.code`; Patron's accounts log in by e-mail, which the
    guide calls the only required field, so the e-mail goes along."""
    shop = await new_shop("198.51.100.51")
    await shop.options()
    response = await shop.write(
        "POST",
        CUSTOMER,
        json=attributes(**{"customer.code": "unittest-japi",
                           "customer.email": "unittest-japi@example.com"}),
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 1
    assert document["data"]["id"] is not None
    assert document["data"]["type"] == "customer"
    assert list(document["data"]["attributes"]) == ["customer.id"]


async def test_customer_post_exception(shop: AimeosBrowser) -> None:
    """An empty body."""
    await shop.options()
    response = await shop.write("POST", CUSTOMER)

    assert response.status_code == 400
    assert titles(response)


async def test_customer_options(shop: AimeosBrowser) -> None:
    meta = (await options(shop))["meta"]

    assert meta["prefix"] is None
    assert len(meta["attributes"]) == 25
    assert "filter" not in meta and "sort" not in meta
    assert {"customer.password", "customer.status", "customer.label", "customer.code"} <= set(
        meta["attributes"]
    )
    assert meta["attributes"]["customer.status"] == {
        "label": 'Customer account status, i.e. "0" for disabled, "1" for enabled and is '
        "enabled by default",
        "type": "integer",
        "default": "1",
        "required": False,
    }
    required = {name for name, spec in meta["attributes"].items() if spec["required"]}
    assert required == {
        "customer.lastname", "customer.address1", "customer.city", "customer.countryid",
        "customer.label",
    }  # fmt: skip


# --- tests/Client/JsonApi/Customer/Address/StandardTest.php -------------------------------


async def test_address_delete(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "DELETE",
        CUSTOMER,
        json={"data": {"type": "customer.address", "id": user.address_id}},
        params=ADDRESSES,
    )

    assert data_answer(response)["meta"]["total"] == 0
    assert (await get(shop, **ADDRESSES))["meta"]["total"] == 0


async def test_address_delete_by_id(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "DELETE", CUSTOMER, params={**ADDRESSES, "relatedid": user.address_id}
    )

    assert data_answer(response)["meta"]["total"] == 0
    assert (await get(shop, **ADDRESSES))["data"] == []


async def test_address_get(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(shop, **ADDRESSES)

    assert document["meta"]["total"] == 1
    assert document["data"][0]["type"] == "customer.address"
    assert document["data"][0]["id"] == user.address_id
    assert len(document["data"][0]["attributes"]) > 21


async def test_address_get_by_id(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(
        shop,
        **ADDRESSES,
        relatedid=user.address_id,
        **{"fields[customer.address]": "customer.address.id,customer.address.firstname"},
    )

    assert document["meta"]["total"] == 1
    assert isinstance(document["data"], dict)
    assert document["data"]["attributes"] == {
        "customer.address.id": user.address_id,
        "customer.address.firstname": "Our",
    }


async def test_address_patch(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "PATCH",
        CUSTOMER,
        json=attributes(**{"customer.address.lastname": "test"}),
        params={**ADDRESSES, "relatedid": user.address_id},
    )
    document = data_answer(response)

    assert document["meta"]["total"] == 1
    assert len(document["data"]["attributes"]) > 21
    assert document["data"]["attributes"]["customer.address.lastname"] == "test"
    assert document["data"]["attributes"]["customer.address.city"] == "Hamburg"


async def test_address_post(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.52")
    await signed_in(shop, "fresh@example.com")
    response = await shop.write(
        "POST",
        CUSTOMER,
        json={"data": {"type": "customer.address",
                       "attributes": {"customer.address.firstname": "test"}}},
        params=ADDRESSES,
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 1
    assert document["data"][0]["attributes"]["customer.address.firstname"] == "test"


async def test_address_post_multiple(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.53")
    await signed_in(shop, "fresh@example.com")
    response = await shop.write(
        "POST",
        CUSTOMER,
        json={"data": [
            {"type": "customer.address", "attributes": {"customer.address.firstname": "test"}},
            {"type": "customer.address", "attributes": {"customer.address.firstname": "test2"}},
        ]},
        params=ADDRESSES,
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 2
    assert document["data"][1]["id"] is not None
    assert sorted(i["attributes"]["customer.address.firstname"] for i in document["data"]) == [
        "test",
        "test2",
    ]


async def test_address_options(shop: AimeosBrowser) -> None:
    meta = (await options(shop, **ADDRESSES))["meta"]

    assert meta["prefix"] is None
    assert len(meta["attributes"]) == 21
    assert "filter" not in meta and "sort" not in meta
    assert "customer.address.birthday" in meta["attributes"]
    required = {name for name, spec in meta["attributes"].items() if spec["required"]}
    assert required == {
        "customer.address.lastname", "customer.address.address1", "customer.address.city",
        "customer.address.countryid",
    }  # fmt: skip


# --- tests/Client/JsonApi/Customer/Property/StandardTest.php ------------------------------


async def test_property_delete(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "DELETE",
        CUSTOMER,
        json={"data": [{"type": "customer.property", "id": user.property_id}]},
        params=PROPERTIES,
    )

    assert data_answer(response)["meta"]["total"] == 0
    assert (await get(shop, **PROPERTIES))["meta"]["total"] == 0


async def test_property_delete_by_id(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "DELETE", CUSTOMER, params={**PROPERTIES, "relatedid": user.property_id}
    )

    assert data_answer(response)["meta"]["total"] == 0
    assert (await get(shop, **PROPERTIES))["data"] == []


async def test_property_get(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(shop, **PROPERTIES)

    assert document["meta"]["total"] == 1
    assert document["data"][0]["type"] == "customer.property"
    assert document["data"][0]["id"] == user.property_id
    assert len(document["data"][0]["attributes"]) > 3


async def test_property_get_by_id(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(
        shop,
        **PROPERTIES,
        relatedid=user.property_id,
        **{"fields[customer.property]": "customer.property.id,customer.property.value"},
    )

    assert document["meta"]["total"] == 1
    assert document["data"]["attributes"] == {
        "customer.property.id": user.property_id,
        "customer.property.value": "1",
    }


async def test_property_patch(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "PATCH",
        CUSTOMER,
        json=attributes(**{"customer.property.value": "test"}),
        params={**PROPERTIES, "relatedid": user.property_id},
    )
    document = data_answer(response)

    assert document["meta"]["total"] == 1
    assert document["data"]["attributes"]["customer.property.value"] == "test"
    assert document["data"]["attributes"]["customer.property.type"] == "newsletter"


async def test_property_post(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.54")
    await signed_in(shop, "fresh@example.com")
    response = await shop.write(
        "POST",
        CUSTOMER,
        json=attributes(**{"customer.property.type": "testtype",
                           "customer.property.value": "test"}),
        params=PROPERTIES,
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 1
    assert document["data"][0]["attributes"]["customer.property.type"] == "testtype"
    assert document["data"][0]["attributes"]["customer.property.value"] == "test"


async def test_property_post_multiple(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.55")
    await signed_in(shop, "fresh@example.com")
    response = await shop.write(
        "POST",
        CUSTOMER,
        json={"data": [
            {"attributes": {"customer.property.type": "testtype",
                            "customer.property.value": "test"}},
            {"attributes": {"customer.property.type": "testtype",
                            "customer.property.value": "test2"}},
        ]},
        params=PROPERTIES,
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 2
    assert document["data"][1]["id"] is not None
    assert sorted(i["attributes"]["customer.property.value"] for i in document["data"]) == [
        "test",
        "test2",
    ]


async def test_property_options(shop: AimeosBrowser) -> None:
    meta = (await options(shop, **PROPERTIES))["meta"]

    assert meta["prefix"] is None
    assert set(meta["attributes"]) == {
        "customer.property.type", "customer.property.languageid", "customer.property.value",
    }  # fmt: skip
    assert "filter" not in meta and "sort" not in meta


# --- tests/Client/JsonApi/Customer/Relationships/StandardTest.php -------------------------


async def test_relationships_delete(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "DELETE",
        CUSTOMER,
        json={"data": [{"type": "product", "id": user.favourite_id},
                       {"type": "product", "id": user.watch_id}]},
        params=RELATIONSHIPS,
    )  # fmt: skip

    assert data_answer(response)["meta"]["total"] == 0
    assert (await get(shop, **RELATIONSHIPS))["meta"]["total"] == 0


async def test_relationships_delete_by_id(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "DELETE", CUSTOMER, params={**RELATIONSHIPS, "relatedid": user.favourite_id}
    )

    assert data_answer(response)["meta"]["total"] == 0
    assert [i["id"] for i in (await get(shop, **RELATIONSHIPS))["data"]] == [user.watch_id]


async def test_relationships_get(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(shop, **RELATIONSHIPS)

    assert document["meta"]["total"] == 2
    assert document["data"][0]["type"] == "customer.lists"
    assert len(document["data"][0]["attributes"]) > 8
    assert {i["id"] for i in document["data"]} == {user.favourite_id, user.watch_id}


async def test_relationships_get_by_id(shop: AimeosBrowser, user: FixtureUser) -> None:
    document = await get(
        shop,
        **RELATIONSHIPS,
        relatedid=user.watch_id,
        **{"fields[customer.lists]": "customer.lists.id,customer.lists.refid"},
    )

    assert document["meta"]["total"] == 1
    assert document["data"]["attributes"] == {
        "customer.lists.id": user.watch_id,
        "customer.lists.refid": "2",
    }


async def test_relationships_patch(shop: AimeosBrowser, user: FixtureUser) -> None:
    response = await shop.write(
        "PATCH",
        CUSTOMER,
        json=attributes(**{"customer.lists.config": {"key": "value"}}),
        params={**RELATIONSHIPS, "relatedid": user.favourite_id},
    )
    document = data_answer(response)

    assert document["meta"]["total"] == 1
    assert document["data"]["attributes"]["customer.lists.config"] == {"key": "value"}


async def test_relationships_post(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.56")
    await signed_in(shop, "fresh@example.com")
    response = await shop.write(
        "POST",
        CUSTOMER,
        json=attributes(**{"customer.lists.domain": "product", "customer.lists.type": "favorite",
                           "customer.lists.refid": "-1"}),
        params=RELATIONSHIPS,
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 1
    assert document["data"][0]["attributes"]["customer.lists.refid"] == "-1"


async def test_relationships_post_multiple(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.57")
    await signed_in(shop, "fresh@example.com")
    response = await shop.write(
        "POST",
        CUSTOMER,
        json={"data": [
            {"attributes": {"customer.lists.domain": "product", "customer.lists.type": "favorite",
                            "customer.lists.refid": "-1"}},
            {"attributes": {"customer.lists.domain": "product", "customer.lists.type": "favorite",
                            "customer.lists.refid": "-2"}},
        ]},
        params=RELATIONSHIPS,
    )  # fmt: skip
    document = data_answer(response, 201)

    assert document["meta"]["total"] == 2
    assert all(int(i["attributes"]["customer.lists.refid"]) < 0 for i in document["data"])


async def test_relationships_options(shop: AimeosBrowser) -> None:
    meta = (await options(shop, related="relationships"))["meta"]

    assert meta["prefix"] is None
    assert len(meta["attributes"]) == 7
    assert meta["attributes"]["customer.lists.config"]["default"] == "[]"
    assert "filter" not in meta and "sort" not in meta


# --- tests/Client/JsonApi/StandardTest.php and BaseTest.php -------------------------------


async def test_root_get(shop: AimeosBrowser) -> None:
    """Theirs calls the client's `get` (an `errors.title`); under Laravel, the host the
    guide is written for, `GET /jsonapi` is routed to the OPTIONS answer (reference 1)."""
    response = await shop.get("/jsonapi")

    assert response.status_code == 200
    assert len(body(response)["meta"]["resources"]) >= 12


async def test_root_options(shop: AimeosBrowser) -> None:
    response = await shop.http.request("OPTIONS", "/jsonapi")
    meta = body(response)["meta"]

    assert response.status_code == 200
    assert len(response.headers.get_list("allow")) == 1
    assert len(response.headers.get_list("content-type")) == 1
    assert meta["prefix"] is None
    assert len(meta["resources"]) >= 12


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_base_put_is_not_allowed(
    shop: AimeosBrowser, user: FixtureUser, resource: str
) -> None:
    """`Base::defaultAction`: a verb the resource does not override is 403."""
    response = await shop.write(
        "PUT", CUSTOMER, json=attributes(**{"customer.firstname": "x"}), params=RESOURCES[resource]
    )

    assert response.status_code == 403
    assert titles(response) == NOT_ALLOWED
    assert (await get(shop))["data"]["attributes"]["customer.firstname"] == "Test"


# --- ai-controller-frontend tests/Controller/Frontend/Customer/StandardTest.php -----------


async def test_controller_find_uses_product(shop: AimeosBrowser, user: FixtureUser) -> None:
    """`find('test@example.com')` with `uses(['product'])`: its product references."""
    document = await get(shop, include="product")

    products = document["data"]["relationships"]["product"]["data"]
    assert sorted(p["id"] for p in products) == ["1", "2"]


async def test_controller_store_then_delete_round_trips(new_shop: NewShop) -> None:
    shop = await new_shop("198.51.100.58")
    customer_id = await signed_in(shop, "roundtrip@example.com")
    deleted = data_answer(await shop.write("DELETE", CUSTOMER))
    relogin = await (await new_shop("198.51.100.59")).login("roundtrip@example.com", "secret123")

    assert customer_id and deleted["meta"]["total"] == 0
    assert relogin.status_code == 401
