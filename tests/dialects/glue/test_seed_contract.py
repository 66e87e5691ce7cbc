"""Replays the request samples of the Glue seed documents and checks our answers have the
shape of their response samples: status, document members, types, attribute names.

The samples are read from copies of the seed files, with their JSON typos repaired the
way a reader would (a missing comma, trailing commas), so a new sample in a seed shows up
here as an uncovered one. The samples of the reference's other Glue pages are replayed by
`test_reference_contract`.
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

SEEDS = Path(__file__).parent / "seeds"
SAMPLES_COVERED = {
    ("Request", "create a customer"),
    ("Response", "create a customer"),
    ("Response", "retrieve customers"),
    ("Response", "retrieve a customer"),
    ("Request", "edit a customer"),
    ("Response", "edit a customer"),
    ("Response", "retrieve subscriptions to availability notifications"),
}


def _repair(body: str) -> str:
    body = re.sub(r'("[^"\n]*")(\s*\n\s*")', r"\1,\2", body)  # the missing comma
    return re.sub(r",(\s*[}\]])", r"\1", body)  # trailing commas


def samples() -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text()
        for block in re.finditer(r"```json\n([\s\S]*?)```", text):
            labels = re.findall(r"(Request|Response) sample: ([^\n<]+)", text[: block.start()])
            kind, name = labels[-1]
            found[(kind, name.strip())] = json.loads(_repair(block.group(1)))
    return found


SAMPLES = samples()


def assert_resource_shape(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    assert actual["type"] == expected["type"]
    assert isinstance(actual["id"], str) and actual["id"]
    missing = set(expected["attributes"]) - set(actual["attributes"])
    assert not missing, f"attributes missing: {missing}"
    assert set(expected["links"]) == set(actual["links"])
    assert actual["links"]["self"].startswith("http://testserver/glue/")
    assert actual["links"]["self"].endswith(f"/{actual['type']}/{actual['id']}")


def assert_document_shape(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    assert set(actual) == set(expected)
    if isinstance(expected["data"], list):
        assert isinstance(actual["data"], list) and actual["data"]
        assert_resource_shape(expected["data"][0], actual["data"][0])
        assert set(actual["links"]) == set(expected["links"])
    else:
        assert_resource_shape(expected["data"], actual["data"])


def test_every_seed_sample_is_replayed_or_scheduled() -> None:
    assert set(SAMPLES) == SAMPLES_COVERED


async def test_seed_samples_replay(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, services: Services
) -> None:
    create = SAMPLES[("Request", "create a customer")]
    created = await client.post("/glue/customers", json=create)
    assert created.status_code == 201, created.text
    assert_document_shape(SAMPLES[("Response", "create a customer")], created.json())
    sent = create["data"]["attributes"]
    attributes = created.json()["data"]["attributes"]
    for name in ("firstName", "lastName", "salutation", "gender", "email"):
        assert attributes[name] == sent[name]
    reference = created.json()["data"]["id"]

    await confirm(client, clean_db, sent["email"])
    tokens = await login(client, sent["email"], sent["password"])
    auth = bearer(tokens)

    listed = await client.get("/glue/customers", headers=auth)
    assert listed.status_code == 200
    assert_document_shape(SAMPLES[("Response", "retrieve customers")], listed.json())

    one = await client.get(f"/glue/customers/{reference}", headers=auth)
    assert one.status_code == 200
    assert_document_shape(SAMPLES[("Response", "retrieve a customer")], one.json())

    edit = SAMPLES[("Request", "edit a customer")]
    edited = await client.patch(f"/glue/customers/{reference}", json=edit, headers=auth)
    assert edited.status_code == 200, edited.text
    assert_document_shape(SAMPLES[("Response", "edit a customer")], edited.json())
    for name, value in edit["data"]["attributes"].items():
        assert edited.json()["data"]["attributes"][name] == value

    subscriptions = SAMPLES[("Response", "retrieve subscriptions to availability notifications")]
    sku = subscriptions["data"][0]["attributes"]["sku"]
    tenant = await services.core.tenants.get("default")
    await services.core.availability.set_availability(tenant, sku, available=False)
    subscribe: dict[str, Any] = {
        "data": {"type": "availability-notifications", "attributes": {"sku": sku}}
    }
    subscribe["data"]["attributes"]["email"] = sent["email"]
    subscribed = await client.post("/glue/availability-notifications", json=subscribe, headers=auth)
    assert subscribed.status_code == 201, subscribed.text
    listed = await client.get(
        f"/glue/customers/{reference}/availability-notifications", headers=auth
    )
    assert listed.status_code == 200
    assert_document_shape(subscriptions, listed.json())
    assert listed.json()["links"]["self"].endswith(
        f"/customers/{reference}/availability-notifications"
    )

    anonymized = await client.delete(f"/glue/customers/{reference}", headers=auth)
    assert anonymized.status_code == 204
