"""Password change and reset at the core: sessions, keys, races."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import asyncpg
import pytest

from patron.core.domain.errors.conflict import PasswordChangeFailed
from patron.core.domain.errors.invalid_input import ResetKeyInvalid, WrongPassword
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.model import AccessClaims, Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.identity.password_changes import PasswordChange
from patron.security.hashing import Argon2Hasher
from patron.services import Services
from tests.conftest import FrozenClock, registration_for

RESET = "customer_password_reset"


async def _confirmed_login(
    services: Services, tenant: Tenant, pool: asyncpg.Pool
) -> tuple[Customer, AccessClaims]:
    customer = await services.core.accounts.register(tenant, registration_for("pw@example.com"))
    await pool.execute("UPDATE customers SET email_verified_at = now()")
    pair = await services.core.auth.login(tenant, "pw@example.com", "change123", client_ip=None)
    return customer, services.core.auth.verify(pair.access_token, tenant)


async def test_access_tokens_name_their_session(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    _, claims = await _confirmed_login(timed_services, tenant, clean_db)

    family = await clean_db.fetchval("SELECT family_id FROM refresh_tokens")

    assert claims.session_id == family


async def test_a_wrong_current_password_changes_nothing(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    customer, claims = await _confirmed_login(timed_services, tenant, clean_db)
    before = await clean_db.fetchval("SELECT password_hash FROM customers")

    with pytest.raises(WrongPassword):
        await timed_services.core.passwords.change_own(
            tenant,
            claims,
            CustomerRef.by_number(customer.customer_number),
            PasswordChange(current="not-it-at-all", new="321egnahc", confirmation="321egnahc"),
        )

    assert await clean_db.fetchval("SELECT password_hash FROM customers") == before
    assert await clean_db.fetchval("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL")


async def test_an_account_anonymized_during_a_change_fails_cleanly(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    """Between the checks and the write the account goes away: Spryker's 'failed' (407)."""
    customer, claims = await _confirmed_login(timed_services, tenant, clean_db)
    accounts = timed_services.core.accounts

    class AnonymizingHasher(Argon2Hasher):
        async def hash(self, password: str) -> str:
            await accounts.anonymize_own(claims, CustomerRef.by_number(customer.customer_number))
            return await super().hash(password)

    passwords = dataclasses.replace(
        timed_services.core.passwords,
        hasher=AnonymizingHasher(memory_kib=1024, time_cost=1, parallelism=1),
    )

    with pytest.raises(PasswordChangeFailed):
        await passwords.change_own(
            tenant,
            claims,
            CustomerRef.by_number(customer.customer_number),
            PasswordChange(current="change123", new="321egnahc", confirmation="321egnahc"),
        )

    assert await clean_db.fetchval("SELECT password_hash FROM customers") is None


async def test_reset_keys_expire_after_the_configured_time(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("pw@example.com"))
    await timed_services.core.passwords.request_reset(tenant, "PW@example.com").run()
    body = await clean_db.fetchval(
        "SELECT body FROM outbox WHERE template = 'customer_password_reset'"
    )
    match = re.search(r"token=([\w-]+)", body)
    assert match
    assert "within 120 minutes" in body

    clock.advance(hours=2, seconds=1)

    with pytest.raises(ResetKeyInvalid):
        await timed_services.core.passwords.restore(
            tenant, match.group(1), "321egnahc", "321egnahc"
        )


async def test_reset_for_an_unknown_address_writes_nothing(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await timed_services.core.passwords.request_reset(tenant, "nobody@example.com").run()

    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0
    assert await clean_db.fetchval("SELECT count(*) FROM one_time_tokens") == 0


async def test_racing_reset_requests_leave_one_working_key(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("pw@example.com"))

    await asyncio.gather(
        *(
            timed_services.core.passwords.request_reset(tenant, "pw@example.com").run()
            for _ in range(5)
        )
    )

    assert await clean_db.fetchval("SELECT count(*) FROM outbox WHERE template = $1", RESET) == 5
    assert (
        await clean_db.fetchval(
            "SELECT count(*) FROM one_time_tokens WHERE purpose = 'reset_password'"
        )
        == 1
    )


async def test_a_reset_between_check_and_write_wins_over_the_change(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    """Whoever holds a stale session must not overwrite the password the owner just reset."""
    customer, claims = await _confirmed_login(timed_services, tenant, clean_db)
    passwords = timed_services.core.passwords
    await passwords.request_reset(tenant, "pw@example.com").run()
    body = await clean_db.fetchval("SELECT body FROM outbox WHERE template = $1", RESET)
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

    pair = await timed_services.core.auth.login(
        tenant, "pw@example.com", "owner-again-1", client_ip=None
    )
    assert pair.access_token


async def test_guessing_the_current_password_is_throttled(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    customer, claims = await _confirmed_login(timed_services, tenant, clean_db)
    guess = PasswordChange(current="guess", new="321egnahc", confirmation="321egnahc")
    for _ in range(10):
        with pytest.raises(WrongPassword):
            await timed_services.core.passwords.change_own(
                tenant, claims, CustomerRef.by_number(customer.customer_number), guess
            )

    right = PasswordChange(current="change123", new="321egnahc", confirmation="321egnahc")
    with pytest.raises(LoginBlocked):
        await timed_services.core.passwords.change_own(
            tenant, claims, CustomerRef.by_number(customer.customer_number), right
        )


async def test_reset_mails_to_one_address_are_capped(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("pw@example.com"))

    for _ in range(15):
        await timed_services.core.passwords.request_reset(tenant, "PW@example.com").run()

    assert await clean_db.fetchval("SELECT count(*) FROM outbox WHERE template = $1", RESET) == 10


async def test_a_reset_request_does_its_work_only_when_run_after_the_answer(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await timed_services.core.accounts.register(tenant, registration_for("pw@example.com"))
    await clean_db.execute("DELETE FROM outbox")

    after = timed_services.core.passwords.request_reset(tenant, "pw@example.com")
    before_running = await clean_db.fetchval("SELECT count(*) FROM outbox")
    await after.run()

    assert before_running == 0
    assert await clean_db.fetchval("SELECT template FROM outbox") == "customer_password_reset"
