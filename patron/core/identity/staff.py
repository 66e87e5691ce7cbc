"""The back office's authentication: staff logins, tokens and sessions, and the one check
every back-office request passes (`BackOffice.authorize`). Creating and managing the users
and clients themselves is `staff_accounts`.

Shared by every admin dialect (Medusa's admin API, Emporix's tenant-managed API) and the
console.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from patron.core.domain.config import CoreConfig
from patron.core.domain.email_addresses import MAX_EMAIL_LENGTH
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import (
    InvalidAccessToken,
    InvalidCredentials,
    TenantMismatch,
)
from patron.core.domain.model import Audience, SessionRecord
from patron.core.domain.principals import (
    AdminUser,
    BackOfficeClaims,
    Principal,
    PrincipalKind,
    within,
)
from patron.core.domain.tenants import Tenant
from patron.core.identity.login_protection import address_key, check_password, throttle_keys
from patron.core.identity.sessions import find_session, open_session
from patron.core.identity.staff_credentials import (
    MAX_CLIENT_ID_LENGTH,
    BackOfficeCredential,
    CredentialKind,
    check_live,
    may_name_client,
    token_session_hash,
    user_principal,
)
from patron.core.ports.back_office import BackOfficeReads
from patron.core.ports.security import LoginThrottle, PasswordHasher, SessionStore, TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

ADMIN_NAMESPACE = "admin-"
"""Back-office throttle counters live apart from customers' (`admin-account:...`)."""
_NO_SECRET = "0" * 64
"""Compared against when a client id is unknown, so that answer takes as long."""


@dataclass(frozen=True, slots=True)
class BackOffice:
    uow: UnitOfWorkFactory
    reads: BackOfficeReads
    sessions: SessionStore
    hasher: PasswordHasher
    codec: TokenCodec
    throttle: LoginThrottle
    clock: Clock
    config: CoreConfig

    async def log_in(
        self, tenant: Tenant, email: str, password: str, *, client_ip: str | None
    ) -> AdminUser:
        """The password check, throttled as customers' logins are (counted before it runs)
        on counters of its own. Every cause of failure is `InvalidCredentials`; a disabled
        user learns so only after giving the right password."""

        async def stored() -> tuple[AdminUser, str | None, bool] | None:
            if len(email) > MAX_EMAIL_LENGTH:  # no user to look up
                return None
            found = await self.reads.user_login(tenant.id, email)
            if found is None:
                return None
            user, password_hash = found
            return user, password_hash, not user.is_disabled

        keys = throttle_keys(tenant, email[:MAX_EMAIL_LENGTH], client_ip, namespace=ADMIN_NAMESPACE)
        user, new_hash = await check_password(self.throttle, self.hasher, keys, password, stored)
        if new_hash is not None:
            async with self.uow() as uow:
                await uow.back_office.set_user_password_hash(user.id, new_hash)
                await uow.commit()
        return user

    async def issue_token(
        self, user: AdminUser, *, vendor_claims: Mapping[str, object] | None = None
    ) -> tuple[str, int]:
        """A back-office JWT for a user who has just logged in, with their scopes. It
        stands in for a session of the token's lifetime, kept server-side as a cookie
        session is, so a logout with it (`end_token`) ends it."""
        now = self.clock()
        ttl = self.config.back_office_token_ttl_seconds
        _, session_hash = self.codec.new_opaque()  # a session nobody holds a cookie of
        claims = BackOfficeClaims(
            tenant_id=user.tenant_id,
            kind=PrincipalKind.USER,
            principal_id=user.id,
            issued_at=now,
            scopes=user.scopes,
            session=session_hash.hex(),
        )
        issued = self.codec.issue_back_office(claims, ttl_seconds=ttl, vendor_claims=vendor_claims)
        record = self._session_record(user, now, now + timedelta(seconds=ttl))
        await self.sessions.put(session_hash, record)
        return issued

    async def client_token(
        self,
        tenant: Tenant,
        client_id: str,
        secret: str,
        *,
        scopes: Iterable[str] | None = None,
        client_ip: str | None,
    ) -> tuple[str, int]:
        """The client-credentials grant: a back-office JWT for `scopes` (None or empty: all
        of the client's). Raises `InvalidCredentials`, `LoginBlocked`, or `ScopeMissing`
        when asked for a scope the client does not hold."""
        # Per client *and* address: client ids are not secret, so a counter per client alone
        # would let anyone lock an integration out; its 256-bit secret needs no such guard.
        client_key = f"{ADMIN_NAMESPACE}client:{tenant.id}:{client_id[:MAX_CLIENT_ID_LENGTH]}"
        keys = [f"{client_key}@{address_key(client_ip)}" if client_ip else client_key]
        if client_ip:
            keys.append(address_key(client_ip, namespace=ADMIN_NAMESPACE))
        attempt = await self.throttle.attempt(keys)
        if attempt.retry_after:
            raise LoginBlocked(attempt.retry_after)
        found = (
            await self.reads.client_login(tenant.id, client_id)
            if may_name_client(client_id)
            else None
        )
        offered = self.codec.hash_opaque(secret).hex()
        stored = _NO_SECRET if found is None else found[1]
        if not hmac.compare_digest(offered, stored) or found is None:
            await self.throttle.failed(attempt)
            raise InvalidCredentials()
        client = found[0]
        await self.throttle.succeeded(attempt, clear=() if client.is_disabled else keys[:1])
        if client.is_disabled:
            raise InvalidCredentials()
        requested = frozenset(scopes or ()) or client.scopes
        if missing := requested - within(requested, client.scopes):
            raise ScopeMissing(sorted(missing)[0])
        claims = BackOfficeClaims(
            tenant_id=client.tenant_id,
            kind=PrincipalKind.CLIENT,
            principal_id=client.id,
            issued_at=self.clock(),
            scopes=requested,
        )
        return self.codec.issue_back_office(
            claims, ttl_seconds=self.config.back_office_token_ttl_seconds
        )

    async def client_tenant(self, client_id: str) -> str | None:
        """The tenant code of a client id, or None; says nothing about its secret."""
        if not may_name_client(client_id):
            return None
        return await self.reads.client_tenant(client_id)

    async def start_session(self, user: AdminUser) -> str:
        """A cookie session for a user who has just logged in: the opaque value to set."""
        now = self.clock()
        expires_at = now + timedelta(seconds=self.config.session_ttl_seconds)
        record = self._session_record(user, now, expires_at)
        return await open_session(self.sessions, self.codec, record)

    @staticmethod
    def _session_record(user: AdminUser, now: datetime, expires_at: datetime) -> SessionRecord:
        return SessionRecord(
            tenant_id=user.tenant_id,
            audience=Audience.BACK_OFFICE,
            subject_id=user.id,
            subject_uuid=user.uuid,
            subject_number=None,
            family_id=None,
            created_at=now,
            expires_at=expires_at,
        )

    async def end_session(self, token: str) -> None:
        """Log out; silent when there is no such back-office session (a customer's
        session is not ended here)."""
        token_hash = self.codec.hash_opaque(token)
        if await find_session(self.sessions, token_hash, self.clock(), Audience.BACK_OFFICE):
            await self.sessions.delete(token_hash)

    async def end_token(self, tenant: Tenant, token: str) -> None:
        """Log out with a user's token (`issue_token`): its session ends, and the token
        with it. Silent for anything else (an invalid token, another tenant's, a client's,
        which ends only with its client)."""
        try:
            claims = self.codec.verify_access(token, self.clock())
        except InvalidAccessToken:
            return
        if isinstance(claims, BackOfficeClaims) and claims.tenant_id == tenant.id:
            session_hash = token_session_hash(claims)
            if session_hash is not None:
                await self.sessions.delete(session_hash)

    async def authorize(self, tenant: Tenant, credential: BackOfficeCredential) -> Principal:
        """The one check every back-office request passes, whatever the credential: it is
        valid, of this tenant, its principal still exists and is enabled, and nothing
        revoked it since it was issued. The principal's scopes are read afresh, so taking
        one away takes it from every credential at once. Every failure is
        `InvalidAccessToken`; whether the scopes suffice is the use case's check
        (`access.require_scope`)."""
        if credential.kind is CredentialKind.BEARER:
            return await self._authorize_bearer(tenant, credential.value)
        if credential.kind is CredentialKind.API_TOKEN:
            found = await self.reads.user_by_api_token(self.codec.hash_opaque(credential.value))
            if found is None:
                raise InvalidAccessToken("unknown API token")
            user, issued_at = found
            return user_principal(tenant, user, issued_at, user.scopes)
        token_hash = self.codec.hash_opaque(credential.value)
        record = await find_session(self.sessions, token_hash, self.clock(), Audience.BACK_OFFICE)
        if record is None or record.tenant_id != tenant.id:
            raise InvalidAccessToken("no such session")
        holder = await self.reads.user(record.subject_id)
        if holder is None or holder.uuid != record.subject_uuid:
            raise InvalidAccessToken("user gone")
        return user_principal(tenant, holder, record.created_at, holder.scopes)

    def verify_bearer(self, token: str) -> BackOfficeClaims:
        """A back-office JWT's claims, checked for signature and expiry only, for a request
        that names no tenant Patron keeps: so a bad token is told apart from a good token
        sent to the wrong tenant. Raises `InvalidAccessToken`."""
        claims = self.codec.verify_access(token, self.clock())
        if not isinstance(claims, BackOfficeClaims):
            raise InvalidAccessToken("not a back-office token")
        return claims

    async def _authorize_bearer(self, tenant: Tenant, token: str) -> Principal:
        claims = self.verify_bearer(token)
        if claims.tenant_id != tenant.id:
            raise TenantMismatch("another tenant's token")
        if claims.kind is PrincipalKind.USER:
            if claims.session is not None:
                await self._check_token_session(claims)
            user = await self.reads.user(claims.principal_id)
            if user is None:
                raise InvalidAccessToken("user gone")
            return user_principal(
                tenant, user, claims.issued_at, within(claims.scopes, user.scopes)
            )
        client = await self.reads.client(claims.principal_id)
        if client is None:
            raise InvalidAccessToken("client gone")
        check_live(tenant, client, claims.issued_at)
        return Principal(
            tenant_id=client.tenant_id,
            kind=PrincipalKind.CLIENT,
            id=client.id,
            scopes=within(claims.scopes, client.scopes),
            companies=frozenset(() if client.company_id is None else (client.company_id,)),
        )

    async def _check_token_session(self, claims: BackOfficeClaims) -> None:
        """The session a user's token stands in for is still open (no logout ended it)."""
        session_hash = token_session_hash(claims)
        if session_hash is None:
            raise InvalidAccessToken("no such session")
        record = await find_session(self.sessions, session_hash, self.clock(), Audience.BACK_OFFICE)
        if record is None or record.subject_id != claims.principal_id:
            raise InvalidAccessToken("session ended")
