"""Guests and registered accounts sharing an email (Medusa's rule, reference 2.8), and
the promise that every login, reset and lookup sees registered accounts only."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest

from patron.core.domain.commands import Registration
from patron.core.domain.errors.conflict import EmailTaken, GuestExists
from patron.core.domain.errors.invalid_input import FieldsInvalid, PasswordPolicyViolation
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.core.domain.model import Customer
from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of

EMAIL = "shared@example.com"


async def _admin_create(
    services: Services, tenant: Tenant, email: str, password: str | None
) -> Customer:
    registration = Registration(email=email, password=password, first_name="A", last_name="B")
    return await services.core.customer_admin.create(principal_of(tenant), tenant, registration)


async def _rows(pool: asyncpg.Pool) -> list[tuple[str, bool]]:
    rows = await pool.fetch("SELECT email, has_account FROM customers ORDER BY id")
    return [(row["email"], row["has_account"]) for row in rows]


async def test_with_a_password_an_account_without_one_a_guest(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    account = await _admin_create(timed_services, tenant, "a@example.com", "change123")
    guest = await _admin_create(timed_services, tenant, "g@example.com", None)

    assert (account.has_account, guest.has_account) == (True, False)
    assert (
        await clean_db.fetchval("SELECT password_hash FROM customers WHERE id = $1", guest.id)
        is None
    )
    assert (
        await clean_db.fetchval("SELECT password_hash FROM customers WHERE id = $1", account.id)
        != "change123"
    )


async def test_a_guest_then_an_account_with_the_same_email_both_stay(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await _admin_create(timed_services, tenant, EMAIL, None)
    await _admin_create(timed_services, tenant, EMAIL.upper(), "change123")

    assert await _rows(clean_db) == [(EMAIL, False), (EMAIL.upper(), True)]


async def test_a_second_guest_is_refused(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await _admin_create(timed_services, tenant, EMAIL, None)

    with pytest.raises(GuestExists):
        await _admin_create(timed_services, tenant, "Shared@Example.com", None)

    assert await _rows(clean_db) == [(EMAIL, False)]


async def test_a_second_account_is_refused_whether_or_not_a_guest_exists(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await _admin_create(timed_services, tenant, EMAIL, "change123")
    with pytest.raises(EmailTaken):
        await _admin_create(timed_services, tenant, EMAIL, "other-pass-1")
    await _admin_create(timed_services, tenant, EMAIL, None)  # a registered email takes a guest
    with pytest.raises(EmailTaken):
        await _admin_create(timed_services, tenant, EMAIL, "other-pass-1")
    with pytest.raises(GuestExists):
        await _admin_create(timed_services, tenant, EMAIL, None)

    assert await _rows(clean_db) == [(EMAIL, True), (EMAIL, False)]


async def test_racing_guest_creations_leave_one_guest(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    results = await asyncio.gather(
        *(_admin_create(timed_services, tenant, EMAIL, None) for _ in range(10)),
        return_exceptions=True,
    )

    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 9
    assert all(isinstance(r, GuestExists) for r in refused)
    assert await _rows(clean_db) == [(EMAIL, False)]


async def test_the_back_office_create_checks_policy_and_text_and_mails_nobody(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    with pytest.raises(PasswordPolicyViolation):
        await _admin_create(timed_services, tenant, EMAIL, "short")
    with pytest.raises(FieldsInvalid):
        await timed_services.core.customer_admin.create(
            principal_of(tenant), tenant, Registration(email=EMAIL, first_name="x" * 101)
        )
    created = await _admin_create(timed_services, tenant, EMAIL, "change123")

    # staff who chose the password vouch for the address: confirmed, an initial password
    assert created.email_verified_at == timed_services.clock()
    assert created.password_set_by_staff
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0


async def test_a_registration_without_a_password_is_a_guest_and_gets_no_mail(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    guest = await timed_services.core.accounts.register(tenant, Registration(email=EMAIL))
    account = await timed_services.core.accounts.register(tenant, registration_for(EMAIL))

    assert (guest.has_account, account.has_account) == (False, True)
    mailed = await clean_db.fetch("SELECT customer_id FROM outbox")
    assert [row["customer_id"] for row in mailed] == [account.id]


async def test_a_guest_neither_blocks_a_glue_registration_nor_logs_in_nor_gets_a_reset(
    services: Services, client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    tenant = await services.core.tenants.get("default")
    guest = await _admin_create(services, tenant, EMAIL, None)
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")

    await services.core.passwords.request_reset(tenant, EMAIL).run()
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0
    with pytest.raises(InvalidCredentials):
        await services.core.auth.login(tenant, EMAIL, "", client_ip=None)
    registered = await client.post(
        "/glue/customers",
        json={
            "data": {
                "type": "customers",
                "attributes": {
                    "email": EMAIL,
                    "password": "change123",
                    "confirmPassword": "change123",
                    "acceptedTerms": True,
                    "salutation": "Mr",
                    "gender": "Male",
                    "firstName": "Reg",
                    "lastName": "Istered",
                },
            }
        },
    )
    assert registered.status_code == 201, registered.text
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    await clean_db.execute("DELETE FROM outbox")
    await services.core.passwords.request_reset(tenant, EMAIL).run()
    pair = await services.core.auth.login(tenant, EMAIL, "change123", client_ip=None)

    reset_to = await clean_db.fetch("SELECT customer_id FROM outbox")
    claims = services.core.auth.verify(pair.access_token, tenant)
    assert claims.customer_id != guest.id
    assert [row["customer_id"] for row in reset_to] == [claims.customer_id]


async def test_account_exists_names_registered_accounts_only(
    timed_services: Services, tenant: Tenant
) -> None:
    accounts = timed_services.core.accounts
    await _admin_create(timed_services, tenant, "guest@example.com", None)
    await _admin_create(timed_services, tenant, EMAIL, "change123")

    answers = [
        await accounts.account_exists(tenant, email, client_ip="198.51.100.1")
        for email in (EMAIL, " Shared@EXAMPLE.com", "guest@example.com", "nobody@example.com")
    ]
    too_long = await accounts.account_exists(tenant, "x" * 300, client_ip="198.51.100.1")

    assert answers == [True, True, False, False]
    assert too_long is False


async def test_account_lookups_are_counted_per_client_address(
    timed_services: Services, tenant: Tenant
) -> None:
    accounts = timed_services.core.accounts
    limit = timed_services.settings.login_max_failures
    for n in range(limit):
        await accounts.account_exists(tenant, f"probe{n}@example.com", client_ip="2001:db8::1")

    with pytest.raises(LoginBlocked) as blocked:
        await accounts.account_exists(tenant, EMAIL, client_ip="2001:db8::2")  # same /64
    other_address = await accounts.account_exists(tenant, EMAIL, client_ip="198.51.100.9")
    # The lookups have a namespace of their own: the address can still log in.
    with pytest.raises(InvalidCredentials):
        await timed_services.core.auth.login(tenant, EMAIL, "wrong", client_ip="2001:db8::1")

    assert blocked.value.retry_after_seconds > 0
    assert other_address is False
