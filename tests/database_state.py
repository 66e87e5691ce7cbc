"""A snapshot of the whole database, to prove a refused request wrote nothing (Aimeos'
black-box tests and Emporix' tenant-isolation matrix)."""

from __future__ import annotations

import asyncpg

VOLATILE_TABLES = frozenset({"alembic_version", "sessions", "login_throttle", "signing_keys"})
"""Tables a refused request may touch without writing anything of a customer: sessions
(when kept in PostgreSQL), failed-login counters, the signing key made on first use."""


async def database_state(pool: asyncpg.Pool) -> dict[str, str]:
    """A digest of every table's rows (but `VOLATILE_TABLES`): equal before and after a
    request means that request wrote nothing, whatever table the feature uses."""
    names = await pool.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    state: dict[str, str] = {}
    for row in names:
        name: str = row["tablename"]
        if name not in VOLATILE_TABLES:
            state[name] = await pool.fetchval(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{name}" t'
            )
    return state
