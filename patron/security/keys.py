"""The signing key: given in settings, or generated once and shared through the database so
every worker and host signs alike. Never logged."""

from __future__ import annotations

import secrets

import asyncpg

KEY_NAME = "jwt-hs256"


async def load_or_create_signing_key(pool: asyncpg.Pool, configured: bytes | None) -> bytes:
    if configured is not None:
        return configured
    await pool.execute(
        "INSERT INTO signing_keys (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        KEY_NAME,
        secrets.token_bytes(64),
    )
    secret: bytes = await pool.fetchval("SELECT secret FROM signing_keys WHERE name = $1", KEY_NAME)
    return secret
