"""Guests and registered accounts sharing an email (Medusa's rule, reference 2.8), and
the promise that every login, reset and lookup sees registered accounts only."""

from __future__ import annotations

import pytest

from patron.core.domain.commands import Registration
from patron.core.domain.errors.conflict import EmailTaken, GuestExists
from patron.core.domain.errors.invalid_input import FieldsInvalid, PasswordPolicyViolation
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.core.domain.model import Customer
from patron.core.domain.tenants import Tenant
from patron.core.use_cases import Core
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of
from tests.fakes import MemoryServices, MemoryStore

EMAIL = "shared@example.com"


async def admin_create(core: Core, tenant: Tenant, email: str, password: str | None) -> Customer:
    registration = Registration(email=email, password=password, first_name="A", last_name="B")
    return await core.customer_admin.create(principal_of(tenant), tenant, registration)


def _rows(store: MemoryStore) -> list[tuple[str | None, bool]]:
    return [(row.customer.email, row.customer.has_account) for row in store.customer_rows()]


async def test_with_a_password_an_account_without_one_a_guest(
    memory: MemoryServices, tenant: Tenant
) -> None:
    account = await admin_create(memory.core, tenant, "a@example.com", "change123")
    guest = await admin_create(memory.core, tenant, "g@example.com", None)

    assert (account.has_account, guest.has_account) == (True, False)
    assert memory.store.customer_row(guest.id).password_hash is None
    assert memory.store.customer_row(account.id).password_hash not in (None, "change123")


async def test_a_guest_then_an_account_with_the_same_email_both_stay(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await admin_create(memory.core, tenant, EMAIL, None)
    await admin_create(memory.core, tenant, EMAIL.upper(), "change123")

    assert _rows(memory.store) == [(EMAIL, False), (EMAIL.upper(), True)]


async def test_a_second_guest_is_refused(memory: MemoryServices, tenant: Tenant) -> None:
    await admin_create(memory.core, tenant, EMAIL, None)

    with pytest.raises(GuestExists):
        await admin_create(memory.core, tenant, "Shared@Example.com", None)

    assert _rows(memory.store) == [(EMAIL, False)]


async def test_a_second_account_is_refused_whether_or_not_a_guest_exists(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await admin_create(memory.core, tenant, EMAIL, "change123")
    with pytest.raises(EmailTaken):
        await admin_create(memory.core, tenant, EMAIL, "other-pass-1")
    await admin_create(memory.core, tenant, EMAIL, None)  # a registered email takes a guest
    with pytest.raises(EmailTaken):
        await admin_create(memory.core, tenant, EMAIL, "other-pass-1")
    with pytest.raises(GuestExists):
        await admin_create(memory.core, tenant, EMAIL, None)

    assert _rows(memory.store) == [(EMAIL, True), (EMAIL, False)]


async def test_the_back_office_create_checks_policy_and_text_and_mails_nobody(
    memory: MemoryServices, tenant: Tenant
) -> None:
    with pytest.raises(PasswordPolicyViolation):
        await admin_create(memory.core, tenant, EMAIL, "short")
    with pytest.raises(FieldsInvalid):
        await memory.core.customer_admin.create(
            principal_of(tenant), tenant, Registration(email=EMAIL, first_name="x" * 101)
        )
    created = await admin_create(memory.core, tenant, EMAIL, "change123")

    # staff who chose the password vouch for the address: confirmed, an initial password
    assert created.email_verified_at == memory.clock()
    assert created.password_set_by_staff
    assert len(memory.store.customer_rows()) == 1
    assert memory.store.mails() == []


async def test_a_registration_without_a_password_is_a_guest_and_gets_no_mail(
    memory: MemoryServices, tenant: Tenant
) -> None:
    guest = await memory.core.accounts.register(tenant, Registration(email=EMAIL))
    account = await memory.core.accounts.register(tenant, registration_for(EMAIL))

    assert (guest.has_account, account.has_account) == (False, True)
    assert [mail.customer_id for mail in memory.store.mails()] == [account.id]


async def test_account_exists_names_registered_accounts_only(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts
    await admin_create(memory.core, tenant, "guest@example.com", None)
    await admin_create(memory.core, tenant, EMAIL, "change123")

    answers = [
        await accounts.account_exists(tenant, email, client_ip="198.51.100.1")
        for email in (EMAIL, " Shared@EXAMPLE.com", "guest@example.com", "nobody@example.com")
    ]
    too_long = await accounts.account_exists(tenant, "x" * 300, client_ip="198.51.100.1")

    assert answers == [True, True, False, False]
    assert too_long is False


async def test_account_lookups_are_counted_per_client_address(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts
    limit = memory.settings.login_max_failures
    for n in range(limit):
        await accounts.account_exists(tenant, f"probe{n}@example.com", client_ip="2001:db8::1")

    with pytest.raises(LoginBlocked) as blocked:
        await accounts.account_exists(tenant, EMAIL, client_ip="2001:db8::2")  # same /64
    other_address = await accounts.account_exists(tenant, EMAIL, client_ip="198.51.100.9")
    # The lookups have a namespace of their own: the address can still log in.
    with pytest.raises(InvalidCredentials):
        await memory.core.auth.login(tenant, EMAIL, "wrong", client_ip="2001:db8::1")

    assert blocked.value.retry_after_seconds > 0
    assert other_address is False
