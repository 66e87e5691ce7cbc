"""The resource list, the OPTIONS documents and the answers of resources not served."""

from __future__ import annotations

import pytest

from tests.dialects.aimeos.helpers import CUSTOMER, ROOT, AimeosBrowser

JSON_API = "application/vnd.api+json"


async def test_options_lists_the_resources_with_locale_and_token(shop: AimeosBrowser) -> None:
    response = await shop.http.options(ROOT)

    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_API
    assert response.headers.get_list("allow") == ["GET"]
    assert response.headers["cache-control"] == "max-age=300"
    meta = response.json()["meta"]
    assert list(meta) == [
        "prefix",
        "content-baseurl",
        "content-baseurls",
        "csrf",
        "locale",
        "resources",
    ]
    assert meta["prefix"] is None
    assert meta["content-baseurl"] == "http://testserver/"
    assert meta["csrf"]["name"] == "_token" and meta["csrf"]["value"]
    assert meta["resources"]["customer"] == "http://testserver/jsonapi/customer"
    assert len(meta["resources"]) == 13
    assert meta["locale"]["locale.languageid"] == "en"
    assert meta["locale"]["locale.sitecode"] == "default"
    assert meta["locale"]["locale.currencyid"] == "EUR"
    assert "aimeos_session" in response.cookies


async def test_get_on_the_root_answers_as_options(shop: AimeosBrowser) -> None:
    response = await shop.http.get(ROOT)

    assert response.status_code == 200
    assert "resources" in response.json()["meta"]


async def test_links_come_from_the_public_url_not_the_host_header(shop: AimeosBrowser) -> None:
    response = await shop.http.options(ROOT, headers={"Host": "evil.example"})

    assert response.json()["meta"]["resources"]["customer"].startswith("http://testserver/")


@pytest.mark.parametrize(
    ("related", "count"), [(None, 25), ("address", 21), ("property", 3), ("relationships", 7)]
)
async def test_options_of_each_customer_resource_describes_its_attributes(
    shop: AimeosBrowser, related: str | None, count: int
) -> None:
    params = {"related": related} if related else None
    response = await shop.http.options(CUSTOMER, params=params)

    assert response.status_code == 200
    assert response.headers.get_list("allow") == ["DELETE,GET,OPTIONS,PATCH,POST"]
    meta = response.json()["meta"]
    assert len(meta["attributes"]) == count
    assert "filter" not in meta and "sort" not in meta and "resources" not in meta
    for described in meta["attributes"].values():
        assert set(described) == {"label", "type", "default", "required"}


async def test_customer_attributes_say_what_the_reference_says(shop: AimeosBrowser) -> None:
    attributes = (await shop.options(CUSTOMER))["meta"]["attributes"]

    assert attributes["customer.lastname"]["required"] is True
    assert attributes["customer.email"]["required"] is False
    assert attributes["customer.latitude"]["type"] == "float"
    assert attributes["customer.status"] == {
        "label": 'Customer account status, i.e. "0" for disabled, "1" for enabled and is '
        "enabled by default",
        "type": "integer",
        "default": "1",
        "required": False,
    }
    assert "customer.mobile" not in attributes


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
async def test_resources_not_served_are_not_allowed(shop: AimeosBrowser, method: str) -> None:
    response = await shop.http.request(method, "/jsonapi/product")

    assert response.status_code == 403
    assert response.json()["errors"] == [{"title": "Not allowed for this resource"}]
    assert "allow" not in response.headers


async def test_a_write_to_a_resource_not_served_is_not_allowed(shop: AimeosBrowser) -> None:
    response = await shop.write("POST", "/jsonapi/basket", {"data": {}})

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/jsonapi/unknown", None),
        (CUSTOMER, {"related": "review"}),
        (CUSTOMER, {"related": "nonsense"}),
        ("/jsonapi/customer/2", None),
    ],
)
async def test_unknown_names_are_not_found(
    shop: AimeosBrowser, url: str, params: dict[str, str] | None
) -> None:
    response = await shop.http.get(url, params=params)

    assert response.status_code == 404
    assert response.json()["errors"] == [{"title": "Not found"}]
    assert response.json()["meta"]["csrf"]["value"]


async def test_put_on_the_customer_is_not_allowed(shop: AimeosBrowser) -> None:
    response = await shop.write("PUT", CUSTOMER, {"data": {"attributes": {}}})

    assert response.status_code == 403
    assert response.json()["errors"] == [{"title": "Not allowed for this resource"}]
    assert response.headers.get_list("content-type") == [JSON_API]


async def test_every_answer_has_one_allow_and_one_content_type(shop: AimeosBrowser) -> None:
    response = await shop.get(CUSTOMER)

    assert response.headers.get_list("allow") == ["DELETE,GET,OPTIONS,PATCH,POST"]
    assert response.headers.get_list("content-type") == [JSON_API]
    assert response.headers["cache-control"] == "no-cache, no-store, private"
