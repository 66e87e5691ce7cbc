"""A customer deletes their own account in two steps: asking mails a single-use key to
the account's address, and the key (with the customer's own token) erases the account,
anonymized as every dialect anonymizes (`accounts.anonymize_locked`). A stolen access
token alone cannot delete an account: the mailbox has to agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.customers.registration import anonymize_locked
from patron.core.domain.config import CoreConfig
from patron.core.domain.errors.invalid_input import ConfirmationInvalid
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import lock_bearer
from patron.core.identity.password_changes import replace_mailed_key
from patron.core.outbox.mails import deletion_mail
from patron.core.ports.security import TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

DELETE_ACCOUNT = "delete_account"


@dataclass(frozen=True, slots=True)
class AccountDeletions:
    uow: UnitOfWorkFactory
    codec: TokenCodec
    clock: Clock
    config: CoreConfig

    async def request(self, tenant: Tenant, claims: AccessClaims) -> None:
        """Mail the bearer a deletion key (as short-lived as a reset key; a newer request
        spends the older ones)."""
        now = self.clock()
        key, key_hash = self.codec.new_opaque()
        ttl = self.config.password_reset_ttl_seconds
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            if customer.email is None:  # cannot happen for an account that logs in
                raise ConfirmationInvalid()
            await replace_mailed_key(
                uow, customer.id, DELETE_ACCOUNT, key_hash, ttl_seconds=ttl, now=now
            )
            link = self.config.deletion_url(tenant, key, email=customer.email)
            mail = deletion_mail(customer, customer.email, link, ttl // 60)
            await uow.outbox.enqueue(tenant.id, mail)
            await uow.commit()

    async def confirm(self, claims: AccessClaims, key: str) -> None:
        """Spend the bearer's own key and anonymize the account (every session ends). A
        key of another customer, spent or expired, is `ConfirmationInvalid` and stays as
        it was."""
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            owner = await uow.tokens.consume_one_time(
                purpose=DELETE_ACCOUNT, token_hash=self.codec.hash_opaque(key), now=now
            )
            if owner != customer.id:
                raise ConfirmationInvalid()  # rolled back: another's key stays unspent
            await anonymize_locked(uow, customer, now)
            await uow.commit()
