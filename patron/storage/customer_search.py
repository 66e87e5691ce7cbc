"""The back office's customer list: filters, sort and `q` in one statement each."""

from __future__ import annotations

import asyncpg


class PgCustomerSearch:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
