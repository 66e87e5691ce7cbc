"""The tenant-managed address routes (reference 3): add, list, get, upsert, patch, delete,
custom ids and their 409s, and the documented 404 bodies."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.address_helpers import (
    EXAMPLE,
    PLAIN,
    added,
    addresses_of,
    customer,
    read,
)


def address_missing(address_id: str, number: str) -> dict[str, Any]:
    return {
        "type": "resource_not_found",
        "status": 404,
        "message": f"Address {address_id} of customer {number} not found.",
    }


async def test_an_added_address_reads_back_in_emporix_shape(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    address_id = await added(http, auth, number, EXAMPLE)

    one = await read(http, auth, number, address_id)
    listed = await http.get(addresses_of(number), headers=auth)

    assert one == {**EXAMPLE, "id": address_id, "metadata": {"version": 1}}
    assert listed.status_code == 200
    assert listed.json() == [one]


async def test_addresses_are_listed_oldest_first(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    first = await added(http, auth, number, EXAMPLE)
    second = await added(http, auth, number, PLAIN)

    listed = await http.get(addresses_of(number), headers=auth)

    assert [address["id"] for address in listed.json()] == [first, second]


async def test_a_custom_id_names_the_address_and_is_the_customers_once(
    http: httpx.AsyncClient, services: Services, shop: Tenant, number: str, auth: dict[str, str]
) -> None:
    other = await customer(services, shop, "jane@example.com")

    address_id = await added(http, auth, number, {**PLAIN, "id": "home_1"})
    again = await http.post(addresses_of(number), json={**EXAMPLE, "id": "home_1"}, headers=auth)
    elsewhere = await added(http, auth, other, {**PLAIN, "id": "home_1"})

    assert address_id == elsewhere == "home_1"
    assert (await read(http, auth, number, "home_1"))["city"] == "Warsaw"
    assert again.status_code == 409
    assert again.json() == {
        "type": "conflict_resource",
        "status": 409,
        "message": f"Address home_1 of customer {number} already exists.",
    }
    assert len((await http.get(addresses_of(number), headers=auth)).json()) == 1


async def test_a_custom_id_may_not_be_another_addresses_uuid(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    generated = await added(http, auth, number, PLAIN)

    taken = await http.post(addresses_of(number), json={**EXAMPLE, "id": generated}, headers=auth)

    assert taken.status_code == 409
    assert taken.json()["type"] == "conflict_resource"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"city": "Berlin"}, "contactName"),
        ({"contactName": ""}, "contactName"),
        ({**PLAIN, "id": "has space"}, "id"),
        ({**PLAIN, "id": "x" * 67}, "id"),
        ({**PLAIN, "country": "XX"}, "country"),
        ({**PLAIN, "street": "s" * 256}, "street"),
        ({**PLAIN, "contactName": "n" * 101}, "contactName"),
        ({**PLAIN, "tags": ["t" * 65]}, "tags"),
        ({**PLAIN, "tags": [f"t{n}" for n in range(33)]}, "tags"),
        ({**PLAIN, "tags": ["bad\u202etag"]}, "tags"),
        ({**PLAIN, "zipCode": 10115}, "zipCode"),
        ({**PLAIN, "mixins": {"blob": "x" * 17000}}, "mixins"),
    ],
)
async def test_a_bad_address_is_a_validation_failure_naming_the_field(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], body: dict[str, Any], field: str
) -> None:
    answer = await http.post(addresses_of(number), json=body, headers=auth)

    assert answer.status_code == 400, answer.text
    assert answer.json()["type"] == "validation_failure"
    assert [detail["field"] for detail in answer.json()["details"]] == [field]
    assert (await http.get(addresses_of(number), headers=auth)).json() == []


async def test_a_body_that_is_not_an_address_is_400_not_500(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    for content in (b"[]", b"{", b'"text"', b"null"):
        answer = await http.post(
            addresses_of(number),
            content=content,
            headers={**auth, "Content-Type": "application/json"},
        )
        assert answer.status_code == 400, content


async def test_put_creates_under_the_given_id_then_replaces(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    path = f"{addresses_of(number)}/office"

    created = await http.put(path, json=EXAMPLE, headers=auth)
    replaced = await http.put(path, json={"contactName": "Jane Roe", "city": "Bonn"}, headers=auth)

    assert (created.status_code, created.json()) == (201, {"id": "office"})
    assert (replaced.status_code, replaced.content) == (204, b"")
    assert await read(http, auth, number, "office") == {
        "id": "office",
        "contactName": "Jane Roe",
        "city": "Bonn",
        "isDefault": False,
        "tags": [],
        "metadata": {"version": 2},
    }


async def test_put_names_an_existing_address_by_its_uuid_too(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    generated = await added(http, auth, number, PLAIN)

    answer = await http.put(
        f"{addresses_of(number)}/{generated}", json={**PLAIN, "city": "Gdansk"}, headers=auth
    )

    assert answer.status_code == 204
    assert (await read(http, auth, number, generated))["city"] == "Gdansk"


async def test_put_cannot_create_without_a_contact_name(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    path = f"{addresses_of(number)}/office"

    answer = await http.put(path, json={"city": "Bonn"}, headers=auth)
    bad_id = await http.put(f"{addresses_of(number)}/a.b", json=PLAIN, headers=auth)

    assert answer.status_code == 400
    assert answer.json()["details"][0]["field"] == "contactName"
    assert bad_id.status_code == 400
    assert (await http.get(path, headers=auth)).json() == address_missing("office", number)


async def test_put_with_a_stale_version_is_a_conflict(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    address_id = await added(http, auth, number, PLAIN)
    path = f"{addresses_of(number)}/{address_id}"
    assert (await http.patch(path, json={"city": "Lodz"}, headers=auth)).status_code == 200

    stale = await http.put(path, json={**PLAIN, "metadata": {"version": 1}}, headers=auth)
    fresh = await http.patch(
        path, json={"city": "Kielce", "metadata": {"version": 2}}, headers=auth
    )

    assert stale.status_code == 409
    assert stale.json() == {
        "type": "conflict_resource",
        "status": 409,
        "message": "Address update cannot be done. Update version is not valid.",
    }
    assert fresh.status_code == 200
    assert (await read(http, auth, number, address_id))["city"] == "Kielce"


async def test_patch_changes_only_what_it_names(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    body = {**EXAMPLE, "extraLine1": "c/o Bundestag", "mixins": {"delivery": {"hint": "gate"}}}
    address_id = await added(http, auth, number, body)
    path = f"{addresses_of(number)}/{address_id}"

    answer = await http.patch(
        path,
        json={
            "city": "Bonn",
            "state": None,
            "extraLine2": "Room 1",
            "mixins": {"floor": {"level": 2}},
        },
        headers=auth,
    )

    assert (answer.status_code, answer.content) == (200, b"")
    now = await read(http, auth, number, address_id)
    assert "state" not in now
    assert (now["city"], now["street"], now["contactName"]) == (
        "Bonn",
        EXAMPLE["street"],
        "John Doe",
    )
    assert (now["extraLine1"], now["extraLine2"]) == ("c/o Bundestag", "Room 1")
    assert now["mixins"] == {"delivery": {"hint": "gate"}, "floor": {"level": 2}}
    assert now["metadata"]["version"] == 2
    assert (now["isDefault"], now["tags"]) == (True, ["BILLING", "SHIPPING"])


async def test_the_contact_name_is_split_at_its_last_space(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    many = await added(http, auth, number, {"contactName": "Anna Maria  Schmidt"})
    one = await added(http, auth, number, {"contactName": "Cher"})

    rows = await clean_db.fetch("SELECT first_name, last_name FROM addresses ORDER BY id")

    assert [(row["first_name"], row["last_name"]) for row in rows] == [
        ("Anna Maria", "Schmidt"),
        (None, "Cher"),
    ]
    assert (await read(http, auth, number, many))["contactName"] == "Anna Maria Schmidt"
    assert (await read(http, auth, number, one))["contactName"] == "Cher"


async def test_delete_removes_the_address(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    address_id = await added(http, auth, number, {**PLAIN, "id": "gone"})
    path = f"{addresses_of(number)}/gone"

    deleted = await http.request("DELETE", path, json={}, headers=auth)
    again = await http.delete(path, headers=auth)

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (again.status_code, again.json()) == (404, address_missing(address_id, number))
    assert (await http.get(path, headers=auth)).status_code == 404


async def test_missing_addresses_and_customers_get_the_documented_404s(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    customer_missing = {
        "status": 404,
        "type": "application/json",
        "message": "Customer not Found",
        "details": [{"message": "Couldn't find a customer with customerNumber '999'"}],
    }
    path = f"{addresses_of(number)}/nope"
    requests = [
        ("GET", path, None),
        ("PATCH", path, {"city": "Bonn"}),
        ("DELETE", path, None),
        ("POST", path + "/tags?tags=A", None),
        ("DELETE", path + "/tags?tags=A", None),
    ]
    for method, target, body in requests:
        answer = await http.request(method, target, json=body, headers=auth)
        assert (answer.status_code, answer.json()) == (404, address_missing("nope", number))
        missing = target.replace(f"/customers/{number}/", "/customers/999/")
        answer = await http.request(method, missing, json=body, headers=auth)
        assert (answer.status_code, answer.json()) == (404, customer_missing), method
    for method in ("GET", "POST"):
        answer = await http.request(method, addresses_of("999"), json=PLAIN, headers=auth)
        assert (answer.status_code, answer.json()) == (404, customer_missing), method


async def test_put_keeps_metadata_other_dialects_wrote(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    body = {**PLAIN, "extraLine1": "Gate 4", "mixins": {"a": {"b": 1}}}
    address_id = await added(http, auth, number, body)
    await clean_db.execute("UPDATE addresses SET metadata = metadata || '{\"medusa\": 1}'")

    answer = await http.put(f"{addresses_of(number)}/{address_id}", json=PLAIN, headers=auth)

    assert answer.status_code == 204
    assert await clean_db.fetchval("SELECT metadata FROM addresses") == {"medusa": 1}
    shown = await read(http, auth, number, address_id)
    assert "extraLine1" not in shown and "mixins" not in shown
