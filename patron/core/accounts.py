"""Customer accounts: register, confirm, read, edit, anonymize.

Every dialect reaches these use cases; none of them knows HTTP.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from ulid import ULID

from patron.core.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.commands import ProfileChange, Registration
from patron.core.config import CoreConfig
from patron.core.email_addresses import clean_email
from patron.core.errors import ConfirmationInvalid, VersionConflict
from patron.core.mails import confirmation_mail
from patron.core.model import AccessClaims, Customer, Tenant
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
from patron.core.text import CUSTOMER_TEXT, check_text

CONFIRM_EMAIL = "confirm_email"


@dataclass(frozen=True, slots=True)
class Accounts:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    hasher: PasswordHasher
    codec: TokenCodec
    clock: Clock
    config: CoreConfig

    async def register(
        self, tenant: Tenant, registration: Registration, *, send_confirmation: bool = True
    ) -> Customer:
        """Create an account; a confirmation mail is written in the same transaction when the
        tenant requires confirmation (or else the account could never log in) or the
        dialect's mount asks for one.

        Cheap checks first (text, email, policy), then the hash, then one transaction.
        """
        check_text(registration.text_fields(), CUSTOMER_TEXT)
        email = clean_email(registration.email)
        password_hash = None
        if registration.password is not None:
            POLICIES[tenant.settings.password_policy].check(registration.password)
            password_hash = await self.hasher.hash(registration.password)
        mail_confirmation = send_confirmation or tenant.settings.confirmation_required
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
                    terms_accepted_at=now if registration.accepted_terms else None,
                    now=now,
                )
            )
            if mail_confirmation:
                token, token_hash = self.codec.new_opaque()
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
                purpose=CONFIRM_EMAIL, token_hash=self.codec.hash_opaque(key), now=now
            )
            if customer_id is None or not await uow.customers.mark_email_verified(
                customer_id, tenant.id, now
            ):
                raise ConfirmationInvalid()  # rolled back: a key of another tenant stays unused
            await uow.commit()

    async def get_own(self, claims: AccessClaims, ref: CustomerRef) -> Customer:
        """The bearer's own customer; another customer raises `NotOwner`."""
        require_owner(claims, ref)
        return await load_bearer(self.customer_reads, claims)

    async def update_own(
        self,
        claims: AccessClaims,
        ref: CustomerRef,
        change: ProfileChange,
        *,
        expected_version: int | None = None,
    ) -> Customer:
        require_owner(claims, ref)
        fields = change.changed_fields()
        check_text(fields, CUSTOMER_TEXT)
        if "email" in fields:
            fields["email"] = clean_email(fields["email"])
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            if expected_version is not None and expected_version != customer.version:
                raise VersionConflict(customer.version)
            if not fields:
                return customer
            updated = await uow.customers.update(customer.id, fields, now=self.clock())
            await uow.commit()
        return updated

    async def anonymize_own(self, claims: AccessClaims, ref: CustomerRef) -> None:
        """Erase personal data; keep the row, its number and its id (order history)."""
        require_owner(claims, ref)
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await uow.customers.anonymize(
                customer.id, Anonymization(replacement_email=_random_email(), now=now)
            )
            await uow.tokens.revoke_all_for(customer.id, now)
            await uow.tokens.discard_one_time_for(customer.id)
            await uow.outbox.redact_for(customer.id, customer.email)
            await uow.availability.remove_for_customer(customer.id, customer.email)
            await uow.commit()


def _random_email() -> str:
    """Unique, unroutable and unrelated to the old address (Spryker: md5@md5.md5)."""
    return f"{secrets.token_hex(16)}@{secrets.token_hex(16)}.invalid"
