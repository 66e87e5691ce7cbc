"""The composition root: builds the ASGI app from settings and mounts every dialect.

Only this module (and the CLI) imports the dialects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from patron.core.service import Core
from patron.dialects import glue
from patron.services import Services, resolve_database_url
from patron.settings import Settings

log = logging.getLogger("patron")


class _Running:
    """Holds the services once the lifespan has started them."""

    def __init__(self, services: Services | None) -> None:
        self.services = services

    def get(self) -> Services:
        if self.services is None:
            raise RuntimeError("Patron has not started")
        return self.services

    def core(self) -> Core:
        return self.get().core


def create_app(settings: Settings, services: Services | None = None) -> Starlette:
    """Serve every dialect. Given `services` (tests), the app uses them and owns nothing;
    otherwise it starts and stops its own in the lifespan."""
    running = _Running(services)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if services is not None:
            yield
            return
        dsn = await asyncio.to_thread(resolve_database_url, settings)
        running.services = await Services.start(settings, dsn)
        delivery = running.services.mail_delivery()
        task = (
            asyncio.create_task(delivery.run(dsn, poll_seconds=settings.mail_poll_seconds))
            if delivery
            else None
        )
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await running.get().close()
            running.services = None

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> JSONResponse:
        try:
            await running.get().pool.fetchval("SELECT 1")
        except Exception as error:  # any failure means "not ready", never a 500
            log.warning("not ready: %s", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok"})

    glue_config = glue.GlueConfig(
        public_url=settings.public_url, tenant_code=settings.default_tenant
    )
    routes: list[Any] = [
        Route("/health", health),
        Route("/ready", ready),
        Mount("/glue", app=glue.build_app(running.core, glue_config)),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def app_from_environment() -> Starlette:
    """Factory for granian workers: settings come from `PATRON_*` variables."""
    logging.basicConfig(level=logging.INFO)
    return create_app(Settings())
