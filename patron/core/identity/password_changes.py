"""Passwords after registration: change one you know, or reset one you forgot.

A change ends every other session; a reset ends all of them, since whoever asked for it may
be locking out an intruder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from uuid import UUID

from patron.core.domain.config import CoreConfig
from patron.core.domain.deferred import AfterAnswer
from patron.core.domain.email_addresses import MAX_EMAIL_LENGTH, lookup_key
from patron.core.domain.errors.conflict import PasswordChangeFailed
from patron.core.domain.errors.invalid_input import PasswordMismatch, ResetKeyInvalid, WrongPassword
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.model import AccessClaims, Customer
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.identity.passwords import POLICIES
from patron.core.outbox.login_notices import mail_login_notice
from patron.core.outbox.mails import password_reset_mail
from patron.core.ports.customers import CustomerReads
from patron.core.ports.security import LoginThrottle, PasswordHasher, TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory

RESET_PASSWORD = "reset_password"


@dataclass(frozen=True, slots=True)
class PasswordChange:
    current: str
    new: str
    confirmation: str | None = None
    """Checked against `new` where the dialect's client sends one."""


@dataclass(frozen=True, slots=True)
class PasswordChanges:
    uow: UnitOfWorkFactory
    customer_reads: CustomerReads
    hasher: PasswordHasher
    codec: TokenCodec
    throttle: LoginThrottle
    clock: Clock
    config: CoreConfig

    async def change_own(
        self, tenant: Tenant, claims: AccessClaims, ref: CustomerRef, change: PasswordChange
    ) -> None:
        """Checks run in Spryker's order: the bearer, ownership, confirmation, current
        password, then policy. Every refresh token but those of the bearer's session is revoked.

        Guesses of the current password count like failed logins, so a stolen access token
        cannot be turned into a password by trying; and the write happens only if nothing
        changed the account since the password was checked (a reset in between wins).
        """
        bearer = await load_bearer(self.customer_reads, claims)
        require_owner(claims, ref)
        if change.confirmation is not None and change.new != change.confirmation:
            raise PasswordMismatch()
        await check_current_password(
            self.throttle, self.hasher, self.customer_reads, bearer, change.current
        )
        POLICIES[tenant.settings.password_policy].check(change.new)
        password_hash = await self.hasher.hash(change.new)
        now = self.clock()
        async with self.uow() as uow:
            customer = await uow.customers.get(bearer.id, for_update=True)
            if customer is None or customer.version != bearer.version:
                raise PasswordChangeFailed()
            await set_password_locked(uow, customer, password_hash, claims=claims, now=now)
            await uow.commit()

    async def set_own(self, tenant: Tenant, claims: AccessClaims, new_password: str) -> None:
        """A new password without the current one (Medusa's `POST /store/customers/me`
        with `password`): the live session is the proof. The bearer's session stays; every
        other one ends, as with `change_own`.

        The policy and the hash run before the transaction; the row lock then re-checks
        that the session is still open, so a reset or logout meanwhile wins.
        """
        await load_bearer(self.customer_reads, claims)
        POLICIES[tenant.settings.password_policy].check(new_password)
        password_hash = await self.hasher.hash(new_password)
        now = self.clock()
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            await set_password_locked(uow, customer, password_hash, claims=claims, now=now)
            await uow.commit()

    def request_reset(self, tenant: Tenant, email: str) -> AfterAnswer:
        """Mail a single-use reset key to an account holder; silent for anybody else.

        The work runs after the dialect has answered (see `AfterAnswer`), so known and
        unknown addresses answer alike.
        """
        return AfterAnswer(partial(self._send_reset_key, tenant, email))

    async def _send_reset_key(self, tenant: Tenant, email: str) -> None:
        """The work of `request_reset`.

        Requesting a new key spends the older ones, so only the latest mail works; mails
        per address are budgeted (`mail_budgeted_account`).
        """
        customer_id = await mail_budgeted_account(
            self.throttle, self.customer_reads, tenant, email, "password-reset"
        )
        if customer_id is None:
            return
        now = self.clock()
        async with self.uow() as uow:
            # The lock orders concurrent requests: each spends the keys of the one before.
            customer = await uow.customers.get(customer_id, for_update=True)
            if customer is None or customer.is_anonymized or customer.email is None:
                return
            await mail_reset_key(uow, self.codec, self.config, tenant, customer, now)
            await uow.commit()

    async def restore(
        self,
        tenant: Tenant,
        key: str,
        password: str,
        confirmation: str | None = None,
        email: str | None = None,
    ) -> Customer:
        """Set a new password with a reset key. The key is spent, every session ends, and
        the email counts as confirmed: the key could only be read in that mailbox.

        With `email` (Medusa sends it beside the key), the key must be that customer's
        (any letter case), or it is refused and stays unspent. Returns the customer as
        the change left it.
        """
        if confirmation is not None and password != confirmation:
            raise PasswordMismatch()
        now = self.clock()
        async with self.uow() as uow:
            customer = await spend_mailed_key(uow, self.codec, tenant, RESET_PASSWORD, key, now)
            if customer is None:
                raise ResetKeyInvalid()  # rolled back: a key of another tenant stays unused
            if email is not None and (
                customer.email is None or lookup_key(customer.email) != lookup_key(email)
            ):
                raise ResetKeyInvalid()  # rolled back: the key stays for its own address
            POLICIES[tenant.settings.password_policy].check(password)
            password_hash = await self.hasher.hash(password)
            await store_password_locked(uow, customer, password_hash, now=now)
            if customer.email_verified_at is None:
                await uow.customers.mark_email_verified(customer.id, tenant.id, now)
            changed = await uow.customers.get(customer.id)
            if changed is None:  # cannot happen: this transaction holds the row's lock
                raise ResetKeyInvalid()
            await uow.commit()
        return changed


async def mail_budgeted_account(
    throttle: LoginThrottle, customer_reads: CustomerReads, tenant: Tenant, email: str, kind: str
) -> int | None:
    """The id of the account `email` names, if a mail of `kind` may go to it. Requests
    per address are counted like failed logins, whether an account exists or not: past
    the limit no more mail goes out, so nobody can flood a mailbox through this."""
    if len(email) > MAX_EMAIL_LENGTH:  # no account has it
        return None
    keys = [f"{kind}:{tenant.id}:{lookup_key(email)}"]
    if await throttle.retry_after(keys):
        return None
    await throttle.record_failure(keys)
    credentials = await customer_reads.credentials_by_email(
        tenant.id, email, confirmation_required=False
    )
    return None if credentials is None else credentials.customer.id


async def replace_mailed_key(
    uow: UnitOfWork,
    customer_id: int,
    purpose: str,
    token_hash: bytes,
    *,
    ttl_seconds: int,
    now: datetime,
) -> None:
    """Store a new single-use key of `purpose` as its hash; the older ones of that purpose
    are spent, so only the newest mail works."""
    await uow.tokens.discard_one_time_for(customer_id, purpose)
    await uow.tokens.add_one_time(
        customer_id=customer_id,
        purpose=purpose,
        token_hash=token_hash,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )


async def spend_mailed_key(
    uow: UnitOfWork, codec: TokenCodec, tenant: Tenant, purpose: str, key: str, now: datetime
) -> Customer | None:
    """Spend a mailed single-use key and return its customer, locked; None when the key
    is no live key of `purpose` or names no live customer of `tenant`. The caller then
    raises, so its rollback leaves a key of another tenant unspent."""
    customer_id = await uow.tokens.consume_one_time(
        purpose=purpose, token_hash=codec.hash_opaque(key), now=now
    )
    customer = await uow.customers.get(customer_id, for_update=True) if customer_id else None
    if customer is None or customer.tenant_id != tenant.id or customer.is_anonymized:
        return None
    return customer


async def check_current_password(
    throttle: LoginThrottle,
    hasher: PasswordHasher,
    customer_reads: CustomerReads,
    customer: Customer,
    password: str,
) -> None:
    """The password a logged-in customer confirms a sensitive change with (a new password,
    a new email). Guesses count like failed logins, in one budget for every such change,
    so a stolen access token cannot be turned into a password by trying."""
    keys = [f"password-change:{customer.id}"]
    attempt = await throttle.attempt(keys)
    if attempt.retry_after:
        raise LoginBlocked(attempt.retry_after)
    current_hash = await customer_reads.password_hash(customer.id)
    if current_hash is None or not await hasher.verify(current_hash, password):
        await throttle.failed(attempt)
        raise WrongPassword()
    await throttle.succeeded(attempt, clear=keys)


async def set_password_locked(
    uow: UnitOfWork,
    customer: Customer,
    password_hash: str,
    *,
    claims: AccessClaims,
    now: datetime,
    notify: bool = True,
) -> None:
    """The customer's own new password (a change, Medusa's or Aimeos' edit): the bearer's
    session stays, everything else `store_password_locked` says happens."""
    await store_password_locked(
        uow, customer, password_hash, now=now, keep_session=claims.session_id, notify=notify
    )


async def store_password_locked(
    uow: UnitOfWork,
    customer: Customer,
    password_hash: str,
    *,
    now: datetime,
    keep_session: UUID | None = None,
    by_staff: bool = False,
    notify: bool = True,
) -> None:
    """The one write of a new password, for a customer whose row the caller has locked,
    whoever sets it (the customer, a reset, the back office). Every session ends but
    `keep_session` (the bearer's own; None: all of them, every access token too), every
    outstanding mailed key is spent (a key asked for under the old password, such as an
    email change to an intruder's mailbox, must not outlive it), and the login email gets
    a notice (`mail_login_notice`; `notify=False` where the caller mails one notice for
    several changes). `by_staff`: a back-office caller chose it, an initial password
    (Emporix' `initialPassword`) until the customer sets their own."""
    await uow.customers.change_password(
        customer.id, password_hash, now=now, end_sessions=keep_session is None, by_staff=by_staff
    )
    await uow.tokens.revoke_all_for(customer.id, now, except_session=keep_session)
    await uow.tokens.discard_one_time_for(customer.id)
    if notify:
        await mail_login_notice(uow, customer, email=False, password=True, now=now)


async def mail_reset_key(
    uow: UnitOfWork,
    codec: TokenCodec,
    config: CoreConfig,
    tenant: Tenant,
    customer: Customer,
    now: datetime,
) -> None:
    """A new single-use reset key for a customer whose row the caller has locked (older
    keys are spent), mailed through the outbox in the caller's transaction."""
    if customer.email is None:
        return
    token, token_hash = codec.new_opaque()
    ttl = config.password_reset_ttl_seconds
    await replace_mailed_key(uow, customer.id, RESET_PASSWORD, token_hash, ttl_seconds=ttl, now=now)
    link = config.password_reset_url(tenant, token, email=customer.email)
    mail = password_reset_mail(customer, customer.email, link, ttl // 60)
    await uow.outbox.enqueue(tenant.id, mail)
