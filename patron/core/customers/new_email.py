"""A new login email, decided once for every flow that gives one (the customer's own
profile edit, a confirmed email change, the back office's edits, imports and staff
sign-ups): whether the address is written at all, whether it is verified, and what it
spends. Before, four modules each wrote their own version of these lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import Enum

from patron.core.domain.commands import UNSET
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.email_addresses import lookup_key
from patron.core.domain.model import Customer
from patron.core.outbox.login_notices import mail_login_notice
from patron.core.ports.unit_of_work import UnitOfWork


class EmailEdit(Enum):
    """Who gives the customer the address, which decides its verification."""

    OWN_PROFILE = "own profile"
    """The customer's own profile edit (Glue, Medusa, Aimeos): written as given, a new
    letter case included; the verification stays as it was."""
    BACK_OFFICE = "back office"
    """Staff typed it (Emporix' back office): a new letter case is no change, and a new
    address is not verified."""
    STAFF_RECORD = "staff record"
    """Staff correct a record without a login (a guest's, Medusa's admin): a new letter
    case is no change; the verification stays as it was."""
    CONFIRMED = "confirmed"
    """The email-change key was read in that mailbox: verified now."""


def email_written(
    customer: Customer, changes: CustomerChanges, edit: EmailEdit, now: datetime
) -> CustomerChanges:
    """`changes` with what their email implies under `edit`. Idempotent, so a flow may
    decide early (to see whether anything is left to write) and `update_locked` again."""
    if changes.email is UNSET:
        return changes
    staff = edit in (EmailEdit.BACK_OFFICE, EmailEdit.STAFF_RECORD)
    if staff and not email_moves(customer, changes):  # a new letter case is no change
        return replace(changes, email=UNSET)
    if edit is EmailEdit.CONFIRMED:
        return replace(changes, email_verified_at=now)
    if edit is EmailEdit.BACK_OFFICE:
        return replace(changes, email_verified_at=None)
    return changes


def verified_on_arrival(vouched: bool, now: datetime) -> datetime | None:
    """A new customer's address is verified when it needs no confirmation: staff vouched
    for it, or an import's shop proved it; else it waits for the confirmation link."""
    return now if vouched else None


def email_moves(customer: Customer, changes: CustomerChanges) -> bool:
    """Whether `changes` give the customer another login email (a new letter case is none)."""
    return changes.email is not UNSET and (
        customer.email is None or lookup_key(changes.email) != lookup_key(customer.email)
    )


async def spend_for_new_email(
    uow: UnitOfWork, customer: Customer, changes: CustomerChanges, *, notify: bool, now: datetime
) -> None:
    """What another login email spends, whichever flow gave it: every key mailed to the
    old address (a reset key still in the old mailbox would take the account back), and
    a notice to the old address (`mail_login_notice`) unless the caller's flow mails it
    one already (`notify=False`)."""
    if not email_moves(customer, changes):
        return
    await uow.tokens.discard_one_time_for(customer.id)
    if notify:
        await mail_login_notice(uow, customer, email=True, password=False, now=now)
