"""What the black-box tests of `/jsonapi` share, taken from the reference and not from the
dialect: Aimeos' attribute names, the jQuery way of adding the CSRF token, a snapshot of the
whole database (to prove a refused request wrote nothing) and the fixture user of Aimeos'
own test suite, built through the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import asyncpg
import httpx

from tests.database_state import database_state
from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, AimeosBrowser

ADDRESSES = {"related": "address"}
PROPERTIES = {"related": "property"}
HOST = "http://testserver"
"""Where the browser fixture's app lives (`public_url` of the test settings)."""
RELATIONSHIPS = {"related": "relationships", "include": "product"}
FIXTURE_EMAIL = "test@example.com"

CUSTOMER_ATTRIBUTES = tuple(
    f"customer.{name}"
    for name in (
        "id", "salutation", "company", "vatid", "title", "firstname", "lastname", "address1",
        "address2", "address3", "postal", "city", "state", "languageid", "countryid",
        "telephone", "mobile", "email", "telefax", "website", "longitude", "latitude",
        "birthday", "label", "code",
    )
)  # fmt: skip
"""Reference 3.1: the 25 public attributes, in Aimeos' order."""
ADDRESS_ATTRIBUTES = tuple(
    f"customer.address.{name}"
    for name in (
        "id", "type", "salutation", "company", "vatid", "title", "firstname", "lastname",
        "address1", "address2", "address3", "postal", "city", "state", "countryid",
        "languageid", "telephone", "telefax", "mobile", "email", "website", "longitude",
        "latitude", "birthday", "position",
    )
)  # fmt: skip
PROPERTY_ATTRIBUTES = tuple(
    f"customer.property.{name}" for name in ("id", "languageid", "value", "type")
)
LIST_ATTRIBUTES = tuple(
    f"customer.lists.{name}"
    for name in (
        "id", "domain", "refid", "datestart", "dateend", "config", "position", "status", "type"
    )
)  # fmt: skip
PRIVATE_ATTRIBUTES = (
    "customer.status",
    "customer.groups",
    "customer.password",
    "customer.dateverified",
    "customer.siteid",
    "customer.ctime",
    "customer.mtime",
    "customer.editor",
)


def attributes(**values: Any) -> dict[str, Any]:
    """`{"data": {"attributes": ...}}`, the body of every Aimeos write."""
    return {"data": {"attributes": values}}


def body(response: httpx.Response) -> dict[str, Any]:
    """The JSON:API document of an answer, checking the media type Aimeos always sends."""
    assert response.headers["content-type"].startswith("application/vnd.api+json"), response.headers
    document: dict[str, Any] = response.json()
    return document


def titles(response: httpx.Response) -> list[str]:
    return [error["title"] for error in body(response)["errors"]]


def link_parts(href: str) -> tuple[str, dict[str, list[str]]]:
    """A link's address without its query, and its query parameters."""
    parts = urlsplit(href)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


def with_token(url: str, meta: dict[str, Any]) -> str:
    """The seed's jQuery snippet: `url += (url.indexOf('?') === -1 ? '?' : '&') +
    $.param(csrf)` when the answer's `meta` has a `csrf`."""
    csrf = meta.get("csrf")
    if not csrf:
        return url
    separator = "?" if "?" not in url else "&"
    return url + separator + urlencode({csrf["name"]: csrf["value"]})


def token(shop: AimeosBrowser) -> str:
    """The browser's latest CSRF token (it has had an answer by now)."""
    assert shop.csrf, "no answer with a token yet"
    return shop.csrf


async def signed_in(shop: AimeosBrowser, email: str, **values: Any) -> str:
    """Signed up and logged in: the account's id."""
    customer_id = await shop.sign_up(email, **values)
    login = await shop.login(email, PASSWORD)
    assert login.status_code == 200, login.text
    return customer_id


async def added(shop: AimeosBrowser, related: dict[str, str], data: Any) -> list[dict[str, Any]]:
    """POST to a sub-resource: every item it answers (201)."""
    response = await shop.write("POST", CUSTOMER, json={"data": data}, params=related)
    assert response.status_code == 201, response.text
    items: list[dict[str, Any]] = body(response)["data"]
    return items


@dataclass(frozen=True)
class FixtureUser:
    """Aimeos' test user: 1 address, 1 property, 2 product list items (favourite, watch)."""

    id: str
    address_id: str
    property_id: str
    favourite_id: str
    watch_id: str


async def fixture_user(shop: AimeosBrowser, email: str = FIXTURE_EMAIL) -> FixtureUser:
    """Aimeos' `test@example.com`, built through the API and logged in on `shop`."""
    customer_id = await signed_in(
        shop, email, **{"customer.firstname": "Test", "customer.lastname": "User"}
    )
    [address] = await added(
        shop,
        ADDRESSES,
        {
            "attributes": {
                "customer.address.firstname": "Our", "customer.address.lastname": "Unittest",
                "customer.address.address1": "Pickhuben", "customer.address.address2": "2",
                "customer.address.postal": "20457", "customer.address.city": "Hamburg",
                "customer.address.countryid": "DE", "customer.address.languageid": "de",
            }
        },
    )  # fmt: skip
    [prop] = await added(
        shop,
        PROPERTIES,
        {"attributes": {"customer.property.type": "newsletter", "customer.property.value": "1"}},
    )
    lists = await added(
        shop,
        RELATIONSHIPS,
        [
            {"attributes": {"customer.lists.domain": "product", "customer.lists.type": "favorite",
                            "customer.lists.refid": "1"}},
            {"attributes": {"customer.lists.domain": "product", "customer.lists.type": "watch",
                            "customer.lists.refid": "2",
                            "customer.lists.config": {"timeframe": "7", "stock": "1"}}},
        ],
    )  # fmt: skip
    by_type = {item["attributes"]["customer.lists.type"]: item["id"] for item in lists}
    return FixtureUser(
        customer_id, address["id"], prop["id"], by_type["favorite"], by_type["watch"]
    )


async def fixture_user_and_state(
    shop: AimeosBrowser, pool: asyncpg.Pool
) -> tuple[FixtureUser, dict[str, str]]:
    """The fixture user, logged in on `shop`, and the database state after making it."""
    user = await fixture_user(shop)
    return user, await database_state(pool)


def assert_clean_error(response: httpx.Response, *statuses: int) -> list[str]:
    """A refusal Aimeos' way: one of `statuses`, errors with titles, no data."""
    assert response.status_code in statuses, (response.status_code, response.text)
    document = body(response)
    assert document["errors"] and all(e["title"] for e in document["errors"]), document
    assert "data" not in document
    return [error["title"] for error in document["errors"]]
