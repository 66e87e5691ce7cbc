"""A customer's profile as its owner or the back office edits it: the fields checked
before any transaction, the rules a change implies (a new login name is unverified, a
login name that is an email is the customer's own, a contact email equal to the login is
none apart from it), the write under the row lock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from patron.core.customers.new_email import EmailEdit, email_written, spend_for_new_email
from patron.core.domain.commands import UNSET, MetadataPatch, ProfileChange, Unset
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.email_addresses import clean_email, lookup_key
from patron.core.domain.errors.conflict import CodeTaken
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.model import Customer
from patron.core.domain.text import CUSTOMER_TEXT, patch_problems, patched_metadata, problems_in
from patron.core.ports.unit_of_work import UnitOfWork


async def write_profile_locked(
    uow: UnitOfWork,
    customer: Customer,
    changes: CustomerChanges,
    patch: MetadataPatch | None,
    *,
    now: datetime,
    notify: bool = True,
) -> Customer:
    """Write a checked profile change of the customer's own to a customer whose row the
    caller has locked, the metadata patch merged into what the row holds; the same
    customer when nothing changes. `notify` as `update_locked`'s."""
    if patch is not None:
        merged = patched_metadata(customer.metadata, patch)
        if merged != customer.metadata:
            changes = replace(changes, metadata=merged)
    if changes.is_empty:
        return customer
    return await update_locked(
        uow, customer, changes, edit=EmailEdit.OWN_PROFILE, now=now, notify=notify
    )


async def update_locked(
    uow: UnitOfWork,
    customer: Customer,
    changes: CustomerChanges,
    *,
    edit: EmailEdit,
    now: datetime,
    notify: bool = True,
) -> Customer:
    """Write profile fields to a customer whose row the caller has locked, with what they
    imply: a new email as `edit` decides it (`new_email`), spending what it spends, and
    the login rules (`with_login_rules`). `notify`: as `spend_for_new_email`'s."""
    changes = with_login_rules(customer, email_written(customer, changes, edit, now))
    await spend_for_new_email(uow, customer, changes, notify=notify, now=now)
    return await uow.customers.update(customer.id, changes, now=now)


def with_login_rules(customer: Customer, changes: CustomerChanges) -> CustomerChanges:
    """Profile fields to write, with what they imply: a login name (`code`) is stored as
    `stored_code` says, and a new one is not verified, as Aimeos resets its `dateverified`
    when the code changes; a contact email that is (or becomes) the login is stored as
    none apart from it, so the contact email follows the login from then on."""
    changes = _with_contact_rule(customer, changes)
    if changes.code is UNSET:
        return changes
    email = customer.email if changes.email is UNSET else changes.email
    code = stored_code(changes.code, email)
    if code == customer.code:
        return replace(changes, code=code)
    return replace(changes, code=code, email_verified_at=None)


def _with_contact_rule(customer: Customer, changes: CustomerChanges) -> CustomerChanges:
    email = customer.email if changes.email is UNSET else changes.email
    contact = customer.contact_email if changes.contact_email is UNSET else changes.contact_email
    if contact is None or email is None or lookup_key(contact) != lookup_key(email):
        return changes
    return replace(changes, contact_email=None)


def with_contact_email(
    customer: Customer, changes: CustomerChanges, contact: str, *, moves_login: bool
) -> CustomerChanges:
    """`changes` that also make `contact` (a cleaned address) the customer's contact email.
    A customer whose contact email is its login and `moves_login` (the back office's
    Emporix `contactEmail`, which moved the login before there was a contact email apart)
    gets `contact` as its login; otherwise only the contact email changes, and one equal
    to the login is none apart from it."""
    if customer.contact_email is None and moves_login:
        return replace(changes, email=contact)
    if customer.email is not None and lookup_key(contact) == lookup_key(customer.email):
        return replace(changes, contact_email=None)
    return replace(changes, contact_email=contact)


def stored_code(code: str | None, email: str | None) -> str | None:
    """The login name to store: none for one that is the customer's own email (the email
    stands for it, and keeps doing so when it changes, as Aimeos' `getCode()` falls back to
    it); `CodeTaken` for one that is any other email address.

    A customer without a code is known by its email, so a code naming another's email would
    make two customers answer to one name, and the unique index sees only stored codes.
    Checked without a query, so no race can pass it: `@` makes it an email.
    """
    if code is None or "@" not in code:
        return code
    if code.lower() != (email or "").lower():
        raise CodeTaken()
    return None


def checked_profile(change: ProfileChange) -> tuple[CustomerChanges, MetadataPatch | None]:
    """The fields a profile change writes, checked and the emails cleaned, with the
    metadata patch kept apart: it can only be applied to the locked row."""
    fields = change.changed_fields()
    patch = fields.pop("metadata") if isinstance(fields.get("metadata"), MetadataPatch) else None
    problems = problems_in(fields, CUSTOMER_TEXT)
    if patch is not None:
        problems += patch_problems(patch)
    if problems:
        raise FieldsInvalid(problems)
    changes = CustomerChanges.of_profile(change)
    if not isinstance(change.email, Unset):
        changes = replace(changes, email=clean_email(change.email))
    if isinstance(change.contact_email, str):
        changes = replace(changes, contact_email=clean_email(change.contact_email))
    return changes, patch
