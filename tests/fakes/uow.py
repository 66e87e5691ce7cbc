"""The fake's unit of work: a private copy of the tables, published on commit.

Copy-on-begin gives what the core relies on: reads inside see its own writes, reads
outside (the `*Reads`) see only committed rows, and an exit without commit changes
nothing. A commit publishes the rows it changed, one by one, so another unit of work's
committed rows stay; after it, writes go straight to the store, as statements after
`COMMIT` autocommit. Row locks are no-ops: a test that needs two transactions to race
belongs on PostgreSQL.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from tests.fakes.addresses import MemoryAddresses
from tests.fakes.availability import MemoryAvailability
from tests.fakes.back_office import MemoryBackOffice
from tests.fakes.customer_data import MemoryLists, MemoryProperties
from tests.fakes.customers import MemoryCustomers
from tests.fakes.groups import MemoryGroups
from tests.fakes.store import MemoryStore, Tables
from tests.fakes.tokens import MemoryOutbox, MemoryPasswordMigration, MemoryTokens


class MemoryUnitOfWork:
    """Implements `UnitOfWork` over a `MemoryStore`."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._tables: Tables | None = None
        self._base: Tables | None = None

    def _open(self) -> Tables:
        if self._tables is None:
            raise RuntimeError("repository used outside of `async with`")
        return self._tables

    @property
    def customers(self) -> MemoryCustomers:
        return MemoryCustomers(self._open(), self._store)

    @property
    def tokens(self) -> MemoryTokens:
        return MemoryTokens(self._open(), self._store)

    @property
    def outbox(self) -> MemoryOutbox:
        return MemoryOutbox(self._open(), self._store)

    @property
    def addresses(self) -> MemoryAddresses:
        return MemoryAddresses(self._open(), self._store)

    @property
    def password_migration(self) -> MemoryPasswordMigration:
        return MemoryPasswordMigration(self._open())

    @property
    def availability(self) -> MemoryAvailability:
        return MemoryAvailability(self._open(), self._store)

    @property
    def back_office(self) -> MemoryBackOffice:
        return MemoryBackOffice(self._open(), self._store)

    @property
    def groups(self) -> MemoryGroups:
        return MemoryGroups(self._open(), self._store)

    @property
    def properties(self) -> MemoryProperties:
        return MemoryProperties(self._open(), self._store)

    @property
    def lists(self) -> MemoryLists:
        return MemoryLists(self._open(), self._store)

    async def __aenter__(self) -> Self:
        self._base = self._store.tables.copy()
        self._tables = self._base.copy()
        return self

    async def commit(self) -> None:
        working = self._open()
        if self._base is not None:
            working.publish(self._base, self._store.tables)
        self._tables, self._base = self._store.tables, None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._tables = self._base = None
