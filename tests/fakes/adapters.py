"""The fake's tenants, sessions and throttle counters (stores that are not transactional)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.model import SessionRecord
from patron.core.domain.tenants import Tenant, TenantSettings
from tests.fakes.store import MemoryStore, TenantRow


class MemoryTenants:
    """Implements `TenantDirectory` and `TenantRepository` (without the directory's
    cache: a test sees a change at once)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def list(self) -> list[Tenant]:
        return [row.tenant for _, row in sorted(self._store.tables.tenants.items())]

    async def get(self, code: str) -> Tenant:
        for row in self._store.tables.tenants.values():
            if row.tenant.code == code:
                return row.tenant
        raise TenantNotFound(code)

    async def create(self, code: str, name: str, settings: TenantSettings) -> Tenant:
        if any(row.tenant.code == code for row in self._store.tables.tenants.values()):
            raise ValueError(f"tenant {code!r} exists")
        tenant = Tenant(id=self._store.next_id("tenants"), code=code, name=name, settings=settings)
        self._store.tables.tenants[tenant.id] = TenantRow(tenant)
        return tenant

    async def update_settings(
        self, code: str, change: Callable[[TenantSettings], TenantSettings]
    ) -> Tenant:
        current = await self.get(code)
        tenant = replace(current, settings=change(current.settings))
        row = self._store.tables.tenants[tenant.id]
        self._store.tables.tenants[tenant.id] = replace(row, tenant=tenant)
        return tenant


class MemorySessions:
    """Implements `SessionStore`: expiry by the caller's clock, as both real stores do."""

    def __init__(self) -> None:
        self._sessions: dict[bytes, SessionRecord] = {}

    async def put(self, token_hash: bytes, record: SessionRecord) -> None:
        self._sessions[token_hash] = record

    async def get(self, token_hash: bytes, now: datetime) -> SessionRecord | None:
        record = self._sessions.get(token_hash)
        return record if record is not None and record.expires_at > now else None

    async def delete(self, token_hash: bytes) -> None:
        self._sessions.pop(token_hash, None)


@dataclass(slots=True)
class _Counter:
    failures: int = 0
    window_ends: float = 0.0
    blocked_until: float = 0.0


class MemoryCounters:
    """Implements `patron.security.throttle.Counters` with `PgCounters`' fixed window, on
    a monotonic clock (the database's own clock in PostgreSQL, not the core's)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._counters: dict[str, _Counter] = {}

    def counted(self) -> list[str]:
        """Every key counted so far, oldest first (what `login_throttle` holds in SQL)."""
        return list(self._counters)

    async def add_failure(self, key: str, window_seconds: int) -> int:
        now = self._monotonic()
        counter = self._counters.setdefault(key, _Counter())
        if counter.window_ends > now:
            counter.failures += 1
        else:
            counter.failures, counter.window_ends = 1, now + window_seconds
        return counter.failures

    async def block(self, key: str, seconds: int) -> None:
        counter = self._counters.setdefault(key, _Counter())
        counter.blocked_until = self._monotonic() + seconds
        counter.failures, counter.window_ends = 0, 0.0

    async def blocked_for(self, key: str) -> int:
        counter = self._counters.get(key)
        remaining = counter.blocked_until - self._monotonic() if counter else 0.0
        return max(1, math.ceil(remaining)) if remaining > 0 else 0

    async def clear(self, key: str) -> None:
        counter = self._counters.get(key)
        if counter is not None:
            counter.failures, counter.window_ends = 0, 0.0

    async def forgive(self, key: str) -> None:
        counter = self._counters.get(key)
        if counter is not None and counter.failures > 0 and counter.window_ends > self._monotonic():
            counter.failures -= 1
