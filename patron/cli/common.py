"""What every `patron` command shares: settings, the console, running the core."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from patron.core.use_cases import Core
from patron.services import Services, resolve_database_url
from patron.settings import Settings
from patron.storage.database import create_pool

console = Console()
T = TypeVar("T")
TenantOption = Annotated[str, typer.Option("--tenant", help="Tenant code.")]


def load_settings() -> Settings:
    return Settings()


def with_pool(work: Callable[[Any], Awaitable[T]]) -> T:
    dsn = resolve_database_url(load_settings())

    async def run() -> T:
        pool = await create_pool(dsn, min_size=1, max_size=2)
        try:
            return await work(pool)
        finally:
            await pool.close()

    return asyncio.run(run())


def with_core(work: Callable[[Core], Awaitable[T]]) -> T:
    """Run use cases of the core, so the CLI obeys the same rules (and writes the same mails)
    as every dialect."""
    settings = load_settings()
    dsn = resolve_database_url(settings)

    async def run() -> T:
        services = await Services.start(settings, dsn)
        try:
            return await work(services.core)
        finally:
            await services.close()

    return asyncio.run(run())
