"""Replays every request sample of the reference's Glue pages for passwords, addresses,
availability notifications and `include` (sections 1.6, 5, 6, 7, copied to
`seeds/reference_samples.md`), and checks our answers against their response samples:
status, document members, types, attribute names and, where the request fixes them, values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from patron.services import Services
from tests.dialects.glue.helpers import bearer, confirm, login
from tests.dialects.glue.test_seed_contract import assert_document_shape

REFERENCE = Path(__file__).parent / "seeds" / "reference_samples.md"


def samples() -> dict[tuple[str, int], Any]:
    """JSON blocks by (section number, position within the section)."""
    found: dict[tuple[str, int], Any] = {}
    text = REFERENCE.read_text()
    for block in re.finditer(r"```json\n([\s\S]*?)```", text):
        section = re.findall(r"^#{2,3} ([\d.]+)", text[: block.start()], re.MULTILINE)[-1]
        position = sum(1 for key in found if key[0] == section)
        found[(section, position)] = json.loads(block.group(1))
    return found


SAMPLES = samples()
INCLUDE_RESPONSE = ("1.6", 0)
CHANGE_PASSWORD = ("5.1", 0)
FORGOTTEN_PASSWORD = ("5.2", 0)
RESTORE_PASSWORD = ("5.3", 0)
ADDRESS_REQUEST = ("6.1", 0)
ADDRESS_RESPONSE = ("6.2", 0)
ADDRESSES_RESPONSE = ("6.2", 1)
SUBSCRIBE_REQUEST = ("7.1", 0)
SUBSCRIBE_RESPONSE = ("7.1", 1)
SUBSCRIPTIONS_RESPONSE = ("7.3", 0)


def test_every_reference_sample_is_replayed() -> None:
    assert set(SAMPLES) == {
        INCLUDE_RESPONSE,
        CHANGE_PASSWORD,
        FORGOTTEN_PASSWORD,
        RESTORE_PASSWORD,
        ADDRESS_REQUEST,
        ADDRESS_RESPONSE,
        ADDRESSES_RESPONSE,
        SUBSCRIBE_REQUEST,
        SUBSCRIBE_RESPONSE,
        SUBSCRIPTIONS_RESPONSE,
    }


def assert_address_shape(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Address links are nested under their customer, unlike other resources."""
    assert actual["type"] == expected["type"] == "addresses"
    assert list(actual["attributes"]) == list(expected["attributes"])  # same names, same order
    assert set(actual["links"]) == set(expected["links"])
    assert re.fullmatch(
        rf"http://testserver/glue/customers/[^/]+/addresses/{actual['id']}",
        actual["links"]["self"],
    )


async def _customer(client: httpx.AsyncClient, pool: asyncpg.Pool) -> str:
    """Sonia of the samples: email of 5.2 and 7.1, current password of 5.1."""
    email = SAMPLES[FORGOTTEN_PASSWORD]["data"]["attributes"]["email"]
    password = SAMPLES[CHANGE_PASSWORD]["data"]["attributes"]["password"]
    attributes = {
        "salutation": "Mrs", "firstName": "Sonia", "lastName": "Wagner", "email": email,
        "gender": "Female", "password": password, "confirmPassword": password,
        "acceptedTerms": True,
    }  # fmt: skip
    created = await client.post(
        "/glue/customers", json={"data": {"type": "customers", "attributes": attributes}}
    )
    assert created.status_code == 201, created.text
    await confirm(client, pool, email)
    reference: str = created.json()["data"]["id"]
    return reference


async def test_password_samples(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> None:
    reference = await _customer(client, clean_db)
    change = SAMPLES[CHANGE_PASSWORD]
    email = SAMPLES[FORGOTTEN_PASSWORD]["data"]["attributes"]["email"]
    tokens = await login(client, email, change["data"]["attributes"]["password"])
    change["data"]["id"] = reference  # the sample's DE--21 is somebody else

    changed = await client.patch(
        f"/glue/customer-password/{reference}", json=change, headers=bearer(tokens)
    )
    assert changed.status_code == 204, changed.text
    await login(client, email, change["data"]["attributes"]["newPassword"])

    forgotten = await client.post(
        "/glue/customer-forgotten-password", json=SAMPLES[FORGOTTEN_PASSWORD]
    )
    assert forgotten.status_code == 204
    body = await clean_db.fetchval(
        "SELECT body FROM outbox WHERE template = 'customer_password_reset'"
    )
    match = re.search(r"token=([\w-]+)", body)
    assert match
    restore = SAMPLES[RESTORE_PASSWORD]
    restore["data"]["attributes"]["restorePasswordKey"] = match.group(1)

    # The path keeps the sample's key: Spryker reads the one in the attributes.
    restored = await client.patch(
        f"/glue/customer-restore-password/{restore['data']['id']}", json=restore
    )
    assert restored.status_code == 204, restored.text
    await login(client, email, restore["data"]["attributes"]["password"])


async def test_address_and_include_samples(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference = await _customer(client, clean_db)
    email = SAMPLES[FORGOTTEN_PASSWORD]["data"]["attributes"]["email"]
    auth = bearer(await login(client, email, "change123"))
    request = SAMPLES[ADDRESS_REQUEST]

    # The first address becomes the default whatever it asks (Spryker's facade); the sample
    # answer, with both flags false, is that of a customer who already has one.
    first = await client.post(f"/glue/customers/{reference}/addresses", json=request, headers=auth)
    assert first.json()["data"]["attributes"]["isDefaultShipping"] is True
    created = await client.post(
        f"/glue/customers/{reference}/addresses", json=request, headers=auth
    )
    assert created.status_code == 201, created.text
    expected = SAMPLES[ADDRESS_RESPONSE]
    assert set(created.json()) == set(expected)
    assert_address_shape(expected["data"], created.json()["data"])
    sent = request["data"]["attributes"]
    got = created.json()["data"]["attributes"]
    for name in expected["data"]["attributes"]:
        if name in sent:
            assert got[name] == sent[name], name
    assert got["company"] is None

    listed = await client.get(f"/glue/customers/{reference}/addresses", headers=auth)
    expected_list = SAMPLES[ADDRESSES_RESPONSE]
    assert listed.status_code == 200
    assert set(listed.json()) == set(expected_list)
    assert_address_shape(expected_list["data"][0], listed.json()["data"][0])
    assert listed.json()["links"]["self"].endswith(f"/customers/{reference}/addresses")

    address_id = created.json()["data"]["id"]
    one = await client.get(f"/glue/customers/{reference}/addresses/{address_id}", headers=auth)
    assert one.json() == created.json()

    included = await client.get(f"/glue/customers/{reference}?include=addresses", headers=auth)
    expected_include = SAMPLES[INCLUDE_RESPONSE]
    document = included.json()
    assert set(document) == set(expected_include)
    assert set(document["data"]) == set(expected_include["data"])
    assert document["data"]["relationships"] == {
        "addresses": {
            "data": [
                {"type": "addresses", "id": first.json()["data"]["id"]},
                {"type": "addresses", "id": address_id},
            ]
        }
    }
    assert_address_shape(expected_include["included"][0], document["included"][0])
    assert set(document["data"]["attributes"]) >= set(expected_include["data"]["attributes"])


async def test_availability_notification_samples(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, services: Services
) -> None:
    tenant = await services.core.tenants.get("default")
    request = SAMPLES[SUBSCRIBE_REQUEST]
    listed_skus = [item["attributes"]["sku"] for item in SAMPLES[SUBSCRIPTIONS_RESPONSE]["data"]]
    for sku in [request["data"]["attributes"]["sku"], *listed_skus]:
        await services.core.availability.set_availability(tenant, sku, available=False)
    await _customer(client, clean_db)
    email = request["data"]["attributes"]["email"]
    auth = bearer(await login(client, email, "change123"))

    created = await client.post("/glue/availability-notifications", json=request)
    assert created.status_code == 201, created.text
    expected = SAMPLES[SUBSCRIBE_RESPONSE]
    assert_document_shape(expected, created.json())
    assert re.fullmatch(r"[0-9a-f]{32}", created.json()["data"]["id"])
    assert created.json()["data"]["attributes"] == expected["data"]["attributes"]  # en_US too

    for sku in listed_skus:
        body: dict[str, Any] = {
            "data": {"type": "availability-notifications", "attributes": {"sku": sku}}
        }
        body["data"]["attributes"]["email"] = email
        mine = await client.post("/glue/availability-notifications", json=body, headers=auth)
        assert mine.status_code == 201, mine.text
    listed = await client.get("/glue/my-availability-notifications", headers=auth)
    expected_list = SAMPLES[SUBSCRIPTIONS_RESPONSE]
    assert listed.status_code == 200
    assert set(listed.json()) == set(expected_list)
    assert [item["attributes"] for item in listed.json()["data"]] == [
        item["attributes"] for item in expected_list["data"]
    ]
    # The sample's `"links": []` is a doc slip: Glue's builder always writes `self`.
    assert listed.json()["links"] == {
        "self": "http://testserver/glue/my-availability-notifications"
    }

    gone = await client.delete(f"/glue/availability-notifications/{created.json()['data']['id']}")
    assert gone.status_code == 204
