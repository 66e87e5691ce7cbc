"""The client's address behind trusted proxies: what per-address login throttling counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from patron.http.proxies import TrustedProxies
from patron.services import Services
from tests.conftest import JSON_API, cheap_settings
from tests.helpers import dialect_client

PROXIES = TrustedProxies(["10.0.0.0/8", "192.0.2.1"])


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("10.1.2.3", "198.51.100.7", "198.51.100.7"),
        ("10.1.2.3", "198.51.100.7, 10.9.9.9", "198.51.100.7"),  # two trusted hops
        ("10.1.2.3", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged left part is ignored
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # an untrusted peer's header means nothing
        ("192.0.2.1", None, "192.0.2.1"),
        ("10.1.2.3", "10.0.0.5", "10.0.0.5"),  # only trusted hops: the farthest one
        ("10.1.2.3", "not-an-address", "not-an-address"),
        # A dual-stack listener sees an IPv4 proxy as `::ffff:a.b.c.d`: still trusted.
        ("::ffff:10.1.2.3", "198.51.100.7, ::ffff:10.9.9.9", "198.51.100.7"),
    ],
)
def test_the_client_is_the_nearest_untrusted_hop(
    peer: str, forwarded_for: str | None, client: str
) -> None:
    assert PROXIES.client(peer, forwarded_for) == client


@asynccontextmanager
async def behind_proxy(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """Requests arriving from 192.0.2.50, a trusted proxy."""
    settings = cheap_settings(trusted_proxies=["192.0.2.50"])
    async with dialect_client(
        services, settings, peer="192.0.2.50", headers={"Accept": JSON_API}
    ) as client:
        yield client


async def failed_login(
    client: httpx.AsyncClient, n: int, forwarded_for: list[tuple[str, str]]
) -> int:
    """A wrong password for user{n}; the status it gets."""
    response = await client.post(
        "/glue/access-tokens",
        json={
            "data": {
                "type": "access-tokens",
                "attributes": {"username": f"user{n}@example.com", "password": "nope"},
            }
        },
        headers=[("Accept", JSON_API), *forwarded_for],
    )
    return response.status_code


async def test_behind_a_trusted_storefront_each_shopper_has_their_own_lockout(
    services: Services,
) -> None:
    """A server-side storefront sends every shopper's login from one address."""
    async with behind_proxy(services) as storefront:
        attacker = [
            await failed_login(storefront, n, [("X-Forwarded-For", "198.51.100.66")])
            for n in range(11)
        ]
        shopper = await failed_login(storefront, 99, [("X-Forwarded-For", "198.51.100.7")])

    assert attacker == [401] * 10 + [429]
    assert shopper == 401  # a wrong password, not a lockout


async def test_a_client_cannot_dodge_the_throttle_with_its_own_forwarded_line(
    services: Services,
) -> None:
    """The trusted proxy adds its own `X-Forwarded-For` line rather than extending the
    client's: the client's forged line, different every time, must not be the one read."""
    async with behind_proxy(services) as proxy:
        separate = [
            await failed_login(
                proxy,
                n,
                [("X-Forwarded-For", f"203.0.113.{n}"), ("X-Forwarded-For", "198.51.100.66")],
            )
            for n in range(11)
        ]
        joined = [
            await failed_login(proxy, n, [("X-Forwarded-For", f"203.0.113.{n}, 198.51.100.77")])
            for n in range(20, 31)
        ]

    assert separate == [401] * 10 + [429]
    assert joined == [401] * 10 + [429]
