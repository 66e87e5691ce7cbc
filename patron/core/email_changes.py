"""A customer's new email: asked for with the password, confirmed from the new mailbox.

The email is the login in every dialect, so it changes only when the new mailbox proves
it is the customer's. The key mailed there carries the new address beside its random
part; only the hash of the whole key is stored, so the address cannot be altered without
voiding the key, and no column has to hold it. The old address gets a notice, so an
intruder's change is noticed. Asking answers alike whether the new address is taken or
not; a taken one is refused when the key is used (`EmailTaken`, the key stays unspent).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from patron.core.access import load_bearer, lock_bearer
from patron.core.config import CoreConfig
from patron.core.email_addresses import clean_email
from patron.core.errors import ConfirmationInvalid
from patron.core.mails import email_change_mail, email_change_notice
from patron.core.model import AccessClaims, Customer, Tenant
from patron.core.password_changes import (
    check_current_password,
    replace_mailed_key,
    spend_mailed_key,
)
from patron.core.ports import Clock, CustomerReads, UnitOfWorkFactory
from patron.core.security_ports import LoginThrottle, PasswordHasher, TokenCodec

CHANGE_EMAIL = "change_email"
MAX_KEY_LENGTH = 512


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
        self, tenant: Tenant, claims: AccessClaims, password: str, new_email: str
    ) -> None:
        """Mail a single-use key to `new_email` (a newer request spends the older keys)
        and a notice to the current address. The password is checked and throttled as
        for a password change (`WrongPassword`, `LoginBlocked`); a malformed address is
        `EmailInvalid`."""
        bearer = await load_bearer(self.customer_reads, claims)
        new = clean_email(new_email)
        await check_current_password(
            self.throttle, self.hasher, self.customer_reads, bearer, password
        )
        random_part, _ = self.codec.new_opaque()
        key = f"{random_part}.{_encoded(new)}"
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
        """Spend the key and make its address the customer's email (confirmed: the key
        was read in that mailbox). Sessions go on: the password did not change. Every
        other outstanding key is spent too: a reset key in the old mailbox must not give
        the account back to whoever still reads it."""
        new = _address_in(key)
        if new is None:
            raise ConfirmationInvalid()
        now = self.clock()
        async with self.uow() as uow:
            customer = await spend_mailed_key(uow, self.codec, tenant, CHANGE_EMAIL, key, now)
            if customer is None:
                raise ConfirmationInvalid()  # rolled back: a key of another tenant stays unused
            updated = await uow.customers.update(
                customer.id, {"email": new, "email_verified_at": now}, now=now
            )
            await uow.tokens.discard_one_time_for(customer.id)  # the old mailbox's keys too
            await uow.commit()
        return updated


def _encoded(email: str) -> str:
    return base64.urlsafe_b64encode(email.encode()).rstrip(b"=").decode()


def _address_in(key: str) -> str | None:
    """The address a key carries; None for anything that is no key of ours."""
    if len(key) > MAX_KEY_LENGTH:
        return None
    _, separator, encoded = key.partition(".")
    if not separator or not encoded:
        return None
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
