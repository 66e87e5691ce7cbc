"""One PostgreSQL transaction behind the core's `UnitOfWork`."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction

from patron.storage.addresses import PgAddresses
from patron.storage.availability import PgAvailability
from patron.storage.back_office import PgBackOffice
from patron.storage.customer_data import PgLists, PgProperties
from patron.storage.customers import PgCustomers
from patron.storage.groups import PgGroups
from patron.storage.outbox import PgOutbox
from patron.storage.password_migration import PgPasswordMigration
from patron.storage.tokens import PgTokens


class PgUnitOfWork:
    customers: PgCustomers
    tokens: PgTokens
    outbox: PgOutbox
    addresses: PgAddresses
    availability: PgAvailability
    back_office: PgBackOffice
    groups: PgGroups
    properties: PgProperties
    lists: PgLists
    password_migration: PgPasswordMigration

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._connection: PoolConnectionProxy | None = None
        self._transaction: Transaction | None = None
        self._committed = False

    async def __aenter__(self) -> Self:
        connection = await self._pool.acquire()
        try:
            transaction = connection.transaction()
            await transaction.start()
        except BaseException:
            await self._pool.release(connection)
            raise
        self._connection, self._transaction = connection, transaction
        self.customers = PgCustomers(connection)
        self.tokens = PgTokens(connection)
        self.outbox = PgOutbox(connection)
        self.addresses = PgAddresses(connection)
        self.availability = PgAvailability(connection)
        self.back_office = PgBackOffice(connection)
        self.groups = PgGroups(connection)
        self.properties = PgProperties(connection)
        self.lists = PgLists(connection)
        self.password_migration = PgPasswordMigration(connection)
        return self

    async def commit(self) -> None:
        if self._transaction is None:
            raise RuntimeError("commit outside of `async with`")
        await self._transaction.commit()
        self._committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        if connection is None or transaction is None:
            return
        try:
            if not self._committed:
                await transaction.rollback()
        finally:
            await self._pool.release(connection)
