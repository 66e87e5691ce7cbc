"""Whenever a login email or a password changes, through Aimeos, Glue, Medusa's store or
admin, or a reset, exactly one notice goes to the address the account answered to before
(the old login for a new email, the login for a new password): what changed, when, what
to do if it was not the customer, and nothing secret (no key, no password, not the new
address). Aimeos' contract stays: its `PATCH` changes the login at once.
"""

from __future__ import annotations

import re

import asyncpg
import httpx

from patron.services import Services
from tests.clients.medusa.admin import admin_api_token
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser
from tests.dialects.glue.helpers import PASSWORD, bearer, document, login, signed_up
from tests.outbox import PASSWORD_RESET, key_in, latest_mail, login_change_notices

OLD = "sonia@spryker.com"
NEW = "sonia.new@example.com"
NEW_PASSWORD = "second-Secret-2"
JSON = {"Accept": "application/json"}
WHEN = re.compile(r"changed on \d{4}-\d\d-\d\d at \d\d:\d\d UTC\.")


def assert_one_notice(
    notices: list[tuple[str, str, str]], recipient: str, what: str, *secrets: str
) -> None:
    """Exactly one notice, to `recipient`, naming `what` and the time, holding none of
    `secrets` (keys, passwords, the new address) and no link."""
    assert len(notices) == 1, notices
    (to, subject, body) = notices[0]
    assert to == recipient
    assert subject == f"Your {what} {'were' if ' and ' in what else 'was'} changed"
    assert f"the {what} of your account" in body
    assert WHEN.search(body), body
    assert "If it was not you" in body
    assert "http" not in body and "token" not in body
    for secret in secrets:
        assert secret not in body


async def aimeos_customer(client: httpx.AsyncClient) -> AimeosBrowser:
    """Signed up and logged in at `/jsonapi` (Aimeos has no confirmation step)."""
    jsonapi = AimeosBrowser(client)
    await jsonapi.sign_up(OLD, PASSWORD, **{"customer.lastname": "Wagner"})
    logged_in = await jsonapi.login(OLD, PASSWORD)
    assert logged_in.status_code == 200, logged_in.text
    return jsonapi


async def aimeos_patch(jsonapi: AimeosBrowser, **attributes: str) -> None:
    body = {"data": {"attributes": attributes}}
    patched = await jsonapi.write("PATCH", CUSTOMER, body)
    assert patched.status_code == 200, patched.text


async def test_an_aimeos_patch_of_the_email_changes_the_login_at_once_and_warns_the_old_one(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    jsonapi = await aimeos_customer(client)

    await aimeos_patch(jsonapi, **{"customer.email": NEW})

    assert_one_notice(await login_change_notices(clean_db), OLD, "login email", NEW)
    jsonapi.http.cookies.clear()
    assert (await AimeosBrowser(client).login(NEW, PASSWORD)).status_code == 200
    assert (await AimeosBrowser(client).login(OLD, PASSWORD)).status_code == 401


async def test_an_aimeos_patch_of_the_password_warns_the_login(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    jsonapi = await aimeos_customer(client)

    await aimeos_patch(jsonapi, **{"customer.password": NEW_PASSWORD})

    assert_one_notice(await login_change_notices(clean_db), OLD, "password", NEW_PASSWORD)


async def test_an_aimeos_patch_of_both_sends_one_notice_to_the_old_address(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    jsonapi = await aimeos_customer(client)

    await aimeos_patch(jsonapi, **{"customer.email": NEW, "customer.password": NEW_PASSWORD})

    notices = await login_change_notices(clean_db)
    assert_one_notice(notices, OLD, "login email and password", NEW, NEW_PASSWORD)


async def test_a_glue_patch_of_the_email_warns_the_old_address_and_a_new_case_does_not(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db, OLD)
    path = f"/glue/customers/{reference}"

    same = await client.patch(
        path, json=document("customers", email=OLD.upper()), headers=bearer(tokens)
    )
    assert same.status_code == 200, same.text
    assert await login_change_notices(clean_db) == []  # the same address in capitals
    moved = await client.patch(path, json=document("customers", email=NEW), headers=bearer(tokens))

    assert moved.status_code == 200, moved.text
    assert_one_notice(await login_change_notices(clean_db), OLD.upper(), "login email", NEW)
    await login(client, NEW)


async def test_a_glue_password_change_and_a_reset_each_warn_the_login(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, services: Services
) -> None:
    reference, tokens = await signed_up(client, clean_db, OLD)
    changed = await client.patch(
        f"/glue/customer-password/{reference}",
        json=document(
            "customer-password",
            password=PASSWORD,
            newPassword=NEW_PASSWORD,
            confirmPassword=NEW_PASSWORD,
        ),
        headers=bearer(tokens),
    )
    assert changed.status_code == 204, changed.text
    assert_one_notice(await login_change_notices(clean_db), OLD, "password", NEW_PASSWORD)

    await clean_db.execute("DELETE FROM outbox")
    tenant = await services.core.tenants.get("default")
    await services.core.passwords.request_reset(tenant, OLD).run()
    body = await latest_mail(clean_db, OLD, PASSWORD_RESET)
    assert body is not None
    key = key_in(body)
    restored = await client.patch(
        "/glue/customer-restore-password/-",
        json=document(
            "customer-restore-password",
            restorePasswordKey=key,
            password=PASSWORD,
            confirmPassword=PASSWORD,
        ),
    )

    assert restored.status_code == 204, restored.text
    assert_one_notice(await login_change_notices(clean_db), OLD, "password", key, PASSWORD)


async def test_medusa_store_and_admin_password_changes_warn_the_login(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, services: Services
) -> None:
    registered = await client.post(
        "/medusa/store/customers",
        json={"email": OLD, "password": PASSWORD, "first_name": "Sam", "last_name": "Shop"},
        headers=JSON,
    )
    assert registered.status_code == 200, registered.text
    customer_id = registered.json()["customer"]["id"]
    own = await client.post(
        "/medusa/store/customers/me", json={"password": NEW_PASSWORD}, headers=JSON
    )
    assert own.status_code == 200, own.text
    assert_one_notice(await login_change_notices(clean_db), OLD, "password", NEW_PASSWORD)

    await clean_db.execute("DELETE FROM outbox")
    admin = {"x-medusa-access-token": await admin_api_token(services), **JSON}
    client.cookies.clear()
    by_staff = await client.post(
        f"/medusa/admin/customers/{customer_id}", json={"password": PASSWORD}, headers=admin
    )
    locked = await client.post(
        f"/medusa/admin/customers/{customer_id}", json={"email": NEW}, headers=admin
    )

    assert by_staff.status_code == 200, by_staff.text
    assert locked.status_code == 400  # Medusa's admin cannot move a registered login
    assert_one_notice(await login_change_notices(clean_db), OLD, "password", PASSWORD)


async def test_a_medusa_store_email_change_warns_the_old_address(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    registered = await client.post(
        "/medusa/store/customers",
        json={"email": OLD, "password": PASSWORD, "first_name": "Sam", "last_name": "Shop"},
        headers=JSON,
    )
    assert registered.status_code == 200, registered.text

    moved = await client.post("/medusa/store/customers/me", json={"email": NEW}, headers=JSON)

    assert moved.status_code == 200, moved.text
    assert_one_notice(await login_change_notices(clean_db), OLD, "login email", NEW)
