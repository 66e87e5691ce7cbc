"""Emporix' side of two rules every dialect shares.

A changed login email or password mails one notice to the address the account answered
to before: the tenant-managed `contactEmail` of a customer whose contact email is its
login (it moves the login), the storefront's password change and reset. A contact email
kept apart from the login changes alone, without a notice.

A customer an employee creates with a password logs in at once, through every dialect,
even where the tenant wants double opt-in: the employee vouched for the address. Its
login says `initialPassword: "true"` until the customer chooses a password of their own.
Without a password (the reset mail flow) and for the storefront's own sign-ups, the
address still has to be confirmed.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.clients.medusa.admin import admin_api_token
from tests.dialects.aimeos.helpers import AimeosBrowser
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http, token_for
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    anonymous,
    created_with_password,
    logged_in,
    login_answer,
    storefront_client_id,
)
from tests.outbox import login_change_notices

OLD = "john.doe@example.com"
NEW = "john@new.example"
NEW_PASSWORD = "a-new-pw-2"
RESET_LINK = "https://shop.example/reset?t={token}"


@pytest.fixture
def store_settings() -> dict[str, Any]:
    return {"confirmation_required": False, "password_reset_link": RESET_LINK}


async def notices(services: Services) -> list[tuple[str, str]]:
    """(recipient, subject) of every login-change notice, oldest first."""
    found = await login_change_notices(services.pool)
    for _, _, body in found:
        assert "token" not in body and "http" not in body and PASSWORD not in body
    return [(recipient, subject) for recipient, subject, _ in found]


async def test_a_tenant_managed_contact_email_moves_a_login_it_is_with_one_notice(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
) -> None:
    number = await created_with_password(http, make_client, store, OLD)
    service = bearer(await token_for(http, await make_client(store)))
    path = f"/customer/shop/customers/{number}"

    moved = await http.patch(path, json={"contactEmail": NEW}, headers=service)

    assert moved.status_code == 200, moved.text
    assert await notices(services) == [(OLD, "Your login email was changed")]
    assert (await login_answer(http, store, visitor, OLD, PASSWORD)).status_code == 401
    assert (await login_answer(http, store, visitor, NEW, PASSWORD)).status_code == 200
    shown = (await http.get(f"{path}?expand=accounts", headers=service)).json()
    assert (shown["contactEmail"], shown["accounts"]) == (NEW, [{"id": NEW}])


async def test_a_contact_email_kept_apart_changes_alone_and_without_a_notice(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
) -> None:
    number = await created_with_password(http, make_client, store, OLD)
    customer = (await logged_in(http, store, visitor, OLD))["access_token"]
    split = await http.patch(
        "/customer/shop/me", json={"contactEmail": "desk@example.com"}, headers=bearer(customer)
    )
    assert split.status_code == 200, split.text
    service = bearer(await token_for(http, await make_client(store)))
    path = f"/customer/shop/customers/{number}"

    changed = await http.patch(path, json={"contactEmail": "office@example.com"}, headers=service)
    shown = (await http.get(f"{path}?expand=accounts", headers=service)).json()
    back = await http.patch(path, json={"contactEmail": OLD.upper()}, headers=service)
    joined = (await http.get(f"{path}?expand=accounts", headers=service)).json()

    assert changed.status_code == 200, changed.text
    assert (shown["contactEmail"], shown["accounts"]) == ("office@example.com", [{"id": OLD}])
    assert back.status_code == 200, back.text
    assert joined["contactEmail"] == OLD  # the login again: the two are one from now on
    assert await notices(services) == []
    assert (await login_answer(http, store, visitor, OLD, PASSWORD)).status_code == 200
    row = await services.pool.fetchrow("SELECT contact_email FROM customers WHERE id > 0")
    assert row is not None and row["contact_email"] is None


async def test_a_storefront_password_change_and_a_reset_each_notify_the_login_once(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
) -> None:
    await created_with_password(http, make_client, store, OLD)
    customer = (await logged_in(http, store, visitor, OLD))["access_token"]
    changed = await http.post(
        "/customer/shop/password/change",
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
        headers=bearer(customer),
    )
    assert changed.status_code == 204, changed.text
    assert await notices(services) == [(OLD, "Your password was changed")]

    asked = await http.post(
        "/customer/shop/password/reset", json={"email": OLD}, headers=bearer(visitor)
    )
    assert asked.status_code == 204
    (mail,) = [m for m in await services.outbox.recent(recipient=OLD) if "reset" in m.template]
    found = re.search(r"https://shop\.example/reset\?t=([A-Za-z0-9_-]+)", mail.body)
    assert found is not None
    done = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": found.group(1), "password": PASSWORD},
        headers=bearer(visitor),
    )

    assert done.status_code == 204, done.text
    assert await notices(services) == [(OLD, "Your password was changed")] * 2
    (_, _, body) = (await login_change_notices(services.pool))[-1]
    assert found.group(1) not in body


# --- customers an employee creates ------------------------------------------------------------


async def glue_login(client: httpx.AsyncClient, email: str, password: str) -> int:
    attributes = {"username": email, "password": password}
    body = {"data": {"type": "access-tokens", "attributes": attributes}}
    return (await client.post("/glue/access-tokens", json=body)).status_code


async def test_a_customer_an_employee_created_with_a_password_logs_in_everywhere_at_once(
    client: httpx.AsyncClient, services: Services, settings: Settings, make_client: MakeClient
) -> None:
    """The default tenant requires confirmation (double opt-in); Glue, Medusa and Aimeos
    serve it."""
    default = await services.core.tenant_admin.change_settings(
        "default", {"confirmation_required": True}
    )
    async with emporix_http(services, settings) as http:
        await created_with_password(http, make_client, default, OLD)
        visitor = (await anonymous(http, default, await storefront_client_id(services, default)))[
            "access_token"
        ]
        first = await login_answer(http, default, visitor, OLD, PASSWORD)
        assert first.status_code == 200, first.text
        changed = await http.post(
            "/customer/default/password/change",
            json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
            headers=bearer(first.json()["access_token"]),
        )
        assert changed.status_code == 204, changed.text
        later = await login_answer(http, default, visitor, OLD, NEW_PASSWORD)

    assert first.json()["initialPassword"] == "true"
    assert later.json()["initialPassword"] == "false"  # the customer's own now
    assert await glue_login(client, OLD, NEW_PASSWORD) == 201
    medusa = await client.post("/medusa/store/auth", json={"email": OLD, "password": NEW_PASSWORD})
    assert medusa.status_code == 200, medusa.text
    assert (await AimeosBrowser(client).login(OLD, NEW_PASSWORD)).status_code == 200
    assert [m.template for m in await services.outbox.recent(recipient=OLD)] == [
        "customer_login_change_notice"  # no confirmation mail: the employee vouched for it
    ]


async def test_a_customer_created_without_a_password_or_signed_up_still_confirms(
    client: httpx.AsyncClient, services: Services, settings: Settings, make_client: MakeClient
) -> None:
    default = await services.core.tenant_admin.change_settings(
        "default", {"confirmation_required": True}
    )
    async with emporix_http(services, settings) as http:
        service = bearer(await token_for(http, await make_client(default)))
        created = await http.post(
            "/customer/default/customers", json={"contactEmail": OLD}, headers=service
        )
        assert created.status_code == 201, created.text
        visitor = (await anonymous(http, default, await storefront_client_id(services, default)))[
            "access_token"
        ]
        signed_up = await http.post(
            "/customer/default/signup",
            json={"email": NEW, "password": PASSWORD},
            headers=bearer(visitor),
        )
        assert signed_up.status_code == 201, signed_up.text
        self_service = await login_answer(http, default, visitor, NEW, PASSWORD)

    assert self_service.status_code == 401  # double opt-in first
    assert await glue_login(client, NEW, PASSWORD) == 401
    verified = await services.pool.fetch(
        "SELECT email_verified_at IS NOT NULL AS confirmed, password_set_by_staff "
        "FROM customers ORDER BY id"
    )
    assert [tuple(row) for row in verified] == [(False, False), (False, False)]


async def test_a_medusa_admin_customer_logs_in_through_glue_at_once_with_an_initial_password(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    admin = {"x-medusa-access-token": await admin_api_token(services)}
    created = await client.post(
        "/medusa/admin/customers",
        json={"email": OLD, "password": PASSWORD, "first_name": "Jo", "last_name": "Doe"},
        headers={"Accept": "application/json", **admin},
    )
    assert created.status_code == 201, created.text
    default = await services.core.tenants.get("default")
    async with emporix_http(services, settings) as http:
        visitor = (await anonymous(http, default, await storefront_client_id(services, default)))[
            "access_token"
        ]
        emporix = await login_answer(http, default, visitor, OLD, PASSWORD)

    assert default.settings.confirmation_required
    assert await glue_login(client, OLD, PASSWORD) == 201
    assert emporix.status_code == 200, emporix.text
    assert emporix.json()["initialPassword"] == "true"
