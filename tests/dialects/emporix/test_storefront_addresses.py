"""`/customer/{tenant}/me/addresses`: the customer's own addresses and tags, the same
addresses the back office (and every other dialect) sees."""

from __future__ import annotations

from typing import Any

import httpx

from patron.core.domain.tenants import Tenant
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for
from tests.dialects.emporix.storefront_helpers import (
    created_with_password,
    logged_in,
)

MINE = "/customer/shop/me/addresses"
BERLIN = {
    "contactName": "John Doe",
    "street": "Platz der Republik",
    "streetNumber": "1",
    "zipCode": "11011",
    "city": "Berlin",
    "country": "DE",
}
INVALID_TOKEN = {
    "fault": {
        "faultstring": "Invalid access token",
        "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
    }
}


async def customer(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str, email: str
) -> tuple[str, dict[str, str]]:
    number = await created_with_password(http, make_client, store, email)
    return number, bearer((await logged_in(http, store, visitor, email))["access_token"])


async def add(http: httpx.AsyncClient, auth: dict[str, str], body: dict[str, Any]) -> str:
    answer = await http.post(MINE, json=body, headers=auth)
    assert answer.status_code == 201, answer.text
    address_id: str = answer.json()["id"]
    return address_id


async def read(http: httpx.AsyncClient, auth: dict[str, str], address_id: str) -> dict[str, Any]:
    answer = await http.get(f"{MINE}/{address_id}", headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_customer_adds_reads_changes_and_deletes_own_addresses(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    number, auth = await customer(http, make_client, store, visitor, "john@example.com")

    address_id = await add(http, auth, {**BERLIN, "id": "mine", "isDefault": True})
    listed = await http.get(MINE, headers=auth)
    patched = await http.patch(f"{MINE}/{address_id}", json={"city": "Potsdam"}, headers=auth)
    after_patch = await read(http, auth, address_id)
    me = (await http.get("/customer/shop/me?expand=addresses", headers=auth)).json()
    deleted = await http.delete(f"{MINE}/{address_id}", headers=auth)
    gone = await http.get(f"{MINE}/{address_id}", headers=auth)

    assert address_id != "mine"  # ids are the service's on this API
    assert [a["id"] for a in listed.json()] == [address_id]
    assert listed.json()[0]["contactName"] == "John Doe"
    assert patched.status_code == 200 and patched.content == b""
    assert after_patch["city"] == "Potsdam"
    assert after_patch["isDefault"] is True
    assert me["defaultAddress"]["id"] == address_id
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert gone.json() == {
        "type": "resource_not_found",
        "status": 404,
        "message": f"Address {address_id} of customer {number} not found.",
    }


async def test_tags_come_and_go_and_the_back_office_sees_them(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    number, auth = await customer(http, make_client, store, visitor, "john@example.com")
    address_id = await add(http, auth, BERLIN)

    tagged = await http.post(f"{MINE}/{address_id}/tags?tags=SHIPPING,GATE", headers=auth)
    with_tags = await read(http, auth, address_id)
    untagged = await http.delete(f"{MINE}/{address_id}/tags?tags=GATE", headers=auth)
    no_tags = await http.post(f"{MINE}/{address_id}/tags", headers=auth)
    service = bearer(await token_for(http, await make_client(store)))
    seen = await http.get(f"/customer/shop/customers/{number}/addresses", headers=service)

    assert tagged.status_code == 204
    assert with_tags["tags"] == ["SHIPPING", "GATE"]
    assert untagged.status_code == 204
    assert no_tags.status_code == 400
    assert [a["tags"] for a in seen.json()] == [["SHIPPING"]]


async def test_a_stale_address_version_is_a_conflict(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    _, auth = await customer(http, make_client, store, visitor, "john@example.com")
    address_id = await add(http, auth, BERLIN)
    version = (await read(http, auth, address_id))["metadata"]["version"]

    fresh = await http.patch(
        f"{MINE}/{address_id}",
        json={"city": "Bonn", "metadata": {"version": version}},
        headers=auth,
    )
    stale = await http.patch(
        f"{MINE}/{address_id}",
        json={"city": "Köln", "metadata": {"version": version}},
        headers=auth,
    )

    assert fresh.status_code == 200, fresh.text
    assert stale.status_code == 409
    assert stale.json()["type"] == "conflict_resource"
    assert (await read(http, auth, address_id))["city"] == "Bonn"


async def test_another_customers_address_is_not_found_and_untouched(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    _, john = await customer(http, make_client, store, visitor, "john@example.com")
    _, jane = await customer(http, make_client, store, visitor, "jane@example.com")
    johns = await add(http, john, BERLIN)

    answers = [
        await http.get(f"{MINE}/{johns}", headers=jane),
        await http.patch(f"{MINE}/{johns}", json={"city": "Evil"}, headers=jane),
        await http.post(f"{MINE}/{johns}/tags?tags=X", headers=jane),
        await http.delete(f"{MINE}/{johns}/tags?tags=X", headers=jane),
        await http.delete(f"{MINE}/{johns}", headers=jane),
    ]

    assert [a.status_code for a in answers] == [404] * 5
    assert (await http.get(MINE, headers=jane)).json() == []
    assert (await read(http, john, johns))["city"] == "Berlin"


async def test_an_anonymous_token_has_no_addresses_and_bad_bodies_are_refused(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    _, auth = await customer(http, make_client, store, visitor, "john@example.com")

    anonymous_list = await http.get(MINE, headers=bearer(visitor))
    nameless = await http.post(MINE, json={"city": "Berlin"}, headers=auth)
    bad_country = await http.post(MINE, json={**BERLIN, "country": "XX"}, headers=auth)

    assert (anonymous_list.status_code, anonymous_list.json()) == (401, INVALID_TOKEN)
    assert nameless.status_code == 400
    assert bad_country.status_code == 400
    assert (await http.get(MINE, headers=auth)).json() == []
