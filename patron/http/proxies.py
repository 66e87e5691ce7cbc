"""The client's address behind trusted reverse proxies (and server-side storefronts).

Per-address login throttling counts the peer of the connection. Behind a load balancer, or
when a storefront calls the API from its own server, that peer is the same for everybody;
the real address is in `X-Forwarded-For`, which only a trusted hop may set.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    def __init__(self, networks: Iterable[str]) -> None:
        self.networks: tuple[Network, ...] = tuple(
            ipaddress.ip_network(network.strip(), strict=False) for network in networks
        )

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # an IPv4 hop as a dual-stack listener sees it
        return any(address in network for network in self.networks)

    def client(self, peer: str, forwarded_for: str | Sequence[str] | None) -> str:
        """The right-most address in `X-Forwarded-For` that is not a trusted hop, when the
        peer is trusted; otherwise the peer itself (anyone can write that header).

        Every header line counts, in order, as one list (RFC 9110 5.3): a proxy that adds
        its own line instead of extending the client's must not leave the client's forged
        line as the one that is read.
        """
        lines = [forwarded_for] if isinstance(forwarded_for, str) else forwarded_for or []
        if not lines or not self.trusts(peer):
            return peer
        hops = [hop.strip() for line in lines for hop in line.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer


def forwarded_for(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    """Every `X-Forwarded-For` line of raw ASGI headers, in the order received."""
    return [value.decode("latin-1") for name, value in headers if name == b"x-forwarded-for"]


class ClientAddressMissing(RuntimeError):
    """The server gave no client address (a Unix socket, a test transport without one).

    Per-address throttles would count every such request under no address at all, that is
    under the per-account keys only: a widened key an attacker could rotate addresses
    behind. So it is an error, answered by the dialect's catch-all (a 500) and logged."""


def client_ip(request: Request) -> str:
    """The client's address as the dispatch resolved it (behind trusted proxies, the one
    they name), for per-address throttles and limits; `ClientAddressMissing` without one."""
    if request.client is None or not request.client.host:
        raise ClientAddressMissing("the server gave no client address")
    return request.client.host
