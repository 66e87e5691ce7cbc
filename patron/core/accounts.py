"""Customer accounts: register, confirm, read, edit, anonymize.

Every dialect reaches these use cases; none of them knows HTTP.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from ulid import ULID

from patron.core.config import CoreConfig
from patron.core.emails import clean_email
from patron.core.errors import (
    ConfirmationInvalid,
    CustomerNotFound,
    InvalidAccessToken,
    NotOwner,
    PasswordMismatch,
    TermsNotAccepted,
    VersionConflict,
)
from patron.core.messages import confirmation_mail
from patron.core.model import AccessClaims, Customer, ProfileChange, Registration, Tenant
from patron.core.numbering import render_customer_number
from patron.core.passwords import POLICIES
from patron.core.ports import (
    Anonymization,
    Clock,
    CustomerReads,
    NewCustomer,
    PasswordHasher,
    TokenCodec,
    UnitOfWorkFactory,
)

CONFIRM_EMAIL = "confirm_email"


@dataclass(frozen=True, slots=True)
class Accounts:
    uow: UnitOfWorkFactory
    reads: CustomerReads
    hasher: PasswordHasher
    tokens: TokenCodec
    clock: Clock
    config: CoreConfig

    async def register(self, tenant: Tenant, registration: Registration) -> Customer:
        """Create an account and write its confirmation email in the same transaction.

        Checks run in Spryker's order (terms, confirmation, then email and policy), so
        each dialect sees the error its vendor would report first.
        """
        if not registration.accepted_terms:
            raise TermsNotAccepted()
        if registration.password != registration.password_confirmation:
            raise PasswordMismatch("password", "confirmPassword")
        email = clean_email(registration.email)
        POLICIES[tenant.settings.password_policy].check(registration.password)
        password_hash = await self.hasher.hash(registration.password)
        token, token_hash = self.tokens.new_opaque()
        now = self.clock()
        async with self.uow() as uow:
            sequence = await uow.customers.next_number(tenant.id)
            customer = await uow.customers.add(
                NewCustomer(
                    tenant_id=tenant.id,
                    uuid=ULID().to_uuid(),
                    customer_number=render_customer_number(tenant.settings, sequence),
                    email=email,
                    password_hash=password_hash,
                    registration=registration,
                    is_active=tenant.settings.active_on_creation,
                    on_hold=tenant.settings.on_hold_on_creation,
                    terms_accepted_at=now,
                    now=now,
                )
            )
            await uow.tokens.add_one_time(
                customer_id=customer.id,
                purpose=CONFIRM_EMAIL,
                token_hash=token_hash,
                expires_at=now + timedelta(seconds=self.config.confirmation_token_ttl_seconds),
            )
            mail = confirmation_mail(customer, email, self.config.confirm_url(tenant, token))
            await uow.outbox.enqueue(tenant.id, mail)
            await uow.commit()
        return customer

    async def confirm(self, tenant: Tenant, key: str) -> None:
        """Single use: the key is spent by the same statement that checks it."""
        if not key:
            raise ConfirmationInvalid()
        now = self.clock()
        async with self.uow() as uow:
            customer_id = await uow.tokens.consume_one_time(
                purpose=CONFIRM_EMAIL, token_hash=self.tokens.hash_opaque(key), now=now
            )
            if customer_id is None or not await uow.customers.mark_email_verified(
                customer_id, tenant.id, now
            ):
                raise ConfirmationInvalid()  # rolled back: a key of another tenant stays unused
            await uow.commit()

    async def get_own(self, claims: AccessClaims, customer_number: str) -> Customer:
        """The bearer's own customer; another customer's number raises `NotOwner`."""
        if customer_number != claims.customer_number:
            raise NotOwner()
        return await load_bearer(self.reads, claims)

    async def update_own(
        self,
        claims: AccessClaims,
        customer_number: str,
        change: ProfileChange,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        if customer_number != claims.customer_number:
            raise NotOwner()
        fields = change.changed_fields()
        if "email" in fields:
            fields["email"] = clean_email(fields["email"])
        async with self.uow() as uow:
            customer = checked_for_bearer(
                await uow.customers.get_by_number(
                    claims.tenant_id, customer_number, for_update=True
                ),
                claims,
            )
            if expected_version is not None and expected_version != customer.version:
                raise VersionConflict(customer.version)
            if not fields:
                return customer
            updated = await uow.customers.update(customer.id, fields, now=self.clock())
            await uow.commit()
        return updated

    async def anonymize_own(self, claims: AccessClaims, customer_number: str) -> None:
        """Spryker's anonymization: erase personal data, keep the row and its number."""
        if customer_number != claims.customer_number:
            raise NotOwner()
        now = self.clock()
        async with self.uow() as uow:
            customer = checked_for_bearer(
                await uow.customers.get_by_number(
                    claims.tenant_id, customer_number, for_update=True
                ),
                claims,
            )
            await uow.customers.anonymize(
                customer.id, Anonymization(replacement_email=_random_email(), now=now)
            )
            await uow.tokens.revoke_all_for(customer.id, now)
            await uow.tokens.discard_one_time_for(customer.id)
            await uow.outbox.redact_for(customer.id, customer.email)
            await uow.availability.remove_for_customer(customer.id, customer.email)
            await uow.commit()


async def load_bearer(reads: CustomerReads, claims: AccessClaims) -> Customer:
    """The customer a token speaks for, read in one statement and checked."""
    customer = await reads.customer_by_number(claims.tenant_id, claims.customer_number)
    return checked_for_bearer(customer, claims)


def checked_for_bearer(customer: Customer | None, claims: AccessClaims) -> Customer:
    """The customer a token speaks for, unless it is gone or the token predates a revocation."""
    if customer is None:
        raise CustomerNotFound()
    if customer.tokens_valid_after is not None and claims.issued_at < customer.tokens_valid_after:
        raise InvalidAccessToken()
    if customer.is_anonymized:
        raise CustomerNotFound()
    return customer


def _random_email() -> str:
    """Unique, unroutable and unrelated to the old address (Spryker: md5@md5.md5)."""
    return f"{secrets.token_hex(16)}@{secrets.token_hex(16)}.invalid"
