"""Registration rules, on real PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from patron.core.domain.commands import Registration
from patron.core.domain.errors.invalid_input import EmailInvalid, PasswordPolicyViolation
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.core.domain.tenants import Tenant
from patron.settings import Settings
from tests.conftest import FrozenClock, cheap_settings, registration_for
from tests.fakes import MemoryServices


@pytest.mark.parametrize(
    ("registration", "error"),
    [
        (registration_for("not an email"), EmailInvalid),
        (registration_for("a@b.de", password="short"), PasswordPolicyViolation),
    ],
)
async def test_refused_registrations_store_nothing(
    memory: MemoryServices,
    tenant: Tenant,
    registration: Registration,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        await memory.core.accounts.register(tenant, registration)

    assert memory.store.customer_rows() == []
    assert memory.store.mails() == []


async def test_the_email_keeps_its_case_for_display(memory: MemoryServices, tenant: Tenant) -> None:
    customer = await memory.core.accounts.register(
        tenant, registration_for("  Sonia.Wagner@Example.COM ")
    )

    assert customer.email == "Sonia.Wagner@Example.COM"


async def test_passwords_are_hashed_with_argon2id_at_owasp_cost(clock: FrozenClock) -> None:
    services = MemoryServices.build(Settings(database_url="postgresql://unused"), clock)
    tenant = await services.core.tenants.get("default")

    await services.core.accounts.register(tenant, registration_for("hash@example.com"))

    stored = services.store.customer_rows()[0].password_hash
    assert stored is not None
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert "change123" not in stored


async def test_outdated_hashes_are_upgraded_at_the_next_login(clock: FrozenClock) -> None:
    old = MemoryServices.build(cheap_settings(), clock)
    tenant = await old.core.tenants.get("default")
    await old.core.accounts.register(tenant, registration_for("up@example.com"))
    old.store.verify_emails(clock())
    before = old.store.password_hash_of("up@example.com")

    stronger = cheap_settings(argon2_time_cost=3)
    new = MemoryServices.build(stronger, clock, store=old.store)
    await new.core.auth.login(tenant, "up@example.com", "change123", client_ip=None)

    after = new.store.password_hash_of("up@example.com")
    assert before is not None and after is not None
    assert ",t=1," in before
    assert ",t=3," in after
    await new.core.auth.login(tenant, "up@example.com", "change123", client_ip=None)


async def test_the_confirmation_mail_follows_the_tenant_and_the_mount(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts
    relaxed = replace(tenant, settings=replace(tenant.settings, confirmation_required=False))

    await accounts.register(tenant, registration_for("a@example.com"), send_confirmation=False)
    await accounts.register(relaxed, registration_for("b@example.com"), send_confirmation=True)
    await accounts.register(relaxed, registration_for("c@example.com"), send_confirmation=False)

    mailed = memory.store.mails()
    assert [mail.recipient for mail in mailed] == ["a@example.com", "b@example.com"]
    # required: mailed even when the mount would not; not required: as the mount says


async def test_a_customer_without_a_password_is_a_guest_who_cannot_log_in(
    memory: MemoryServices, tenant: Tenant
) -> None:
    guest = await memory.core.accounts.register(tenant, Registration(email="np@example.com"))
    memory.store.verify_emails(memory.clock())

    assert guest.has_account is False
    (row,) = memory.store.customer_rows()
    assert row.customer.has_account is False
    assert row.password_hash is None
    assert row.customer.terms_accepted_at is None
    with pytest.raises(InvalidCredentials):
        await memory.core.auth.login(tenant, "np@example.com", "", client_ip=None)


async def test_a_contact_email_is_kept_apart_only_when_it_is_another_valid_address(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts

    apart = await accounts.register(
        tenant, registration_for("login@example.com", contact_email=" desk@example.com ")
    )
    same = await accounts.register(
        tenant, registration_for("one@example.com", contact_email="ONE@example.com")
    )
    with pytest.raises(EmailInvalid):
        await accounts.register(
            tenant, registration_for("bad@example.com", contact_email="not an address")
        )

    assert (apart.email, apart.contact_email) == ("login@example.com", "desk@example.com")
    assert (same.contact_email, same.shown_contact_email) == (None, "one@example.com")
    assert len(memory.store.customer_rows()) == 2
    # the login is what logs in; the contact email is no second login
    with pytest.raises(InvalidCredentials):
        await memory.core.auth.login(
            tenant, "desk@example.com", "change123", client_ip=None, require_confirmation=False
        )
