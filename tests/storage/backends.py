"""The two stores the unit-of-work contract runs against: the in-memory fake of the core
tests and the PostgreSQL adapters, each behind the same ports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from patron.core.ports.back_office import BackOfficeReads, CustomerSearch, GroupReads
from patron.core.ports.customers import AddressReads, CustomerDataReads, CustomerReads
from patron.core.ports.unit_of_work import TenantDirectory, UnitOfWork
from patron.storage.addresses import PgAddressReads
from patron.storage.back_office import PgBackOfficeReads
from patron.storage.customer_data import PgCustomerDataReads
from patron.storage.customer_search import PgCustomerSearch
from patron.storage.customers import PgCustomerReads
from patron.storage.groups import PgGroupReads
from patron.storage.tenants import PgTenantDirectory
from patron.storage.uow import PgUnitOfWork
from tests.fakes.adapters import MemoryTenants
from tests.fakes.addresses import MemoryAddressReads
from tests.fakes.back_office import MemoryBackOfficeReads
from tests.fakes.customer_data import MemoryCustomerDataReads
from tests.fakes.customers import MemoryCustomerReads
from tests.fakes.groups import MemoryCustomerSearch, MemoryGroupReads
from tests.fakes.store import MemoryStore
from tests.fakes.uow import MemoryUnitOfWork

Mail = tuple[str, str, str]
"""(recipient, subject, template) of an outbox message."""


@dataclass(frozen=True, slots=True)
class Backend:
    name: str
    uow: Callable[[], UnitOfWork]
    customers: CustomerReads
    addresses: AddressReads
    tenants: TenantDirectory
    data: CustomerDataReads
    groups: GroupReads
    search: CustomerSearch
    staff: BackOfficeReads
    mails: Callable[[], Awaitable[list[Mail]]]
    """The committed outbox, oldest first."""


def memory_backend(now: datetime) -> Backend:
    store = MemoryStore(now)

    async def mails() -> list[Mail]:
        return [(m.recipient, m.subject, m.template) for m in store.mails()]

    return Backend(
        "memory",
        lambda: MemoryUnitOfWork(store),
        MemoryCustomerReads(store),
        MemoryAddressReads(store),
        MemoryTenants(store),
        MemoryCustomerDataReads(store),
        MemoryGroupReads(store),
        MemoryCustomerSearch(store),
        MemoryBackOfficeReads(store),
        mails,
    )


def postgres_backend(pool: asyncpg.Pool) -> Backend:
    async def mails() -> list[Mail]:
        rows = await pool.fetch("SELECT recipient, subject, template FROM outbox ORDER BY id")
        return [(row["recipient"], row["subject"], row["template"]) for row in rows]

    return Backend(
        "postgres",
        lambda: PgUnitOfWork(pool),
        PgCustomerReads(pool),
        PgAddressReads(pool),
        PgTenantDirectory(pool, ttl_seconds=0),
        PgCustomerDataReads(pool),
        PgGroupReads(pool),
        PgCustomerSearch(pool),
        PgBackOfficeReads(pool),
        mails,
    )
