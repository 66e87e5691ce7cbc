"""Customers managed by number in the back office (Emporix' tenant-managed API): create
with the caller's own number, upsert, change under optimistic locking, delete.

Every use case checks tenant and scope first (`require_reach`). A narrowed caller (a
restriction, `_own`) acts only on customers its manage grants reach, and may not write a
customer out of that reach; one it cannot even see reads as not found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from patron.core.back_office.customers import CustomerAdministration
from patron.core.customers.new_email import EmailEdit, email_moves, email_written
from patron.core.customers.profiles import checked_profile, update_locked, with_contact_email
from patron.core.customers.registration import add_customer, anonymize_locked, prepare_registration
from patron.core.domain.commands import UNSET, MetadataPatch, ProfileChange, Registration, Unset
from patron.core.domain.config import CoreConfig
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.email_addresses import clean_email
from patron.core.domain.errors.conflict import CustomerNumberTaken, EmailTaken, VersionConflict
from patron.core.domain.errors.forbidden import OutOfReach
from patron.core.domain.errors.invalid_input import (
    EmailLocked,
    FieldProblem,
    FieldRule,
    FieldsInvalid,
)
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.model import AccessClaims, Address, Customer, CustomerGroup
from patron.core.domain.principals import EVERY_CUSTOMER, Principal, Reach, Scope, grants_of
from patron.core.domain.queries import CustomerQuery
from patron.core.domain.restrictions import new_restriction, with_site_rules
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import check_text, patch_problems, patched_metadata, problems_in
from patron.core.identity.access import lock_bearer, require_reach
from patron.core.identity.password_changes import mail_reset_key
from patron.core.ports.back_office import GroupReads
from patron.core.ports.customers import AddressReads
from patron.core.ports.security import PasswordHasher, TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagedCustomer:
    """A customer with what the back office shows beside it: its companies (groups) and,
    when asked for, its addresses."""

    customer: Customer
    companies: tuple[CustomerGroup, ...] = ()
    addresses: tuple[Address, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagedChange:
    """A change of a managed customer: only what is not `UNSET` is written.

    `profile.metadata` is not read: `metadata` replaces whole top-level keys, and
    `metadata_merge` is an RFC 7386 merge patch of the metadata (nested objects merge,
    null removes). Both apply under the row lock.
    `expected_version`: the version the caller read; another one stored is a
    `VersionConflict` (None: no check)."""

    profile: ProfileChange = field(default_factory=ProfileChange)
    contact_email: str | Unset = UNSET
    """The address to show as the contact email (Emporix' `contactEmail`): where the
    customer has none apart from its login, the back office's moves the login with it (as
    before contact emails were kept apart); else, and always for the customer's own
    change, only the contact email changes (`profiles.contact_email_change`)."""
    restriction: str | Unset | None = UNSET
    is_active: bool | Unset = UNSET
    on_hold: bool | Unset = UNSET
    metadata: MetadataPatch | None = None
    metadata_merge: dict[str, Any] | None = None
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewManagedCustomer:
    """A customer the back office creates: always an account (it sets its password by
    the reset mail, or logs in with `registration.password`, an initial one)."""

    registration: Registration
    number: str | None = None
    """The caller's own number; None: the tenant's pattern."""
    send_reset: bool = True
    """Mail a password-reset link (from the tenant's `password_reset_link`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Upserted:
    customer: Customer
    created: bool


@dataclass(frozen=True, slots=True)
class ManagedCustomers:
    uow: UnitOfWorkFactory
    admin: CustomerAdministration
    group_reads: GroupReads
    address_reads: AddressReads
    hasher: PasswordHasher
    codec: TokenCodec
    clock: Clock
    config: CoreConfig

    async def search(
        self, principal: Principal, tenant: Tenant, query: CustomerQuery, *, addresses: bool
    ) -> tuple[list[ManagedCustomer], int]:
        """A page of the customers the caller reaches (anonymized ones are gone), each
        with its companies and, if asked, addresses: one query each for the whole page."""
        query = replace(query, with_anonymized=False)
        found, total = await self.admin.search_with_groups(principal, tenant, query)
        customers = [customer for customer, _ in found]
        groups = {customer.id: groups for customer, groups in found}
        return await self.views(customers, addresses=addresses, groups=groups), total

    async def get(
        self, principal: Principal, tenant: Tenant, number: str, *, addresses: bool
    ) -> ManagedCustomer:
        customer = await self.admin.get_by_number(principal, tenant, number)
        (view,) = await self.views([customer], addresses=addresses)
        return view

    async def create(
        self, principal: Principal, tenant: Tenant, new: NewManagedCustomer
    ) -> Customer:
        """One transaction: the customer, its company (an `_own` caller's, which it joins),
        and the reset mail. Checks (text, restriction, password policy, reach) run first."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        registration = new.registration
        company = _joined_company(reach)
        joined = frozenset() if company is None else frozenset({company})
        restriction = new_restriction(tenant.settings, registration.restriction, registration.site)
        if not reach.admits_values(restriction, joined):
            raise OutOfReach()  # before the password is hashed
        prepared = await prepare_registration(
            tenant, registration, self.hasher, account=True, by_staff=True
        )
        now = self.clock()
        async with self.uow() as uow:
            customer = await add_customer(uow, tenant, prepared, now, customer_number=new.number)
            if company is not None:
                await uow.groups.add_members(company, [customer.id], now)
            if new.send_reset:
                await mail_reset_key(uow, self.codec, self.config, tenant, customer, now)
            await uow.commit()
        return customer

    async def update(
        self, principal: Principal, tenant: Tenant, number: str, change: ManagedChange
    ) -> Customer:
        """Under the customer's row lock: the version check, the reach before and after,
        the write. Nothing is written when nothing changes (the version stays)."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        changes = _checked(tenant, change)
        async with self.uow() as uow:
            customer, companies = await _locked(uow, principal, tenant, reach, number)
            updated = await self._write_locked(
                uow, reach, customer, companies, change, changes, moves_login=True
            )
            await uow.commit()
        return updated

    async def upsert(
        self,
        principal: Principal,
        tenant: Tenant,
        number: str,
        change: ManagedChange,
        new: NewManagedCustomer | None,
    ) -> Upserted:
        """`change` for the customer with `number`; `new` (with that number) when there is
        none (None: the request could not create one, it named no email). Two racing
        creations of one number: one creates it, the other then updates it.
        One beyond the caller's reach is `OutOfReach` even where it could not read it: the
        number is taken, and an upsert that answered "not found" would create it."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        changes = _checked(tenant, change)
        updated = await self._update_live(principal, tenant, reach, number, change, changes)
        if updated is not None:
            return Upserted(customer=updated, created=False)
        if new is None:
            raise FieldsInvalid([FieldProblem("email", FieldRule.INVALID)])
        try:
            created = await self.create(principal, tenant, new)
        except (CustomerNumberTaken, EmailTaken):
            # A racing creation of the number won: had this upsert come second it would
            # have replaced that customer (PUT is idempotent), so it does so now.
            updated = await self._update_live(principal, tenant, reach, number, change, changes)
            if updated is None:
                raise  # the number is an anonymized customer's, or the email another's
            return Upserted(customer=updated, created=False)
        return Upserted(customer=created, created=True)

    async def _update_live(
        self,
        principal: Principal,
        tenant: Tenant,
        reach: Reach,
        number: str,
        change: ManagedChange,
        changes: CustomerChanges,
    ) -> Customer | None:
        """The upsert's update of the live customer with `number`; None if there is none."""
        async with self.uow() as uow:
            existing = await uow.customers.by_number(tenant.id, number, for_update=True)
            if existing is None or existing.is_anonymized:
                return None
            try:
                companies = await _reached(uow, principal, reach, existing)
            except CustomerNotFound:  # it exists: not to be created, nor called missing
                raise OutOfReach() from None
            updated = await self._write_locked(
                uow, reach, existing, companies, change, changes, moves_login=True
            )
            await uow.commit()
        return updated

    async def update_own(
        self, tenant: Tenant, claims: AccessClaims, change: ManagedChange
    ) -> Customer:
        """The bearer's own profile (Emporix' `PATCH /me`), as `update` does it, without
        what only the back office sets (active, on hold, restriction). The login email is
        not changed here: a new one needs the password and a confirmation (`EmailLocked`);
        `contact_email` changes the contact email only."""
        change = replace(change, is_active=UNSET, on_hold=UNSET, restriction=UNSET)
        changes = _checked(tenant, change)
        async with self.uow() as uow:
            customer = await lock_bearer(uow, claims)
            if email_moves(customer, changes):
                raise EmailLocked()
            updated = await self._write_locked(
                uow, EVERY_CUSTOMER, customer, frozenset(), change, changes, moves_login=False
            )
            await uow.commit()
        return updated

    async def delete(self, principal: Principal, tenant: Tenant, number: str) -> None:
        """Anonymized as in every dialect; the number is not given again unless the tenant
        allows it (`add_customer`)."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_MANAGE)
        async with self.uow() as uow:
            customer, _ = await _locked(uow, principal, tenant, reach, number)
            await anonymize_locked(uow, customer, self.clock())
            await uow.commit()

    async def _write_locked(
        self,
        uow: UnitOfWork,
        reach: Reach,
        customer: Customer,
        companies: frozenset[int],
        change: ManagedChange,
        changes: CustomerChanges,
        *,
        moves_login: bool,
    ) -> Customer:
        if change.expected_version is not None and change.expected_version != customer.version:
            raise VersionConflict(customer.version)
        now = self.clock()
        if not isinstance(change.contact_email, Unset):
            contact = clean_email(change.contact_email)
            changes = with_contact_email(customer, changes, contact, moves_login=moves_login)
        changes = email_written(customer, changes, EmailEdit.BACK_OFFICE, now)
        metadata = customer.metadata
        if change.metadata is not None:
            metadata = patched_metadata(metadata, change.metadata)
        if change.metadata_merge is not None:
            metadata = merge_patch(metadata, change.metadata_merge)
            check_text({"metadata": metadata}, {})
        if metadata != customer.metadata:
            changes = replace(changes, metadata=metadata)
        changes = changes.without_unchanged(customer)
        if changes.is_empty:
            return customer
        restriction = customer.restriction
        if not isinstance(changes.restriction, Unset):
            restriction = changes.restriction
        if not reach.admits_values(restriction, companies):
            raise OutOfReach()
        return await update_locked(uow, customer, changes, edit=EmailEdit.BACK_OFFICE, now=now)

    async def views(
        self,
        found: list[Customer],
        *,
        addresses: bool,
        groups: Mapping[int, list[CustomerGroup]] | None = None,
    ) -> list[ManagedCustomer]:
        """Customers the caller has been allowed to read, with their companies and (if
        asked) addresses. `groups`: the customers' groups where the caller has read them
        already."""
        ids = [customer.id for customer in found]
        if groups is None:
            groups = await self.group_reads.groups_of(ids)
        held = await self.address_reads.addresses_of(ids) if addresses and ids else {}
        return [
            ManagedCustomer(
                customer=customer,
                companies=tuple(groups.get(customer.id, ())),
                addresses=tuple(held.get(customer.id, ())) if addresses else None,
            )
            for customer in found
        ]


def _joined_company(reach: Reach) -> int | None:
    """The company a customer created by an `_own` caller joins (Emporix: "automatically
    assigned to the customer company"); None for a caller with a plain or restricted grant."""
    if reach.everything or not reach.companies:
        return None
    if not any(grant.own for grant in reach.grants):
        return None
    return min(reach.companies)


def _checked(tenant: Tenant, change: ManagedChange) -> CustomerChanges:
    """The change's fields, checked before any row is locked: text, email, restriction
    (and the site it follows where the tenant syncs them), metadata sizes."""
    changes, _ = checked_profile(change.profile)  # metadata travels beside the profile
    problems = patch_problems(change.metadata) if change.metadata is not None else []
    if change.metadata_merge is not None:
        problems += problems_in({"metadata": change.metadata_merge}, {})
    if problems:
        raise FieldsInvalid(problems)
    beside = replace(
        changes, restriction=change.restriction, is_active=change.is_active, on_hold=change.on_hold
    )
    return with_site_rules(tenant.settings, beside)


async def _locked(
    uow: UnitOfWork, principal: Principal, tenant: Tenant, reach: Reach, number: str
) -> tuple[Customer, frozenset[int]]:
    """The customer with `number`, row locked, with its companies, if the caller's manage
    grants reach it. One the caller may read but not manage is `OutOfReach`; one it
    cannot read at all, or an anonymized one, is not found."""
    customer = await uow.customers.by_number(tenant.id, number, for_update=True)
    if customer is None or customer.is_anonymized:
        raise CustomerNotFound()
    return customer, await _reached(uow, principal, reach, customer)


async def _reached(
    uow: UnitOfWork, principal: Principal, reach: Reach, customer: Customer
) -> frozenset[int]:
    """The companies of a (locked) customer the caller's manage grants reach; as
    `_locked` says otherwise."""
    companies = await uow.groups.group_ids_of(customer.id)
    if reach.admits(customer, companies):
        return companies
    readers = Reach(grants_of(principal.scopes, Scope.CUSTOMERS_READ), principal.companies)
    if readers.grants and readers.admits(customer, companies):
        raise OutOfReach()
    raise CustomerNotFound()


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: an object patch merges into an object target key by key (null removes a
    key), anything else replaces the target. Bodies are depth-limited, so the recursion
    is bounded."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged
