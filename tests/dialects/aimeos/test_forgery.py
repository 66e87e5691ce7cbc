"""Cross-site request forgery against `/jsonapi`, as Laravel's `VerifyCsrfToken` refuses it
(reference 2.4): a missing, forged, foreign or stale token is 419 `CSRF token mismatch.` on
every write, the login and the logout, and nothing is written; and the session cookie a
login makes is new, so a planted one opens nothing.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.database_state import database_state
from tests.dialects.aimeos.black_box import (
    ADDRESSES,
    PROPERTIES,
    RELATIONSHIPS,
    attributes,
    body,
    fixture_user_and_state,
    signed_in,
    titles,
    token,
)
from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, AimeosBrowser, NewShop

CSRF_MISMATCH = ["CSRF token mismatch."]
WRITES = ("POST", "PATCH", "PUT", "DELETE")
EVERY_RESOURCE = {
    "customer": {}, "address": ADDRESSES, "property": PROPERTIES, "relationships": RELATIONSHIPS,
}  # fmt: skip
A_WRITE: dict[str, Any] = attributes(**{"customer.firstname": "Mallory"})


async def test_every_write_without_a_token_is_419_and_writes_nothing(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    user, before = await fixture_user_and_state(shop, clean_db)
    for method in WRITES:
        for name, resource in EVERY_RESOURCE.items():
            related = {**resource}
            if name != "customer" and method in ("PATCH", "DELETE"):
                related["relatedid"] = {"address": user.address_id, "property": user.property_id,
                                        "relationships": user.favourite_id}[name]  # fmt: skip
            response = await shop.http.request(method, CUSTOMER, params=related, json=A_WRITE)
            assert titles(response) == CSRF_MISMATCH, (method, name)
            assert response.status_code == 419
    for path in ("/jsonapi/login", "/jsonapi/logout"):
        response = await shop.http.post(path, json={"email": "victim@example.com",
                                               "password": PASSWORD})  # fmt: skip
        assert (response.status_code, titles(response)) == (419, CSRF_MISMATCH), path

    assert await database_state(clean_db) == before
    still = await shop.get(CUSTOMER)
    assert body(still)["data"]["id"] == user.id  # the refused logout ended nothing


async def test_a_login_without_a_token_logs_nobody_in(
    shop: AimeosBrowser, new_shop: NewShop
) -> None:
    """A page of another origin posting the login form (login CSRF) gets nowhere, in JSON
    or as a form."""
    await (await new_shop("192.0.2.25")).sign_up("sonia@example.com")
    await shop.options()
    credentials = {"email": "sonia@example.com", "password": PASSWORD}

    as_json = await shop.http.post("/jsonapi/login", json=credentials)
    as_form = await shop.http.post("/jsonapi/login", data=credentials)

    for response in (as_json, as_form):
        assert (response.status_code, titles(response)) == (419, CSRF_MISMATCH)
    assert body(await shop.get(CUSTOMER))["data"]["id"] is None


@pytest.mark.parametrize(
    "forged",
    ["", "0", "forged-token", "A" * 10_000, "%00", "null"],
    ids=["empty", "zero", "word", "huge", "nul", "null"],
)
async def test_a_forged_token_is_419(
    shop: AimeosBrowser,
    clean_db: asyncpg.Pool,
    forged: str,
) -> None:
    _, before = await fixture_user_and_state(shop, clean_db)
    as_query = await shop.http.request("PATCH", CUSTOMER, params={"_token": forged}, json=A_WRITE)
    as_header = await shop.http.request(
        "PATCH", CUSTOMER, json=A_WRITE, headers={"X-CSRF-TOKEN": forged}
    )
    in_body = await shop.http.request("PATCH", CUSTOMER, json={**A_WRITE, "_token": forged})
    case_changed = await shop.http.request(
        "PATCH", CUSTOMER, params={"_token": token(shop).swapcase()}, json=A_WRITE
    )

    for response in (as_query, as_header, in_body, case_changed):
        assert (response.status_code, titles(response)) == (419, CSRF_MISMATCH)
    assert await database_state(clean_db) == before
    honest = await shop.write("PATCH", CUSTOMER, json=A_WRITE)
    assert honest.status_code == 200  # the same write with the right token does change it
    assert await database_state(clean_db) != before


async def test_the_token_may_come_as_query_body_field_or_header(shop: AimeosBrowser) -> None:
    """Laravel's lookup (reference 2.4), so each way is accepted, not only the query."""
    await signed_in(shop, "sonia@example.com")
    in_body = await shop.http.patch(
        CUSTOMER, json={**attributes(**{"customer.firstname": "Body"}), "_token": token(shop)}
    )
    as_header = await shop.http.patch(
        CUSTOMER,
        json=attributes(**{"customer.firstname": "Header"}),
        headers={"X-CSRF-TOKEN": token(shop)},
    )

    assert in_body.status_code == 200, in_body.text
    assert as_header.status_code == 200, as_header.text
    assert body(await shop.get(CUSTOMER))["data"]["attributes"]["customer.firstname"] == "Header"


async def test_another_browsers_token_is_419(
    shop: AimeosBrowser,
    new_shop: NewShop,
    clean_db: asyncpg.Pool,
) -> None:
    """A page of another origin can get a token of its own browser, never the victim's."""
    attacker = await new_shop("192.0.2.30")
    await signed_in(attacker, "mallory@example.com")
    anonymous = await new_shop("192.0.2.31")
    await anonymous.options()
    before = await database_state(clean_db)

    for foreign in (token(attacker), token(anonymous)):
        for method in WRITES:
            response = await shop.http.request(
                method, CUSTOMER, params={"_token": foreign}, json=A_WRITE
            )
            assert (response.status_code, titles(response)) == (419, CSRF_MISMATCH), method
    assert await database_state(clean_db) == before


async def test_a_token_from_before_login_is_worthless_after_it(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """A token planted before the login (a fixation) opens nothing once logged in."""
    await (await new_shop("192.0.2.40")).sign_up("sonia@example.com")
    await shop.options()
    planted = token(shop)
    login = await shop.login("sonia@example.com", PASSWORD)
    assert login.status_code == 200, login.text
    before = await database_state(clean_db)

    replayed = await shop.http.request("PATCH", CUSTOMER, params={"_token": planted}, json=A_WRITE)
    logout = await shop.http.request("POST", "/jsonapi/logout", params={"_token": planted})

    assert planted != token(shop)
    assert (replayed.status_code, titles(replayed)) == (419, CSRF_MISMATCH)
    assert (logout.status_code, titles(logout)) == (419, CSRF_MISMATCH)
    assert await database_state(clean_db) == before


async def test_a_login_replaces_the_cookie_and_the_old_one_opens_nothing(
    shop: AimeosBrowser, new_shop: NewShop
) -> None:
    """No session fixation: the cookie a visitor had (which a planter may know) is not the
    logged-in one; the logged-in one is HttpOnly, and after logout it opens nothing."""
    await (await new_shop("192.0.2.45")).sign_up("sonia@example.com")
    await shop.options()
    [(name, visitor)] = shop.http.cookies.items()
    login = await shop.login("sonia@example.com", PASSWORD)
    session = shop.http.cookies[name]
    await shop.logout()

    set_cookie = login.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    assert session != visitor
    for planted in (visitor, session):
        replayed = await new_shop("192.0.2.46")
        replayed.http.cookies.set(name, planted)
        assert body(await replayed.get(CUSTOMER))["data"]["id"] is None


async def test_a_token_from_before_logout_is_worthless_after_it(
    shop: AimeosBrowser, clean_db: asyncpg.Pool
) -> None:
    await signed_in(shop, "sonia@example.com")
    old = token(shop)
    await shop.logout()
    before = await database_state(clean_db)

    for method, document in (
        ("PATCH", A_WRITE),
        ("DELETE", None),
        ("POST", attributes(**{"customer.email": "second@example.com",
                               "customer.password": PASSWORD})),
    ):  # fmt: skip
        response = await shop.http.request(method, CUSTOMER, params={"_token": old}, json=document)
        assert (response.status_code, titles(response)) == (419, CSRF_MISMATCH), method
    assert old != token(shop)
    assert body(await shop.get(CUSTOMER))["data"]["id"] is None
    assert await database_state(clean_db) == before
