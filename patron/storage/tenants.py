"""Tenants: a short-lived in-process cache for requests; plain reads and locked writes for
administration."""

from __future__ import annotations

import time
from collections.abc import Callable

import asyncpg

from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.tenants import Tenant, TenantSettings


async def _load(pool: asyncpg.Pool, code: str) -> Tenant:
    row = await pool.fetchrow("SELECT id, code, name, settings FROM tenants WHERE code = $1", code)
    if row is None:
        raise TenantNotFound(code)
    return _row_to_tenant(row)


def _row_to_tenant(row: asyncpg.Record) -> Tenant:
    return Tenant(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        settings=TenantSettings.from_json(row["settings"]),
    )


class PgTenantDirectory:
    """Tenant settings change rarely and are read on every request: cache them briefly,
    so a change made with the CLI reaches every worker within `ttl_seconds`."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        ttl_seconds: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pool = pool
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, Tenant]] = {}

    async def get(self, code: str) -> Tenant:
        now = self._monotonic()
        cached = self._cache.get(code)
        if cached and cached[0] > now:
            return cached[1]
        tenant = await _load(self._pool, code)
        self._cache[code] = (now + self._ttl, tenant)
        return tenant


class TenantAdmin:
    """Implements `patron.core.ports.customers.TenantRepository`."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def list(self) -> list[Tenant]:
        rows = await self._pool.fetch("SELECT id, code, name, settings FROM tenants ORDER BY id")
        return [_row_to_tenant(row) for row in rows]

    async def get(self, code: str) -> Tenant:
        return await _load(self._pool, code)

    async def create(self, code: str, name: str, settings: TenantSettings) -> Tenant:
        row = await self._pool.fetchrow(
            "INSERT INTO tenants (code, name, settings) VALUES ($1, $2, $3) "
            "RETURNING id, code, name, settings",
            code,
            name,
            settings.to_json(),
        )
        if row is None:
            raise TenantNotFound(code)
        return _row_to_tenant(row)

    async def update_settings(
        self, code: str, change: Callable[[TenantSettings], TenantSettings]
    ) -> Tenant:
        async with self._pool.acquire() as connection, connection.transaction():
            row = await connection.fetchrow(
                "SELECT settings FROM tenants WHERE code = $1 FOR UPDATE", code
            )
            if row is None:
                raise TenantNotFound(code)
            settings = change(TenantSettings.from_json(row["settings"]))
            updated = await connection.fetchrow(
                "UPDATE tenants SET settings = $2, updated_at = now() WHERE code = $1 "
                "RETURNING id, code, name, settings",
                code,
                settings.to_json(),
            )
        if updated is None:  # the row is locked: only a broken database gets here
            raise TenantNotFound(code)
        return _row_to_tenant(updated)
