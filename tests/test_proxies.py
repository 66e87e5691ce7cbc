"""The client's address behind trusted proxies: what per-address login throttling counts."""

from __future__ import annotations

import httpx
import pytest

from patron.app import create_app
from patron.http.proxies import TrustedProxies
from patron.services import Services
from tests.conftest import JSON_API, cheap_settings

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
    ],
)
def test_the_client_is_the_nearest_untrusted_hop(
    peer: str, forwarded_for: str | None, client: str
) -> None:
    assert PROXIES.client(peer, forwarded_for) == client


async def test_behind_a_trusted_storefront_each_shopper_has_their_own_lockout(
    services: Services,
) -> None:
    """A server-side storefront sends every shopper's login from one address."""
    settings = cheap_settings(trusted_proxies=["192.0.2.50"])
    app = create_app(settings, services)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.50", 1))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"Accept": JSON_API}
    ) as storefront:

        async def fail(shopper: str, n: int) -> int:
            response = await storefront.post(
                "/glue/access-tokens",
                json={
                    "data": {
                        "type": "access-tokens",
                        "attributes": {"username": f"user{n}@example.com", "password": "nope"},
                    }
                },
                headers={"X-Forwarded-For": shopper},
            )
            return response.status_code

        attacker = [await fail("198.51.100.66", n) for n in range(11)]
        shopper = await fail("198.51.100.7", 99)

    assert attacker == [401] * 10 + [429]
    assert shopper == 401  # a wrong password, not a lockout
