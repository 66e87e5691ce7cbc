"""Customer groups and memberships in SQL."""

from __future__ import annotations

import asyncpg

from patron.storage.database import Connection


class PgGroups:
    def __init__(self, connection: Connection) -> None:
        self._db = connection


class PgGroupReads:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
