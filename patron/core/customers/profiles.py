"""A customer's profile as its owner or the back office edits it: the fields checked
before any transaction, the rules a change implies (a new login name is unverified, a
login name that is an email is the customer's own, a contact email equal to the login is
none apart from it), the write under the row lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from patron.core.domain.commands import MetadataPatch, ProfileChange
from patron.core.domain.email_addresses import clean_email, lookup_key
from patron.core.domain.errors.conflict import CodeTaken
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.model import Customer
from patron.core.domain.text import CUSTOMER_TEXT, patch_problems, patched_metadata, problems_in
from patron.core.outbox.login_notices import mail_login_notice
from patron.core.ports.unit_of_work import UnitOfWork


async def write_profile_locked(
    uow: UnitOfWork,
    customer: Customer,
    fields: dict[str, Any],
    patch: MetadataPatch | None,
    *,
    now: datetime,
    notify: bool = True,
) -> Customer:
    """Write a checked profile change to a customer whose row the caller has locked, the
    metadata patch merged into what the row holds; the same customer when nothing changes.
    `notify` as `update_locked`'s."""
    if patch is not None:
        merged = patched_metadata(customer.metadata, patch)
        if merged != customer.metadata:
            fields = {**fields, "metadata": merged}
    if not fields:
        return customer
    return await update_locked(uow, customer, fields, now=now, notify=notify)


async def update_locked(
    uow: UnitOfWork,
    customer: Customer,
    fields: dict[str, Any],
    *,
    now: datetime,
    notify: bool = True,
) -> Customer:
    """Write profile fields to a customer whose row the caller has locked, with what they
    imply (`with_login_rules`). A new login email spends every key mailed to the old one
    (a reset key still in the old mailbox would take the account back, whichever dialect
    changed it) and mails the old address a notice (`mail_login_notice`), unless the
    caller's flow has mailed it one already (`notify=False`)."""
    fields = with_login_rules(customer, fields)
    if email_moves(customer, fields):
        await uow.tokens.discard_one_time_for(customer.id)
        if notify:
            await mail_login_notice(uow, customer, email=True, password=False, now=now)
    return await uow.customers.update(customer.id, fields, now=now)


def email_moves(customer: Customer, fields: dict[str, Any]) -> bool:
    """Whether `fields` give the customer another login email (a new letter case is none)."""
    new_email = fields.get("email")
    return new_email is not None and (
        customer.email is None or lookup_key(new_email) != lookup_key(customer.email)
    )


def with_login_rules(customer: Customer, fields: dict[str, Any]) -> dict[str, Any]:
    """Profile fields to write, with what they imply: a login name (`code`) is stored as
    `stored_code` says, and a new one is not verified, as Aimeos resets its `dateverified`
    when the code changes; a contact email that is (or becomes) the login is stored as
    none apart from it, so the contact email follows the login from then on."""
    fields = _with_contact_rule(customer, fields)
    if "code" not in fields:
        return fields
    code = stored_code(fields["code"], fields.get("email", customer.email))
    if code == customer.code:
        return {**fields, "code": code}
    return {**fields, "code": code, "email_verified_at": None}


def _with_contact_rule(customer: Customer, fields: dict[str, Any]) -> dict[str, Any]:
    email = fields.get("email", customer.email)
    contact = fields.get("contact_email", customer.contact_email)
    if contact is None or email is None or lookup_key(contact) != lookup_key(email):
        return fields
    return {**fields, "contact_email": None}


def contact_email_change(customer: Customer, contact: str, *, moves_login: bool) -> dict[str, Any]:
    """The fields that make `contact` (a cleaned address) the customer's contact email.
    A customer whose contact email is its login and `moves_login` (the back office's
    Emporix `contactEmail`, which moved the login before there was a contact email apart)
    gets `contact` as its login; otherwise only the contact email changes, and one equal
    to the login is none apart from it."""
    if customer.contact_email is None and moves_login:
        return {"email": contact}
    if customer.email is not None and lookup_key(contact) == lookup_key(customer.email):
        return {"contact_email": None}
    return {"contact_email": contact}


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


def checked_profile(change: ProfileChange) -> tuple[dict[str, Any], MetadataPatch | None]:
    """The fields a profile change writes, checked and the email cleaned, with the
    metadata patch kept apart: it can only be applied to the locked row."""
    fields = change.changed_fields()
    patch = fields.pop("metadata") if isinstance(fields.get("metadata"), MetadataPatch) else None
    problems = problems_in(fields, CUSTOMER_TEXT)
    if patch is not None:
        problems += patch_problems(patch)
    if problems:
        raise FieldsInvalid(problems)
    if "email" in fields:
        fields["email"] = clean_email(fields["email"])
    if fields.get("contact_email") is not None:
        fields["contact_email"] = clean_email(fields["contact_email"])
    return fields, patch
