"""The composition root: builds the ASGI app from settings and mounts every dialect.

Only this module (and the CLI) imports the dialects.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from importlib.metadata import version

import orjson
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from patron.core.use_cases import Core
from patron.dialects import aimeos, emporix, glue, medusa
from patron.http.dispatch import PrefixDispatch
from patron.http.docs import SwaggerAssets
from patron.http.head import head_as_get
from patron.http.landing import HTML_POLICY, DialectEntry, Landing, prefers_html
from patron.http.plumbing import Mount
from patron.http.proxies import TrustedProxies
from patron.http.security_headers import with_answer_headers
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
    """The root ASGI app: one mounted app per dialect prefix, the landing document at `/`,
    `/health`, `/ready` and the docs' assets. Every answer, whoever gives it, gets the
    security headers and `no-store` (unless it sets its own Cache-Control), and a HEAD is
    answered as its GET without the body."""

    def __init__(
        self,
        settings: Settings,
        running: _Running,
        mounts: list[Mount],
        landing: Landing,
        *,
        owns: bool,
    ) -> None:
        self.settings = settings
        self.running = running
        self.dispatch = PrefixDispatch(mounts, TrustedProxies(settings.trusted_proxies))
        self.landing = landing
        self.assets = SwaggerAssets()
        self.owns_services = owns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            await self.dispatch(scope, receive, send)
            return
        scope, send = head_as_get(scope, send)
        if await self.dispatch(scope, receive, send):
            return  # a dialect's answer: its mount added the headers (`install_dialect`)
        send = with_answer_headers(send)
        path: str = scope["path"]
        if path == "/":
            await self._landing(scope, send)
        elif path == "/health":
            await _json(send, 200, {"status": "ok"})
        elif path == "/ready":
            await self._ready(send)
        elif self.assets.matches(path):
            await self.assets(scope, receive, send)
        else:
            await _json(send, 404, {"detail": "Not Found"})

    async def _landing(self, scope: Scope, send: Send) -> None:
        if scope["method"] != "GET":
            await _json(send, 405, {"detail": "Method Not Allowed"}, [(b"allow", b"GET, HEAD")])
            return
        vary = [(b"vary", b"Accept")]
        if prefers_html(Headers(scope=scope).get("accept")):
            policy = [(b"content-security-policy", HTML_POLICY.encode())]
            await _answer(
                send, 200, self.landing.html(), b"text/html; charset=utf-8", vary + policy
            )
        else:
            await _answer(send, 200, self.landing.json(), b"application/json", vary)

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


async def _json(
    send: Send, status: int, body: object, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await _answer(send, status, orjson.dumps(body), b"application/json", headers)


async def _answer(
    send: Send,
    status: int,
    content: bytes,
    media_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    raw = [(b"content-type", media_type), (b"content-length", str(len(content)).encode())]
    raw.extend(headers or ())
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": content})


def landing(settings: Settings, bases: dict[str, str]) -> Landing:
    """What `GET /` lists: each dialect's base URL and documentation (`bases`: the base
    URLs, from the configured public URL)."""

    def documented(name: str, title: str) -> DialectEntry:
        base = bases[name]
        return DialectEntry(name, title, base, f"{base}/docs", f"{base}/openapi.json")

    return Landing(
        version=version("patron"),
        dialects=(
            documented("glue", "Spryker Glue storefront API"),
            documented("medusa", "Medusa v1 admin and store APIs"),
            # No OpenAPI: Aimeos' own schema is its discovery document (GET or OPTIONS).
            DialectEntry("aimeos", "Aimeos JSON REST API", bases["aimeos"], bases["aimeos"], None),
            documented("emporix", "Emporix customer service"),
        ),
        health=f"{settings.public_url}/health",
        ready=f"{settings.public_url}/ready",
    )


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
    # Each dialect's `mount`: its app with the toolkit's plumbing (`patron.http.plumbing`).
    mounts = [
        glue.mount(running.core, glue_config),
        medusa.mount(running.core, medusa_config),
        aimeos.mount(running.core, aimeos_config),
        emporix.mount(running.core, emporix_config),
    ]
    bases = {
        "glue": glue_config.base_url,
        "medusa": medusa_config.base_url,
        "aimeos": aimeos_config.base_url,
        "emporix": emporix_config.base_url,
    }
    return Patron(settings, running, mounts, landing(settings, bases), owns=services is None)


def app_from_environment() -> Patron:
    """Factory for granian workers: settings come from `PATRON_*` variables."""
    logging.basicConfig(level=logging.INFO)
    return create_app(Settings())
