"""A customer's profile as its owner or the back office edits it: the fields checked
before any transaction, the rules a change implies (a new login name is unverified, a
login name that is an email is the customer's own), the write under the row lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from patron.core.commands import MetadataPatch, ProfileChange
from patron.core.email_addresses import clean_email, lookup_key
from patron.core.errors import CodeTaken, FieldsInvalid
from patron.core.model import Customer
from patron.core.ports import UnitOfWork
from patron.core.text import CUSTOMER_TEXT, patch_problems, patched_metadata, problems_in


async def write_profile_locked(
    uow: UnitOfWork,
    customer: Customer,
    fields: dict[str, Any],
    patch: MetadataPatch | None,
    *,
    now: datetime,
) -> Customer:
    """Write a checked profile change to a customer whose row the caller has locked, the
    metadata patch merged into what the row holds; the same customer when nothing changes."""
    if patch is not None:
        merged = patched_metadata(customer.metadata, patch)
        if merged != customer.metadata:
            fields = {**fields, "metadata": merged}
    if not fields:
        return customer
    return await update_locked(uow, customer, fields, now=now)


async def update_locked(
    uow: UnitOfWork, customer: Customer, fields: dict[str, Any], *, now: datetime
) -> Customer:
    """Write profile fields to a customer whose row the caller has locked, with what they
    imply (`with_login_rules`). A new email spends every key mailed to the old one: a reset
    key still in the old mailbox would take the account back, whichever dialect changed it."""
    fields = with_login_rules(customer, fields)
    new_email = fields.get("email")
    if new_email is not None and (
        customer.email is None or lookup_key(new_email) != lookup_key(customer.email)
    ):
        await uow.tokens.discard_one_time_for(customer.id)
    return await uow.customers.update(customer.id, fields, now=now)


def with_login_rules(customer: Customer, fields: dict[str, Any]) -> dict[str, Any]:
    """Profile fields to write, with what they imply: a login name (`code`) is stored as
    `stored_code` says, and a new one is not verified, as Aimeos resets its `dateverified`
    when the code changes."""
    if "code" not in fields:
        return fields
    code = stored_code(fields["code"], fields.get("email", customer.email))
    if code == customer.code:
        return {**fields, "code": code}
    return {**fields, "code": code, "email_verified_at": None}


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
    return fields, patch
