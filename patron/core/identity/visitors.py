"""Anonymous visitors of a storefront: the session a shop opens before anyone logs in
(Emporix' anonymous token), which a login then carries on.

A storefront client is an API client of the tenant that holds no scopes: its id is public
(it sits in the shop's JavaScript) and it opens nothing but visitor sessions. Visitor
tokens keep no server state: they are the session's facts with a MAC of the signing key
(`TokenCodec.mac`), so a visitor costs no row, and only this service can make one.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from dataclasses import dataclass
from typing import NoReturn
from uuid import UUID, uuid4

import orjson

from patron.core.domain.errors.unauthorized import (
    AccessTokenExpired,
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
    TenantMismatch,
)
from patron.core.domain.tenants import Tenant
from patron.core.identity.staff_credentials import may_name_client
from patron.core.ports.back_office import BackOfficeReads
from patron.core.ports.security import TokenCodec
from patron.core.ports.unit_of_work import Clock

ACCESS_TTL_SECONDS = 3599
REFRESH_TTL_SECONDS = 86399
"""Emporix' anonymous lifetimes (reference 4.1): an hour, and a day to refresh in."""
PREFIX = "pv1"
_PURPOSE = "visitor-token"
_ACCESS, _REFRESH = "a", "r"
MAX_TOKEN_LENGTH = 512
NONCE_BYTES = 9
"""Every token a string of its own: a refresh within the second of the last issue (or on a
stopped clock) would otherwise sign the same facts into the same token."""


@dataclass(frozen=True, slots=True)
class VisitorSession:
    """What a visitor token stands for."""

    tenant_id: int
    client_id: str
    session_id: UUID
    expires_at: int
    """Seconds since the epoch."""


@dataclass(frozen=True, slots=True)
class VisitorTokens:
    access_token: str
    refresh_token: str
    session_id: UUID
    expires_in: int
    refresh_expires_in: int


@dataclass(frozen=True, slots=True)
class Visitors:
    reads: BackOfficeReads
    codec: TokenCodec
    clock: Clock

    async def open(self, tenant: Tenant, client_id: str) -> VisitorTokens:
        """A new visitor session for a storefront client of `tenant`; any other client id
        (unknown, another tenant's, disabled, one with scopes) is `InvalidCredentials`."""
        await self._require_storefront_client(tenant, client_id)
        return self._issue(tenant, client_id, uuid4())

    async def refresh(self, tenant: Tenant, client_id: str, refresh_token: str) -> VisitorTokens:
        """New tokens for the same session (its id is kept). A refresh token of another
        client or tenant, or an expired one, is `InvalidRefreshToken`."""
        session = self._read(refresh_token, _REFRESH)
        if session is None or session.tenant_id != tenant.id or session.client_id != client_id:
            raise InvalidRefreshToken()
        if session.expires_at <= self.clock().timestamp():
            raise InvalidRefreshToken()
        await self._require_storefront_client(
            tenant, client_id, issued_at=session.expires_at - REFRESH_TTL_SECONDS
        )
        return self._issue(tenant, client_id, session.session_id)

    async def verify(self, tenant: Tenant, token: str) -> VisitorSession:
        """The session of a visitor access token for `tenant`: `InvalidAccessToken` when
        it is none, or its client was disabled (or its secret rotated) since it was
        issued, `AccessTokenExpired`, `TenantMismatch` for another tenant's. The client
        is read again: a token needs no row, but disabling a client must end its
        visitors as it ends every other credential."""
        session = self._genuine(token)
        if session.tenant_id != tenant.id:
            raise TenantMismatch("another tenant's visitor token")
        try:
            await self._require_storefront_client(
                tenant, session.client_id, issued_at=session.expires_at - ACCESS_TTL_SECONDS
            )
        except InvalidCredentials:
            raise InvalidAccessToken("the visitor's client is off") from None
        return session

    def verify_for_no_tenant(self, token: str) -> NoReturn:
        """For a request naming a tenant Patron does not keep: `TenantMismatch` for a
        genuine visitor token, `InvalidAccessToken` (or `AccessTokenExpired`) otherwise."""
        self._genuine(token)
        raise TenantMismatch("a visitor token for no tenant of ours")

    def _genuine(self, token: str) -> VisitorSession:
        """The session of an unexpired visitor access token we signed, whatever tenant."""
        session = self._read(token, _ACCESS)
        if session is None:
            raise InvalidAccessToken("not a visitor token")
        if session.expires_at <= self.clock().timestamp():
            raise AccessTokenExpired("visitor token expired")
        return session

    def is_visitor_token(self, token: str) -> bool:
        """Whether `token` is laid out as a visitor token (says nothing of its validity)."""
        return token.startswith(PREFIX + ".")

    async def _require_storefront_client(
        self, tenant: Tenant, client_id: str, *, issued_at: int | None = None
    ) -> None:
        """`InvalidCredentials` unless `client_id` is an enabled storefront client of
        `tenant` that revoked nothing after `issued_at` (seconds since the epoch)."""
        known = bool(client_id) and may_name_client(client_id)
        found = await self.reads.client_login(tenant.id, client_id) if known else None
        if found is None:
            raise InvalidCredentials()
        client, _ = found
        if client.is_disabled or client.scopes:
            raise InvalidCredentials()
        revoked = client.tokens_valid_after
        if issued_at is not None and revoked is not None and issued_at < revoked.timestamp():
            raise InvalidCredentials()

    def _issue(self, tenant: Tenant, client_id: str, session_id: UUID) -> VisitorTokens:
        now = int(self.clock().timestamp())
        return VisitorTokens(
            access_token=self._sign(
                _ACCESS, tenant, client_id, session_id, now + ACCESS_TTL_SECONDS
            ),
            refresh_token=self._sign(
                _REFRESH, tenant, client_id, session_id, now + REFRESH_TTL_SECONDS
            ),
            session_id=session_id,
            expires_in=ACCESS_TTL_SECONDS,
            refresh_expires_in=REFRESH_TTL_SECONDS,
        )

    def _sign(
        self, kind: str, tenant: Tenant, client_id: str, session_id: UUID, expires_at: int
    ) -> str:
        facts = {
            "k": kind,
            "t": tenant.id,
            "c": client_id,
            "s": str(session_id),
            "e": expires_at,
            "n": secrets.token_urlsafe(NONCE_BYTES),
        }
        body = base64.urlsafe_b64encode(orjson.dumps(facts)).rstrip(b"=").decode()
        return f"{PREFIX}.{body}.{self.codec.mac(_PURPOSE, body)}"

    def _read(self, token: str, kind: str) -> VisitorSession | None:
        """The facts of a genuine token of `kind`; None for anything else."""
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        prefix, _, rest = token.partition(".")
        body, _, mac = rest.partition(".")
        if prefix != PREFIX or not body or not mac:
            return None
        if not hmac.compare_digest(self.codec.mac(_PURPOSE, body).encode(), mac.encode()):
            return None
        try:
            facts = orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            if facts["k"] != kind:
                return None
            session = VisitorSession(
                tenant_id=facts["t"],
                client_id=facts["c"],
                session_id=UUID(facts["s"]),
                expires_at=facts["e"],
            )
        except (binascii.Error, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        return session
