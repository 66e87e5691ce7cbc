"""Input an attacker sends that Aimeos' own clients never would."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from starlette.types import Message

from patron.app import create_app
from patron.core.domain.model import Customer
from patron.services import Services
from patron.settings import Settings
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser

ADDRESS = {"customer.address.firstname": "Sonia", "customer.address.city": "Berlin"}


async def _add_address(shop: AimeosBrowser) -> str:
    response = await shop.write(
        "POST", CUSTOMER, {"data": {"attributes": ADDRESS}}, params={"related": "address"}
    )
    assert response.status_code == 201, response.text
    address_id: str = response.json()["data"][0]["id"]
    return address_id


@pytest.mark.parametrize("digits", ["\u00b2", "\u0661", "\u07c1", "\uff11"])
async def test_digits_of_other_scripts_in_relatedid_name_nothing(
    shop: AimeosBrowser, logged_in: Customer, digits: str
) -> None:
    """`str.isdigit` says yes to a superscript two (which `int` refuses) and to an
    Arabic-Indic one (which `int` reads as 1): neither is a number Aimeos would read, so
    neither may fail or name an address."""
    address_id = await _add_address(shop)
    relatedid = digits * len(address_id)
    query = {"related": "address", "relatedid": relatedid}

    read = await shop.get(CUSTOMER, params=query)
    changed = await shop.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.address.city": "Bonn"}}}, query
    )
    deleted = await shop.write("DELETE", CUSTOMER, params=query)

    assert read.status_code == 200 and "data" not in read.json()
    assert changed.status_code == 404
    assert deleted.status_code == 200
    kept = (await shop.get(CUSTOMER, params={"related": "address"})).json()["data"]
    assert [(a["id"], a["attributes"]["customer.address.city"]) for a in kept] == [
        (address_id, "Berlin")
    ]


async def test_digits_of_other_scripts_in_a_body_id_delete_nothing(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    address_id = await _add_address(shop)
    body = {"data": [{"id": "\u00b2"}, {"id": "\u0661" * len(address_id)}]}

    response = await shop.write("DELETE", CUSTOMER, body, params={"related": "address"})

    assert response.status_code == 200
    kept = (await shop.get(CUSTOMER, params={"related": "address"})).json()["data"]
    assert [a["id"] for a in kept] == [address_id]


async def test_a_huge_include_list_is_answered_at_once(
    shop: AimeosBrowser, logged_in: Customer, services: Services, settings: Settings
) -> None:
    """A hundred thousand distinct names in one `include` (a megabyte of query, which a
    server may take; httpx builds no such URL, so the request goes to the app as ASGI)
    cost no more than a handful: each name was compared with every one before it."""
    await _add_address(shop)
    names = ",".join(f"f{i}" for i in range(100_000))
    query = f"include=customer/address,{names}".encode()
    cookie = f"aimeos_session={shop.http.cookies['aimeos_session']}".encode()
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": CUSTOMER,
        "raw_path": CUSTOMER.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver"), (b"cookie", cookie)],
        "client": ("203.0.113.7", 50000),
        "server": ("testserver", 80),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    app = create_app(settings, services)
    await asyncio.wait_for(app(scope, receive, send), timeout=5)

    assert sent[0]["status"] == 200
    body = orjson.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert len(body["included"]) == 1


async def test_an_empty_token_parameter_gives_way_to_the_header(shop: AimeosBrowser) -> None:
    """Laravel reads `$request->input('_token') ?: $request->header('X-CSRF-TOKEN')`: an
    empty `_token` (a form's blank hidden field) lets the header speak."""
    await shop.options()

    response = await shop.http.post(
        f"{CUSTOMER}?_token=",
        json={"data": {"attributes": {"customer.email": "new@example.com"}}},
        headers={"X-CSRF-TOKEN": shop.csrf or ""},
    )

    assert response.status_code == 201, response.text


async def test_a_wrong_token_parameter_is_not_saved_by_a_right_header(
    shop: AimeosBrowser,
) -> None:
    """The query's token, when one is given, is the one that counts (Laravel's order)."""
    await shop.options()

    response = await shop.http.post(
        f"{CUSTOMER}?_token=forged",
        json={"data": {"attributes": {"customer.email": "new@example.com"}}},
        headers={"X-CSRF-TOKEN": shop.csrf or ""},
    )

    assert response.status_code == 419


@pytest.mark.parametrize(
    ("moment", "kept"), [("0001-01-01 00:00:00", False), ("9999-12-31 23:59:59", True)]
)
async def test_list_dates_at_the_ends_of_the_calendar_are_no_500(
    shop: AimeosBrowser, logged_in: Customer, moment: str, kept: bool
) -> None:
    """Year 1 came back from PostgreSQL as a naive `datetime.min` and failed every
    comparison (a 500 on POST, and on every later read): dates start at year 1000, as in
    Aimeos' `DATETIME` columns. The last second of year 9999 is kept."""
    attributes = {
        "customer.lists.domain": "product",
        "customer.lists.refid": "42",
        "customer.lists.datestart": "2020-01-01 00:00:00",
        "customer.lists.dateend": moment,
    }
    query = {"related": "relationships", "include": "product"}

    added = await shop.write("POST", CUSTOMER, {"data": {"attributes": attributes}}, query)
    listed = await shop.get(CUSTOMER, params=query)

    assert added.status_code == (201 if kept else 404), added.text
    assert listed.status_code == 200
    shown = [i["attributes"]["customer.lists.dateend"] for i in listed.json()["data"]]
    assert shown == ([moment] if kept else [])
