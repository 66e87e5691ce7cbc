"""The storefront's email change: asked for with the password, a key mailed to the new
address and a notice to the old, confirmed once; then every dialect logs in with the new
email and none with the old."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.aimeos.helpers import AimeosBrowser
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    created_with_password,
    logged_in,
    login_answer,
    visitor_token,
)

OLD = "john.doe@example.com"
NEW = "john@new.example"
CHANGE = "/customer/{tenant}/me/accounts/internal/email/change"
LINK = "https://shop.example/email?t={token}"


async def email_tenant(services: Services, code: str) -> Tenant:
    return await services.core.tenant_admin.change_settings(
        code, {"confirmation_required": False, "email_change_link": LINK}
    )


@pytest.fixture
def store_settings() -> dict[str, Any]:
    return {"confirmation_required": False, "email_change_link": LINK}


async def ask(
    http: httpx.AsyncClient, tenant: Tenant, token: str, **changes: str
) -> httpx.Response:
    body = {"email": OLD, "password": PASSWORD, "newEmail": NEW, **changes}
    return await http.post(CHANGE.format(tenant=tenant.code), json=body, headers=bearer(token))


async def confirm(
    http: httpx.AsyncClient, tenant: Tenant, visitor: str, key: str
) -> httpx.Response:
    return await http.post(
        CHANGE.format(tenant=tenant.code) + "/confirm", json={"token": key}, headers=bearer(visitor)
    )


async def mailed_key(services: Services) -> str:
    (mail,) = await services.outbox.recent(recipient=NEW)
    found = re.search(r"https://shop\.example/email\?t=([A-Za-z0-9_.-]+)", mail.body)
    assert found is not None
    return found.group(1)


async def test_a_change_mails_the_new_address_and_warns_the_old(
    http: httpx.AsyncClient, services: Services, store: Tenant, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, OLD)
    visitor = await visitor_token(http, services, store)
    customer = (await logged_in(http, store, visitor, OLD))["access_token"]

    refused = [
        await ask(http, store, visitor),
        await ask(http, store, customer, password="not-the-password"),
        await ask(http, store, customer, email="someone@example.com"),
        await ask(http, store, customer, newEmail="not an email"),
    ]
    asked = await ask(http, store, customer)

    assert [a.status_code for a in refused] == [403, 400, 400, 400]
    assert refused[0].json() == {
        "type": "Forbidden",
        "status": 403,
        "message": "User not authorized.",
    }
    assert refused[1].json()["message"] == "The current password is not valid."
    assert asked.status_code == 204, asked.text
    key = await mailed_key(services)
    (notice,) = await services.outbox.recent(recipient=OLD)
    assert notice.template == "customer_email_change_notice"
    assert key not in notice.body
    assert (await login_answer(http, store, visitor, OLD, PASSWORD)).status_code == 200


async def test_the_key_changes_the_email_once_and_cannot_be_altered(
    http: httpx.AsyncClient, services: Services, store: Tenant, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, OLD)
    visitor = await visitor_token(http, services, store)
    customer = (await logged_in(http, store, visitor, OLD))["access_token"]
    assert (await ask(http, store, customer)).status_code == 204
    key = await mailed_key(services)
    random_part, _, _ = key.partition(".")
    altered = f"{random_part}.ZXZpbEBleGFtcGxlLmNvbQ"  # evil@example.com

    tampered = await confirm(http, store, visitor, altered)
    done = await confirm(http, store, visitor, key)
    again = await confirm(http, store, visitor, key)

    assert tampered.status_code == 400
    assert done.status_code == 204, done.text
    assert again.status_code == 400
    valid = await http.get("/customer/shop/validateauthtoken", headers=bearer(customer))
    assert valid.json()["email"] == NEW  # the session goes on, with the new login
    assert (await login_answer(http, store, visitor, OLD, PASSWORD)).status_code == 401
    assert (await login_answer(http, store, visitor, NEW, PASSWORD)).status_code == 200


async def test_an_email_taken_meanwhile_is_a_conflict_and_the_key_stays(
    http: httpx.AsyncClient, services: Services, store: Tenant, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, OLD)
    visitor = await visitor_token(http, services, store)
    customer = (await logged_in(http, store, visitor, OLD))["access_token"]
    assert (await ask(http, store, customer)).status_code == 204
    key = await mailed_key(services)
    await created_with_password(http, make_client, store, NEW)

    taken = await confirm(http, store, visitor, key)

    assert taken.status_code == 409
    assert taken.json()["type"] == "conflict_resource"
    me = await http.get("/customer/shop/me", headers=bearer(customer))
    assert me.json()["contactEmail"] == OLD


async def test_after_a_change_every_dialect_logs_in_with_the_new_email_only(
    client: httpx.AsyncClient, services: Services, settings: Settings, make_client: MakeClient
) -> None:
    default = await email_tenant(services, "default")
    async with emporix_http(services, settings) as http:
        await created_with_password(http, make_client, default, OLD)
        visitor = await visitor_token(http, services, default)
        customer = (await logged_in(http, default, visitor, OLD))["access_token"]
        assert (await ask(http, default, customer)).status_code == 204
        done = await confirm(http, default, visitor, await mailed_key(services))
        assert done.status_code == 204, done.text

    async def glue(email: str) -> int:
        attributes = {"username": email, "password": PASSWORD}
        body = {"data": {"type": "access-tokens", "attributes": attributes}}
        return (await client.post("/glue/access-tokens", json=body)).status_code

    async def medusa(email: str) -> int:
        body = {"email": email, "password": PASSWORD}
        return (await client.post("/medusa/store/auth", json=body)).status_code

    async def aimeos(email: str) -> int:
        return (await AimeosBrowser(client).login(email, PASSWORD)).status_code

    assert (await glue(OLD), await glue(NEW)) == (401, 201)
    assert (await medusa(OLD), await medusa(NEW)) == (401, 200)
    assert (await aimeos(OLD), await aimeos(NEW)) == (401, 200)


THIRD = "john@third.example"


async def test_the_contact_email_stays_unless_the_change_says_sync_contact_email(
    http: httpx.AsyncClient, services: Services, store: Tenant, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, OLD)
    visitor = await visitor_token(http, services, store)
    customer = (await logged_in(http, store, visitor, OLD))["access_token"]

    async def me() -> tuple[str, list[dict[str, str]]]:
        shown = (await http.get("/customer/shop/me", headers=bearer(customer))).json()
        return shown["contactEmail"], shown["accounts"]

    assert (await ask(http, store, customer)).status_code == 204  # syncContactEmail: false
    assert (await confirm(http, store, visitor, await mailed_key(services))).status_code == 204
    kept = await me()
    synced_ask = await http.post(
        CHANGE.format(tenant=store.code),
        json={"email": NEW, "password": PASSWORD, "newEmail": THIRD, "syncContactEmail": True},
        headers=bearer(customer),
    )
    assert synced_ask.status_code == 204, synced_ask.text
    (mail,) = await services.outbox.recent(recipient=THIRD)
    found = re.search(r"https://shop\.example/email\?t=([A-Za-z0-9_.-]+)", mail.body)
    assert found is not None
    assert (await confirm(http, store, visitor, found.group(1))).status_code == 204
    synced = await me()

    assert kept == (OLD, [{"id": NEW}])
    assert synced == (THIRD, [{"id": THIRD}])
    # the asked-for change had its notice; its confirmation sends no second one
    templates = [m.template for m in await services.outbox.recent(recipient=OLD)]
    assert templates == ["customer_email_change_notice"]
