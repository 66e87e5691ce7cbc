"""A sign-up refused because the email is taken says the account exists (issue 18, item
13): it spends the caller's email-lookup limit, the one `GET /store/auth/{email}` spends
(decision 103), on real PostgreSQL throttle counters."""

from __future__ import annotations

import asyncio

import pytest

from patron.core.domain.commands import EmailLookup
from patron.core.domain.errors.conflict import EmailTaken
from patron.core.domain.errors.invalid_input import PasswordPolicyViolation
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.tenants import Tenant
from patron.settings import Settings
from tests.conftest import registration_for
from tests.fakes import MemoryServices

PROBER = EmailLookup(client_ip="203.0.113.50")
TAKEN = "taken@example.com"


@pytest.fixture
async def taken(memory: MemoryServices, tenant: Tenant) -> None:
    await memory.core.accounts.register(tenant, registration_for(TAKEN))


async def test_taken_emails_spend_the_lookup_limit_and_then_every_sign_up_waits(
    memory: MemoryServices, tenant: Tenant, settings: Settings, taken: None
) -> None:
    accounts = memory.core.accounts
    for _ in range(settings.login_max_failures):
        with pytest.raises(EmailTaken):
            await accounts.register(tenant, registration_for(TAKEN), lookup=PROBER)

    with pytest.raises(LoginBlocked) as blocked:
        await accounts.register(tenant, registration_for("free@example.com"), lookup=PROBER)
    assert blocked.value.retry_after_seconds > 0
    with pytest.raises(LoginBlocked):
        await accounts.account_exists(tenant, TAKEN, client_ip=PROBER.client_ip)
    elsewhere = EmailLookup(client_ip="198.51.100.1")
    await accounts.register(tenant, registration_for("free@example.com"), lookup=elsewhere)


async def test_lookups_and_taken_sign_ups_share_one_limit(
    memory: MemoryServices, tenant: Tenant, settings: Settings, taken: None
) -> None:
    accounts = memory.core.accounts
    for n in range(settings.login_max_failures):
        await accounts.account_exists(tenant, f"p{n}@example.com", client_ip=PROBER.client_ip)

    with pytest.raises(LoginBlocked):
        await accounts.register(tenant, registration_for(TAKEN), lookup=PROBER)


async def test_new_accounts_and_refused_passwords_name_no_account_and_spend_nothing(
    memory: MemoryServices, tenant: Tenant, settings: Settings
) -> None:
    """A shared address (an office, a carrier's NAT) may sign many people up."""
    accounts = memory.core.accounts
    for n in range(settings.login_max_failures + 2):
        await accounts.register(tenant, registration_for(f"new{n}@example.com"), lookup=PROBER)
        with pytest.raises(PasswordPolicyViolation):
            await accounts.register(
                tenant, registration_for(f"weak{n}@example.com", "short"), lookup=PROBER
            )

    assert await accounts.account_exists(tenant, "new0@example.com", client_ip=PROBER.client_ip)
    assert len(memory.store.customer_rows()) == (settings.login_max_failures + 2)


async def test_racing_sign_ups_of_taken_emails_name_at_most_the_limit(
    memory: MemoryServices, tenant: Tenant, settings: Settings, taken: None
) -> None:
    """Counted before the sign-up runs, so a burst cannot all pass while the first is
    still hashing its password."""
    attempts = settings.login_max_failures * 3
    results = await asyncio.gather(
        *(
            memory.core.accounts.register(tenant, registration_for(TAKEN), lookup=PROBER)
            for _ in range(attempts)
        ),
        return_exceptions=True,
    )

    named = sum(isinstance(result, EmailTaken) for result in results)
    assert 0 < named <= settings.login_max_failures
    assert named + sum(isinstance(result, LoginBlocked) for result in results) == attempts


async def test_a_trusted_caller_is_not_counted(
    memory: MemoryServices, tenant: Tenant, settings: Settings, taken: None
) -> None:
    """The console and imports pass no `EmailLookup`: they are no anonymous prober."""
    for _ in range(settings.login_max_failures + 1):
        with pytest.raises(EmailTaken):
            await memory.core.accounts.register(tenant, registration_for(TAKEN))
