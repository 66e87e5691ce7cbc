"""A customer's new login email: asked for with the password, confirmed from the new
mailbox.

The email is the login in every dialect, so it changes only when the new mailbox proves
it is the customer's. The key mailed there carries the new address (and whether the
contact email follows it) beside its random part; only the hash of the whole key is
stored, so neither can be altered without voiding the key, and no column has to hold
them. The old address gets a notice when the change is asked for, so an intruder's change
is noticed (and no second one when it is confirmed). Asking answers alike whether the new
address is taken or not; a taken one is refused when the key is used (`EmailTaken`, the
key stays unspent).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from patron.core.customers.new_email import EmailEdit
from patron.core.customers.profiles import update_locked
from patron.core.domain.config import CoreConfig
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.email_addresses import clean_email
from patron.core.domain.errors.invalid_input import ConfirmationInvalid
from patron.core.domain.model import AccessClaims, Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import load_bearer, lock_bearer
from patron.core.identity.password_changes import (
    check_current_password,
    replace_mailed_key,
    spend_mailed_key,
)
from patron.core.outbox.mails import email_change_mail, email_change_notice
from patron.core.ports.customers import CustomerReads
from patron.core.ports.security import LoginThrottle, PasswordHasher, TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

CHANGE_EMAIL = "change_email"
MAX_KEY_LENGTH = 512
SYNC_CONTACT = "s"
KEEP_CONTACT = "k"
"""The key's last part: the contact email follows the new login, or stays."""


@dataclass(frozen=True, slots=True)
class EmailChanges:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    hasher: PasswordHasher
    codec: TokenCodec
    throttle: LoginThrottle
    clock: Clock
    config: CoreConfig

    async def request(
        self,
        tenant: Tenant,
        claims: AccessClaims,
        password: str,
        new_email: str,
        *,
        sync_contact: bool = True,
    ) -> None:
        """Mail a single-use key to `new_email` (a newer request spends the older keys)
        and a notice to the current address. The password is checked and throttled as
        for a password change (`WrongPassword`, `LoginBlocked`); a malformed address is
        `EmailInvalid`. `sync_contact` (Emporix' `syncContactEmail`): the contact email
        becomes the new login too; else it stays the address it is now."""
        bearer = await load_bearer(self.customer_reads, claims)
        new = clean_email(new_email)
        await check_current_password(
            self.throttle, self.hasher, self.customer_reads, bearer, password
        )
        random_part, _ = self.codec.new_opaque()
        flag = SYNC_CONTACT if sync_contact else KEEP_CONTACT
        key = f"{random_part}.{_encoded(new)}.{flag}"
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await replace_mailed_key(
                uow,
                customer.id,
                CHANGE_EMAIL,
                self.codec.hash_opaque(key),
                ttl_seconds=self.config.confirmation_token_ttl_seconds,
                now=now,
            )
            link = self.config.email_change_url(tenant, key, email=new)
            await uow.outbox.enqueue(tenant.id, email_change_mail(customer, new, link))
            if customer.email is not None:
                await uow.outbox.enqueue(tenant.id, email_change_notice(customer, customer.email))
            await uow.commit()

    async def confirm(self, tenant: Tenant, key: str) -> Customer:
        """Spend the key and make its address the customer's login email (confirmed: the
        key was read in that mailbox), the contact email following it or staying as the
        key says. Sessions go on: the password did not change. Every other outstanding
        key is spent too (`update_locked`): a reset key in the old mailbox must not give
        the account back to whoever still reads it. The old address had its notice when
        the change was asked for."""
        found = _contents(key)
        if found is None:
            raise ConfirmationInvalid()
        new, sync_contact = found
        now = self.clock()
        async with self.uow() as uow:
            customer = await spend_mailed_key(uow, self.codec, tenant, CHANGE_EMAIL, key, now)
            if customer is None:
                raise ConfirmationInvalid()  # rolled back: a key of another tenant stays unused
            contact = None if sync_contact else customer.shown_contact_email
            changes = CustomerChanges(email=new, contact_email=contact)
            updated = await update_locked(
                uow, customer, changes, edit=EmailEdit.CONFIRMED, now=now, notify=False
            )
            await uow.commit()
        return updated


def _encoded(email: str) -> str:
    return base64.urlsafe_b64encode(email.encode()).rstrip(b"=").decode()


def _contents(key: str) -> tuple[str, bool] | None:
    """The address a key carries and whether the contact email follows it (keys mailed
    before the flag existed: it does); None for anything that is no key of ours."""
    if len(key) > MAX_KEY_LENGTH:
        return None
    _, separator, rest = key.partition(".")
    encoded, _, flag = rest.partition(".")
    if not separator or not encoded or flag not in ("", SYNC_CONTACT, KEEP_CONTACT):
        return None
    try:
        address = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return address, flag != KEEP_CONTACT
