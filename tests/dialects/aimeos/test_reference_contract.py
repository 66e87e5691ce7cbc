"""What the reference says Aimeos' code does (sections 2-6, checklist 8) that neither the
seed's examples nor Aimeos' own tests show: private keys ignored, values normalised, the
validation statuses, a generated password, active list items only, the links Aimeos
builds, and what a deleted account takes with it."""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import pytest

from tests.dialects.aimeos.black_box import (
    ADDRESSES,
    HOST,
    RELATIONSHIPS,
    added,
    attributes,
    body,
    fixture_user,
    link_parts,
    signed_in,
    titles,
)
from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, AimeosBrowser, NewShop


async def test_private_keys_are_ignored_at_sign_up(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """Reference 3.3: status, groups, ids and dates cannot be set by the customer."""
    private: dict[str, Any] = {
        "customer.status": 0, "customer.groups": ["1"], "groups": ["1"],
        "customer.id": "999", "customer.siteid": "2.", "customer.dateverified": "2020-01-01",
        "customer.ctime": "2000-01-01 00:00:00", "customer.editor": "admin",
    }  # fmt: skip
    customer_id = await shop.sign_up("sonia@example.com", **private)
    login = await (await new_shop("198.51.100.70")).login("sonia@example.com", PASSWORD)

    assert customer_id != "999"
    assert login.status_code == 200, login.text  # enabled, whatever `status` said
    row = await clean_db.fetchrow(
        "SELECT email_verified_at, created_at FROM customers WHERE id = $1", int(customer_id)
    )
    assert row is not None and row["email_verified_at"] is None
    assert row["created_at"].year > 2000
    assert await clean_db.fetchval("SELECT count(*) FROM customer_group_members") == 0


async def test_values_are_normalised_as_aimeos_items_do(shop: AimeosBrowser) -> None:
    """Reference 3.1 and 3.7: upper-case country, `xx_YY` language, no spaces in the VAT
    id, coordinates as numbers, the code falling back to the e-mail."""
    await signed_in(
        shop,
        "Sonia@Example.com",
        **{
            "customer.countryid": "de", "customer.languageid": "de_ch",
            "customer.vatid": "DE 123 456 789", "customer.longitude": "10.5",
            "customer.latitude": 53, "customer.birthday": "1990-05-31",
        },
    )  # fmt: skip

    shown = body(await shop.get(CUSTOMER))["data"]["attributes"]

    assert {k: shown[f"customer.{k}"] for k in (
        "countryid", "languageid", "vatid", "longitude", "latitude", "birthday", "code")} == {
        "countryid": "DE", "languageid": "de_CH", "vatid": "DE123456789", "longitude": 10.5,
        "latitude": 53.0, "birthday": "1990-05-31", "code": shown["customer.email"],
    }  # fmt: skip
    assert shown["customer.email"].lower() == "sonia@example.com"


@pytest.mark.parametrize(
    ("values", "title"),
    [
        ({"customer.email": "not an address"}, "Invalid characters in email address"),
        ({"customer.website": "javascript:alert(1)"}, "Invalid web site URL"),
        ({"customer.salutation": "Excellency"}, "salutation"),
        ({"customer.countryid": "Germany"}, "countr"),
        ({"customer.birthday": "31.05.1990"}, "date"),
    ],
    ids=["email", "website", "salutation", "country", "birthday"],
)
async def test_invalid_values_are_404_naming_the_problem(
    shop: AimeosBrowser, values: dict[str, Any], title: str
) -> None:
    """Reference 3.7: Aimeos' item validation is 404 (its `Utils` checks are a 500 there,
    never here); the title says what was wrong."""
    await signed_in(shop, "sonia@example.com")

    response = await shop.write("PATCH", CUSTOMER, json=attributes(**values))

    assert response.status_code == 404, response.text
    [said] = titles(response)
    assert title.lower() in said.lower()
    assert body(await shop.get(CUSTOMER))["data"]["attributes"]["customer.email"] == (
        "sonia@example.com"
    )


async def test_an_empty_password_is_generated_and_mailed(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """Reference 3.3: a customer who chose no password is mailed the one made for them,
    which then logs them in."""
    await shop.sign_up("nopass@example.com", **{"customer.password": ""})
    mail = await clean_db.fetchval(
        "SELECT body FROM outbox WHERE recipient = 'nopass@example.com' ORDER BY id DESC"
    )
    found = re.search(r"password: (\S+)", mail)
    assert found, mail

    login = await (await new_shop("198.51.100.71")).login("nopass@example.com", found.group(1))
    assert login.status_code == 200, login.text


async def test_a_new_code_resets_the_verification(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    """Reference 3.3: changing `customer.code` resets `customer.dateverified`."""
    customer_id = int(await signed_in(shop, "sonia@example.com"))
    await clean_db.execute(
        "UPDATE customers SET email_verified_at = now() WHERE id = $1", customer_id
    )

    same = await shop.write(
        "PATCH", CUSTOMER, json=attributes(**{"customer.code": "sonia@example.com"})
    )
    kept = await clean_db.fetchval(
        "SELECT email_verified_at FROM customers WHERE id = $1", customer_id
    )
    changed = await shop.write("PATCH", CUSTOMER, json=attributes(**{"customer.code": "sonia-w"}))
    reset = await clean_db.fetchval(
        "SELECT email_verified_at FROM customers WHERE id = $1", customer_id
    )

    assert (same.status_code, changed.status_code) == (200, 200), changed.text
    assert kept is not None and reset is None
    assert body(changed)["data"]["attributes"]["customer.code"] == "sonia-w"


async def test_only_active_list_items_are_shown(shop: AimeosBrowser) -> None:
    """Reference 6: status > 0 and within its dates; the POST answer lists active ones."""
    await fixture_user(shop)
    answer = await added(
        shop,
        RELATIONSHIPS,
        [
            {"attributes": {"customer.lists.domain": "product", "customer.lists.refid": "10",
                            "customer.lists.status": 0}},
            {"attributes": {"customer.lists.domain": "product", "customer.lists.refid": "11",
                            "customer.lists.dateend": "2001-01-01 00:00:00"}},
            {"attributes": {"customer.lists.domain": "product", "customer.lists.refid": "12",
                            "customer.lists.datestart": "2999-01-01T00:00"}},
            {"attributes": {"customer.lists.domain": "product", "customer.lists.refid": "13",
                            "customer.lists.position": 3}},
        ],
    )  # fmt: skip
    listed = body(await shop.get(CUSTOMER, params=RELATIONSHIPS))["data"]

    refids = sorted(item["attributes"]["customer.lists.refid"] for item in listed)
    assert refids == ["1", "13", "2"]
    assert sorted(item["attributes"]["customer.lists.refid"] for item in answer) == refids
    [thirteen] = [i for i in listed if i["attributes"]["customer.lists.refid"] == "13"]
    assert thirteen["attributes"]["customer.lists.position"] == 3
    assert thirteen["attributes"]["customer.lists.type"] == "default"


async def test_links_are_built_as_aimeos_templates_build_them(shop: AimeosBrowser) -> None:
    """Reference 2.7 and 3.2: the item links, `basket.address` (delivery in the address
    resource, payment in customer `included`) and a list relation's link under its domain."""
    user = await fixture_user(shop)
    [address] = body(await shop.get(CUSTOMER, params=ADDRESSES))["data"]
    customer = body(await shop.get(CUSTOMER, params={"include": "customer/address,product"}))

    basket, basket_query = link_parts(address["links"]["basket.address"]["href"])
    assert (basket, basket_query) == (
        f"{HOST}/jsonapi/basket",
        {"id": ["default"], "related": ["address"], "relatedid": ["delivery"]},
    )
    [included] = [i for i in customer["included"] if i["type"] == "customer.address"]
    assert link_parts(included["links"]["basket.address"]["href"])[1]["relatedid"] == ["payment"]
    assert included["links"]["self"]["allow"] == ["DELETE", "GET", "PATCH"]
    products = customer["data"]["relationships"]["product"]["data"]
    favourite = next(
        p for p in products if p["attributes"]["customer.lists.id"] == user.favourite_id
    )
    assert favourite["id"] == "1"  # the refid
    assert link_parts(favourite["links"]["self"]["href"]) == (
        f"{HOST}/jsonapi/product",
        {"id": [user.id], "related": ["relationships"], "relatedid": [user.favourite_id]},
    )
    assert customer["links"]["customer/review"]["allow"] == ["GET", "POST"]


async def test_a_deleted_account_takes_its_addresses_properties_and_lists_along(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """Reference 3.6: the account's addresses, properties and list items go, another
    customer's stay; the account's mail keeps no trace of its address."""
    other = await fixture_user(await new_shop("198.51.100.72"), "other@example.com")
    user = await fixture_user(shop)

    deleted = await shop.write("DELETE", CUSTOMER)

    assert (deleted.status_code, body(deleted)["meta"]["total"]) == (200, 0)
    for table in ("addresses", "customer_properties", "customer_list_items"):
        counts = {
            customer_id: await clean_db.fetchval(
                f"SELECT count(*) FROM {table} WHERE customer_id = $1", int(customer_id)
            )
            for customer_id in (user.id, other.id)
        }
        assert counts[user.id] == 0 and counts[other.id] > 0, table
    assert (
        await clean_db.fetchval(
            "SELECT count(*) FROM customers WHERE lower(email) = 'test@example.com'"
        )
        == 0
    )


@pytest.mark.parametrize("related", ["address", "property", "relationships"])
async def test_an_unknown_relatedid_reads_as_no_item(shop: AimeosBrowser, related: str) -> None:
    """Reference 4-6: a `relatedid` answer holds an item (an object) or none (no `data`),
    for a visitor as for a customer; never the list shape."""
    params = {"related": related, "relatedid": "424242", "include": "product"}
    anonymous = await shop.get(CUSTOMER, params=params)
    await signed_in(shop, "sonia@example.com")
    logged_in = await shop.get(CUSTOMER, params=params)

    for response in (anonymous, logged_in):
        assert response.status_code == 200, response.text
        assert "data" not in body(response), response.text
        assert body(response)["meta"]["total"] == 0
