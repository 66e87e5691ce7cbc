"""Token lifecycles with a controlled clock."""

from __future__ import annotations

import asyncpg
import pytest

from patron.core.errors import (
    ConfirmationInvalid,
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
)
from patron.core.model import Tenant, TokenPair
from patron.services import Services
from tests.conftest import FrozenClock, registration_for


async def _confirmed(services: Services, tenant: Tenant, pool: asyncpg.Pool, email: str) -> None:
    await services.core.accounts.register(tenant, registration_for(email))
    await pool.execute("UPDATE customers SET email_verified_at = now()")


async def _logged_in(services: Services, tenant: Tenant, pool: asyncpg.Pool) -> TokenPair:
    await _confirmed(services, tenant, pool, "t@example.com")
    return await services.core.auth.login(tenant, "t@example.com", "change123", client_ip=None)


async def test_access_tokens_expire_after_their_lifetime(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    pair = await _logged_in(timed_services, tenant, clean_db)

    clock.advance(seconds=pair.expires_in - 1)
    claims = timed_services.core.auth.verify(pair.access_token, tenant)
    clock.advance(seconds=1)

    assert claims.customer_number == "DE--1"
    with pytest.raises(InvalidAccessToken):
        timed_services.core.auth.verify(pair.access_token, tenant)


async def test_refresh_tokens_expire_after_their_lifetime(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    pair = await _logged_in(timed_services, tenant, clean_db)

    clock.advance(days=30)

    with pytest.raises(InvalidRefreshToken):
        await timed_services.core.auth.refresh(tenant, pair.refresh_token)


async def test_confirmation_keys_expire(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    import re

    await timed_services.core.accounts.register(tenant, registration_for("c@example.com"))
    body = await clean_db.fetchval("SELECT body FROM outbox")
    match = re.search(r"token=([\w-]+)", body)
    assert match is not None

    clock.advance(days=8)

    with pytest.raises(ConfirmationInvalid):
        await timed_services.core.accounts.confirm(tenant, match.group(1))


async def test_a_token_signed_with_another_key_is_refused(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    import jwt

    forged = jwt.encode(
        {
            "iss": "patron",
            "sub": "00000000-0000-0000-0000-000000000000",
            "ref": "DE--1",
            "tid": tenant.id,
            "iat": 1,
            "exp": 4_000_000_000,
        },
        b"k" * 64,
        algorithm="HS256",
    )

    with pytest.raises(InvalidAccessToken):
        timed_services.core.auth.verify(forged, tenant)


async def test_inactive_and_on_hold_customers_cannot_log_in(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    await _confirmed(timed_services, tenant, clean_db, "t@example.com")

    await clean_db.execute("UPDATE customers SET on_hold = true")
    with pytest.raises(InvalidCredentials):
        await timed_services.core.auth.login(tenant, "t@example.com", "change123", client_ip=None)
    await clean_db.execute("UPDATE customers SET on_hold = false, is_active = false")
    with pytest.raises(InvalidCredentials):
        await timed_services.core.auth.login(tenant, "t@example.com", "change123", client_ip=None)
