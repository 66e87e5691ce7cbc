"""`/jsonapi/customer`: the visitor's empty item, sign-up, the logged-in customer's own
document, its updates and its deletion (reference 3)."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from patron.core.domain.model import Customer
from patron.services import Services
from tests.conftest import fetch_one
from tests.dialects.aimeos.helpers import (
    CUSTOMER,
    PASSWORD,
    AimeosBrowser,
    NewShop,
    existing_customer,
)

FULL = {
    "customer.code": "testuser@example.com",
    "customer.label": "Test user",
    "customer.salutation": "mr",
    "customer.company": "Example company",
    "customer.vatid": "DE 123 456 789",
    "customer.title": "Dr.",
    "customer.firstname": "Test",
    "customer.lastname": "User",
    "customer.address1": "Test street",
    "customer.address2": "1",
    "customer.address3": "",
    "customer.postal": "12345",
    "customer.city": "Test city",
    "customer.state": "HH",
    "customer.countryid": "de",
    "customer.languageid": "de",
    "customer.telephone": "+4912345678",
    "customer.telefax": "+49123456789",
    "customer.email": "testuser@example.com",
    "customer.website": "https://example.com",
    "customer.longitude": 10.0,
    "customer.latitude": 50.0,
    "customer.birthday": "2000-01-01",
    "customer.password": PASSWORD,
}


def attributes_of(response: Any) -> dict[str, Any]:
    found: dict[str, Any] = response.json()["data"]["attributes"]
    return found


async def sign_up(shop: AimeosBrowser, attributes: dict[str, Any]) -> Any:
    return await shop.write("POST", CUSTOMER, {"data": {"attributes": attributes}})


# --- GET ------------------------------------------------------------------------------------


async def test_a_visitor_gets_an_empty_item(shop: AimeosBrowser) -> None:
    response = await shop.get()

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["total"] == 1
    assert body["data"]["id"] is None
    assert body["data"]["type"] == "customer"
    attributes = body["data"]["attributes"]
    assert len(attributes) == 25
    assert attributes["customer.id"] is None
    assert attributes["customer.firstname"] == ""
    assert attributes["customer.countryid"] is None
    assert body["included"] == []
    assert body["links"]["customer/address"] == {
        "href": "http://testserver/jsonapi/customer?related=address",
        "allow": ["GET", "POST"],
    }


async def test_a_customer_gets_its_25_public_attributes(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    response = await shop.get()

    body = response.json()
    attributes = body["data"]["attributes"]
    assert len(attributes) == 25
    assert attributes["customer.id"] == str(logged_in.id)
    assert attributes["customer.code"] == "sonia@example.com"
    assert attributes["customer.label"] == "Sonia Wagner"
    assert "customer.status" not in attributes and "customer.groups" not in attributes
    assert "relationships" not in body["data"]
    assert body["data"]["links"]["self"] == {
        "href": f"http://testserver/jsonapi/customer?id={logged_in.id}",
        "allow": ["DELETE", "GET", "PATCH"],
    }
    assert body["links"]["customer/property"]["href"] == (
        f"http://testserver/jsonapi/customer?id={logged_in.id}&related=property"
    )


async def test_fields_keep_only_the_listed_attributes(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    response = await shop.get(params={"fields[customer]": "customer.code,customer.email"})

    assert attributes_of(response) == {
        "customer.code": "sonia@example.com",
        "customer.email": "sonia@example.com",
    }
    assert response.json()["links"]["self"] == (
        "http://testserver/jsonapi/customer?fields%5Bcustomer%5D=customer.code%2Ccustomer.email"
    )


async def test_include_fills_relationships_and_included(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    await shop.write(
        "POST",
        CUSTOMER,
        {"data": {"attributes": {"customer.address.city": "Berlin"}}},
        params={"related": "address"},
    )
    await shop.write(
        "POST",
        CUSTOMER,
        {
            "data": {
                "attributes": {"customer.property.type": "limit", "customer.property.value": "1000"}
            }
        },
        params={"related": "property"},
    )

    response = await shop.get(params={"include": "customer.address,customer.property"})

    body = response.json()
    relationships = body["data"]["relationships"]
    assert len(relationships["customer.address"]["data"]) == 1
    assert len(relationships["customer.property"]["data"]) == 1
    assert [i["type"] for i in body["included"]] == ["customer.address", "customer.property"]
    address = body["included"][0]
    assert address["links"]["basket.address"]["href"] == (
        "http://testserver/jsonapi/basket?id=default&related=address&relatedid=payment"
    )


async def test_an_empty_include_shows_no_relationships(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    response = await shop.get(params={"include": ""})

    assert "relationships" not in response.json()["data"]
    assert response.json()["included"] == []


async def test_groups_show_as_read_only_relationships(
    shop: AimeosBrowser, services: Services, logged_in: Customer
) -> None:
    tenant = await services.core.tenants.get("default")
    group = await services.pool.fetchval(
        "INSERT INTO customer_groups (tenant_id, uuid, name, metadata, created_at, updated_at) "
        "VALUES ($1, gen_random_uuid(), 'VIP', '{}', now(), now()) RETURNING id",
        tenant.id,
    )
    await services.pool.execute(
        "INSERT INTO customer_group_members (group_id, customer_id, created_at) "
        "VALUES ($1, $2, now())",
        group,
        logged_in.id,
    )

    response = await shop.get(params={"include": "group"})

    body = response.json()
    related = body["data"]["relationships"]["group"]["data"]
    assert [r["id"] for r in related] == [str(group)]
    assert related[0]["type"] == "group"
    assert related[0]["links"]["self"]["allow"] == ["DELETE", "PATCH"]
    assert body["included"] == [
        {
            "id": str(group),
            "type": "group",
            "attributes": {"group.id": str(group), "group.code": "VIP", "group.label": "VIP"},
        }
    ]


# --- POST -----------------------------------------------------------------------------------


async def test_sign_up_answers_only_the_id(shop: AimeosBrowser, services: Services) -> None:
    response = await sign_up(shop, FULL)

    assert response.status_code == 201
    body = response.json()
    assert body["meta"]["total"] == 1
    assert body["data"]["attributes"] == {"customer.id": body["data"]["id"]}
    assert set(body["links"]) == {
        "self",
        "customer/address",
        "customer/property",
        "customer/relationships",
        "customer/review",
    }
    await shop.login("testuser@example.com")
    shown = attributes_of(await shop.get())
    assert shown["customer.vatid"] == "DE123456789"
    assert shown["customer.countryid"] == "DE"
    assert shown["customer.city"] == "Test city"
    assert shown["customer.salutation"] == "mr"
    assert shown["customer.birthday"] == "2000-01-01"
    assert shown["customer.latitude"] == 50.0
    assert shown["customer.code"] == "testuser@example.com"
    assert shown["customer.label"] == "Test user"


async def test_the_billing_address_shows_in_glue_and_medusa_alike(
    shop: AimeosBrowser, services: Services
) -> None:
    await sign_up(shop, FULL)
    await shop.login("testuser@example.com")

    listed = (await shop.get(CUSTOMER, params={"related": "address"})).json()["data"]

    assert len(listed) == 1
    address = listed[0]["attributes"]
    assert address["customer.address.address1"] == "Test street"
    assert address["customer.address.firstname"] == "Test"
    assert address["customer.address.company"] == "Example company"
    row = await fetch_one(
        services.pool, "SELECT is_default_billing, city FROM addresses WHERE city = 'Test city'"
    )
    assert row["is_default_billing"] is True


async def test_private_keys_are_ignored_and_html_is_stripped(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    attributes = {
        "customer.email": "eve@example.com",
        "customer.password": PASSWORD,
        "customer.status": 0,
        "customer.groups": ["1"],
        "groups": ["1"],
        "customer.firstname": "<script>alert(1)</script>Eve",
    }

    assert (await sign_up(shop, attributes)).status_code == 201

    row = await fetch_one(clean_db, "SELECT first_name, is_active FROM customers")
    assert row["first_name"] == "alert(1)Eve"
    assert row["is_active"] is True


async def test_an_empty_password_is_generated_and_mailed(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    response = await sign_up(shop, {"customer.email": "mia@example.com", "customer.password": ""})

    assert response.status_code == 201
    mail = await fetch_one(clean_db, "SELECT recipient, body FROM outbox")
    assert mail["recipient"] == "mia@example.com"


async def test_at_most_three_accounts_per_address(shop: AimeosBrowser, new_shop: NewShop) -> None:
    for n in range(3):
        assert (await sign_up(shop, {"customer.email": f"u{n}@example.com"})).status_code == 201

    refused = await sign_up(shop, {"customer.email": "u4@example.com"})

    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"title": "Temporary limit reached"}]
    elsewhere = await new_shop("198.51.100.20")
    assert (await sign_up(elsewhere, {"customer.email": "u4@example.com"})).status_code == 201


async def test_a_taken_email_is_refused(shop: AimeosBrowser, services: Services) -> None:
    await existing_customer(services)

    response = await sign_up(shop, {"customer.email": "SONIA@example.com"})

    assert response.status_code == 403
    assert response.json()["errors"][0]["title"]


@pytest.mark.parametrize(
    ("attributes", "title"),
    [
        ({"customer.email": "not-an-email"}, 'Invalid characters in email address: "not-an-email"'),
        ({}, 'Invalid characters in email address: ""'),
        (
            {"customer.email": "a@example.com", "customer.website": "no url"},
            'Invalid web site URL "no url"',
        ),
        (
            {"customer.email": "a@example.com", "customer.salutation": "excellency"},
            'Address salutation "excellency" not within allowed range',
        ),
        (
            {"customer.email": "a@example.com", "customer.countryid": "DEU"},
            'Invalid country code "DEU"',
        ),
        ({"customer.email": "a@example.com", "customer.countryid": "XX"}, "Invalid country code"),
        (
            {"customer.email": "a@example.com", "customer.languageid": "deutsch"},
            'Invalid language ID "deutsch"',
        ),
        (
            {"customer.email": "a@example.com", "customer.birthday": "01.01.2000"},
            'Invalid date "01.01.2000"',
        ),
        (
            {"customer.email": "a@example.com", "customer.birthday": "2000-02-31"},
            'Invalid date "2000-02-31"',
        ),
        (
            {"customer.email": "a@example.com", "customer.code": "has space"},
            'Invalid customer code "has space"',
        ),
        (
            {"customer.email": "a@example.com", "customer.latitude": "north"},
            'Invalid value for "customer.latitude"',
        ),
        (
            {"customer.email": "a@example.com", "customer.firstname": {"a": 1}},
            'Invalid value for "customer.firstname"',
        ),
        (
            {"customer.email": "a@example.com", "customer.firstname": "x" * 65},
            'Value of "customer.firstname" is longer than 64 characters',
        ),
    ],
)
async def test_invalid_values_are_404_naming_them(
    shop: AimeosBrowser, clean_db: asyncpg.Pool, attributes: dict[str, Any], title: str
) -> None:
    response = await sign_up(shop, attributes)

    assert response.status_code == 404
    assert response.json()["errors"] == [{"title": title}]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


@pytest.mark.parametrize(
    ("body", "title"),
    [
        (b"", "Invalid JSON in body"),
        (b"{not json", "Invalid JSON in body"),
        (
            b'{"data": [{"attributes": {"customer.email": "a@example.com"}}]}',
            "Attributes are missing",
        ),
        (b'{"data": {"type": "customer"}}', "Attributes are missing"),
        (b"[1, 2]", "Invalid JSON in body"),
    ],
)
async def test_malformed_bodies_are_400(
    shop: AimeosBrowser, clean_db: asyncpg.Pool, body: bytes, title: str
) -> None:
    await shop.options()

    response = await shop.http.post(CUSTOMER, params={"_token": shop.csrf or ""}, content=body)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"title": title}]


async def test_post_while_logged_in_updates_the_own_account(
    shop: AimeosBrowser, logged_in: Customer
) -> None:
    response = await sign_up(shop, {"customer.firstname": "Sophie"})

    assert response.status_code == 201
    assert response.json()["data"]["attributes"] == {"customer.id": str(logged_in.id)}
    assert attributes_of(await shop.get())["customer.firstname"] == "Sophie"


# --- PATCH ----------------------------------------------------------------------------------


async def test_patch_changes_only_what_is_sent(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await shop.write(
        "PATCH",
        CUSTOMER,
        {
            "data": {
                "attributes": {
                    "customer.status": 0,
                    "customer.latitude": "50.1",
                    "customer.city": "Hamburg",
                }
            }
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["total"] == 1
    attributes = body["data"]["attributes"]
    assert attributes["customer.latitude"] == 50.1
    assert attributes["customer.city"] == "Hamburg"
    assert attributes["customer.firstname"] == "Sonia"
    assert attributes["customer.code"] == "sonia@example.com"
    assert "customer.status" not in attributes


async def test_patch_edits_the_billing_address_in_place(
    shop: AimeosBrowser, logged_in: Customer, services: Services
) -> None:
    for city in ("Hamburg", "Bremen"):
        await shop.write("PATCH", CUSTOMER, {"data": {"attributes": {"customer.city": city}}})
    await shop.write("PATCH", CUSTOMER, {"data": {"attributes": {"customer.lastname": "Weber"}}})

    rows = await services.pool.fetch("SELECT city, last_name FROM addresses")
    assert [(r["city"], r["last_name"]) for r in rows] == [("Bremen", "Weber")]


async def test_patch_changes_the_password(shop: AimeosBrowser, logged_in: Customer) -> None:
    await shop.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.password": "very+secret"}}}
    )
    await shop.logout()

    assert (await shop.login("sonia@example.com", "very+secret")).status_code == 200


async def test_patch_with_a_code_keeps_it(shop: AimeosBrowser, logged_in: Customer) -> None:
    response = await shop.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.code": "sonia-w"}}}
    )

    assert attributes_of(response)["customer.code"] == "sonia-w"


async def test_a_visitor_cannot_patch(shop: AimeosBrowser, clean_db: asyncpg.Pool) -> None:
    response = await shop.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.email": "x@example.com"}}}
    )

    assert response.status_code == 401
    assert response.json()["errors"] == [{"title": "Authentication required"}]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0


# --- DELETE ---------------------------------------------------------------------------------


async def test_delete_anonymizes_the_account_and_frees_the_email(
    shop: AimeosBrowser, logged_in: Customer, clean_db: asyncpg.Pool
) -> None:
    response = await shop.write("DELETE", CUSTOMER, params={"id": str(logged_in.id)})

    assert response.status_code == 200
    assert response.json()["meta"]["total"] == 0
    assert "data" not in response.json()
    assert (await shop.get()).json()["data"]["id"] is None
    row = await fetch_one(clean_db, "SELECT email, anonymized_at FROM customers")
    assert row["email"] != "sonia@example.com" and row["anonymized_at"] is not None
    assert (await sign_up(shop, {"customer.email": "sonia@example.com"})).status_code == 201


async def test_a_visitors_delete_is_200_and_does_nothing(
    shop: AimeosBrowser, services: Services, clean_db: asyncpg.Pool
) -> None:
    await existing_customer(services)

    response = await shop.write("DELETE", CUSTOMER)

    assert response.status_code == 200
    assert response.json()["meta"]["total"] == 0
    assert (
        await clean_db.fetchval("SELECT count(*) FROM customers WHERE anonymized_at IS NULL") == 1
    )


async def test_visitor_and_customer_attributes_come_in_one_order(
    shop: AimeosBrowser, services: Services
) -> None:
    empty = attributes_of(await shop.get())
    await existing_customer(services)
    await shop.login("sonia@example.com")

    assert list(attributes_of(await shop.get())) == list(empty)


async def test_json_labelled_as_a_form_is_read_as_json(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    """jQuery's `$.ajax({data: JSON.stringify(...)})` sends JSON as a form; Aimeos reads
    the body as JSON whatever it is labelled."""
    await shop.options()
    body = b'{"data": {"attributes": {"customer.email": "jq@example.com"}}}'

    response = await shop.http.post(
        CUSTOMER,
        params={"_token": shop.csrf or ""},
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )

    assert response.status_code == 201
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1


async def test_a_session_ended_elsewhere_is_a_visitor(
    shop: AimeosBrowser, new_shop: NewShop, logged_in: Customer
) -> None:
    other = await new_shop("198.51.100.40")
    await other.login("sonia@example.com")

    await shop.write("DELETE", CUSTOMER)
    read = await other.get()
    written = await other.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.firstname": "X"}}}
    )

    assert read.status_code == 200 and read.json()["data"]["id"] is None
    assert written.status_code == 401
