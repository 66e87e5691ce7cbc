"""Customers' logins, tokens and cookie sessions: their lifecycles and login protection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn
from uuid import UUID, uuid4

from patron.core.domain.config import CoreConfig
from patron.core.domain.email_addresses import MAX_EMAIL_LENGTH
from patron.core.domain.errors.unauthorized import (
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
    TenantMismatch,
)
from patron.core.domain.model import (
    CUSTOMER_SCOPE,
    AccessClaims,
    Audience,
    Customer,
    SessionRecord,
    TokenPair,
)
from patron.core.domain.password_migration import usable_hash
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import load_bearer
from patron.core.identity.login_protection import check_password, throttle_keys
from patron.core.identity.sessions import Lifetimes, find_session, open_session
from patron.core.ports.customers import CustomerReads
from patron.core.ports.security import (
    LoginThrottle,
    PasswordHasher,
    SessionStore,
    TokenCodec,
    VendorClaims,
)
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Authentication:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    hasher: PasswordHasher
    codec: TokenCodec
    throttle: LoginThrottle
    clock: Clock
    config: CoreConfig
    sessions: SessionStore

    async def login(
        self,
        tenant: Tenant,
        email: str,
        password: str,
        *,
        client_ip: str | None,
        vendor_claims: VendorClaims | None = None,
        require_confirmation: bool | None = None,
        lifetimes: Lifetimes | None = None,
    ) -> tuple[Customer, TokenPair]:
        """`authenticate`, then a new session's access and refresh tokens, all written in
        the one transaction that records the login; with the customer who logged in (whose
        answer some vendors say more of, such as Emporix' `initialPassword`). `lifetimes`:
        a vendor's own (None: the configured ones)."""
        customer, new_hash = await self._check_password(
            tenant, email, password, client_ip=client_ip, require_confirmation=require_confirmation
        )
        now = self.clock()
        async with self.uow() as uow:
            await self._record_login(uow, customer, new_hash, now)
            pair = await self._issue(uow, customer, uuid4(), now, vendor_claims, lifetimes)
            await uow.commit()
        return customer, pair

    async def open_token_session(
        self,
        customer: Customer,
        *,
        vendor_claims: VendorClaims | None = None,
        lifetimes: Lifetimes | None = None,
    ) -> TokenPair:
        """A new session's tokens for a customer who proved who they are another way than
        by password (a confirmation link that logs in). Recorded as a login; refused
        (`InvalidCredentials`) where a password login would be: inactive, on hold, gone."""
        now = self.clock()
        async with self.uow() as uow:
            current = await uow.customers.get(customer.id, for_update=True)
            if current is None or not current.is_active or current.on_hold or current.is_anonymized:
                raise InvalidCredentials()
            await self._record_login(uow, current, None, now)
            pair = await self._issue(uow, current, uuid4(), now, vendor_claims, lifetimes)
            await uow.commit()
        return pair

    async def authenticate(
        self,
        tenant: Tenant,
        email: str,
        password: str,
        *,
        client_ip: str | None,
        require_confirmation: bool | None = None,
    ) -> Customer:
        """The throttled password check every customer login passes, whatever it yields
        (tokens, a cookie session). `require_confirmation` None is the tenant's rule; False
        lets unconfirmed customers in, for a mount whose vendor has no confirmation step.
        Raises `InvalidCredentials` for every cause, `LoginBlocked` past the limit."""
        customer, new_hash = await self._check_password(
            tenant, email, password, client_ip=client_ip, require_confirmation=require_confirmation
        )
        async with self.uow() as uow:
            await self._record_login(uow, customer, new_hash, self.clock())
            await uow.commit()
        return customer

    async def _check_password(
        self,
        tenant: Tenant,
        email: str,
        password: str,
        *,
        client_ip: str | None,
        require_confirmation: bool | None,
    ) -> tuple[Customer, str | None]:
        """The customer, and a new hash when the stored one uses outdated parameters."""
        confirmation_required = (
            tenant.settings.confirmation_required
            if require_confirmation is None
            else require_confirmation
        )

        async def stored() -> tuple[Customer, str | None, bool] | None:
            if len(email) > MAX_EMAIL_LENGTH:  # no account to look up
                return None
            credentials = await self.customer_reads.credentials_by_email(
                tenant.id, email, confirmation_required=confirmation_required
            )
            if credentials is None:
                return None
            password_hash = usable_hash(
                credentials.password_hash, credentials.migration_ends, self.clock().date()
            )
            return credentials.customer, password_hash, credentials.may_log_in

        keys = throttle_keys(tenant, email[:MAX_EMAIL_LENGTH], client_ip)
        return await check_password(self.throttle, self.hasher, keys, password, stored)

    @staticmethod
    async def _record_login(
        uow: UnitOfWork, customer: Customer, new_hash: str | None, now: datetime
    ) -> None:
        if new_hash is not None:
            await uow.customers.set_password_hash(customer.id, new_hash)
        await uow.customers.record_login(customer.id, now)

    async def start_session(self, customer: Customer) -> str:
        """A cookie session: the opaque value to set, kept server-side by its hash.

        The session gets a refresh-token family of its own, so whatever ends the
        customer's token sessions (a password change for the others, a reset,
        anonymization, logout everywhere) ends it too: `access.load_bearer` finds the
        family revoked.
        """
        now = self.clock()
        expires_at = now + timedelta(seconds=self.config.session_ttl_seconds)
        family_id = await self._new_family(customer, now, expires_at)
        record = SessionRecord(
            tenant_id=customer.tenant_id,
            audience=Audience.CUSTOMER,
            subject_id=customer.id,
            subject_uuid=customer.uuid,
            subject_number=customer.customer_number,
            family_id=family_id,
            created_at=now,
            expires_at=expires_at,
        )
        return await open_session(self.sessions, self.codec, record)

    async def session_claims(self, tenant: Tenant, token: str) -> AccessClaims:
        """What a customer's session cookie stands for, as the claims of a token would: the
        same owner and session checks then apply to both. Raises `InvalidAccessToken` for
        an unknown or expired session, another tenant's, or a back-office one."""
        token_hash = self.codec.hash_opaque(token)
        record = await find_session(self.sessions, token_hash, self.clock(), Audience.CUSTOMER)
        if (
            record is None
            or record.tenant_id != tenant.id
            or record.family_id is None
            or record.subject_number is None
        ):
            raise InvalidAccessToken("no such session")
        return AccessClaims(
            audience=Audience.CUSTOMER,
            tenant_id=record.tenant_id,
            customer_id=record.subject_id,
            customer_uuid=record.subject_uuid,
            customer_number=record.subject_number,
            session_id=record.family_id,
            issued_at=record.created_at,
            scopes=frozenset({CUSTOMER_SCOPE}),
        )

    async def end_session(self, token: str) -> None:
        """Log out: the session's family is revoked (its tokens end everywhere) and the
        record goes. Silent when there is no such customer session."""
        token_hash = self.codec.hash_opaque(token)
        record = await find_session(self.sessions, token_hash, self.clock(), Audience.CUSTOMER)
        if record is None:
            return
        if record.family_id is not None:
            async with self.uow() as uow:
                await uow.tokens.revoke_family(record.family_id, self.clock())
                await uow.commit()
        await self.sessions.delete(token_hash)

    async def issue_session_token(
        self, customer: Customer, *, vendor_claims: VendorClaims | None = None
    ) -> tuple[str, int]:
        """An access token that stands in for a cookie session: a family of its own and
        the session's lifetime, with no refresh token. Ends as a session does."""
        now = self.clock()
        ttl = self.config.session_ttl_seconds
        family_id = await self._new_family(customer, now, now + timedelta(seconds=ttl))
        return self.codec.issue_access(
            customer,
            now,
            session_id=family_id,
            scopes=(CUSTOMER_SCOPE,),
            vendor_claims=vendor_claims(customer) if vendor_claims else None,
            ttl_seconds=ttl,
        )

    async def _new_family(self, customer: Customer, now: datetime, expires_at: datetime) -> UUID:
        """A refresh-token family for a session that has no refresh token: its anchor row
        sits under the hash of a token nobody was given, so it can be revoked but never
        spent."""
        family_id = uuid4()
        _, anchor_hash = self.codec.new_opaque()
        async with self.uow() as uow:
            await uow.tokens.add_refresh(
                customer_id=customer.id,
                family_id=family_id,
                token_hash=anchor_hash,
                expires_at=expires_at,
                now=now,
            )
            await uow.commit()
        return family_id

    async def refresh(
        self,
        tenant: Tenant,
        refresh_token: str,
        *,
        vendor_claims: VendorClaims | None = None,
        lifetimes: Lifetimes | None = None,
        holder: AccessClaims | None = None,
    ) -> TokenPair:
        """Rotate: the old token is spent; spending it twice revokes its whole family.

        `holder`: the customer whose token came with the request (None for a request
        that carries none, or a visitor's). Another customer's refresh token is then
        `InvalidRefreshToken` and spends nothing, so its owner's session goes on; it is
        refused before the reuse check, so presenting someone's spent token under one's
        own name cannot end their session either.
        """
        if not refresh_token:
            raise InvalidRefreshToken()
        now = self.clock()
        async with self.uow() as uow:
            record = await uow.tokens.find_refresh(self.codec.hash_opaque(refresh_token))
            if record is None or record.revoked_at is not None or record.expires_at <= now:
                raise InvalidRefreshToken()
            if holder is not None and record.customer_id != holder.customer_id:
                raise InvalidRefreshToken()
            if record.rotated_at is not None:
                await uow.tokens.revoke_family(record.family_id, now)
                await uow.commit()
                raise InvalidRefreshToken()
            customer = await uow.customers.get(record.customer_id)
            if customer is None or customer.tenant_id != tenant.id or customer.is_anonymized:
                raise InvalidRefreshToken()
            await uow.tokens.mark_rotated(record.id, now)
            pair = await self._issue(uow, customer, record.family_id, now, vendor_claims, lifetimes)
            await uow.commit()
        return pair

    async def end_token_session(self, claims: AccessClaims) -> None:
        """Log out the bearer's session only: its refresh-token family is revoked, so its
        access tokens end at once and the customer's other sessions go on. A token whose
        session has ended already is `InvalidAccessToken`, as everywhere."""
        await load_bearer(self.customer_reads, claims)
        async with self.uow() as uow:
            await uow.tokens.revoke_family(claims.session_id, self.clock())
            await uow.commit()

    async def revoke(self, claims: AccessClaims, refresh_token: str | None) -> None:
        """Revoke one of the bearer's own refresh tokens, or all of them when None.

        Silent when there is nothing to revoke: callers must not learn whether a token exists.
        A token whose session has ended revokes nothing: a stolen one must not keep logging
        its victim out after a reset.
        """
        await load_bearer(self.customer_reads, claims)
        now = self.clock()
        async with self.uow() as uow:
            if refresh_token is None:
                await uow.tokens.revoke_all_for(claims.customer_id, now)
            else:
                await uow.tokens.revoke_refresh(
                    token_hash=self.codec.hash_opaque(refresh_token),
                    customer_id=claims.customer_id,
                    now=now,
                )
            await uow.commit()

    def verify(
        self,
        access_token: str,
        tenant: Tenant,
        *,
        audience: Audience = Audience.CUSTOMER,
        scope: str = CUSTOMER_SCOPE,
    ) -> AccessClaims:
        """The claims of a token valid on this tenant's mount, for this audience and scope.

        Signature, expiry, tenant, audience and scope are checked here; whether the session
        is still open is checked where the customer is loaded (`access.load_bearer`), by the
        statement that reads it anyway. A genuine customer token of another tenant is
        `TenantMismatch` (Emporix answers it apart; for every other dialect it is the
        invalid-token fault, its code); only a token whose signature verifies gets that far.
        """
        claims = self._customer_claims(access_token)
        if claims.tenant_id != tenant.id:
            raise TenantMismatch("another tenant's token")
        if claims.audience is not audience or scope not in claims.scopes:
            raise InvalidAccessToken("not for this audience or scope")
        return claims

    def verify_for_no_tenant(self, access_token: str) -> NoReturn:
        """For a request naming a tenant Patron does not keep: `TenantMismatch` for a
        genuine customer token (it is some other tenant's), `InvalidAccessToken` (or
        `AccessTokenExpired`) for anything else, so a forged token learns nothing of
        which tenants exist."""
        self._customer_claims(access_token)
        raise TenantMismatch("a token for no tenant of ours")

    def _customer_claims(self, access_token: str) -> AccessClaims:
        """Signature and expiry, and that it is a customer's token (not the back office's)."""
        claims = self.codec.verify_access(access_token, self.clock())
        if not isinstance(claims, AccessClaims):
            raise InvalidAccessToken("a back-office token")
        return claims

    async def _issue(
        self,
        uow: UnitOfWork,
        customer: Customer,
        family_id: UUID,
        now: datetime,
        vendor_claims: VendorClaims | None,
        lifetimes: Lifetimes | None = None,
    ) -> TokenPair:
        access, lifetime = self.codec.issue_access(
            customer,
            now,
            session_id=family_id,
            scopes=(CUSTOMER_SCOPE,),
            vendor_claims=vendor_claims(customer) if vendor_claims else None,
            ttl_seconds=lifetimes.access_seconds if lifetimes else None,
        )
        refresh, refresh_hash = self.codec.new_opaque()
        ttl = lifetimes.refresh_seconds if lifetimes else self.config.refresh_token_ttl_seconds
        await uow.tokens.add_refresh(
            customer_id=customer.id,
            family_id=family_id,
            token_hash=refresh_hash,
            expires_at=now + timedelta(seconds=ttl),
            now=now,
        )
        return TokenPair(
            access_token=access, refresh_token=refresh, token_type="Bearer", expires_in=lifetime
        )
