"""The composition root: builds the ASGI app from settings and mounts every dialect.

Only this module (and the CLI) imports the dialects.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from patron.core.use_cases import Core
from patron.dialects import aimeos, emporix, glue, medusa
from patron.http.dispatch import PrefixDispatch
from patron.http.proxies import TrustedProxies
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


class Patron:
    """The root ASGI app: one mounted app per dialect prefix, `/health` and `/ready`."""

    def __init__(
        self, settings: Settings, running: _Running, mounts: dict[str, ASGIApp], *, owns: bool
    ) -> None:
        self.settings = settings
        self.running = running
        self.dispatch = PrefixDispatch(mounts, TrustedProxies(settings.trusted_proxies))
        self.owns_services = owns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if await self.dispatch(scope, receive, send) or scope["type"] != "http":
            return
        path: str = scope["path"]
        if path == "/health":
            await _json(send, 200, {"status": "ok"})
        elif path == "/ready":
            await self._ready(send)
        else:
            await _json(send, 404, {"detail": "Not Found"})

    async def _ready(self, send: Send) -> None:
        try:
            await self.running.get().pool.fetchval("SELECT 1")
        except Exception as error:  # any failure means "not ready", never a 500
            log.warning("not ready: %s", type(error).__name__)
            await _json(send, 503, {"status": "unavailable", "database": "unreachable"})
            return
        await _json(send, 200, {"status": "ok", "database": "ok"})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "lifespan.startup":
            return
        async with contextlib.AsyncExitStack() as stack:
            try:
                if self.owns_services:
                    await stack.enter_async_context(self._services())
            except Exception as error:
                log.exception("start-up failed")
                await send({"type": "lifespan.startup.failed", "message": str(error)})
                return
            # Everything built so far lives as long as the process: keep it out of every
            # later garbage collection (shorter pauses, fewer tail-latency spikes).
            gc.freeze()
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
        await send({"type": "lifespan.shutdown.complete"})

    @contextlib.asynccontextmanager
    async def _services(self) -> AsyncIterator[None]:
        dsn = await asyncio.to_thread(resolve_database_url, self.settings)
        services = self.running.services = await Services.start(self.settings, dsn)
        delivery = services.mail_delivery()
        task = (
            asyncio.create_task(delivery.run(dsn, poll_seconds=self.settings.mail_poll_seconds))
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
            await services.close()
            self.running.services = None


async def _json(send: Send, status: int, body: object) -> None:
    content = orjson.dumps(body)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(content)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def create_app(settings: Settings, services: Services | None = None) -> Patron:
    """Serve every dialect. Given `services` (tests), the app uses them and owns nothing;
    otherwise it starts and stops its own in the lifespan."""
    running = _Running(services)
    glue_config = glue.GlueConfig(
        public_url=settings.public_url,
        tenant_code=settings.default_tenant,
        cors_origins=settings.glue_cors_origins,
        max_body_bytes=settings.max_body_bytes,
    )
    medusa_config = medusa.MedusaConfig(
        public_url=settings.public_url,
        tenant_code=settings.default_tenant,
        max_body_bytes=settings.max_body_bytes,
        require_confirmation=settings.medusa_require_confirmation,
        session_seconds=settings.session_ttl_seconds,
        admin_cors_origins=settings.medusa_admin_cors_origins,
        store_cors_origins=settings.medusa_store_cors_origins,
    )
    aimeos_config = aimeos.AimeosConfig(
        public_url=settings.public_url,
        tenant_code=settings.default_tenant,
        max_body_bytes=settings.max_body_bytes,
        require_confirmation=settings.jsonapi_require_confirmation,
        session_seconds=settings.session_ttl_seconds,
        cors_origins=settings.jsonapi_cors_origins,
        signup_limit_count=settings.jsonapi_signup_limit_count,
        signup_limit_seconds=settings.jsonapi_signup_limit_seconds,
        currency=settings.jsonapi_currency,
    )
    emporix_config = emporix.EmporixConfig(
        public_url=settings.public_url, max_body_bytes=settings.max_body_bytes
    )
    mounts: dict[str, ASGIApp] = {
        "/glue": glue.build_app(running.core, glue_config),
        "/medusa": medusa.build_app(running.core, medusa_config),
        "/jsonapi": aimeos.build_app(running.core, aimeos_config),
        "/emporix": emporix.build_app(running.core, emporix_config),
    }
    return Patron(settings, running, mounts, owns=services is None)


def app_from_environment() -> Patron:
    """Factory for granian workers: settings come from `PATRON_*` variables."""
    logging.basicConfig(level=logging.INFO)
    return create_app(Settings())
