"""Customer accounts: register, confirm, read, edit, anonymize.

Every dialect reaches these use cases; none of them knows HTTP.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from ulid import ULID

from patron.core.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.addresses import add_locked, checked_change, checked_draft, update_locked
from patron.core.auth import address_key, throttle_keys
from patron.core.commands import (
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
from patron.core.config import CoreConfig
from patron.core.deferred import AfterAnswer
from patron.core.email_addresses import MAX_EMAIL_LENGTH, clean_email, lookup_key
from patron.core.errors import (
    AddressNotFound,
    CodeTaken,
    ConfirmationInvalid,
    CustomerNumberTaken,
    EmailTaken,
    FieldProblem,
    FieldRule,
    FieldsInvalid,
    GuestExists,
    LoginBlocked,
    SignupLimitReached,
    VersionConflict,
)
from patron.core.login_notices import mail_login_notice
from patron.core.mails import account_mail as new_account_mail
from patron.core.mails import confirmation_mail
from patron.core.model import AccessClaims, Customer, Tenant
from patron.core.numbering import render_customer_number
from patron.core.password_changes import mail_budgeted_account, set_password_locked
from patron.core.passwords import POLICIES
from patron.core.ports import (
    Anonymization,
    Clock,
    CustomerReads,
    NewCustomer,
    UnitOfWork,
    UnitOfWorkFactory,
)
from patron.core.profiles import (
    checked_profile,
    email_moves,
    stored_code,
    write_profile_locked,
)
from patron.core.restrictions import new_restriction
from patron.core.security_ports import LoginThrottle, PasswordHasher, Quota, TokenCodec
from patron.core.text import (
    CUSTOMER_TEXT,
    check_text,
    coordinates_of,
)

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
        billing_fields = (
            checked_change(AddressChange(**billing.fields))
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
                await self._choose_billing(uow, customer, billing, billing_fields, now)
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
        fields: dict[str, Any] | None,
        now: datetime,
    ) -> None:
        current = await uow.addresses.default_billing(customer.id)
        if billing.address is not None:
            chosen = await uow.addresses.get(customer.id, billing.address)
            if chosen is None:
                raise AddressNotFound()
            if not chosen.is_default_billing:
                await update_locked(uow, customer, chosen, {"is_default_billing": True}, now=now)
        elif fields is not None:
            if current is not None:
                if fields:  # an empty edit changes nothing
                    await update_locked(uow, customer, current, fields, now=now)
            else:
                draft = AddressDraft(**fields, is_default_billing=True)  # checked above
                limit = self.config.max_addresses_per_customer
                await add_locked(uow, customer, draft, limit=limit, now=now)
        elif current is not None:
            await update_locked(uow, customer, current, {"is_default_billing": False}, now=now)

    async def anonymize_own(self, claims: AccessClaims, ref: CustomerRef) -> None:
        """Erase personal data; keep the row, its number and its id (order history)."""
        require_owner(claims, ref)
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await anonymize_locked(uow, customer, now)
            await uow.commit()


@dataclass(frozen=True, slots=True)
class PreparedRegistration:
    """A registration that passed every check, its emails cleaned and password hashed."""

    registration: Registration
    email: str
    password_hash: str | None
    account: bool = False
    """An account even without a password (the back office's customers set theirs by a
    reset); else only a password makes one, and without it the customer is a guest."""
    vouched: bool = False
    """The address needs no confirmation: a back-office caller who chose the password
    vouches for it, or the shop an import comes from proved it."""
    initial_password: bool = False
    """The password is one a back-office caller chose (Emporix' `initialPassword`)."""

    @property
    def has_account(self) -> bool:
        """A hash is a login (of the password given, or imported with the customer), and
        the back office may make an account that sets its password later."""
        return self.account or self.password_hash is not None


async def prepare_registration(
    tenant: Tenant,
    registration: Registration,
    hasher: PasswordHasher,
    *,
    account: bool = False,
    by_staff: bool = False,
) -> PreparedRegistration:
    """Cheap checks first (text, emails, restriction, the tenant's password policy), then
    the hash, before any transaction is opened. `by_staff`: a back-office caller creates
    the customer; a password it gives is an initial one, and vouches for the address, so
    the customer logs in at once even where the tenant wants confirmation (a reset link
    instead still confirms the address when it is used)."""
    check_text(registration.text_fields() | coordinates_of(registration), CUSTOMER_TEXT)
    email = clean_email(registration.email)
    contact = registration.contact_email
    if contact is not None:
        contact = clean_email(contact)
        if lookup_key(contact) == lookup_key(email):
            contact = None  # the login is the contact email
    registration = replace(
        registration,
        code=stored_code(registration.code, email),
        restriction=new_restriction(tenant.settings, registration.restriction, registration.site),
        contact_email=contact,
    )
    password_hash = None
    if registration.password is not None:
        POLICIES[tenant.settings.password_policy].check(registration.password)
        password_hash = await hasher.hash(registration.password)
    chosen = by_staff and password_hash is not None
    return PreparedRegistration(
        registration, email, password_hash, account, vouched=chosen, initial_password=chosen
    )


MAX_NUMBER_SKIPS = 1000
"""Generated numbers a caller's own numbers may hold before a sign-up gives up."""


async def add_customer(
    uow: UnitOfWork,
    tenant: Tenant,
    prepared: PreparedRegistration,
    now: datetime,
    *,
    customer_number: str | None = None,
) -> Customer:
    """Insert a customer: a registered account when a password was given, else a guest.
    Medusa's rule (reference 2.8), kept by two unique indexes rather than by looking
    first, so racing requests cannot break it: one registered account per email
    (`EmailTaken`) and one guest per email (`GuestExists`); a guest and an account may
    share an email, and neither replaces the other.

    `customer_number`: the caller's own customer number (`CustomerNumberTaken` if a
    customer has it; an anonymized one gives it up only where the tenant lets deleted
    customers' numbers be reused); None draws the tenant's next one, skipping numbers
    callers took.
    """
    registration = prepared.registration
    if customer_number is not None:
        await _claim_number(uow, tenant, customer_number)
    else:
        customer_number = await _free_generated_number(uow, tenant)
    return await uow.customers.add(
        NewCustomer(
            tenant_id=tenant.id,
            uuid=ULID().to_uuid(),
            customer_number=customer_number,
            email=prepared.email,
            password_hash=prepared.password_hash,
            registration=registration,
            is_active=tenant.settings.active_on_creation,
            on_hold=tenant.settings.on_hold_on_creation,
            terms_accepted_at=now if registration.accepted_terms else None,
            now=now,
            has_account=prepared.has_account,
            email_verified_at=now if prepared.vouched else None,
            password_set_by_staff=prepared.initial_password,
        )
    )


CHOSEN_NUMBER = re.compile(r"[A-Za-z0-9_-]{1,66}")
"""A customer number a caller chooses (Emporix' custom id): it sits in paths, so plain
characters only; `~` stays free for freed numbers (`free_number`)."""


def check_chosen_number(number: str) -> None:
    if not CHOSEN_NUMBER.fullmatch(number):
        raise FieldsInvalid([FieldProblem("customer_number", FieldRule.INVALID)])


async def _claim_number(uow: UnitOfWork, tenant: Tenant, number: str) -> None:
    check_chosen_number(number)
    holder = await uow.customers.by_number(tenant.id, number, for_update=True)
    if holder is None:
        return
    if not (holder.is_anonymized and tenant.settings.recreate_deleted_customers):
        raise CustomerNumberTaken()
    await uow.customers.free_number(holder.id)


async def _free_generated_number(uow: UnitOfWork, tenant: Tenant) -> str:
    """The next number of the tenant's pattern that no caller chose for a customer (the
    tenant's counter row stays locked to commit, so generated numbers never race)."""
    for _ in range(MAX_NUMBER_SKIPS):
        number = render_customer_number(tenant.settings, await uow.customers.next_number(tenant.id))
        if await uow.customers.by_number(tenant.id, number) is None:
            return number
    raise CustomerNumberTaken()


async def anonymize_locked(uow: UnitOfWork, customer: Customer, now: datetime) -> None:
    """Erase a customer whose row the caller has locked: personal data, sessions, keys,
    its mails' text and its subscriptions; the row, number and id stay (order history)."""
    await uow.customers.anonymize(
        customer.id, Anonymization(replacement_email=_random_email(), now=now)
    )
    await uow.tokens.revoke_all_for(customer.id, now)
    await uow.tokens.discard_one_time_for(customer.id)
    await uow.outbox.redact_for(customer.id, customer.email)
    await uow.availability.remove_for_customer(customer.id, customer.email)


def exists_keys(tenant: Tenant, client_ip: str | None) -> list[str]:
    """The login throttle's client-address key (an IPv6 /64 counts as one address) in
    the `exists:` namespace; without an address, one key for the tenant's anonymous
    callers."""
    keys = [
        f"exists:{key}" for key in throttle_keys(tenant, "", client_ip) if key.startswith("ip:")
    ]
    return keys or [f"exists:tenant:{tenant.id}"]


def signup_key(tenant: Tenant, client_ip: str | None) -> str:
    """The sign-up quota's key: the client's address (an IPv6 /64 as one) within the
    tenant; without an address, one key for all the tenant's anonymous sign-ups."""
    if client_ip:
        return address_key(client_ip, namespace=f"signup:{tenant.id}:")
    return f"signup:{tenant.id}:anonymous"


def _random_email() -> str:
    """Unique, unroutable and unrelated to the old address (Spryker: md5@md5.md5)."""
    return f"{secrets.token_hex(16)}@{secrets.token_hex(16)}.invalid"
