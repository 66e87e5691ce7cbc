"""`/admin/customer-groups` (reference 2.5): groups, members, batches, Medusa's 404 and 422."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import asyncpg
import httpx
import pytest

from tests.dialects.medusa.helpers import ISO, ULID, create_customer, create_group

MISSING_GROUP = "cgrp_01ARZ3NDEKTSV4RRFFQ69G5FAV"
GROUP_KEYS = ["id", "name", "metadata", "created_at", "updated_at", "deleted_at"]


async def test_a_group_is_created_read_edited_and_deleted(admin: httpx.AsyncClient) -> None:
    created = await create_group(admin, "VIP", metadata={"tier": 1})

    assert list(created) == GROUP_KEYS
    assert re.fullmatch(f"cgrp_{ULID}", created["id"])
    assert (created["name"], created["metadata"]) == ("VIP", {"tier": 1})
    assert re.fullmatch(ISO, created["created_at"]) and created["deleted_at"] is None
    path = f"/admin/customer-groups/{created['id']}"
    assert (await admin.get(path)).json() == {"customer_group": created}

    edited = await admin.post(path, json={"name": "VIP+", "metadata": {"tier": "", "x": True}})
    assert edited.status_code == 200
    assert edited.json()["customer_group"]["name"] == "VIP+"
    assert edited.json()["customer_group"]["metadata"] == {"x": True}

    for _ in range(2):  # idempotent
        deleted = await admin.request("DELETE", path, json={})  # medusa-js sends {}
        assert deleted.status_code == 200
        assert deleted.json() == {"id": created["id"], "object": "customer_group", "deleted": True}
    missing = await admin.get(path)
    assert missing.status_code == 404
    assert missing.json() == {
        "type": "not_found",
        "message": f"CustomerGroup with id {created['id']} was not found",
    }


async def test_a_duplicate_name_is_a_duplicate_error(admin: httpx.AsyncClient) -> None:
    await create_group(admin, "vip-customers")

    response = await admin.post("/admin/customer-groups", json={"name": "vip-customers"})
    other_case = await admin.post("/admin/customer-groups", json={"name": "VIP-customers"})

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "Key (name)=(vip-customers) already exists.",
    }
    assert other_case.status_code == 200  # names are unique as written
    renamed = await admin.post(
        f"/admin/customer-groups/{other_case.json()['customer_group']['id']}",
        json={"name": "vip-customers"},
    )
    assert renamed.status_code == 422


@pytest.mark.parametrize("group_id", [MISSING_GROUP, "test-group-000"])
async def test_an_unknown_group_is_not_found_everywhere(
    admin: httpx.AsyncClient, group_id: str
) -> None:
    customer = await create_customer(admin)
    batch = {"customer_ids": [{"id": customer["id"]}]}
    not_found = {"type": "not_found", "message": f"CustomerGroup with id {group_id} was not found"}
    path = f"/admin/customer-groups/{group_id}"

    for method, url, body in (
        ("GET", path, None),
        ("POST", path, {"name": "X"}),
        ("POST", f"{path}/customers/batch", batch),
        ("DELETE", f"{path}/customers/batch", batch),
    ):
        response = await admin.request(method, url, json=body)
        assert (response.status_code, response.json()) == (404, not_found), (method, url)
    deleted = await admin.delete(path)
    assert deleted.json() == {"id": group_id, "object": "customer_group", "deleted": True}
    members = (await admin.get(f"{path}/customers")).json()
    assert (members["customers"], members["count"]) == ([], 0)


async def test_members_are_added_and_removed_in_batches(admin: httpx.AsyncClient) -> None:
    ann = await create_customer(admin, "ann@example.com")
    bob = await create_customer(admin, "bob@example.com")
    group = await create_group(admin, "VIP")
    batch = f"/admin/customer-groups/{group['id']}/customers/batch"
    both = {"customer_ids": [{"id": ann["id"]}, {"id": bob["id"]}]}

    added = await admin.post(batch, json=both)
    again = await admin.post(batch, json={"customer_ids": [{"id": ann["id"]}]})

    assert added.status_code == 200 and again.status_code == 200
    assert added.json()["customer_group"]["id"] == group["id"]
    assert list(added.json()["customer_group"]) == GROUP_KEYS
    listed = (await admin.get(f"/admin/customer-groups/{group['id']}/customers")).json()
    assert sorted(c["email"] for c in listed["customers"]) == ["ann@example.com", "bob@example.com"]
    assert (listed["count"], listed["offset"], listed["limit"]) == (2, 0, 50)
    expanded = await admin.get(
        f"/admin/customer-groups/{group['id']}", params={"expand": "customers"}
    )
    assert sorted(c["id"] for c in expanded.json()["customer_group"]["customers"]) == sorted(
        [ann["id"], bob["id"]]
    )

    removed = await admin.request(
        "DELETE", batch, json={"customer_ids": [{"id": ann["id"]}, {"id": "cus_gone"}]}
    )
    assert removed.status_code == 200
    left = (await admin.get(f"/admin/customer-groups/{group['id']}/customers")).json()
    assert [c["email"] for c in left["customers"]] == ["bob@example.com"]
    # Deleting the group keeps its customers.
    await admin.delete(f"/admin/customer-groups/{group['id']}")
    assert (await admin.get(f"/admin/customers/{bob['id']}")).status_code == 200


async def test_unknown_customers_in_a_batch_are_listed_and_nothing_is_added(
    admin: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    ann = await create_customer(admin, "ann@example.com")
    group = await create_group(admin, "VIP")
    batch = f"/admin/customer-groups/{group['id']}/customers/batch"
    gone, never = "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV", "cus_01BX5ZZKBKACTAV9WEVGEMMVRZ"

    unknown = await admin.post(
        batch,
        json={
            "customer_ids": [
                {"id": ann["id"]},
                {"id": gone},
                {"id": never},
            ]
        },
    )
    malformed = await admin.post(
        batch, json={"customer_ids": [{"id": "test-customer-27"}, {"id": "test-customer-28"}]}
    )

    assert unknown.status_code == 404
    assert unknown.json() == {
        "type": "not_found",
        "message": f'The following customer ids do not exist: "{gone}, {never}"',
    }
    assert malformed.status_code == 404
    assert malformed.json()["message"] == (
        'The following customer ids do not exist: "test-customer-27, test-customer-28"'
    )
    assert await pool.fetchval("SELECT count(*) FROM customer_group_members") == 0


async def test_racing_batches_add_each_member_once(
    admin: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    customers = [await create_customer(admin, f"c{i}@example.com") for i in range(3)]
    group = await create_group(admin, "VIP")
    body = {"customer_ids": [{"id": c["id"]} for c in customers]}
    batch = f"/admin/customer-groups/{group['id']}/customers/batch"

    answers = await asyncio.gather(*(admin.post(batch, json=body) for _ in range(8)))

    assert {a.status_code for a in answers} == {200}
    assert await pool.fetchval("SELECT count(*) FROM customer_group_members") == 3


async def test_the_group_list_pages_by_ten_and_filters(admin: httpx.AsyncClient) -> None:
    names = [f"Group {i:02d}" for i in range(12)]
    created = [await create_group(admin, name) for name in names]

    first = (await admin.get("/admin/customer-groups")).json()
    by_name = (
        await admin.get("/admin/customer-groups", params={"order": "name", "limit": 3})
    ).json()
    searched = (await admin.get("/admin/customer-groups", params={"q": "p 1"})).json()
    by_id = (
        await admin.get(
            "/admin/customer-groups",
            params=[("id[]", created[0]["id"]), ("id[]", created[5]["id"])],
        )
    ).json()
    named = (await admin.get("/admin/customer-groups", params={"name[]": "Group 03"})).json()
    discounted = (
        await admin.get("/admin/customer-groups", params={"discount_condition_id": "dc_1"})
    ).json()

    assert (len(first["customer_groups"]), first["count"], first["offset"], first["limit"]) == (
        10, 12, 0, 10
    )  # fmt: skip
    assert first["customer_groups"][0]["name"] == "Group 11"  # newest first
    assert [g["name"] for g in by_name["customer_groups"]] == names[:3]
    assert sorted(g["name"] for g in searched["customer_groups"]) == names[10:]
    assert sorted(g["name"] for g in by_id["customer_groups"]) == ["Group 00", "Group 05"]
    assert [g["name"] for g in named["customer_groups"]] == ["Group 03"]
    assert (discounted["customer_groups"], discounted["count"]) == ([], 0)


async def test_the_group_list_expands_customers(admin: httpx.AsyncClient) -> None:
    ann = await create_customer(admin, "ann@example.com")
    vip, gold = await create_group(admin, "VIP"), await create_group(admin, "Gold")
    await admin.post(
        f"/admin/customer-groups/{vip['id']}/customers/batch",
        json={"customer_ids": [{"id": ann["id"]}]},
    )

    body = (await admin.get("/admin/customer-groups", params={"expand": "customers"})).json()

    members = {g["name"]: [c["email"] for c in g["customers"]] for g in body["customer_groups"]}
    assert members == {"VIP": ["ann@example.com"], "Gold": []}
    assert gold["id"] in {g["id"] for g in body["customer_groups"]}


@pytest.mark.parametrize(
    ("method", "suffix", "body", "message"),
    [
        ("POST", "", {}, "name must be a string"),
        ("POST", "", {"name": 5}, "name must be a string"),
        ("POST", "", {"name": "X", "metadata": []}, "metadata must be an object"),
        ("POST", "", {"name": "X", "price_lists": []}, "property price_lists should not exist"),
        ("POST", "/{id}", {"name": None}, "name must be a string"),
        ("POST", "/{id}/customers/batch", {},
         "each value in nested property customer_ids must be either object or array"),
        ("POST", "/{id}/customers/batch", {"customer_ids": [{"id": 1}]}, "id must be a string"),
        ("DELETE", "/{id}/customers/batch", {"customer_ids": "cus_1"},
         "each value in nested property customer_ids must be either object or array"),
    ],
)  # fmt: skip
async def test_a_bad_group_body_is_invalid_data(
    admin: httpx.AsyncClient, method: str, suffix: str, body: dict[str, Any], message: str
) -> None:
    group = await create_group(admin, "VIP")
    path = "/admin/customer-groups" + suffix.format(id=group["id"])

    response = await admin.request(method, path, json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert (await admin.get(f"/admin/customer-groups/{group['id']}")).json()[
        "customer_group"
    ] == group
