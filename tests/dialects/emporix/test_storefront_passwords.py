"""The storefront's password routes: change (current password checked and throttled,
other sessions end), reset (always 204, a mailed single-use key with the tenant's link,
every session ends)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.helpers import MakeClient, bearer
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    created_with_password,
    logged_in,
    login_answer,
)

EMAIL = "john.doe@example.com"
NEW_PASSWORD = "a-new-pw-2"
RESET_LINK = "https://shop.example/reset?t={token}"


@pytest.fixture
def store_settings() -> dict[str, Any]:
    return {"confirmation_required": False, "password_reset_link": RESET_LINK}


async def validates(http: httpx.AsyncClient, token: str) -> bool:
    answer = await http.get("/customer/shop/validateauthtoken", headers=bearer(token))
    return answer.status_code == 200


async def test_a_change_needs_the_current_password_and_ends_the_other_sessions(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    here = (await logged_in(http, store, visitor, EMAIL))["access_token"]
    elsewhere = (await logged_in(http, store, visitor, EMAIL))["access_token"]

    async def change(current: str) -> httpx.Response:
        return await http.post(
            "/customer/shop/password/change",
            json={"currentPassword": current, "newPassword": NEW_PASSWORD},
            headers=bearer(here),
        )

    wrong = await change("not-the-password")
    right = await change(PASSWORD)

    assert wrong.status_code == 400
    assert wrong.json() == {
        "status": 400,
        "type": "validation_failure",
        "message": "The current password is not valid.",
    }
    assert right.status_code == 204, right.text
    assert await validates(http, here)
    assert not await validates(http, elsewhere)
    assert (await login_answer(http, store, visitor, EMAIL, PASSWORD)).status_code == 401
    assert (await login_answer(http, store, visitor, EMAIL, NEW_PASSWORD)).status_code == 200


async def test_guessing_the_current_password_is_throttled(
    http: httpx.AsyncClient,
    settings: Settings,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    auth = bearer((await logged_in(http, store, visitor, EMAIL))["access_token"])
    guess = {"currentPassword": "a-guess-1", "newPassword": NEW_PASSWORD}

    statuses = [
        (await http.post("/customer/shop/password/change", json=guess, headers=auth)).status_code
        for _ in range(settings.login_max_failures + 1)
    ]
    right = await http.post(
        "/customer/shop/password/change",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        headers=auth,
    )

    assert statuses == [400] * settings.login_max_failures + [429]
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) > 0


async def test_a_reset_mails_a_single_use_key_that_ends_every_session(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    session = (await logged_in(http, store, visitor, EMAIL))["access_token"]

    known = await http.post(
        "/customer/shop/password/reset",
        json={"email": EMAIL, "site": "main"},
        headers=bearer(visitor),
    )
    unknown = await http.post(
        "/customer/shop/password/reset",
        json={"email": "nobody@example.com"},
        headers=bearer(visitor),
    )

    assert (known.status_code, known.content) == (204, b"")
    assert (unknown.status_code, unknown.content) == (204, b"")
    assert await services.outbox.recent(recipient="nobody@example.com") == []
    (mail,) = await services.outbox.recent(recipient=EMAIL)
    found = re.search(r"https://shop\.example/reset\?t=([A-Za-z0-9_-]+)", mail.body)
    assert found is not None
    key = found.group(1)

    async def update(password: str) -> httpx.Response:
        return await http.post(
            "/customer/shop/password/reset/update",
            json={"token": key, "password": password},
            headers=bearer(visitor),
        )

    done = await update(NEW_PASSWORD)
    again = await update("yet-another-3")

    assert done.status_code == 204, done.text
    assert not await validates(http, session)
    assert again.status_code == 400
    assert again.json()["message"] == "The token is not valid."
    assert (await login_answer(http, store, visitor, EMAIL, NEW_PASSWORD)).status_code == 200


async def test_password_routes_refuse_bad_bodies_and_missing_tokens(
    http: httpx.AsyncClient, store: Tenant, visitor: str
) -> None:
    no_token = await http.post("/customer/shop/password/reset", json={"email": EMAIL})
    no_email = await http.post("/customer/shop/password/reset", json={}, headers=bearer(visitor))
    bad_key = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": "not-a-key", "password": NEW_PASSWORD},
        headers=bearer(visitor),
    )
    anonymous_change = await http.post(
        "/customer/shop/password/change",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        headers=bearer(visitor),
    )

    assert no_token.status_code == 401
    assert no_email.status_code == 400
    assert bad_key.status_code == 400
    assert anonymous_change.status_code == 401
