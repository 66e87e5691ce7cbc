"""Server-side sessions: the two stores, and customers' cookie sessions and session tokens,
which end with everything that ends the customer's other sessions."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from redis.asyncio import Redis

from patron.core.domain.errors.unauthorized import InvalidAccessToken, InvalidCredentials
from patron.core.domain.model import AccessClaims, Audience, Customer, SessionRecord
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.identity.access import CustomerRef
from patron.core.identity.password_changes import PasswordChange
from patron.core.ports.security import SessionStore
from patron.services import Services
from patron.settings import Settings
from patron.storage.sessions import PgSessions, RedisSessions
from patron.storage.tenants import TenantAdmin
from tests.conftest import FrozenClock, cheap_settings, registration_for
from tests.outbox import PASSWORD_RESET, mailed_key

SESSION_TTL = 10 * 3600


# --- the stores -------------------------------------------------------------------------


@pytest.fixture(params=["postgres", pytest.param("redis", marks=pytest.mark.redis)])
async def store(
    request: pytest.FixtureRequest, clean_db: asyncpg.Pool
) -> AsyncIterator[SessionStore]:
    if request.param == "postgres":
        yield PgSessions(clean_db)
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisSessions(redis)
    await redis.aclose()


def _record(created_at: datetime, *, seconds: int = SESSION_TTL) -> SessionRecord:
    return SessionRecord(
        tenant_id=1,
        audience=Audience.CUSTOMER,
        subject_id=7,
        subject_uuid=uuid.uuid4(),
        subject_number="DE--7",
        family_id=uuid.uuid4(),
        created_at=created_at,
        expires_at=created_at + timedelta(seconds=seconds),
    )


def _hash() -> bytes:
    return uuid.uuid4().bytes * 2


async def test_a_store_keeps_a_session_until_it_expires(store: SessionStore) -> None:
    now = datetime.now(UTC)
    record, token_hash = _record(now), _hash()

    await store.put(token_hash, record)

    assert await store.get(token_hash, now) == record
    assert await store.get(token_hash, record.expires_at - timedelta(seconds=1)) == record
    assert await store.get(token_hash, record.expires_at) is None
    assert await store.get(_hash(), now) is None


async def test_a_store_forgets_a_deleted_session(store: SessionStore) -> None:
    now = datetime.now(UTC)
    token_hash = _hash()
    await store.put(token_hash, _record(now))

    await store.delete(token_hash)
    await store.delete(token_hash)  # and again: nothing to delete, no error

    assert await store.get(token_hash, now) is None


async def test_a_back_office_session_round_trips_without_number_or_family(
    store: SessionStore,
) -> None:
    now = datetime.now(UTC)
    record = SessionRecord(
        tenant_id=1,
        audience=Audience.BACK_OFFICE,
        subject_id=3,
        subject_uuid=uuid.uuid4(),
        subject_number=None,
        family_id=None,
        created_at=now,
        expires_at=now + timedelta(hours=1),
    )
    token_hash = _hash()

    await store.put(token_hash, record)

    assert await store.get(token_hash, now) == record


async def test_postgres_purges_expired_sessions_a_batch_at_a_time(clean_db: asyncpg.Pool) -> None:
    store = PgSessions(clean_db, purge_batch=2)
    past = datetime.now(UTC) - timedelta(days=1)
    for _ in range(3):
        await store.put(_hash(), _record(past, seconds=60))

    await store.put(_hash(), _record(datetime.now(UTC)))
    assert await clean_db.fetchval("SELECT count(*) FROM sessions") == 2  # one expired left
    await store.put(_hash(), _record(datetime.now(UTC)))
    expired = "SELECT count(*) FROM sessions WHERE expires_at < now()"
    assert await clean_db.fetchval(expired) == 0
    assert await clean_db.fetchval("SELECT count(*) FROM sessions") == 2


@pytest.mark.redis
async def test_redis_keeps_a_session_under_its_hash_with_the_session_s_ttl(
    redis_url: str,
) -> None:
    redis = Redis.from_url(redis_url)
    try:
        token_hash = _hash()
        await RedisSessions(redis).put(token_hash, _record(datetime.now(UTC)))

        key = f"patron:session:{token_hash.hex()}"
        ttl = await redis.pttl(key)
        assert SESSION_TTL * 1000 - 5000 < ttl <= SESSION_TTL * 1000
        await RedisSessions(redis).delete(token_hash)
    finally:
        await redis.aclose()


# --- customer sessions ------------------------------------------------------------------


@pytest.fixture(params=["postgres", pytest.param("redis", marks=pytest.mark.redis)])
def settings(request: pytest.FixtureRequest) -> Settings:
    """Every customer-session test runs on both stores (Redis when `PATRON_REDIS_URL`)."""
    if request.param == "postgres":
        return cheap_settings()
    return cheap_settings(redis_url=request.getfixturevalue("redis_url"))


async def _customer(services: Services, tenant: Tenant, email: str = "s@example.com") -> Customer:
    await services.core.accounts.register(tenant, registration_for(email))
    return await services.core.auth.authenticate(
        tenant, email, "change123", client_ip=None, require_confirmation=False
    )


async def _session(services: Services, tenant: Tenant) -> tuple[str, AccessClaims]:
    cookie = await services.core.auth.start_session(await _customer(services, tenant))
    return cookie, await services.core.auth.session_claims(tenant, cookie)


async def test_a_session_speaks_for_its_customer(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    _, claims = await _session(timed_services, tenant)

    customer = await timed_services.core.accounts.get_own(claims, CustomerRef.me())

    assert customer.email == "s@example.com"
    assert claims.audience is Audience.CUSTOMER and claims.scopes == {"customer"}
    assert claims.customer_number == customer.customer_number
    stored = await clean_db.fetchval(
        "SELECT count(*) FROM refresh_tokens WHERE family_id = $1", claims.session_id
    )
    assert stored == 1  # the session's own family


async def test_a_session_expires_after_its_lifetime(
    timed_services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    cookie, _ = await _session(timed_services, tenant)

    clock.advance(seconds=SESSION_TTL - 1)
    await timed_services.core.auth.session_claims(tenant, cookie)
    clock.advance(seconds=1)

    with pytest.raises(InvalidAccessToken):
        await timed_services.core.auth.session_claims(tenant, cookie)


async def test_a_session_is_valid_on_its_own_tenant_only(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    other = await TenantAdmin(clean_db).create("other", "Other", TenantSettings())
    cookie, _ = await _session(timed_services, tenant)

    for token, where in [(cookie, other), ("unknown", tenant), ("", tenant)]:
        with pytest.raises(InvalidAccessToken):
            await timed_services.core.auth.session_claims(where, token)


async def test_ending_a_session_ends_it_and_its_family(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    cookie, claims = await _session(timed_services, tenant)

    await timed_services.core.auth.end_session(cookie)
    await timed_services.core.auth.end_session(cookie)  # silent when already gone
    await timed_services.core.auth.end_session("never-issued")

    with pytest.raises(InvalidAccessToken):
        await timed_services.core.auth.session_claims(tenant, cookie)
    with pytest.raises(InvalidAccessToken):  # claims read before the logout are dead too
        await timed_services.core.accounts.get_own(claims, CustomerRef.me())
    revoked = await clean_db.fetchval(
        "SELECT bool_and(revoked_at IS NOT NULL) FROM refresh_tokens WHERE family_id = $1",
        claims.session_id,
    )
    assert revoked is True


async def test_a_password_reset_ends_sessions_and_session_tokens(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    core = timed_services.core
    cookie, _ = await _session(timed_services, tenant)
    customer = await core.auth.authenticate(
        tenant, "s@example.com", "change123", client_ip=None, require_confirmation=False
    )
    store_token, _ = await core.auth.issue_session_token(customer)
    await core.passwords.request_reset(tenant, "s@example.com").run()
    key = await mailed_key(clean_db, "s@example.com", PASSWORD_RESET)
    clock.advance(seconds=1)

    await core.passwords.restore(tenant, key, "new-pass-1", "new-pass-1")

    with pytest.raises(InvalidAccessToken):
        await core.accounts.get_own(
            await core.auth.session_claims(tenant, cookie), CustomerRef.me()
        )
    with pytest.raises(InvalidAccessToken):
        await core.accounts.get_own(core.auth.verify(store_token, tenant), CustomerRef.me())


async def test_anonymization_ends_sessions_and_session_tokens(
    timed_services: Services, tenant: Tenant
) -> None:
    core = timed_services.core
    cookie, claims = await _session(timed_services, tenant)
    customer = await core.accounts.get_own(claims, CustomerRef.me())
    store_token, _ = await core.auth.issue_session_token(customer)

    await core.accounts.anonymize_own(claims, CustomerRef.me())

    with pytest.raises(InvalidAccessToken):
        await core.accounts.get_own(
            await core.auth.session_claims(tenant, cookie), CustomerRef.me()
        )
    with pytest.raises(InvalidAccessToken):
        await core.accounts.get_own(core.auth.verify(store_token, tenant), CustomerRef.me())


async def test_a_password_change_ends_the_other_sessions_but_not_its_own(
    timed_services: Services, tenant: Tenant
) -> None:
    core = timed_services.core
    cookie, claims = await _session(timed_services, tenant)
    other_cookie = await core.auth.start_session(
        await core.accounts.get_own(claims, CustomerRef.me())
    )

    await core.passwords.change_own(
        tenant, claims, CustomerRef.me(), PasswordChange(current="change123", new="new-pass-1")
    )

    await core.accounts.get_own(await core.auth.session_claims(tenant, cookie), CustomerRef.me())
    with pytest.raises(InvalidAccessToken):
        other = await core.auth.session_claims(tenant, other_cookie)
        await core.accounts.get_own(other, CustomerRef.me())


async def test_logging_out_everywhere_ends_sessions_and_session_tokens(
    timed_services: Services, tenant: Tenant
) -> None:
    core = timed_services.core
    cookie, claims = await _session(timed_services, tenant)
    store_token, _ = await core.auth.issue_session_token(
        await core.accounts.get_own(claims, CustomerRef.me())
    )

    await core.auth.revoke(claims, None)

    with pytest.raises(InvalidAccessToken):
        await core.accounts.get_own(
            await core.auth.session_claims(tenant, cookie), CustomerRef.me()
        )
    with pytest.raises(InvalidAccessToken):
        await core.accounts.get_own(core.auth.verify(store_token, tenant), CustomerRef.me())


async def test_a_session_token_lives_as_long_as_a_session(
    timed_services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    customer = await _customer(timed_services, tenant)

    token, lifetime = await timed_services.core.auth.issue_session_token(
        customer, vendor_claims=lambda c: {"customer_id": f"cus_{c.id}"}
    )

    assert lifetime == SESSION_TTL
    claims = timed_services.core.auth.verify(token, tenant)
    await timed_services.core.accounts.get_own(claims, CustomerRef.me())
    clock.advance(seconds=SESSION_TTL)
    with pytest.raises(InvalidAccessToken):
        timed_services.core.auth.verify(token, tenant)


async def test_confirmation_is_the_tenant_s_rule_unless_the_caller_waives_it(
    timed_services: Services, tenant: Tenant
) -> None:
    """The default tenant requires confirmation; a mount without a confirmation step
    passes `require_confirmation=False`."""
    auth = timed_services.core.auth
    await timed_services.core.accounts.register(tenant, registration_for("u@example.com"))

    for require in (None, True):
        with pytest.raises(InvalidCredentials):
            await auth.authenticate(
                tenant, "u@example.com", "change123", client_ip=None, require_confirmation=require
            )
        with pytest.raises(InvalidCredentials):
            await auth.login(
                tenant, "u@example.com", "change123", client_ip=None, require_confirmation=require
            )
    customer = await auth.authenticate(
        tenant, "u@example.com", "change123", client_ip=None, require_confirmation=False
    )
    _, pair = await auth.login(
        tenant, "u@example.com", "change123", client_ip=None, require_confirmation=False
    )

    assert customer.email_verified_at is None
    assert auth.verify(pair.access_token, tenant).customer_id == customer.id


async def test_authenticating_records_the_login(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    await _customer(timed_services, tenant)

    assert await clean_db.fetchval("SELECT last_login_at FROM customers") == clock.now
