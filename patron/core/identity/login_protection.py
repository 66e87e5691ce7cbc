"""Login protection shared by every login: the throttle keys of an address and an
account, and one password check that answers alike for unknown accounts and wrong passwords."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from patron.core.domain.email_addresses import lookup_key
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.core.domain.tenants import Tenant
from patron.core.ports.security import LoginThrottle, PasswordHasher

Holder = TypeVar("Holder")


def throttle_keys(
    tenant: Tenant, email: str, client_ip: str | None, *, namespace: str = ""
) -> list[str]:
    """One counter per account and one per client address.

    The account key is built from the typed email whether or not such an account exists,
    so a lockout says nothing about existence. `namespace` keeps other logins' counters
    apart (the back office's are `admin-`), so a storm on one never locks out the other.
    """
    keys = [f"{namespace}account:{tenant.id}:{lookup_key(email)}"]
    if client_ip:
        keys.append(address_key(client_ip, namespace=namespace))
    return keys


def address_key(client_ip: str, *, namespace: str = "") -> str:
    """The counter of one client address (of its /64 for IPv6)."""
    return f"{namespace}ip:{_address_block(client_ip)}"


def _address_block(client_ip: str) -> str:
    """An IPv6 client is counted by its /64: one subscriber holds a whole one and could
    rotate through its addresses; an IPv4 address counts alone, also written as the
    IPv4-mapped IPv6 address a dual-stack server sees (`::ffff:a.b.c.d`), whose /64 would
    be every IPv4 client at once."""
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


async def check_password(
    throttle: LoginThrottle,
    hasher: PasswordHasher,
    keys: Sequence[str],
    password: str,
    stored: Callable[[], Awaitable[tuple[Holder, str | None, bool] | None]],
) -> tuple[Holder, str | None]:
    """The throttled password check of every login, customers' and the back office's.

    The attempt is counted on `keys` before the check runs, so concurrent guesses cannot
    all pass; only then is `stored` read: the holder, its hash, and whether it may log in.
    An unknown holder costs a hash as a known one does. The right password is no failure
    even where the holder may not log in (yet), and clears the account's counter
    (`keys[0]`) only where it may. Every cause of failure is `InvalidCredentials`,
    `LoginBlocked` past the limit. Returns the holder, and a new hash when the stored one
    uses outdated parameters.
    """
    attempt = await throttle.attempt(keys)
    if attempt.retry_after:
        raise LoginBlocked(attempt.retry_after)
    holder, password_hash, may_log_in = await stored() or (None, None, False)
    if holder is None or password_hash is None:
        await hasher.burn(password)
        await throttle.failed(attempt)
        raise InvalidCredentials()
    if not await hasher.verify(password_hash, password):
        await throttle.failed(attempt)
        raise InvalidCredentials()
    await throttle.succeeded(attempt, clear=keys[:1] if may_log_in else ())
    if not may_log_in:
        raise InvalidCredentials()
    new_hash = await hasher.hash(password) if hasher.needs_rehash(password_hash) else None
    return holder, new_hash
