"""Password change and reset at the core: sessions, keys, races."""

from __future__ import annotations

import dataclasses
import re

import pytest

from patron.core.domain.errors.conflict import PasswordChangeFailed
from patron.core.domain.errors.invalid_input import ResetKeyInvalid, WrongPassword
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.model import AccessClaims, Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.identity.password_changes import PasswordChange
from patron.security.hashing import Argon2Hasher
from tests.conftest import FrozenClock, registration_for
from tests.fakes import MemoryServices

RESET = "customer_password_reset"


async def _confirmed_login(
    services: MemoryServices, tenant: Tenant
) -> tuple[Customer, AccessClaims]:
    customer = await services.core.accounts.register(tenant, registration_for("pw@example.com"))
    services.store.verify_emails(services.clock())
    _, pair = await services.core.auth.login(tenant, "pw@example.com", "change123", client_ip=None)
    return customer, services.core.auth.verify(pair.access_token, tenant)


async def test_access_tokens_name_their_session(memory: MemoryServices, tenant: Tenant) -> None:
    _, claims = await _confirmed_login(memory, tenant)

    (token,) = memory.store.tables.refresh_tokens.values()
    family = token.family_id

    assert claims.session_id == family


async def test_a_wrong_current_password_changes_nothing(
    memory: MemoryServices, tenant: Tenant
) -> None:
    customer, claims = await _confirmed_login(memory, tenant)
    before = memory.store.customer_rows()[0].password_hash

    with pytest.raises(WrongPassword):
        await memory.core.passwords.change_own(
            tenant,
            claims,
            CustomerRef.by_number(customer.customer_number),
            PasswordChange(current="not-it-at-all", new="321egnahc", confirmation="321egnahc"),
        )

    assert memory.store.customer_rows()[0].password_hash == before
    assert [t for t in memory.store.tables.refresh_tokens.values() if t.revoked_at is None]


async def test_an_account_anonymized_during_a_change_fails_cleanly(
    memory: MemoryServices, tenant: Tenant
) -> None:
    """Between the checks and the write the account goes away: Spryker's 'failed' (407)."""
    customer, claims = await _confirmed_login(memory, tenant)
    accounts = memory.core.accounts

    class AnonymizingHasher(Argon2Hasher):
        async def hash(self, password: str) -> str:
            await accounts.anonymize_own(claims, CustomerRef.by_number(customer.customer_number))
            return await super().hash(password)

    passwords = dataclasses.replace(
        memory.core.passwords,
        hasher=AnonymizingHasher(memory_kib=1024, time_cost=1, parallelism=1),
    )

    with pytest.raises(PasswordChangeFailed):
        await passwords.change_own(
            tenant,
            claims,
            CustomerRef.by_number(customer.customer_number),
            PasswordChange(current="change123", new="321egnahc", confirmation="321egnahc"),
        )

    assert memory.store.customer_rows()[0].password_hash is None


async def test_reset_keys_expire_after_the_configured_time(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    await memory.core.accounts.register(tenant, registration_for("pw@example.com"))
    await memory.core.passwords.request_reset(tenant, "PW@example.com").run()
    body = memory.store.mails(RESET)[0].body
    match = re.search(r"token=([\w-]+)", body)
    assert match
    assert "within 120 minutes" in body

    clock.advance(hours=2, seconds=1)

    with pytest.raises(ResetKeyInvalid):
        await memory.core.passwords.restore(tenant, match.group(1), "321egnahc", "321egnahc")


async def test_reset_for_an_unknown_address_writes_nothing(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await memory.core.passwords.request_reset(tenant, "nobody@example.com").run()

    assert memory.store.mails() == []
    assert memory.store.tables.one_time_tokens == {}


async def test_a_reset_between_check_and_write_wins_over_the_change(
    memory: MemoryServices, tenant: Tenant
) -> None:
    """Whoever holds a stale session must not overwrite the password the owner just reset."""
    customer, claims = await _confirmed_login(memory, tenant)
    passwords = memory.core.passwords
    await passwords.request_reset(tenant, "pw@example.com").run()
    body = memory.store.mails(RESET)[0].body
    match = re.search(r"token=([\w-]+)", body)
    assert match
    key = match.group(1)

    class RestoringHasher(Argon2Hasher):
        async def hash(self, password: str) -> str:
            if password == "intruder-1":
                await passwords.restore(tenant, key, "owner-again-1", "owner-again-1")
            return await super().hash(password)

    racing = dataclasses.replace(
        passwords, hasher=RestoringHasher(memory_kib=1024, time_cost=1, parallelism=1)
    )

    with pytest.raises(PasswordChangeFailed):
        await racing.change_own(
            tenant,
            claims,
            CustomerRef.by_number(customer.customer_number),
            PasswordChange(current="change123", new="intruder-1", confirmation="intruder-1"),
        )

    _, pair = await memory.core.auth.login(
        tenant, "pw@example.com", "owner-again-1", client_ip=None
    )
    assert pair.access_token


async def test_guessing_the_current_password_is_throttled(
    memory: MemoryServices, tenant: Tenant
) -> None:
    customer, claims = await _confirmed_login(memory, tenant)
    guess = PasswordChange(current="guess", new="321egnahc", confirmation="321egnahc")
    for _ in range(10):
        with pytest.raises(WrongPassword):
            await memory.core.passwords.change_own(
                tenant, claims, CustomerRef.by_number(customer.customer_number), guess
            )

    right = PasswordChange(current="change123", new="321egnahc", confirmation="321egnahc")
    with pytest.raises(LoginBlocked):
        await memory.core.passwords.change_own(
            tenant, claims, CustomerRef.by_number(customer.customer_number), right
        )


async def test_reset_mails_to_one_address_are_capped(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await memory.core.accounts.register(tenant, registration_for("pw@example.com"))

    for _ in range(15):
        await memory.core.passwords.request_reset(tenant, "PW@example.com").run()

    assert len(memory.store.mails(RESET)) == 10


async def test_a_reset_request_does_its_work_only_when_run_after_the_answer(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await memory.core.accounts.register(tenant, registration_for("pw@example.com"))
    memory.store.tables.outbox.clear()

    after = memory.core.passwords.request_reset(tenant, "pw@example.com")
    before_running = len(memory.store.mails())
    await after.run()

    assert before_running == 0
    assert [mail.template for mail in memory.store.mails()] == [RESET]
