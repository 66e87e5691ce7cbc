"""The unit of work and what it holds: one transaction over every repository, the
outbox, tenants, the password-migration window, and the injected clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from patron.core.domain.model import OutgoingMail
from patron.core.domain.password_migration import MigrationWindow
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.ports.back_office import BackOfficeRepository, GroupRepository
from patron.core.ports.customers import (
    AddressRepository,
    AvailabilityRepository,
    CustomerRepository,
    ListRepository,
    PropertyRepository,
    TokenRepository,
)

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware (UTC). Injected so tests control time."""


class Outbox(Protocol):
    async def enqueue(self, tenant_id: int, mail: OutgoingMail) -> int: ...

    async def redact_for(self, customer_id: int, email: str | None = None) -> None:
        """Erase recipients and bodies of a customer's messages (after anonymization), and
        of the tenant's messages to `email` that no customer was named on (guest mail)."""


class UnitOfWork(Protocol):
    """One transaction. Rolls back on exit unless `commit()` was called."""

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def availability(self) -> AvailabilityRepository: ...

    @property
    def addresses(self) -> AddressRepository: ...

    @property
    def back_office(self) -> BackOfficeRepository: ...

    @property
    def groups(self) -> GroupRepository: ...

    @property
    def properties(self) -> PropertyRepository: ...

    @property
    def lists(self) -> ListRepository: ...

    @property
    def password_migration(self) -> PasswordMigrationRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class TenantDirectory(Protocol):
    async def get(self, code: str) -> Tenant:
        """Raises `TenantNotFound`."""


class TenantRepository(Protocol):
    """Tenant administration: uncached reads and the writes (the directory caches reads)."""

    async def list(self) -> list[Tenant]: ...

    async def get(self, code: str) -> Tenant:
        """Raises `TenantNotFound`."""

    async def create(self, code: str, name: str, settings: TenantSettings) -> Tenant: ...

    async def update_settings(
        self, code: str, change: Callable[[TenantSettings], TenantSettings]
    ) -> Tenant:
        """Store `change(current settings)` under a row lock, so concurrent changes of
        different keys both land; raises `TenantNotFound`, and whatever `change` raises
        leaves the tenant as it was."""


class PasswordMigrationRepository(Protocol):
    """The tenant's window, within the unit of work's transaction."""

    async def window(self, tenant_id: int, *, lock: bool = False) -> MigrationWindow | None:
        """`lock`: held (shared) to commit, so the window cannot be removed meanwhile."""

    async def put_window(self, tenant_id: int, window: MigrationWindow) -> None: ...

    async def remove_window(self, tenant_id: int) -> MigrationWindow | None:
        """Remove the window, its row locked to the end of the transaction (an import
        holding it shared waits, or is waited for); the window removed, None if unset."""

    async def legacy_accounts(self, tenant_id: int) -> int:
        """How many of the tenant's customers still hold a legacy hash."""

    async def clear_legacy_hashes(self, tenant_id: int) -> None:
        """Forget every legacy hash of the tenant: those accounts must reset a password."""
