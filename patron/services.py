"""Builds the running parts from settings: the one place that knows every adapter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
from redis.asyncio import Redis

from patron.core.domain.config import CoreConfig
from patron.core.ports.adapters import Adapters
from patron.core.ports.security import SessionStore
from patron.core.ports.unit_of_work import Clock
from patron.core.use_cases import Core
from patron.mail.delivery import OutboxDelivery, SmtpSender
from patron.security.codec import JwtCodec
from patron.security.hashing import Argon2Hasher, MigratingHasher
from patron.security.keys import load_or_create_signing_key
from patron.security.throttle import (
    Counters,
    RateQuota,
    RedisCounters,
    Throttle,
    ThrottlePolicy,
)
from patron.settings import Settings
from patron.storage.addresses import PgAddressReads
from patron.storage.availability import PgAvailabilityReads
from patron.storage.back_office import PgBackOfficeReads
from patron.storage.customer_data import PgCustomerDataReads
from patron.storage.customer_search import PgCustomerSearch
from patron.storage.customers import PgCustomerReads
from patron.storage.database import create_pool
from patron.storage.groups import PgGroupReads
from patron.storage.outbox import OutboxStore
from patron.storage.sessions import PgSessions, RedisSessions
from patron.storage.tenants import PgTenantDirectory, TenantAdmin
from patron.storage.throttle import PgCounters
from patron.storage.uow import PgUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


def resolve_database_url(settings: Settings) -> str:
    """The configured server, or else the embedded one under `var_dir`."""
    if settings.database_url:
        return settings.database_url
    from patron.storage.embedded import start_embedded

    return start_embedded(settings.var_dir / "pg")


@dataclass(slots=True)
class Services:
    settings: Settings
    dsn: str
    pool: asyncpg.Pool
    core: Core
    outbox: OutboxStore
    redis: Redis | None
    clock: Clock

    @classmethod
    async def start(cls, settings: Settings, dsn: str, *, clock: Clock = utc_now) -> Services:
        pool = await create_pool(
            dsn,
            min_size=settings.database_pool_min,
            max_size=settings.database_pool_max,
            acquire_timeout=settings.database_pool_timeout_seconds,
        )
        try:
            return await cls.build(settings, dsn, pool, clock=clock)
        except BaseException:
            await pool.close()
            raise

    @classmethod
    async def build(
        cls, settings: Settings, dsn: str, pool: asyncpg.Pool, *, clock: Clock = utc_now
    ) -> Services:
        """Wire the adapters around an open pool (tests share one pool between apps)."""
        configured = (
            settings.jwt_secret.get_secret_value().encode() if settings.jwt_secret else None
        )
        secret = await load_or_create_signing_key(pool, configured)
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        # Never in the process: a second worker must not be a way around a lockout.
        counters: Counters = RedisCounters(redis) if redis else PgCounters(pool)
        throttle = login_throttle(settings, counters)
        hasher = password_hasher(settings)
        codec = JwtCodec(secret=secret, access_ttl_seconds=settings.access_token_ttl_seconds)
        config = core_config(settings)
        # Like the throttle: shared by every worker and host, never in the process.
        sessions: SessionStore = RedisSessions(redis) if redis else PgSessions(pool)

        def uow() -> PgUnitOfWork:
            return PgUnitOfWork(pool)

        adapters = Adapters(
            uow=uow,
            clock=clock,
            hasher=hasher,
            imported_hashes=hasher,
            codec=codec,
            throttle=throttle,
            quota=RateQuota(counters),
            sessions=sessions,
            tenants=PgTenantDirectory(pool),
            tenant_repository=TenantAdmin(pool),
            customer_reads=PgCustomerReads(pool),
            address_reads=PgAddressReads(pool),
            data_reads=PgCustomerDataReads(pool),
            availability_reads=PgAvailabilityReads(pool),
            back_office_reads=PgBackOfficeReads(pool),
            group_reads=PgGroupReads(pool),
            customer_search=PgCustomerSearch(pool),
        )
        core = Core.build(adapters, config)
        return cls(
            settings=settings,
            dsn=dsn,
            pool=pool,
            core=core,
            outbox=OutboxStore(pool),
            redis=redis,
            clock=clock,
        )

    def mail_delivery(self) -> OutboxDelivery | None:
        s = self.settings
        if not s.smtp_host:
            return None
        sender = SmtpSender(
            host=s.smtp_host,
            port=s.smtp_port,
            sender=s.mail_from,
            username=s.smtp_user,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
            tls=s.smtp_tls,
        )
        return OutboxDelivery(
            self.outbox, sender, clock=self.clock, max_attempts=s.mail_max_attempts
        )

    async def close(self, *, keep_pool: bool = False) -> None:
        if self.redis is not None:
            await self.redis.aclose()
        if not keep_pool:
            await self.pool.close()


def login_throttle(settings: Settings, counters: Counters) -> Throttle:
    """The login throttle the settings describe, over shared `counters`."""
    return Throttle(
        ThrottlePolicy(
            max_failures=settings.login_max_failures,
            window_seconds=settings.login_failure_window_seconds,
            block_seconds=settings.login_block_seconds,
        ),
        counters,
    )


def password_hasher(settings: Settings) -> MigratingHasher:
    """argon2id at the settings' cost, verifying imported legacy hashes too."""
    return MigratingHasher(
        Argon2Hasher(
            memory_kib=settings.argon2_memory_kib,
            time_cost=settings.argon2_time_cost,
            parallelism=settings.argon2_parallelism,
        )
    )


def core_config(settings: Settings) -> CoreConfig:
    """The knobs of the use cases, from the settings."""
    return CoreConfig(
        public_url=settings.public_url,
        confirm_url_template=settings.storefront_confirm_url,
        confirmation_token_ttl_seconds=settings.confirmation_token_ttl_seconds,
        refresh_token_ttl_seconds=settings.refresh_token_ttl_seconds,
        password_reset_url_template=settings.storefront_password_reset_url,
        password_reset_ttl_seconds=settings.password_reset_ttl_seconds,
        max_addresses_per_customer=settings.max_addresses_per_customer,
        session_ttl_seconds=settings.session_ttl_seconds,
        back_office_token_ttl_seconds=settings.back_office_token_ttl_seconds,
    )
