"""Adding a customer, whoever registers them (the customer, staff, an import): the
prepared registration, customer numbers, and the keys that bound sign-ups."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from ulid import ULID

from patron.core.customers.new_email import verified_on_arrival
from patron.core.customers.profiles import stored_code
from patron.core.domain.commands import Registration
from patron.core.domain.email_addresses import clean_email, lookup_key
from patron.core.domain.errors.conflict import CustomerNumberTaken
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid
from patron.core.domain.model import Customer
from patron.core.domain.numbering import render_customer_number
from patron.core.domain.restrictions import new_restriction
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import CUSTOMER_TEXT, check_text, coordinates_of
from patron.core.identity.login_protection import address_key, throttle_keys
from patron.core.identity.passwords import POLICIES
from patron.core.ports.customers import Anonymization, NewCustomer
from patron.core.ports.security import PasswordHasher
from patron.core.ports.unit_of_work import UnitOfWork


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
            email_verified_at=verified_on_arrival(prepared.vouched, now),
            password_set_by_staff=prepared.initial_password,
        )
    )


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


MAX_NUMBER_SKIPS = 1000
"""Generated numbers a caller's own numbers may hold before a sign-up gives up."""


CHOSEN_NUMBER = re.compile(r"[A-Za-z0-9_-]{1,66}")
"""A customer number a caller chooses (Emporix' custom id): it sits in paths, so plain
characters only; `~` stays free for freed numbers (`free_number`)."""
