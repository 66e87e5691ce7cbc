"""Helpers every test folder shares: the one way a test talks to the real app in-process.

`dialect_client(services, settings, "/emporix")` is an `httpx.AsyncClient` over the whole
app (every dialect, its middleware and its dispatcher), as a client at `peer` sees it. Each
dialect folder builds its own clients on it (Medusa's JSON headers, Aimeos' CSRF-keeping
browser, Emporix' mount) instead of wiring `ASGITransport` again.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from starlette.types import ASGIApp

from patron.app import create_app
from patron.services import Services
from patron.settings import Settings

TEST_HOST = "http://testserver"
CLIENT_IP = "203.0.113.7"
# ASGITransport's own default peer, for tests that never named one.
LOOPBACK = "127.0.0.1"


def dialect_client(
    services: Services,
    settings: Settings,
    mount: str = "",
    *,
    peer: str = CLIENT_IP,
    headers: Mapping[str, str] | None = None,
    base: str = TEST_HOST,
    timeout: float | None = None,
) -> httpx.AsyncClient:
    """A client of a freshly built app, its URLs relative to `base` + `mount` (an https
    `base` keeps `Secure` cookies), calling from the address `peer`; use it in `async with`."""
    return app_client(
        create_app(settings, services),
        mount,
        peer=peer,
        headers=headers,
        base=base,
        timeout=timeout,
    )


def app_client(
    app: ASGIApp,
    mount: str = "",
    *,
    peer: str = CLIENT_IP,
    headers: Mapping[str, str] | None = None,
    base: str = TEST_HOST,
    timeout: float | None = None,
) -> httpx.AsyncClient:
    """`dialect_client` of an app the test built (several clients of one app, or an app of
    other settings)."""
    transport = httpx.ASGITransport(app=app, client=(peer, 50000))
    return httpx.AsyncClient(
        transport=transport,
        base_url=f"{base}{mount}",
        headers=dict(headers or {}),
        timeout=httpx.Timeout(5.0) if timeout is None else timeout,
    )
