"""The notice every change of a customer's login email or password mails to the address
the account answered to before it, whichever dialect, back-office route or reset made it:
an intruder's change is noticed by the owner, as Spryker and Emporix notice their own
flows. Written to the outbox in the transaction of the change, so there is no change
without its notice and no notice without its change."""

from __future__ import annotations

from datetime import datetime

from patron.core.domain.model import Customer
from patron.core.outbox.mails import login_change_notice
from patron.core.ports.unit_of_work import UnitOfWork


async def mail_login_notice(
    uow: UnitOfWork, before: Customer, *, email: bool, password: bool, now: datetime
) -> None:
    """Notify `before.email` (the login as it was) that its login email and/or password
    changed. A guest has no login, and an erased customer no address, to notify."""
    if not (email or password) or before.email is None:
        return
    if not before.has_account or before.is_anonymized:
        return
    mail = login_change_notice(before, before.email, email=email, password=password, when=now)
    await uow.outbox.enqueue(before.tenant_id, mail)
