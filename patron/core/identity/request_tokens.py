"""Anti-forgery (CSRF) tokens for cookie-holding browsers: no state kept, bound to the
cookie, so a page of another origin, which cannot read the cookie, cannot make one."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from patron.core.domain.tenants import Tenant
from patron.core.ports.security import TokenCodec


@dataclass(frozen=True, slots=True)
class RequestTokens:
    codec: TokenCodec

    def of(self, tenant: Tenant, cookie: str) -> str:
        """The token of the browser holding `cookie`, its session or visitor cookie: a MAC
        of the cookie, so a new cookie (a login, a logout) makes the old token worthless."""
        return self.codec.mac(f"request-token:{tenant.id}", cookie)

    def matches(self, tenant: Tenant, cookie: str | None, token: str | None) -> bool:
        """Whether `token` is the token of `cookie` (compared in constant time)."""
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.of(tenant, cookie).encode(), token.encode())

    def new_visitor_cookie(self) -> str:
        """A random cookie for a browser that has none yet, so an anonymous visitor's
        writes (a sign-up, a login) are bound to a token too."""
        return self.codec.new_opaque()[0]
