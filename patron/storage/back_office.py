"""Admin users, API clients and API tokens in SQL."""

from __future__ import annotations

import asyncpg

from patron.storage.database import Connection


class PgBackOffice:
    def __init__(self, connection: Connection) -> None:
        self._db = connection


class PgBackOfficeReads:
    """One statement each, straight from the pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
