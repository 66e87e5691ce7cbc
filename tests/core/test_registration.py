"""Registration rules, on real PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import asyncpg
import pytest

from patron.core.domain.commands import Registration
from patron.core.domain.errors.conflict import EmailTaken
from patron.core.domain.errors.invalid_input import EmailInvalid, PasswordPolicyViolation
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings, registration_for


async def test_twenty_racing_registrations_leave_exactly_one_account(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    spellings = ("race@example.com", "RACE@EXAMPLE.COM", "Race@Example.com")
    emails = [spellings[n % 3] for n in range(20)]

    results = await asyncio.gather(
        *(timed_services.core.accounts.register(tenant, registration_for(e)) for e in emails),
        return_exceptions=True,
    )

    created = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(created) == 1
    assert len(refused) == 19
    assert all(isinstance(r, EmailTaken) for r in refused)
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 1
    assert await clean_db.fetchval("SELECT next_customer_number FROM tenants") == 2


async def test_racing_registrations_of_different_emails_get_distinct_numbers(
    timed_services: Services, tenant: Tenant
) -> None:
    customers = await asyncio.gather(
        *(
            timed_services.core.accounts.register(tenant, registration_for(f"u{n}@example.com"))
            for n in range(20)
        )
    )

    numbers = sorted(int(c.customer_number.removeprefix("DE--")) for c in customers)
    assert numbers == list(range(1, 21))


@pytest.mark.parametrize(
    ("registration", "error"),
    [
        (registration_for("not an email"), EmailInvalid),
        (registration_for("a@b.de", password="short"), PasswordPolicyViolation),
    ],
)
async def test_refused_registrations_store_nothing(
    timed_services: Services,
    tenant: Tenant,
    clean_db: asyncpg.Pool,
    registration: Registration,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        await timed_services.core.accounts.register(tenant, registration)

    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 0
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0


async def test_the_email_keeps_its_case_for_display(
    timed_services: Services, tenant: Tenant
) -> None:
    customer = await timed_services.core.accounts.register(
        tenant, registration_for("  Sonia.Wagner@Example.COM ")
    )

    assert customer.email == "Sonia.Wagner@Example.COM"


async def test_passwords_are_hashed_with_argon2id_at_owasp_cost(
    clean_db: asyncpg.Pool, database_url: str
) -> None:
    services = await Services.build(Settings(database_url=database_url), database_url, clean_db)
    tenant = await services.core.tenants.get("default")

    await services.core.accounts.register(tenant, registration_for("hash@example.com"))

    stored = await clean_db.fetchval("SELECT password_hash FROM customers")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert "change123" not in stored


async def test_outdated_hashes_are_upgraded_at_the_next_login(
    clean_db: asyncpg.Pool, database_url: str
) -> None:
    old = await Services.build(cheap_settings(), database_url, clean_db)
    tenant = await old.core.tenants.get("default")
    await old.core.accounts.register(tenant, registration_for("up@example.com"))
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    before = await clean_db.fetchval("SELECT password_hash FROM customers")

    stronger = cheap_settings(argon2_time_cost=3)
    new = await Services.build(stronger, database_url, clean_db)
    await new.core.auth.login(tenant, "up@example.com", "change123", client_ip=None)

    after = await clean_db.fetchval("SELECT password_hash FROM customers")
    assert ",t=1," in before
    assert ",t=3," in after
    await new.core.auth.login(tenant, "up@example.com", "change123", client_ip=None)


async def test_the_confirmation_mail_follows_the_tenant_and_the_mount(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    accounts = timed_services.core.accounts
    relaxed = replace(tenant, settings=replace(tenant.settings, confirmation_required=False))

    await accounts.register(tenant, registration_for("a@example.com"), send_confirmation=False)
    await accounts.register(relaxed, registration_for("b@example.com"), send_confirmation=True)
    await accounts.register(relaxed, registration_for("c@example.com"), send_confirmation=False)

    mailed = await clean_db.fetch("SELECT recipient FROM outbox ORDER BY id")
    assert [row["recipient"] for row in mailed] == ["a@example.com", "b@example.com"]
    # required: mailed even when the mount would not; not required: as the mount says


async def test_a_customer_without_a_password_is_a_guest_who_cannot_log_in(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    guest = await timed_services.core.accounts.register(
        tenant, Registration(email="np@example.com")
    )
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")

    assert guest.has_account is False
    assert await clean_db.fetchval("SELECT has_account FROM customers") is False
    assert await clean_db.fetchval("SELECT password_hash FROM customers") is None
    assert await clean_db.fetchval("SELECT terms_accepted_at FROM customers") is None
    with pytest.raises(InvalidCredentials):
        await timed_services.core.auth.login(tenant, "np@example.com", "", client_ip=None)


async def test_a_contact_email_is_kept_apart_only_when_it_is_another_valid_address(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    accounts = timed_services.core.accounts

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
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 2
    # the login is what logs in; the contact email is no second login
    with pytest.raises(InvalidCredentials):
        await timed_services.core.auth.login(
            tenant, "desk@example.com", "change123", client_ip=None, require_confirmation=False
        )
