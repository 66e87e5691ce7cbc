"""`/emporix/customer/{tenant}/config/password-migration-retention` and what the window
bounds: legacy hashes log in through its last day, then never again (a reset does), and it
closes only once no legacy hash is left or its end has passed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import Tenant, TenantSettings
from patron.services import Services
from patron.settings import Settings
from tests.conftest import FrozenClock
from tests.dialects.emporix.import_helpers import PASSWORD, bcrypt_hash, item, legacy_auth
from tests.dialects.emporix.test_import import (
    IMPORT,
    IMPORT_SCOPES,
    RETENTION,
    glue_login,
    medusa_login,
    service_token,
    stored_hash,
)
from tests.dialects.glue.helpers import document
from tests.helpers import dialect_client
from tests.outbox import PASSWORD_RESET, mailed_key

FORBIDDEN = {"type": "Forbidden", "status": 403, "message": "User not authorized."}
TENANT_INVALID = {
    "type": "bad_request",
    "status": 400,
    "message": "The tenant information provided with the request is not valid.",
}


@pytest.fixture
async def default(timed_services: Services) -> Tenant:
    return await timed_services.core.tenants.get("default")


@pytest.fixture
async def web(timed_services: Services, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with dialect_client(timed_services, settings, peer="198.51.100.5") as client:
        yield client


async def token(
    services: Services, web: httpx.AsyncClient, tenant: Tenant, scopes: list[str] = IMPORT_SCOPES
) -> dict[str, str]:
    return await service_token(services, web, tenant, scopes)


def day(clock: FrozenClock, days: int) -> str:
    return (clock.now.date() + timedelta(days=days)).isoformat()


async def test_a_window_is_unset_then_set_with_its_defaults_then_read_back(
    timed_services: Services, web: httpx.AsyncClient, default: Tenant, clock: FrozenClock
) -> None:
    auth = await token(timed_services, web, default)

    unset = await web.get(RETENTION, headers=auth)
    far = await web.post(RETENTION, json={"retentionEndDate": day(clock, 30)}, headers=auth)
    near = await web.post(RETENTION, json={"retentionEndDate": day(clock, 3)}, headers=auth)
    read = await web.get(RETENTION, headers=auth)

    assert unset.status_code == 404
    assert unset.json()["message"] == (
        "Password migration retention configuration is not set for the tenant."
    )
    assert far.status_code == 200
    assert far.json() == {
        "retentionEndDate": day(clock, 30),
        "emailReminderDate": day(clock, 23),
        "emailNotificationsEnabled": True,
    }
    assert near.json()["emailReminderDate"] == day(clock, 1)  # a week before is past: tomorrow
    assert read.status_code == 200
    assert read.json() == near.json()


async def test_the_documented_request_is_echoed(
    timed_services: Services, web: httpx.AsyncClient, default: Tenant, clock: FrozenClock
) -> None:
    auth = await token(timed_services, web, default)
    body = {
        "retentionEndDate": day(clock, 60),
        "emailReminderDate": day(clock, 50),
        "emailNotificationsEnabled": False,
    }

    answer = await web.post(RETENTION, json=body, headers=auth)

    assert answer.status_code == 200
    assert answer.json() == body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"retentionEndDate": 0}, "Request body is not valid."),
        ({}, "Request body is not valid."),
        ({"retentionEndDate": "2099-02-30"}, "Request body is not valid."),
        ({"retentionEndDate": "2099-01-31T00:00:00Z"}, "Request body is not valid."),
        (
            {"retentionEndDate": "2099-01-31", "emailNotificationsEnabled": "yes"},
            "Request body is not valid.",
        ),
        ({"retentionEndDate": "today"}, "retentionEndDate must be a future date."),
        ({"retentionEndDate": "past"}, "retentionEndDate must be a future date."),
        (
            {"retentionEndDate": "2099-01-31", "emailReminderDate": "2099-01-31"},
            "emailReminderDate must be on or after today and before retentionEndDate.",
        ),
        (
            {"retentionEndDate": "2099-01-31", "emailReminderDate": "past"},
            "emailReminderDate must be on or after today and before retentionEndDate.",
        ),
    ],
)
async def test_a_window_that_cannot_be_is_refused_and_nothing_changes(
    timed_services: Services,
    web: httpx.AsyncClient,
    default: Tenant,
    clock: FrozenClock,
    body: dict[str, Any],
    message: str,
) -> None:
    auth = await token(timed_services, web, default)
    for key, value in body.items():
        if value == "past":
            body[key] = day(clock, -1)
        elif value == "today":
            body[key] = day(clock, 0)

    answer = await web.post(RETENTION, json=body, headers=auth)

    assert answer.status_code == 400
    assert answer.json()["type"] == "validation_failure"
    assert answer.json()["message"] == message
    assert (await web.get(RETENTION, headers=auth)).status_code == 404


async def test_removing_no_window_is_no_error(
    timed_services: Services, web: httpx.AsyncClient, default: Tenant
) -> None:
    auth = await token(timed_services, web, default)

    assert (await web.delete(RETENTION, headers=auth)).status_code == 204


async def test_after_the_window_a_legacy_hash_logs_in_nowhere_and_a_reset_does(
    timed_services: Services,
    web: httpx.AsyncClient,
    default: Tenant,
    clock: FrozenClock,
    clean_db: asyncpg.Pool,
) -> None:
    auth = await token(timed_services, web, default)
    await web.post(RETENTION, json={"retentionEndDate": day(clock, 10)}, headers=auth)
    legacy, punctual, native = "late@example.com", "punctual@example.com", "bcrypt@example.com"
    items = [
        item(legacy, legacyAuth=legacy_auth()),
        item(punctual, legacyAuth=legacy_auth()),
        item(native, passwordHash=bcrypt_hash()),
    ]
    await web.post(IMPORT, json=items, headers=auth)

    clock.advance(days=10)
    on_the_last_day = await glue_login(web, punctual)
    clock.advance(days=1)
    refused = (await glue_login(web, legacy), await medusa_login(web, legacy))

    assert on_the_last_day == 201
    assert refused == (401, 401)
    assert await glue_login(web, native) == 201  # a bcrypt hash has no window
    assert await glue_login(web, punctual) == 201  # migrated in time
    forgot = document("customer-forgotten-password", email=legacy)
    assert (await web.post("/glue/customer-forgotten-password", json=forgot)).status_code == 204
    key = await mailed_key(clean_db, legacy, PASSWORD_RESET)
    restore = document(
        "customer-restore-password",
        restorePasswordKey=key,
        password="New-pass-123",
        confirmPassword="New-pass-123",
    )
    restored = await web.patch(f"/glue/customer-restore-password/{key}", json=restore)
    assert restored.status_code == 204, restored.text
    assert await medusa_login(web, legacy, "New-pass-123") == 200
    assert await medusa_login(web, legacy, PASSWORD) == 401


async def test_a_window_past_its_end_closes_and_clears_the_legacy_hashes_left(
    timed_services: Services,
    web: httpx.AsyncClient,
    default: Tenant,
    clock: FrozenClock,
    clean_db: asyncpg.Pool,
) -> None:
    auth = await token(timed_services, web, default)
    await web.post(RETENTION, json={"retentionEndDate": day(clock, 2)}, headers=auth)
    await web.post(IMPORT, json=[item("left@example.com", legacyAuth=legacy_auth())], headers=auth)
    assert (await web.delete(RETENTION, headers=auth)).status_code == 400

    clock.advance(days=3)
    auth = await token(timed_services, web, default)  # the first one has expired
    legacy_import = await web.post(
        IMPORT, json=[item("later@example.com", legacyAuth=legacy_auth())], headers=auth
    )
    closed = await web.delete(RETENTION, headers=auth)

    assert legacy_import.json()[0]["code"] == 400  # an ended window takes no more
    assert closed.status_code == 204
    assert await stored_hash(clean_db, "left@example.com") is None
    assert await glue_login(web, "left@example.com") == 401


async def test_closing_the_window_races_a_legacy_import_and_no_legacy_hash_outlives_it(
    timed_services: Services, web: httpx.AsyncClient, default: Tenant, clean_db: asyncpg.Pool
) -> None:
    auth = await token(timed_services, web, default)
    for round_ in range(6):
        await web.post(RETENTION, json={"retentionEndDate": "2099-01-31"}, headers=auth)
        entry = item(f"race{round_}@example.com", legacyAuth=legacy_auth())

        imported, closed = await asyncio.gather(
            web.post(IMPORT, json=[entry], headers=auth), web.delete(RETENTION, headers=auth)
        )

        window = await clean_db.fetchval("SELECT count(*) FROM password_migration_windows")
        legacy = await clean_db.fetchval(
            "SELECT count(*) FROM customers WHERE password_hash LIKE '$legacy-%'"
        )
        code = imported.json()[0]["code"]
        assert (code, closed.status_code, window) in {(201, 400, 1), (400, 204, 0)}
        assert legacy == 0 or window == 1
        await clean_db.execute("UPDATE customers SET password_hash = NULL")


async def test_each_tenant_has_its_own_window_and_no_token_crosses(
    timed_services: Services, web: httpx.AsyncClient, default: Tenant, clock: FrozenClock
) -> None:
    outlet = await timed_services.core.tenant_admin.create("outlet", "Outlet", TenantSettings())
    shop_auth = await token(timed_services, web, default)
    outlet_auth = await token(timed_services, web, outlet)
    outlet_path = "/emporix/customer/outlet/config/password-migration-retention"
    body = {"retentionEndDate": day(clock, 30)}
    await web.post(RETENTION, json=body, headers=shop_auth)

    crossing = [
        await web.get(outlet_path, headers=shop_auth),
        await web.post(outlet_path, json=body, headers=shop_auth),
        await web.delete(outlet_path, headers=shop_auth),
        await web.post(
            "/emporix/customer/outlet/customers/import",
            json=[item("x@example.com", passwordHash=bcrypt_hash())],
            headers=shop_auth,
        ),
        await web.delete(RETENTION, headers=outlet_auth),
    ]

    assert [(a.status_code, a.json()) for a in crossing] == [(400, TENANT_INVALID)] * 5
    assert (await web.get(outlet_path, headers=outlet_auth)).status_code == 404
    assert (await web.get(RETENTION, headers=shop_auth)).status_code == 200


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        (["customers:read", "customers:manage"], (403, 403, 403, 403)),
        (["imports:read"], (403, 404, 403, 403)),
        (["imports:manage"], (207, 403, 200, 204)),
    ],
)
async def test_import_and_retention_need_their_scopes(
    timed_services: Services,
    web: httpx.AsyncClient,
    default: Tenant,
    scopes: list[str],
    expected: tuple[int, ...],
) -> None:
    auth = await token(timed_services, web, default, scopes)
    entry = [item("scoped@example.com", passwordHash=bcrypt_hash())]

    answers = [
        await web.post(IMPORT, json=entry, headers=auth),
        await web.get(RETENTION, headers=auth),
        await web.post(RETENTION, json={"retentionEndDate": "2099-01-31"}, headers=auth),
        await web.delete(RETENTION, headers=auth),
    ]

    assert tuple(answer.status_code for answer in answers) == expected
    for answer in answers:
        if answer.status_code == 403:
            assert answer.json() == FORBIDDEN
