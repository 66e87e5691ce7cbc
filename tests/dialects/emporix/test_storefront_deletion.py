"""`DELETE /customer/{tenant}/me` in two steps: 202 and a mailed key, then 204 with the
key: the account is anonymized as every dialect anonymizes it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    created_with_password,
    logged_in,
    login_answer,
)

EMAIL = "john.doe@example.com"
ME = "/customer/shop/me"


@pytest.fixture
def store_settings() -> dict[str, Any]:
    return {
        "confirmation_required": False,
        "deletion_link": "https://shop.example/delete?t={token}",
    }


async def deletion_key(services: Services, email: str) -> str:
    (mail,) = await services.outbox.recent(recipient=email)
    found = re.search(r"https://shop\.example/delete\?t=([A-Za-z0-9_-]+)", mail.body)
    assert found is not None
    return found.group(1)


async def test_deletion_asks_the_mailbox_then_anonymizes_everywhere(
    http: httpx.AsyncClient,
    services: Services,
    store: Tenant,
    visitor: str,
    make_client: MakeClient,
) -> None:
    number = await created_with_password(http, make_client, store, EMAIL)
    auth = bearer((await logged_in(http, store, visitor, EMAIL))["access_token"])

    asked = await http.delete(ME, headers=auth)
    still_there = await http.get(ME, headers=auth)
    key = await deletion_key(services, EMAIL)
    deleted = await http.delete(ME, params={"token": key}, headers=auth)

    assert (asked.status_code, asked.content) == (202, b"")
    assert still_there.status_code == 200
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (await http.get(ME, headers=auth)).status_code == 401
    assert (await login_answer(http, store, visitor, EMAIL, PASSWORD)).status_code == 401
    service = bearer(await token_for(http, await make_client(store)))
    assert (
        await http.get(f"/customer/shop/customers/{number}", headers=service)
    ).status_code == 404


async def test_only_the_owners_mailed_key_deletes(
    http: httpx.AsyncClient,
    services: Services,
    store: Tenant,
    visitor: str,
    make_client: MakeClient,
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    await created_with_password(http, make_client, store, "jane@example.com")
    john = bearer((await logged_in(http, store, visitor, EMAIL))["access_token"])
    jane = bearer((await logged_in(http, store, visitor, "jane@example.com"))["access_token"])
    assert (await http.delete(ME, headers=john)).status_code == 202
    johns_key = await deletion_key(services, EMAIL)

    wrong = await http.delete(ME, params={"token": "not-a-key"}, headers=john)
    janes_try = await http.delete(ME, params={"token": johns_key}, headers=jane)
    anonymous_try = await http.delete(ME, params={"token": johns_key}, headers=bearer(visitor))

    assert wrong.status_code == 400
    assert janes_try.status_code == 400
    assert anonymous_try.status_code == 401
    assert (await http.get(ME, headers=jane)).status_code == 200
    assert (await http.delete(ME, params={"token": johns_key}, headers=john)).status_code == 204
