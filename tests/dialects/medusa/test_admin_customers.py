"""`/admin/customers`: seed 003's calls as medusa-js sends them, then the rest of the route's
contract (reference 2.4): filters, expand, validation, 404s, groups and metadata on edit."""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.commands import Registration
from patron.core.domain.tenants import Tenant
from patron.core.identity.staff_credentials import BackOfficeCredential, CredentialKind
from patron.services import Services
from patron.settings import Settings
from tests.conftest import fetch_one
from tests.dialects.medusa.helpers import (
    ISO,
    PASSWORD,
    READ_ONLY,
    ULID,
    Admin,
    create_customer,
    create_group,
    make_admin,
    medusa_client,
    new_customer,
    register,
)

MISSING_ID = "cus_01ARZ3NDEKTSV4RRFFQ69G5FAV"
CUSTOMER_KEYS = [
    "id", "email", "first_name", "last_name", "billing_address_id", "phone", "has_account",
    "metadata", "created_at", "updated_at", "deleted_at",
]  # fmt: skip


# --- seed 003, "How to Manage Customers" ---------------------------------------------------


async def test_seed_list_customers(admin: httpx.AsyncClient) -> None:
    """`medusa.admin.customers.list().then(({ customers, limit, offset, count }) => ...)`"""
    await create_customer(admin)

    response = await admin.get("/admin/customers")

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["customers", "count", "offset", "limit"]
    assert (len(body["customers"]), body["count"], body["offset"], body["limit"]) == (1, 1, 0, 50)
    assert list(body["customers"][0]) == CUSTOMER_KEYS  # no relations by default


async def test_seed_create_a_customer(admin: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    """`medusa.admin.customers.create({email, password, first_name, last_name})`"""
    response = await admin.post("/admin/customers", json=new_customer("Lebron@James.com"))

    assert response.status_code == 201
    customer = response.json()["customer"]
    assert list(customer) == CUSTOMER_KEYS
    assert re.fullmatch(f"cus_{ULID}", customer["id"])
    assert customer["email"] == "lebron@james.com"  # Medusa lower-cases it
    assert (customer["first_name"], customer["last_name"]) == ("Lebron", "James")
    assert customer["has_account"] is True
    assert customer["billing_address_id"] is None and customer["phone"] is None
    assert customer["metadata"] is None and customer["deleted_at"] is None
    assert re.fullmatch(ISO, customer["created_at"]) and re.fullmatch(ISO, customer["updated_at"])
    assert "password" not in response.text and "password_hash" not in response.text
    row = await fetch_one(pool, "SELECT has_account, password_hash FROM customers")
    assert row["has_account"] and row["password_hash"].startswith("$argon2id$")


async def test_seed_edit_a_customer(admin: httpx.AsyncClient) -> None:
    """`medusa.admin.customers.update(customerId, {first_name})`"""
    customer = await create_customer(admin)

    response = await admin.post(f"/admin/customers/{customer['id']}", json={"first_name": "Bron"})

    assert response.status_code == 200
    updated = response.json()["customer"]
    assert updated["id"] == customer["id"] and updated["first_name"] == "Bron"
    assert updated["last_name"] == "James"
    assert updated["orders"] == [] and updated["shipping_addresses"] == []


# --- retrieve -------------------------------------------------------------------------------


async def test_retrieve_has_the_default_relations_and_expand_replaces_them(
    admin: httpx.AsyncClient, store: httpx.AsyncClient
) -> None:
    shopper = await register(store, "shopper@medusa-test.com")
    address = {
        "first_name": "Lebron", "last_name": "James", "address_1": "1 Main St",
        "city": "Akron", "country_code": "US", "postal_code": "44301",
    }  # fmt: skip
    await store.post("/store/customers/me/addresses", json={"address": address})
    group = await create_group(admin, "VIP")
    await admin.post(f"/admin/customers/{shopper['id']}", json={"groups": [{"id": group["id"]}]})

    plain = (await admin.get(f"/admin/customers/{shopper['id']}")).json()["customer"]
    expanded = await admin.get(
        f"/admin/customers/{shopper['id']}", params={"expand": "billing_address,groups"}
    )

    assert list(plain) == [*CUSTOMER_KEYS, "orders", "shipping_addresses"]
    assert plain["orders"] == []
    (shipping,) = plain["shipping_addresses"]
    assert re.fullmatch(f"addr_{ULID}", shipping["id"])
    assert shipping["customer_id"] == shopper["id"]
    assert (shipping["address_1"], shipping["city"], shipping["postal_code"]) == (
        "1 Main St", "Akron", "44301"
    )  # fmt: skip
    assert shipping["country_code"] == "us" and shipping["province"] is None
    assert plain["billing_address_id"] == shipping["id"]
    body = expanded.json()["customer"]
    assert list(body) == [*CUSTOMER_KEYS, "billing_address", "groups"]
    assert body["billing_address"] == shipping
    assert [g["name"] for g in body["groups"]] == ["VIP"]
    assert body["groups"][0]["id"] == group["id"]


async def test_an_unknown_relation_is_left_out(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(admin)

    response = await admin.get(
        f"/admin/customers/{customer['id']}", params={"expand": "orders.items,payment_methods"}
    )

    assert list(response.json()["customer"]) == [*CUSTOMER_KEYS, "orders"]


@pytest.mark.parametrize(
    "customer_id",
    [MISSING_ID, "cus_bogus", "not-an-id", "addr_01ARZ3NDEKTSV4RRFFQ69G5FAV", "cus_" + "Z" * 26],
)
async def test_an_unknown_customer_is_not_found(admin: httpx.AsyncClient, customer_id: str) -> None:
    response = await admin.get(f"/admin/customers/{customer_id}")

    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Customer with id: {customer_id} was not found",
    }
    update = await admin.post(f"/admin/customers/{customer_id}", json={"first_name": "X"})
    assert update.status_code == 404 and update.json() == response.json()


# --- list -----------------------------------------------------------------------------------


async def _customers(admin: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await admin.get("/admin/customers", params=params)
    assert response.status_code == 200, response.text
    return [c["email"] for c in response.json()["customers"]]


async def test_the_list_filters_and_sorts(
    admin: httpx.AsyncClient, admin_user: Admin, services: Services, default_tenant: Tenant
) -> None:
    ann = await create_customer(admin, "ann@example.com", first_name="Ann", last_name="Joplin")
    await create_customer(admin, "bob@example.com", first_name="Bob", last_name="Marley")
    await create_customer(admin, "cyd@jokes.org", first_name="Cyd", last_name="Smith")
    credential = BackOfficeCredential(CredentialKind.API_TOKEN, admin_user.api_token)
    principal = await services.core.back_office.authorize(default_tenant, credential)
    guest = await services.core.customer_admin.create(
        principal, default_tenant, Registration(email="guest@example.com")
    )
    group = await create_group(admin, "VIP")
    await admin.post(f"/admin/customers/{ann['id']}", json={"groups": [{"id": group["id"]}]})

    assert await _customers(admin, q="JO") == ["cyd@jokes.org", "ann@example.com"]
    assert await _customers(admin, q="marl") == ["bob@example.com"]
    assert await _customers(admin, has_account="false") == [guest.email]
    assert len(await _customers(admin, has_account="true")) == 3
    assert len(await _customers(admin, has_account="yes")) == 4  # dropped, as Medusa drops it
    assert await _customers(admin, **{"groups[0]": group["id"]}) == ["ann@example.com"]
    assert await _customers(admin, **{"groups[]": group["id"] + ",cgrp_bogus"}) == [
        "ann@example.com"
    ]
    assert await _customers(admin, groups="cgrp_bogus") == []
    assert await _customers(admin, order="email") == [
        "ann@example.com", "bob@example.com", "cyd@jokes.org", "guest@example.com"
    ]  # fmt: skip
    assert (await _customers(admin, order="-email"))[0] == "guest@example.com"
    assert await _customers(admin, q="jo", order="email") == ["ann@example.com", "cyd@jokes.org"]
    assert await _customers(admin, **{"created_at[gt]": "2000-01-01"}, order="email") == [
        "ann@example.com", "bob@example.com", "cyd@jokes.org", "guest@example.com"
    ]  # fmt: skip
    assert await _customers(admin, **{"created_at[lt]": "2000-01-01T00:00:00Z"}) == []
    assert await _customers(admin, **{"updated_at[lte]": "946684800"}) == []  # seconds, 2000


async def test_the_list_pages_and_counts(admin: httpx.AsyncClient) -> None:
    for i in range(5):
        await create_customer(admin, f"c{i}@example.com")

    page = (await admin.get("/admin/customers", params={"limit": 2, "offset": 3})).json()
    huge = (await admin.get("/admin/customers", params={"limit": 10**12})).json()
    far = (await admin.get("/admin/customers", params={"offset": 10**30})).json()

    assert (len(page["customers"]), page["count"], page["offset"], page["limit"]) == (2, 5, 3, 2)
    assert (len(huge["customers"]), huge["limit"]) == (5, 1000)  # the limit served
    assert (far["customers"], far["count"], far["offset"]) == ([], 5, 2**53 - 1)


async def test_list_expand_loads_each_relation_once_for_the_page(admin: httpx.AsyncClient) -> None:
    for i in range(3):
        await create_customer(admin, f"c{i}@example.com")

    body = (await admin.get("/admin/customers", params={"expand": "groups,orders"})).json()

    for customer in body["customers"]:
        assert customer["groups"] == [] and customer["orders"] == []
        assert "shipping_addresses" not in customer


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=abc", "limit must be a number conforming to the specified constraints"),
        ("offset=-1", "offset must be a number conforming to the specified constraints"),
        ("limit=1.5", "limit must be a number conforming to the specified constraints"),
        ("foo=x", "property foo should not exist"),
        ("foo=x&bar=y&limit=abc",
         "property foo should not exist, property bar should not exist, "
         "limit must be a number conforming to the specified constraints"),
        ("q[a]=b", "q must be a string"),
        ("expand[]=groups", "expand must be a string"),
        ("order=password_hash", "Order field password_hash is not valid"),
        ("created_at=2024-01-01", "nested property created_at must be either object or array"),
        ("created_at[$gte]=2024-01-01", "property $gte should not exist"),
        ("created_at[lt]=someday", "lt must be a Date instance"),
        ("groups[0][id]=x", "each value in groups must be a string"),
        ("q=a%00b", "q must not hold a NUL character"),
    ],
)  # fmt: skip
async def test_a_bad_list_query_is_invalid_data(
    admin: httpx.AsyncClient, query: str, message: str
) -> None:
    response = await admin.get(f"/admin/customers?{query}")

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


async def test_fields_is_accepted_and_ignored(admin: httpx.AsyncClient) -> None:
    await create_customer(admin)

    body = (await admin.get("/admin/customers", params={"fields": "id,email"})).json()

    assert list(body["customers"][0]) == CUSTOMER_KEYS


# --- create ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "email must be an email, first_name must be a string, "
             "last_name must be a string, password must be a string"),
        (new_customer("bad"), "email must be an email"),
        (new_customer(groups=[{"id": "cgrp_x"}]), "property groups should not exist"),
        (new_customer(phone=5), "phone must be a string"),
        (new_customer(metadata=[1]), "metadata must be an object"),
        (new_customer(first_name="x" * 101),
         "first_name must be shorter than or equal to 100 characters"),
        (new_customer(password="short"),
         "password must be longer than or equal to 8 characters"),
    ],
)  # fmt: skip
async def test_a_bad_create_body_is_invalid_data_and_writes_nothing(
    admin: httpx.AsyncClient, pool: asyncpg.Pool, body: dict[str, Any], message: str
) -> None:
    response = await admin.post("/admin/customers", json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert await pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_a_registered_email_is_a_duplicate(admin: httpx.AsyncClient) -> None:
    await create_customer(admin, "taken@example.com")

    response = await admin.post("/admin/customers", json=new_customer("TAKEN@example.com"))

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_request_error",
        "type": "duplicate_error",
        "message": "A customer with the given email already has an account. Log in instead",
    }


async def test_a_read_only_admin_may_list_but_not_create(
    services: Services, settings: Settings, default_tenant: Tenant
) -> None:
    reader = await make_admin(services, default_tenant, "reader@example.com", scopes=READ_ONLY)
    async with medusa_client(
        services, settings, {"x-medusa-access-token": reader.api_token}
    ) as http:
        assert (await http.get("/admin/customers")).status_code == 200
        refused = await http.post("/admin/customers", json=new_customer())
        assert refused.status_code == 403 and refused.json()["type"] == "not_allowed"


# --- update ---------------------------------------------------------------------------------


async def test_groups_replace_the_customers_groups(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(admin)
    vip, gold = await create_group(admin, "VIP"), await create_group(admin, "Gold")
    path = f"/admin/customers/{customer['id']}"

    async def groups(body: dict[str, Any]) -> list[str]:
        response = await admin.post(path, json=body, params={"expand": "groups"})
        assert response.status_code == 200, response.text
        return sorted(g["name"] for g in response.json()["customer"]["groups"])

    assert await groups({"groups": [{"id": vip["id"]}]}) == ["VIP"]
    assert await groups({"groups": [{"id": gold["id"]}, {"id": vip["id"]}]}) == ["Gold", "VIP"]
    assert await groups({"first_name": "Keeps"}) == ["Gold", "VIP"]
    assert await groups({"groups": [{"id": gold["id"]}]}) == ["Gold"]
    assert await groups({"groups": []}) == []


@pytest.mark.parametrize("group_id", ["fake-group-0", "cgrp_01ARZ3NDEKTSV4RRFFQ69G5FAV"])
async def test_an_unknown_group_is_not_found_and_nothing_changes(
    admin: httpx.AsyncClient, group_id: str
) -> None:
    customer = await create_customer(admin)
    vip = await create_group(admin, "VIP")
    path = f"/admin/customers/{customer['id']}"

    response = await admin.post(
        path, json={"first_name": "Changed", "groups": [{"id": vip["id"]}, {"id": group_id}]}
    )

    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Customer_group with customer_group_id {group_id} does not exist.",
    }
    after = (await admin.get(path, params={"expand": "groups"})).json()["customer"]
    assert after["first_name"] == "Lebron" and after["groups"] == []


async def test_metadata_is_merged_and_an_empty_string_removes_a_key(
    admin: httpx.AsyncClient,
) -> None:
    customer = await create_customer(admin, metadata={"a": 1, "b": "x"})
    path = f"/admin/customers/{customer['id']}"

    merged = await admin.post(path, json={"metadata": {"b": "", "c": [1, 2]}})
    emptied = await admin.post(path, json={"metadata": {"a": "", "c": ""}})

    assert customer["metadata"] == {"a": 1, "b": "x"}
    assert merged.json()["customer"]["metadata"] == {"a": 1, "c": [1, 2]}
    assert emptied.json()["customer"]["metadata"] is None


async def test_a_registered_customers_email_is_locked(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(admin)

    response = await admin.post(
        f"/admin/customers/{customer['id']}", json={"email": "new@example.com"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Email cannot be changed when the user has registered their account",
    }


async def test_a_new_password_logs_the_customer_in_with_it_and_ends_their_sessions(
    admin: httpx.AsyncClient, store: httpx.AsyncClient
) -> None:
    shopper = await register(store, "shopper@medusa-test.com")
    assert (await store.get("/store/customers/me")).status_code == 200

    changed = await admin.post(
        f"/admin/customers/{shopper['id']}", json={"password": "brand-new-secret"}
    )

    assert changed.status_code == 200
    assert (await store.get("/store/customers/me")).status_code == 401
    old = {"email": "shopper@medusa-test.com", "password": PASSWORD}
    new = {"email": "shopper@medusa-test.com", "password": "brand-new-secret"}
    assert (await store.post("/store/auth", json=old)).status_code == 401
    assert (await store.post("/store/auth", json=new)).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"groups": [{"id": 5}]}, "id must be a string"),
        ({"groups": [{"id": "x", "name": "y"}]}, "property name should not exist"),
        ({"groups": "cgrp_1"},
         "groups must be an array, "
         "each value in nested property groups must be either object or array"),
        ({"groups": [5]}, "each value in nested property groups must be either object or array"),
        ({"email": None}, "email must be an email"),
        ({"has_account": False}, "property has_account should not exist"),
        ({"metadata": "x", "phone": 1}, "phone must be a string, metadata must be an object"),
    ],
)  # fmt: skip
async def test_a_bad_update_body_is_invalid_data_and_changes_nothing(
    admin: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    customer = await create_customer(admin)

    response = await admin.post(f"/admin/customers/{customer['id']}", json=body)

    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    after = (await admin.get(f"/admin/customers/{customer['id']}")).json()["customer"]
    assert after["updated_at"] == customer["updated_at"]
