"""Medusa's own v1 JS client (@medusajs/medusa-js 6.1.10, as published on npm) against a real
Patron server: journey.mjs runs the calls of Medusa's guide "How to Manage Customers" exactly
as written, then admin auth, customer groups, the list's filters and a shopper's store
journey; this test serves Patron (conftest.py), makes the admin user, hands over the reset
token from the outbox (harness.py), and checks what the client got back.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from ulid import ULID

from patron.core.domain.commands import Registration
from patron.services import Services
from tests.clients.medusa.admin import ADMIN_EMAIL, ADMIN_PASSWORD, admin_api_token
from tests.clients.medusa.harness import DASHBOARD, STOREFRONT, Journey, run_journey

CUSTOMER = "grace@example.com"
SHOPPER = "sam.shopper@example.com"
UNAUTHORIZED = {"status": 401, "data": "Unauthorized"}
STEPS = [
    "guide list",
    "guide create",
    "guide update",
    "guide list again",
    "admin create answers",
    "admin session",
    "admin token",
    "admin refused",
    "registered",
    "group created",
    "group listed",
    "group members added",
    "group retrieved",
    "group customers listed",
    "group member removed",
    "group updated",
    "customers filtered",
    "customer groups replaced",
    "group deleted",
    "me",
    "me updated",
    "address added",
    "address updated",
    "address deleted",
    "orders",
    "password token requested",
    "password reset",
    "login",
    "session",
    "exists",
    "store token",
    "logout",
    "browser token",
]


def _refused(answer: dict[str, Any], status: int, type_: str, code: str | None = None) -> None:
    """A Medusa error body as medusa-js hands it over: `e.response.data`."""
    assert answer["status"] == status, answer
    assert answer["contentType"].startswith("application/json"), answer
    assert answer["data"]["type"] == type_, answer
    assert isinstance(answer["data"]["message"], str) and answer["data"]["message"], answer
    if code is None:
        assert "code" not in answer["data"], answer
    else:
        assert answer["data"]["code"] == code, answer


def _unauthorized(answer: dict[str, Any]) -> None:
    """Medusa v1's passport answer: 401 and the plain text `Unauthorized`."""
    assert {k: answer[k] for k in ("status", "data")} == UNAUTHORIZED, answer
    assert answer["contentType"].startswith("text/plain"), answer


def _ok_text(answer: dict[str, Any]) -> None:
    """Medusa v1's logout answer, the plain text `OK`, as medusa-js hands it over: it spreads
    the body into its result, so a string arrives as its characters."""
    assert answer["status"] == 200, answer
    assert answer["contentType"].startswith("text/plain"), answer
    assert answer["body"] == {"0": "O", "1": "K"}, answer


def _http_only(set_cookie: str, api: str) -> None:
    """Opaque, HttpOnly, and scoped to its own API's path (one browser may be logged in to
    both APIs)."""
    attributes = [part.strip().lower() for part in set_cookie.split(";")]
    assert attributes[0].startswith("connect.sid="), set_cookie
    assert "httponly" in attributes, set_cookie
    assert f"path=/medusa/{api}" in attributes, set_cookie


@pytest.mark.slow
@pytest.mark.parametrize("where", ["node", "browser"])
async def test_medusa_js_runs_the_guide_admin_groups_and_store_journey(
    node: str, server: str, clean_db: asyncpg.Pool, services: Services, where: str
) -> None:
    """In Node as the reference shows it, and as the admin dashboard and the storefront
    run it: in browsers on their own origins (CORS preflights and headers checked)."""
    api_token = await admin_api_token(services)
    since = datetime.now(UTC) - timedelta(seconds=5)
    # A guest with the shopper's email (a checkout without an account, reference 2.8): the
    # shopper's registration later makes a second row beside it.
    tenant = await services.core.tenants.get("default")
    guest = await services.core.accounts.register(
        tenant, Registration(email=SHOPPER, first_name="Sam", last_name="Guest")
    )
    guest_id = f"cus_{ULID.from_uuid(guest.uuid)}"

    browser = where == "browser"
    journey = Journey(server, api_token, CUSTOMER, SHOPPER, since, browser)
    code, lines, errors = await run_journey(node, journey, clean_db)

    report = "\n".join(json.dumps(line) for line in lines) + "\n" + errors
    assert code == 0, report
    steps = [*STEPS, "cors"] if browser else STEPS
    assert [line["step"] for line in lines if "step" in line] == steps, report
    assert lines[-1] == {"done": True}, report
    s = {line["step"]: line for line in lines if "step" in line}

    # Seed 003, as written: list, create, update.
    assert s["guide list"]["logged"] == [1]
    assert (s["guide list"]["limit"], s["guide list"]["offset"], s["guide list"]["count"]) == (
        50,
        0,
        1,
    )
    [listed_guest] = s["guide list"]["customers"]
    assert (listed_guest["id"], listed_guest["email"], listed_guest["has_account"]) == (
        guest_id,
        SHOPPER,
        False,
    )
    customer = s["guide create"]["customer"]
    customer_id = customer["id"]
    assert re.fullmatch(r"cus_[0-9A-HJKMNP-TV-Z]{26}", customer_id), customer
    assert s["guide create"]["logged"] == [customer_id]
    assert (customer["email"], customer["first_name"], customer["last_name"]) == (
        CUSTOMER,
        "Grace",
        "Hopper",
    )
    assert customer["has_account"] is True
    assert not {"password", "password_hash"} & customer.keys(), customer
    updated = s["guide update"]["customer"]
    assert s["guide update"]["logged"] == [customer_id]
    assert (updated["id"], updated["first_name"], updated["last_name"]) == (
        customer_id,
        "Amazing Grace",
        "Hopper",
    )
    again = s["guide list again"]
    assert (again["ids"], again["count"], again["limit"], again["offset"]) == (
        [customer_id, guest_id],  # newest first
        2,
        50,
        0,
    )
    answers = s["admin create answers"]
    assert answers["created"]["status"] == 201
    second_id = answers["created"]["body"]["customer"]["id"]
    assert second_id.startswith("cus_") and second_id != customer_id
    _refused(answers["duplicate"], 422, "duplicate_error", "invalid_request_error")
    _refused(answers["invalid"], 400, "invalid_data")
    assert "email must be an email" in answers["invalid"]["data"]["message"]
    _refused(answers["missing"], 404, "not_found")

    # Admin auth: a session cookie, a JWT, and 401 `Unauthorized` for everything else.
    session = s["admin session"]
    assert session["login"]["status"] == 200
    assert session["login"]["body"]["user"]["email"] == ADMIN_EMAIL
    assert session["login"]["body"]["user"]["id"].startswith("usr_")
    assert not {"password", "password_hash", "api_token"} & session["login"]["body"]["user"].keys()
    _http_only(session["setCookie"], "admin")
    assert session["session"]["body"]["user"]["email"] == ADMIN_EMAIL
    assert session["customers"]["body"]["count"] == 3
    _ok_text(session["logout"])
    _unauthorized(session["after"])
    token = s["admin token"]
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", token["token"]["body"]["access_token"])
    assert token["session"]["body"]["user"]["email"] == ADMIN_EMAIL
    assert token["customers"]["body"]["customer"]["id"] == customer_id
    assert token["withKey"]["status"] == 200
    for refused in ("wrongPassword", "wrongToken", "anonymous", "badKey"):
        _unauthorized(s["admin refused"][refused])

    # The store: registered and logged in at once.
    registered = s["registered"]
    shopper_id = registered["body"]["customer"]["id"]
    assert registered["status"] == 200
    assert shopper_id.startswith("cus_") and shopper_id != guest_id
    assert registered["body"]["customer"]["email"] == SHOPPER
    assert registered["body"]["customer"]["has_account"] is True
    _http_only(registered["setCookie"], "store")
    _refused(registered["duplicate"], 422, "duplicate_error", "invalid_request_error")
    _refused(registered["nameless"], 400, "invalid_data")
    assert registered["nameless"]["data"]["message"] == (
        "first_name must be a string, last_name must be a string"
    )

    # Customer groups.
    created_group = s["group created"]
    group = created_group["body"]["customer_group"]
    group_id = group["id"]
    assert created_group["status"] == 200
    assert re.fullmatch(r"cgrp_[0-9A-HJKMNP-TV-Z]{26}", group_id), group
    assert group["name"].startswith("VIP ") and group["metadata"] == {"tier": "gold"}
    _refused(created_group["duplicate"], 422, "duplicate_error", "invalid_request_error")
    listed = s["group listed"]
    assert (listed["ids"], listed["count"], listed["offset"], listed["limit"]) == (
        [group_id],
        1,
        0,
        10,
    )
    assert (listed["found"], listed["foundCount"]) == ([group["name"]], 1)
    added = s["group members added"]
    assert added["first"]["status"] == added["again"]["status"] == 200
    assert added["again"]["body"]["customer_group"]["id"] == group_id
    _refused(added["unknown"], 404, "not_found")
    assert "cus_01JZZZZZZZZZZZZZZZZZZZZZZZ" in added["unknown"]["data"]["message"]
    both = sorted([customer_id, shopper_id])
    assert s["group retrieved"]["members"] == both
    _refused(s["group retrieved"]["missing"], 404, "not_found")
    members = s["group customers listed"]
    assert (members["ids"], members["count"], members["offset"], members["limit"]) == (
        both,
        2,
        0,
        50,
    )
    assert members["found"] == [shopper_id]
    removed = s["group member removed"]
    assert removed["removed"]["status"] == removed["again"]["status"] == 200
    assert (removed["ids"], removed["count"]) == ([shopper_id], 1)
    renamed = s["group updated"]["body"]["customer_group"]
    assert renamed["id"] == group_id and renamed["name"].startswith("Gold ")
    assert renamed["metadata"] == {"since": "2024"}  # "" removed `tier`

    # The admin list's filters, as medusa-js encodes them.
    f = s["customers filtered"]
    assert f["byText"] == [customer_id]
    assert f["byEmail"] == sorted([guest_id, shopper_id])
    assert f["byGroup"] == [shopper_id]
    assert f["registered"] == sorted([customer_id, second_id, shopper_id])
    assert f["guests"] == [guest_id]
    assert [c["id"] for c in f["expanded"]] == [shopper_id]
    assert [g["id"] for g in f["expanded"][0]["groups"]] == [group_id]
    assert f["newest"] == [shopper_id, second_id]
    assert f["oldest"] == [guest_id, customer_id]
    assert f["recent"] == sorted([guest_id, customer_id, second_id, shopper_id])
    assert f["recentCount"] == 4
    assert f["future"] == 0
    # By email, ties by id: grace@, sam.shopper@ (the guest), sam.shopper@, second-grace@.
    assert f["page"] == {"ids": [guest_id], "count": 4, "limit": 1, "offset": 1}
    assert [(c["id"], [g["id"] for g in c["groups"]]) for c in f["combined"]] == [
        (shopper_id, [group_id])
    ]
    replaced = s["customer groups replaced"]
    assert replaced["set"]["status"] == replaced["cleared"]["status"] == 200
    assert replaced["listed"] == [{"id": customer_id, "groups": [group_id]}]
    assert replaced["members"] == 1
    _refused(replaced["unknownGroup"], 404, "not_found")
    _refused(replaced["emailLocked"], 400, "invalid_data")
    deleted = s["group deleted"]
    expected = {"id": group_id, "object": "customer_group", "deleted": True}
    assert deleted["deleted"]["body"] == deleted["again"]["body"] == expected
    _refused(deleted["gone"], 404, "not_found")
    assert deleted["kept"] == [{"id": customer_id, "groups": []}]

    # The shopper's account.
    assert s["me"]["me"]["body"]["customer"]["id"] == shopper_id
    _unauthorized(s["me"]["anonymous"])
    _unauthorized(s["me"]["adminOnly"])
    me = s["me updated"]["body"]["customer"]
    assert (me["first_name"], me["phone"], me["metadata"]) == (
        "Samantha",
        "+49 30 1234567",
        {"newsletter": True},
    )
    with_address = s["address added"]["body"]["customer"]
    shipping = with_address["shipping_addresses"]
    assert len(shipping) == 1 and shipping[0]["id"].startswith("addr_"), shipping
    assert (shipping[0]["city"], shipping[0]["country_code"], shipping[0]["customer_id"]) == (
        "Berlin",
        "de",
        shopper_id,
    )
    moved = s["address updated"]["updated"]["body"]["customer"]["shipping_addresses"]
    assert [(a["id"], a["city"], a["postal_code"], a["address_2"]) for a in moved] == [
        (shipping[0]["id"], "Hamburg", "20095", "Hinterhaus")
    ]
    _refused(s["address updated"]["foreign"], 400, "invalid_data")
    assert s["address deleted"]["body"]["customer"]["shipping_addresses"] == []
    assert s["orders"]["body"] == {"orders": [], "count": 0, "offset": 0, "limit": 10}

    # Forgotten password: 204 either way, one mail, a single-use token.
    requested = s["password token requested"]
    assert requested["known"]["status"] == requested["unknown"]["status"] == 204
    mails = await clean_db.fetch(
        "SELECT recipient FROM outbox WHERE template = 'customer_password_reset'"
    )
    assert [m["recipient"] for m in mails] == [SHOPPER]
    reset = s["password reset"]
    assert reset["wrongToken"]["status"] == 401
    assert reset["reset"]["status"] == 200
    assert reset["reset"]["body"]["customer"]["id"] == shopper_id
    assert reset["reused"]["status"] == 401
    _unauthorized(reset["oldSession"])

    # Login with the new password, the session, exists, the store JWT, logout.
    _unauthorized(s["login"]["oldPassword"])
    assert s["login"]["login"]["body"]["customer"]["id"] == shopper_id
    _http_only(s["login"]["setCookie"], "store")
    assert s["session"]["session"]["body"]["customer"]["id"] == shopper_id
    assert s["session"]["me"]["body"]["customer"]["id"] == shopper_id
    _unauthorized(s["session"]["anonymous"])
    exists = s["exists"]
    assert exists["known"]["body"] == exists["upper"]["body"] == {"exists": True}
    assert exists["unknown"]["body"] == {"exists": False}
    store_token = s["store token"]
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", store_token["token"]["body"]["access_token"])
    assert store_token["me"]["body"]["customer"]["id"] == shopper_id
    _unauthorized(store_token["adminOnly"])
    _unauthorized(store_token["wrong"])
    _ok_text(s["logout"]["logout"])
    _unauthorized(s["logout"]["after"])
    assert s["browser token"]["me"]["body"]["customer"]["id"] == shopper_id
    if browser:
        # Every medusa-js call sends `Content-Type: application/json`: each one preflights.
        assert s["cors"]["requests"] == s["cors"]["preflights"] >= 90, s["cors"]
        assert s["cors"]["foreign"] == {
            f"{STOREFRONT} /admin/customers": None,
            f"{DASHBOARD} /store/customers/me": None,
            "https://evil.example /admin/customers": None,
            "https://evil.example /store/customers/me": None,
        }

    # What the database holds afterwards: one store, as the client saw it.
    rows = await clean_db.fetch("SELECT email, has_account FROM customers ORDER BY id")
    assert [(r["email"], r["has_account"]) for r in rows] == [
        (SHOPPER, False),
        (CUSTOMER, True),
        (f"second-{CUSTOMER}", True),
        (SHOPPER, True),
    ]
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 0


async def test_one_browser_is_shopper_and_admin_at_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    """A merchant tries their own shop: logged in to the admin dashboard, they log in on the
    storefront in the same browser. Both call the same Patron host. Medusa v1 puts the
    customer on the admin's session (`req.session.customer_id` beside `user_id`), and
    `DELETE /store/auth` then drops only the customer (reference 2.3, 2.6). Patron scopes
    each API's `connect.sid` to its own path, so the browser keeps both (the jar here does
    as a browser does)."""
    await admin_api_token(services)
    json_only = {"Accept": "application/json"}
    admin = await client.post(
        "/medusa/admin/auth",
        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        headers=json_only,
    )
    shopper = await client.post(
        "/medusa/store/customers",
        json={
            "email": SHOPPER,
            "password": "first-Secret-1",
            "first_name": "Sam",
            "last_name": "Shopper",
        },
        headers=json_only,
    )
    assert (admin.status_code, shopper.status_code) == (200, 200)
    assert sorted((c.name, c.path) for c in client.cookies.jar) == [
        ("connect.sid", "/medusa/admin"),
        ("connect.sid", "/medusa/store"),
    ]

    as_shopper = await client.get("/medusa/store/customers/me", headers=json_only)
    as_admin = await client.get("/medusa/admin/auth", headers=json_only)
    logout = await client.delete("/medusa/store/auth", headers=json_only)
    still_admin = await client.get("/medusa/admin/auth", headers=json_only)

    assert as_shopper.status_code == 200
    assert as_admin.status_code == 200, as_admin.text
    assert logout.text == "OK"
    assert still_admin.status_code == 200, still_admin.text
