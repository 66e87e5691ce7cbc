"""Customer accounts: register, confirm, read, edit, anonymize.

Every dialect reaches these use cases; none of them knows HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from patron.core.customers.addresses import add_locked, checked_change, checked_draft, update_locked
from patron.core.customers.new_email import email_moves
from patron.core.customers.profiles import checked_profile, write_profile_locked
from patron.core.customers.registration import (
    add_customer,
    anonymize_locked,
    exists_keys,
    prepare_registration,
    signup_key,
)
from patron.core.domain.command_fields import draft_of
from patron.core.domain.commands import (
    AccountEdit,
    AccountMail,
    AddressChange,
    AddressDraft,
    BillingChoice,
    EmailLookup,
    ProfileChange,
    Registration,
    SignupLimit,
)
from patron.core.domain.config import CoreConfig
from patron.core.domain.deferred import AfterAnswer
from patron.core.domain.email_addresses import MAX_EMAIL_LENGTH
from patron.core.domain.errors.conflict import CodeTaken, EmailTaken, GuestExists, VersionConflict
from patron.core.domain.errors.invalid_input import ConfirmationInvalid
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.errors.throttled import LoginBlocked, SignupLimitReached
from patron.core.domain.model import AccessClaims, Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.identity.password_changes import mail_budgeted_account, set_password_locked
from patron.core.identity.passwords import POLICIES
from patron.core.outbox.login_notices import mail_login_notice
from patron.core.outbox.mails import account_mail as new_account_mail
from patron.core.outbox.mails import confirmation_mail
from patron.core.ports.customers import CustomerReads
from patron.core.ports.security import LoginThrottle, PasswordHasher, Quota, TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory

CONFIRM_EMAIL = "confirm_email"
NAMES_AN_ACCOUNT = (EmailTaken, GuestExists, CodeTaken)
"""Refusals that tell the caller an account exists: under a sign-up limit they use a
place, so the limit also bounds how fast one address can learn which emails are taken."""


@dataclass(frozen=True, slots=True)
class Accounts:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    hasher: PasswordHasher
    codec: TokenCodec
    clock: Clock
    config: CoreConfig
    throttle: LoginThrottle
    quota: Quota

    async def register(
        self,
        tenant: Tenant,
        registration: Registration,
        *,
        send_confirmation: bool = True,
        billing: AddressDraft | None = None,
        account_mail: AccountMail | None = None,
        limit: SignupLimit | None = None,
        lookup: EmailLookup | None = None,
    ) -> Customer:
        """Create an account, or a guest when no password is given (see `add_customer`).

        `billing`: an address written in the same transaction as the customer's default
        billing address. `account_mail`: an account notice instead of the confirmation mail
        (holding the confirmation link when one is due). `limit`: counted on the client's
        address before anything is written (`SignupLimitReached`), given back on failure
        unless the refusal names an existing account (`NAMES_AN_ACCOUNT`). `lookup`: an
        anonymous caller's sign-up, whose refusal naming an account counts as an email
        lookup (`EmailLookup`); every dialect's public sign-up passes one.

        An account gets a confirmation mail in the same transaction when the tenant
        requires confirmation (or else it could never log in) or the dialect's mount asks
        for one. A guest gets none: it has no login to confirm.
        """
        looked_up = None
        if lookup is not None:
            looked_up = await self.throttle.attempt(exists_keys(tenant, lookup.client_ip))
            if looked_up.retry_after:
                raise LoginBlocked(looked_up.retry_after)
        key = None
        named_an_account = False
        try:
            if limit is not None:
                place = signup_key(tenant, limit.client_ip)
                if not await self.quota.take(place, limit.count, limit.seconds):
                    raise SignupLimitReached()
                key = place
            return await self._register(
                tenant, registration, billing, account_mail, send_confirmation=send_confirmation
            )
        except NAMES_AN_ACCOUNT:
            named_an_account = True
            raise  # keeps its place: else the limit would not slow a walk through emails
        except BaseException:
            if key is not None:  # nothing was created: the place is free again
                await self.quota.give_back(key)
            raise
        finally:
            if looked_up is not None:  # only an answer naming an account is a lookup
                if named_an_account:
                    await self.throttle.failed(looked_up)
                else:
                    await self.throttle.succeeded(looked_up, clear=())

    async def _register(
        self,
        tenant: Tenant,
        registration: Registration,
        billing: AddressDraft | None,
        account_mail: AccountMail | None,
        *,
        send_confirmation: bool,
    ) -> Customer:
        billing = checked_draft(replace(billing, is_default_billing=True)) if billing else None
        prepared = await prepare_registration(tenant, registration, self.hasher)
        mail_confirmation = prepared.has_account and (
            send_confirmation or tenant.settings.confirmation_required
        )
        now = self.clock()
        async with self.uow() as uow:
            customer = await add_customer(uow, tenant, prepared, now)
            if billing is not None:
                limit = self.config.max_addresses_per_customer
                await add_locked(uow, customer, billing, limit=limit, now=now)
            link = None
            if mail_confirmation:
                link = await self._confirmation_link(uow, tenant, customer, prepared.email, now)
            if account_mail is not None:
                password = account_mail.generated_password
                mail = new_account_mail(customer, prepared.email, password=password, link=link)
                await uow.outbox.enqueue(tenant.id, mail)
            elif link is not None:
                await uow.outbox.enqueue(
                    tenant.id, confirmation_mail(customer, prepared.email, link)
                )
            await uow.commit()
        return customer

    async def _confirmation_link(
        self, uow: UnitOfWork, tenant: Tenant, customer: Customer, email: str, now: datetime
    ) -> str:
        """A new confirmation key, stored as its hash; the link that carries it."""
        token, token_hash = self.codec.new_opaque()
        await uow.tokens.add_one_time(
            customer_id=customer.id,
            purpose=CONFIRM_EMAIL,
            token_hash=token_hash,
            expires_at=now + timedelta(seconds=self.config.confirmation_token_ttl_seconds),
        )
        return self.config.confirm_url(tenant, token, email=email)

    async def account_exists(self, tenant: Tenant, email: str, *, client_ip: str | None) -> bool:
        """Whether a registered account (not a guest) has this email: Medusa's storefront
        asks before it offers a login (`GET /store/auth/{email}`).

        The answer names an account, so every lookup counts on the client's address, in
        its own namespace of the login throttle: past the limit the caller is blocked
        (`LoginBlocked`) instead of walking a list of addresses.
        """
        attempt = await self.throttle.attempt(exists_keys(tenant, client_ip))
        if attempt.retry_after:
            raise LoginBlocked(attempt.retry_after)
        await self.throttle.failed(attempt)  # every lookup counts, found or not
        if len(email) > MAX_EMAIL_LENGTH:  # no account has it
            return False
        found = await self.customer_reads.credentials_by_email(
            tenant.id, email, confirmation_required=False
        )
        return found is not None

    async def confirm(self, tenant: Tenant, key: str) -> Customer:
        """Single use: the key is spent by the same statement that checks it. Returns the
        confirmed customer (a dialect whose confirmation logs in opens a session for it)."""
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
            customer = await uow.customers.get(customer_id)
            if customer is None:  # cannot happen: the row was just updated
                raise ConfirmationInvalid()
            await uow.commit()
        return customer

    def resend_confirmation(self, tenant: Tenant, email: str) -> AfterAnswer:
        """Mail a new confirmation link to an account that has not confirmed its email;
        silent for anybody else. The work runs after the dialect has answered, so known
        and unknown addresses answer alike."""
        return AfterAnswer(partial(self._resend_confirmation, tenant, email))

    async def _resend_confirmation(self, tenant: Tenant, email: str) -> None:
        """Mails per address are budgeted (`mail_budgeted_account`); a new link spends
        the older ones."""
        customer_id = await mail_budgeted_account(
            self.throttle, self.customer_reads, tenant, email, "confirmation-resend"
        )
        if customer_id is None:
            return
        now = self.clock()
        async with self.uow() as uow:
            customer = await uow.customers.get(customer_id, for_update=True)
            if (
                customer is None
                or customer.is_anonymized
                or customer.email is None
                or customer.email_verified_at is not None
            ):
                return
            await uow.tokens.discard_one_time_for(customer.id, CONFIRM_EMAIL)
            link = await self._confirmation_link(uow, tenant, customer, customer.email, now)
            await uow.outbox.enqueue(tenant.id, confirmation_mail(customer, customer.email, link))
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
        """A partial update; a `MetadataPatch` is merged into the metadata under the row
        lock, so concurrent patches of different keys both land."""
        require_owner(claims, ref)
        fields, patch = checked_profile(change)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            if expected_version is not None and expected_version != customer.version:
                raise VersionConflict(customer.version)
            updated = await write_profile_locked(uow, customer, fields, patch, now=self.clock())
            if updated is customer:
                return customer
            await uow.commit()
        return updated

    async def edit_own(
        self, tenant: Tenant, claims: AccessClaims, ref: CustomerRef, edit: AccountEdit
    ) -> Customer:
        """Profile, billing address and password in one transaction: a refusal of any part
        (an email taken, an address not theirs, the address cap) leaves all as it was.

        Every check that needs no database runs first, and the password is hashed before
        the transaction, so the customer row is locked only for the writes."""
        require_owner(claims, ref)
        fields, patch = checked_profile(edit.profile)
        billing = edit.billing
        billing_change = (
            checked_change(billing.fields)
            if billing is not None and billing.fields is not None
            else None
        )
        password_hash = None
        if edit.new_password is not None:
            POLICIES[tenant.settings.password_policy].check(edit.new_password)
            password_hash = await self.hasher.hash(edit.new_password)
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            # A new email and a new password at once: one notice to the old address.
            alone = password_hash is None
            updated = await write_profile_locked(
                uow, customer, fields, patch, now=now, notify=alone
            )
            if billing is not None:
                await self._choose_billing(uow, customer, billing, billing_change, now)
            if password_hash is not None:
                await set_password_locked(
                    uow, customer, password_hash, claims=claims, now=now, notify=False
                )
                moved = email_moves(customer, fields)
                await mail_login_notice(uow, customer, email=moved, password=True, now=now)
                # The password moved the row's version and `updated_at`: answer what is stored.
                updated = await uow.customers.get(customer.id) or updated
            await uow.commit()
        return updated

    async def _choose_billing(
        self,
        uow: UnitOfWork,
        customer: Customer,
        billing: BillingChoice,
        change: AddressChange | None,
        now: datetime,
    ) -> None:
        current = await uow.addresses.default_billing(customer.id)
        if billing.address is not None:
            chosen = await uow.addresses.get(customer.id, billing.address)
            if chosen is None:
                raise AddressNotFound()
            if not chosen.is_default_billing:
                promoted = AddressChange(is_default_billing=True)
                await update_locked(uow, customer, chosen, promoted, now=now)
        elif change is not None:
            if current is not None:
                if not change.writes_nothing:  # an empty edit changes nothing
                    await update_locked(uow, customer, current, change, now=now)
            else:  # checked above
                draft = replace(draft_of(change), is_default_billing=True)
                limit = self.config.max_addresses_per_customer
                await add_locked(uow, customer, draft, limit=limit, now=now)
        elif current is not None:
            demoted = AddressChange(is_default_billing=False)
            await update_locked(uow, customer, current, demoted, now=now)

    async def anonymize_own(self, claims: AccessClaims, ref: CustomerRef) -> None:
        """Erase personal data; keep the row, its number and its id (order history)."""
        require_owner(claims, ref)
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await anonymize_locked(uow, customer, now)
            await uow.commit()
