"""Log in, refresh, revoke: token lifecycles and login protection."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from patron.core.access import load_bearer
from patron.core.config import CoreConfig
from patron.core.email_addresses import MAX_EMAIL_LENGTH, lookup_key
from patron.core.errors import (
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
    LoginBlocked,
)
from patron.core.model import CUSTOMER_SCOPE, AccessClaims, Audience, Customer, Tenant, TokenPair
from patron.core.ports import (
    Clock,
    CustomerReads,
    LoginThrottle,
    PasswordHasher,
    SessionStore,
    TokenCodec,
    UnitOfWork,
    UnitOfWorkFactory,
    VendorClaims,
)


def throttle_keys(tenant: Tenant, email: str, client_ip: str | None) -> list[str]:
    """One counter per account and one per client address.

    The account key is built from the typed email whether or not such an account exists,
    so a lockout says nothing about existence.
    """
    keys = [f"account:{tenant.id}:{lookup_key(email)}"]
    if client_ip:
        keys.append(f"ip:{_address_block(client_ip)}")
    return keys


def _address_block(client_ip: str) -> str:
    """An IPv6 client is counted by its /64: one subscriber holds a whole one and could
    rotate through its addresses; an IPv4 address counts alone."""
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


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
    ) -> TokenPair:
        keys = throttle_keys(tenant, email[:MAX_EMAIL_LENGTH], client_ip)
        attempt = await self.throttle.attempt(keys)
        if attempt.retry_after:
            raise LoginBlocked(attempt.retry_after)
        credentials = (
            await self.customer_reads.credentials_by_email(
                tenant.id, email, confirmation_required=tenant.settings.confirmation_required
            )
            if len(email) <= MAX_EMAIL_LENGTH  # a longer one has no account to look up
            else None
        )
        if credentials is None or credentials.password_hash is None:
            await self.hasher.burn(password)
            await self.throttle.failed(attempt)
            raise InvalidCredentials()
        if not await self.hasher.verify(credentials.password_hash, password):
            await self.throttle.failed(attempt)
            raise InvalidCredentials()
        # The right password: no failure, even where the account may not log in (yet).
        clear = keys[:1] if credentials.may_log_in else ()
        await self.throttle.succeeded(attempt, clear=clear)
        if not credentials.may_log_in:
            raise InvalidCredentials()
        new_hash = (
            await self.hasher.hash(password)
            if self.hasher.needs_rehash(credentials.password_hash)
            else None
        )
        now = self.clock()
        customer = credentials.customer
        async with self.uow() as uow:
            if new_hash is not None:
                await uow.customers.set_password_hash(customer.id, new_hash)
            await uow.customers.record_login(customer.id, now)
            pair = await self._issue(uow, customer, uuid4(), now, vendor_claims)
            await uow.commit()
        return pair

    async def refresh(
        self, tenant: Tenant, refresh_token: str, *, vendor_claims: VendorClaims | None = None
    ) -> TokenPair:
        """Rotate: the old token is spent; spending it twice revokes its whole family."""
        if not refresh_token:
            raise InvalidRefreshToken()
        now = self.clock()
        async with self.uow() as uow:
            record = await uow.tokens.find_refresh(self.codec.hash_opaque(refresh_token))
            if record is None or record.revoked_at is not None or record.expires_at <= now:
                raise InvalidRefreshToken()
            if record.rotated_at is not None:
                await uow.tokens.revoke_family(record.family_id, now)
                await uow.commit()
                raise InvalidRefreshToken()
            customer = await uow.customers.get(record.customer_id)
            if customer is None or customer.tenant_id != tenant.id or customer.is_anonymized:
                raise InvalidRefreshToken()
            await uow.tokens.mark_rotated(record.id, now)
            pair = await self._issue(uow, customer, record.family_id, now, vendor_claims)
            await uow.commit()
        return pair

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
        statement that reads it anyway.
        """
        claims = self.codec.verify_access(access_token, self.clock())
        if claims.tenant_id != tenant.id:
            raise InvalidAccessToken("another tenant's token")
        if claims.audience is not audience or scope not in claims.scopes:
            raise InvalidAccessToken("not for this audience or scope")
        return claims

    async def _issue(
        self,
        uow: UnitOfWork,
        customer: Customer,
        family_id: UUID,
        now: datetime,
        vendor_claims: VendorClaims | None,
    ) -> TokenPair:
        access, lifetime = self.codec.issue_access(
            customer,
            now,
            session_id=family_id,
            scopes=(CUSTOMER_SCOPE,),
            vendor_claims=vendor_claims(customer) if vendor_claims else None,
        )
        refresh, refresh_hash = self.codec.new_opaque()
        ttl = self.config.refresh_token_ttl_seconds
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
