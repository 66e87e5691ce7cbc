"""`/jsonapi` probed as an attacker would: hostile bodies and values, writes that must not
happen, another customer's ids, group writes, odd requests, logs. (Forged tokens and
sessions: `test_forgery`; volume and races: `test_limits_and_races`.)

Each refusal is a clean Aimeos error (`{"errors": [{"title": ...}]}`, never a 500), and a
refused write leaves the whole database as it was (`database_state`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.clients.medusa.admin import admin_api_token
from tests.database_state import database_state
from tests.dialects.aimeos.black_box import (
    ADDRESSES,
    HOST,
    PROPERTIES,
    RELATIONSHIPS,
    FixtureUser,
    assert_clean_error,
    attributes,
    body,
    fixture_user,
    fixture_user_and_state,
    signed_in,
    titles,
    token,
)
from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, AimeosBrowser, NewShop

SUB_RESOURCES = {"address": ADDRESSES, "property": PROPERTIES, "relationships": RELATIONSHIPS}
EVERY_RESOURCE = {"customer": {}, **SUB_RESOURCES}
A_WRITE: dict[str, Any] = attributes(**{"customer.firstname": "Mallory"})
MEDUSA = {"Accept": "application/json"}


@pytest.fixture
async def victim(new_shop: NewShop) -> FixtureUser:
    """Aimeos' fixture user in a browser of its own (another client address)."""
    return await fixture_user(await new_shop("192.0.2.10"), "victim@example.com")


# --- hostile bodies -----------------------------------------------------------------------


async def test_a_body_over_the_limit_is_413_before_it_is_read(
    shop: AimeosBrowser, settings: Settings, clean_db: asyncpg.Pool
) -> None:
    """A `Content-Length` over the limit is refused unread; a chunked body is read up to
    the limit only."""
    await signed_in(shop, "sonia@example.com")
    before = await database_state(clean_db)
    sent = {"declared": 0, "chunked": 0}

    async def endless(name: str) -> AsyncIterator[bytes]:
        for _ in range(10_000):
            sent[name] += 1
            yield b" " * 1024

    whole = await shop.write("PATCH", CUSTOMER, json={"x": "x" * settings.max_body_bytes})
    declared = await shop.http.request(
        "PATCH",
        CUSTOMER,
        params={"_token": token(shop)},
        content=endless("declared"),
        headers={"Content-Length": str(10_000 * 1024)},
    )
    chunked = await shop.http.request(
        "POST", CUSTOMER, params={"_token": token(shop), **ADDRESSES}, content=endless("chunked")
    )

    for response in (whole, declared, chunked):
        assert_clean_error(response, 413)
    assert sent["declared"] <= 1
    assert sent["chunked"] <= settings.max_body_bytes // 1024 + 2
    assert await database_state(clean_db) == before


async def test_deeply_nested_json_is_a_bad_request(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    await signed_in(shop, "sonia@example.com")
    before = await database_state(clean_db)
    deep = '{"data": {"attributes": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}}"

    for resource in EVERY_RESOURCE.values():
        for method in ("POST", "PATCH"):
            response = await shop.http.request(
                method,
                CUSTOMER,
                params={**resource, "_token": token(shop)},
                content=deep,
                headers={"Content-Type": "application/json"},
            )
            assert_clean_error(response, 400)
    assert await database_state(clean_db) == before


@pytest.mark.parametrize(
    "value",
    ["Ann\x00", "Ann\x07Lee", "Ann\x1b[31m", "\u202eAnn", "Ann\u2066x\u2069", "Ann\u200b",
     "Ann\ud800"],
    ids=["nul", "bell", "escape", "rlo", "isolate", "zero-width", "surrogate"],
)  # fmt: skip
async def test_control_and_format_characters_are_refused_everywhere(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool, value: str
) -> None:
    await signed_in(shop, "sonia@example.com")
    anonymous = await new_shop("192.0.2.20")
    await anonymous.options()
    before = await database_state(clean_db)
    writes: list[tuple[AimeosBrowser, str, dict[str, str], dict[str, Any]]] = [
        (anonymous, "POST", {}, attributes(**{"customer.email": "new@example.com",
                                              "customer.lastname": value})),
        (shop, "PATCH", {}, attributes(**{"customer.firstname": value})),
        (shop, "POST", ADDRESSES, attributes(**{"customer.address.city": value})),
        (shop, "POST", PROPERTIES, attributes(**{"customer.property.type": "note",
                                                 "customer.property.value": value})),
        (shop, "POST", RELATIONSHIPS, attributes(**{"customer.lists.domain": "product",
                                                    "customer.lists.refid": value})),
    ]  # fmt: skip

    for browser, method, params, document in writes:
        content = json.dumps(document).encode()  # a lone surrogate travels as \\ud800
        response = await browser.http.request(
            method,
            CUSTOMER,
            params={**params, "_token": token(browser)},
            content=content,
            headers={"Content-Type": "application/json"},
        )
        assert_clean_error(response, 400, 404)
    assert await database_state(clean_db) == before


async def test_html_in_customer_values_is_stripped(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    """Reference 3.3: `strip_tags` on every customer value, at sign-up and on PATCH."""
    customer_id = await signed_in(
        shop,
        "sonia@example.com",
        **{
            "customer.firstname": "<b>Sonia</b>",
            "customer.lastname": "<script>alert(1)</script>Wagner",
            "customer.company": '<img src=x onerror="alert(1)">ACME',
        },
    )
    patched = await shop.write(
        "PATCH",
        CUSTOMER,
        json=attributes(**{"customer.city": "<a href='javascript:alert(1)'>Berlin</a>",
                           "customer.title": "Dr.<!-- hidden -->"}),
    )  # fmt: skip

    shown = body(patched)["data"]["attributes"]
    assert {k: shown[f"customer.{k}"] for k in ("firstname", "lastname", "company", "city",
                                                  "title")} == {
        "firstname": "Sonia", "lastname": "alert(1)Wagner", "company": "ACME", "city": "Berlin",
        "title": "Dr.",
    }  # fmt: skip
    row = await clean_db.fetchrow(
        "SELECT first_name, last_name FROM customers WHERE id = $1", int(customer_id)
    )
    assert row is not None and (row["first_name"], row["last_name"]) == ("Sonia", "alert(1)Wagner")


# --- writes that must not happen ----------------------------------------------------------


async def test_anonymous_writes_are_refused_and_write_nothing(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    """Aimeos would make a new account for an anonymous PATCH or sub-resource POST (its
    controller holds an empty customer, reference 10); Patron asks for a login instead.
    An anonymous DELETE deletes nothing and succeeds, as Aimeos' does (reference 3.6)."""
    await shop.options()
    before = await database_state(clean_db)
    address = attributes(**{"customer.address.city": "Berlin"})
    listed = attributes(**{"customer.lists.domain": "product", "customer.lists.refid": "1"})

    refused = [
        await shop.write("PATCH", CUSTOMER, json=A_WRITE),
        await shop.write("POST", CUSTOMER, json=address, params=ADDRESSES),
        await shop.write("PATCH", CUSTOMER, json=address, params={**ADDRESSES, "relatedid": "1"}),
        await shop.write("POST", CUSTOMER, json=listed, params=RELATIONSHIPS),
    ]
    deleted = [
        await shop.write("DELETE", CUSTOMER),
        await shop.write("DELETE", CUSTOMER, params={**PROPERTIES, "relatedid": "1"}),
    ]

    for response in refused:
        assert assert_clean_error(response, 401) == ["Authentication required"]
    for response in deleted:
        assert (response.status_code, body(response)["meta"]["total"]) == (200, 0)
    assert await database_state(clean_db) == before


async def test_a_batch_with_one_bad_item_writes_none_of_it(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    """Several items in one POST are added all or none: nothing half-written."""
    _, before = await fixture_user_and_state(shop, clean_db)
    batches = [
        (ADDRESSES, [{"attributes": {"customer.address.city": "Berlin"}},
                     {"attributes": {"customer.address.countryid": "Germany"}}]),
        (PROPERTIES, [{"attributes": {"customer.property.type": "a",
                                      "customer.property.value": "1"}},
                      {"attributes": {"customer.property.type": "b",
                                      "customer.property.value": "\u202e1"}}]),
        (RELATIONSHIPS, [{"attributes": {"customer.lists.domain": "product",
                                         "customer.lists.refid": "7"}},
                         {"attributes": {"customer.lists.domain": "group",
                                         "customer.lists.refid": "1"}}]),
        (RELATIONSHIPS, [{"attributes": {"customer.lists.domain": "product",
                                         "customer.lists.refid": "8"}},
                         {"no attributes": {}}]),
    ]  # fmt: skip

    for related, items in batches:
        response = await shop.write("POST", CUSTOMER, json={"data": items}, params=related)
        assert_clean_error(response, 400, 403, 404)
    assert await database_state(clean_db) == before


# --- another customer's data --------------------------------------------------------------


async def test_another_customers_relatedid_reads_and_changes_nothing(
    shop: AimeosBrowser, victim: FixtureUser, clean_db: asyncpg.Pool
) -> None:
    await signed_in(shop, "mallory@example.com")
    before = await database_state(clean_db)
    theirs = {
        "address": victim.address_id,
        "property": victim.property_id,
        "relationships": victim.favourite_id,
    }

    for name, related in SUB_RESOURCES.items():
        params = {**related, "relatedid": theirs[name]}
        read = await shop.get(CUSTOMER, params=params)
        changed = await shop.write("PATCH", CUSTOMER, json=attributes(x="y"), params=params)
        deleted = await shop.write("DELETE", CUSTOMER, params=params)
        listed_delete = await shop.write(
            "DELETE", CUSTOMER, json={"data": [{"id": theirs[name]}]}, params=related
        )

        assert read.status_code == 200, (name, read.text)
        assert body(read).get("data") is None, name
        assert changed.status_code == 404, (name, changed.text)
        assert "data" not in body(changed)
        for response in (deleted, listed_delete):
            assert (response.status_code, body(response)["meta"]["total"]) == (200, 0), name
    assert await database_state(clean_db) == before


async def test_another_customers_id_is_ignored(
    shop: AimeosBrowser, new_shop: NewShop, victim: FixtureUser, clean_db: asyncpg.Pool
) -> None:
    """Reference 1: every customer resource works on the logged-in customer; `id` is only
    echoed into links."""
    mine = await signed_in(shop, "mallory@example.com")
    theirs = {"id": victim.id}
    victim_row = await clean_db.fetchrow("SELECT * FROM customers WHERE id = $1", int(victim.id))

    read = await shop.get(CUSTOMER, params=theirs)
    changed = await shop.write("PATCH", CUSTOMER, json=A_WRITE, params=theirs)
    addresses = await shop.get(CUSTOMER, params={**theirs, **ADDRESSES})
    deleted = await shop.write("DELETE", CUSTOMER, params=theirs)

    assert body(read)["data"]["id"] == mine
    assert body(changed)["data"]["id"] == mine
    assert body(addresses)["data"] == []
    assert deleted.status_code == 200
    assert (
        await clean_db.fetchrow("SELECT * FROM customers WHERE id = $1", int(victim.id))
        == victim_row
    )
    assert (
        await (await new_shop("192.0.2.50")).login("victim@example.com", PASSWORD)
    ).status_code == 200
    assert (
        await (await new_shop("192.0.2.51")).login("mallory@example.com", PASSWORD)
    ).status_code == 401


async def test_another_customers_email_cannot_become_my_code(
    shop: AimeosBrowser, victim: FixtureUser, clean_db: asyncpg.Pool
) -> None:
    """A customer's code is its e-mail unless it chose one (reference 3.4), and Aimeos keeps
    codes unique per site: taking another's e-mail (in any letter case) as one's code would
    make two customers show the same `customer.code`."""
    await signed_in(shop, "mallory@example.com")
    before = await database_state(clean_db)

    for code in ("victim@example.com", "Victim@Example.com"):
        response = await shop.write("PATCH", CUSTOMER, json=attributes(**{"customer.code": code}))
        assert_clean_error(response, 403)
    assert await database_state(clean_db) == before


async def test_group_memberships_are_read_only(
    shop: AimeosBrowser,
    client: httpx.AsyncClient,
    services: Services,
    clean_db: asyncpg.Pool,
) -> None:
    """Reference 6: `You are not allowed to manage groups` (403) for any write that adds,
    changes, removes or turns something into a group membership."""
    user, _ = await fixture_user_and_state(shop, clean_db)
    await _member_of_a_group(client, services, "test@example.com")
    groups = {"related": "relationships", "include": "group"}
    [membership] = body(await shop.get(CUSTOMER, params=groups))["data"]
    assert membership["attributes"]["customer.lists.domain"] == "group"
    group_id = membership["attributes"]["customer.lists.refid"]
    before = await database_state(clean_db)

    refused = [
        await shop.write("POST", CUSTOMER, params=groups, json=attributes(**{
            "customer.lists.domain": "group", "customer.lists.refid": group_id})),
        await shop.write("PATCH", CUSTOMER, params={**groups, "relatedid": membership["id"]},
                         json=attributes(**{"customer.lists.status": 0})),
        await shop.write("DELETE", CUSTOMER, params={**groups, "relatedid": membership["id"]}),
        await shop.write("DELETE", CUSTOMER, params=groups,
                         json={"data": [{"id": membership["id"]}, {"id": user.favourite_id}]}),
        await shop.write("PATCH", CUSTOMER,
                         params={**RELATIONSHIPS, "relatedid": user.favourite_id},
                         json=attributes(**{"customer.lists.domain": "group"})),
    ]  # fmt: skip

    for response in refused:
        assert assert_clean_error(response, 403) == ["You are not allowed to manage groups"]
    assert await database_state(clean_db) == before


async def _member_of_a_group(client: httpx.AsyncClient, services: Services, email: str) -> None:
    """A group given in the back office, through Medusa's admin API."""
    admin = {"x-medusa-access-token": await admin_api_token(services), **MEDUSA}
    [customer] = (
        await client.get("/medusa/admin/customers", params={"q": email}, headers=admin)
    ).json()["customers"]
    group = (
        await client.post("/medusa/admin/customer-groups", json={"name": "VIP"}, headers=admin)
    ).json()["customer_group"]
    given = await client.post(
        f"/medusa/admin/customers/{customer['id']}",
        json={"groups": [{"id": group["id"]}]},
        headers=admin,
    )
    assert given.status_code == 200, given.text


# --- never a 500 --------------------------------------------------------------------------

ODD_QUERIES = [
    {"related": "review"}, {"related": "../../etc"}, {"related[]": "address"},
    {"related": "address", "relatedid": "abc"},
    {"related": "address", "relatedid": "99999999999999999999999999"},
    {"related": "property", "relatedid": "-1"}, {"related": "relationships", "relatedid": "1e3"},
    {"include": "customer/address,,product,../x"}, {"include[]": "product"},
    {"fields[customer][x]": "1"}, {"fields": "customer.code"}, {"id[]": "1"},
    {"page[limit]": "-1"}, {"filter[>=][customer.id]": "0"}, {"sort": "-customer.id"},
]  # fmt: skip
ODD_BODIES: list[Any] = [
    "not json", "[]", "null", '"data"', '{"data": "x"}', '{"data": [1, 2]}',
    '{"data": {"attributes": []}}', '{"data": {"attributes": "x"}}', '{"data": [{}]}',
    '{"data": {"attributes": {"customer.latitude": "north"}}}',
    '{"data": {"attributes": {"customer.birthday": "2000-13-45"}}}',
    '{"data": {"attributes": {"customer.countryid": "XYZ", "customer.languageid": "english"}}}',
    '{"data": {"attributes": {"customer.email": "not an e-mail"}}}',
    '{"data": {"attributes": {"customer.website": "javascript:alert(1)"}}}',
    '{"data": {"attributes": {"customer.salutation": "Her Majesty"}}}',
    '{"data": {"attributes": {"customer.code": "has space"}}}',
    '{"data": {"attributes": {"customer.lists.datestart": "yesterday"}}}',
    '{"data": {"attributes": {"customer.lists.config": "x", "customer.lists.position": "x"}}}',
    '{"data": {"attributes": {"customer.firstname": {"$ne": null}}}}',
    '{"data": {"attributes": {"customer.address.longitude": 1e400}}}',
    '{"data": {"id": {"x": 1}, "attributes": {}}}',
]  # fmt: skip


async def test_odd_queries_and_bodies_never_give_a_500(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    user, _ = await fixture_user_and_state(shop, clean_db)
    for params in ODD_QUERIES:
        for method in ("GET", "OPTIONS"):
            response = await shop.http.request(method, CUSTOMER, params=params)
            assert response.status_code < 500, (method, params, response.text)
            assert body(response)
    for path in ("/jsonapi/product", "/jsonapi/basket", "/jsonapi/nothing", "/jsonapi/customer/1"):
        response = await shop.get(path)
        assert 400 <= response.status_code < 500, (path, response.text)
        assert titles(response)
    for resource in EVERY_RESOURCE.values():
        for content in ODD_BODIES:
            for method in ("POST", "PATCH", "DELETE"):
                relatedid = {"relatedid": user.address_id} if resource == ADDRESSES else {}
                response = await shop.http.request(
                    method,
                    CUSTOMER,
                    params={**resource, **relatedid, "_token": token(shop)},
                    content=content,
                    headers={"Content-Type": "application/json"},
                )
                assert response.status_code < 500, (method, resource, content, response.text)
                assert body(response)


async def test_no_request_makes_a_link_point_elsewhere(shop: AimeosBrowser) -> None:
    """Links are built from the configured public URL: a forged `Host` or forwarded host,
    or a parameter Aimeos echoes into links, cannot send a storefront to another site."""
    await signed_in(shop, "sonia@example.com")
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
              "X-Forwarded-Proto": "gopher"}  # fmt: skip
    params = {"id": "//evil.example/x", "related": "address", "include": "\r\nLocation: x"}

    root = await shop.http.options("/jsonapi", headers=forged)
    listed = await shop.http.get(CUSTOMER, params=params, headers=forged)

    hrefs = [*body(root)["meta"]["resources"].values(), body(listed)["links"]["self"]]
    for href in hrefs:
        assert href.startswith(f"{HOST}/jsonapi"), href
        assert "\r" not in href and "\n" not in href
    assert "location" not in listed.headers


async def test_no_personal_data_is_logged_for_a_failing_request(
    shop: AimeosBrowser, new_shop: NewShop, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Sup3r-Secret-Passw0rd"
    await (await new_shop("192.0.2.90")).sign_up("private.person@example.com")
    await shop.options()

    taken = await shop.write(
        "POST",
        CUSTOMER,
        json=attributes(**{"customer.email": "private.person@example.com",
                           "customer.password": secret, "customer.lastname": "Geheimnis"}),
    )  # fmt: skip
    wrong = await shop.login("private.person@example.com", secret)
    invalid = await shop.write(
        "POST",
        CUSTOMER,
        json=attributes(**{"customer.email": "other.person@example.com",
                           "customer.password": secret, "customer.birthday": "1999-99-99"}),
    )  # fmt: skip

    assert taken.status_code == 403 and wrong.status_code == 401
    assert 400 <= invalid.status_code < 500
    logged = caplog.text
    for personal in ("private.person", "other.person", secret, "Geheimnis", "1999-99-99"):
        assert personal not in logged
