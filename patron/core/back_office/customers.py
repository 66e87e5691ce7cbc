"""The back office's view of customers: search, read, create (guests too), edit.

Every use case checks the caller's tenant and scope first (`require_scope`); a customer
of another tenant reads as not found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from patron.core.customers.new_email import EmailEdit, email_written
from patron.core.customers.profiles import checked_profile, update_locked
from patron.core.customers.registration import add_customer, prepare_registration
from patron.core.domain.commands import (
    UNSET,
    CustomerAdminChange,
    MetadataPatch,
    Registration,
    Unset,
)
from patron.core.domain.config import CoreConfig
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.errors.invalid_input import EmailLocked, FieldProblem, FieldsInvalid
from patron.core.domain.errors.not_found import CustomerNotFound, GroupNotFound
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import Principal, Scope
from patron.core.domain.queries import CustomerQuery
from patron.core.domain.restrictions import with_site_rules
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import patch_problems, patched_metadata
from patron.core.identity.access import require_reach, require_scope
from patron.core.identity.password_changes import store_password_locked
from patron.core.identity.passwords import POLICIES
from patron.core.ports.back_office import CustomerSearch
from patron.core.ports.security import PasswordHasher
from patron.core.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class CustomerAdministration:
    uow: UnitOfWorkFactory
    customer_search: CustomerSearch
    hasher: PasswordHasher
    clock: Clock
    config: CoreConfig

    async def search(
        self, principal: Principal, tenant: Tenant, query: CustomerQuery
    ) -> tuple[list[Customer], int]:
        """One page and the count of all matches, among the customers the caller's read
        grants reach (narrowed in the query itself, so counts and pages agree). Guests and
        anonymized customers are in it (orders keep referring to them); deleted ones are
        not."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_READ)
        return await self.customer_search.search(tenant.id, replace(query, reach=reach))

    async def search_with_groups(
        self, principal: Principal, tenant: Tenant, query: CustomerQuery
    ) -> tuple[list[tuple[Customer, list[CustomerGroup]]], int]:
        """As `search`, each customer with its groups (its companies)."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_READ)
        return await self.customer_search.search_with_groups(tenant.id, replace(query, reach=reach))

    async def get(self, principal: Principal, tenant: Tenant, customer_uuid: UUID) -> Customer:
        require_scope(principal, tenant, Scope.CUSTOMERS_READ)
        customer = await self.customer_search.by_uuid(tenant.id, customer_uuid)
        if customer is None:
            raise CustomerNotFound()
        return customer

    async def get_by_number(self, principal: Principal, tenant: Tenant, number: str) -> Customer:
        """A customer by number, if the caller's read grants reach it (`CustomerNotFound`
        otherwise, as for one that does not exist: a narrowed caller learns nothing of the
        customers beyond its reach). Anonymized customers are not found."""
        reach = require_reach(principal, tenant, Scope.CUSTOMERS_READ)
        found = await self.customer_search.by_number(tenant.id, number)
        if found is None or found[0].is_anonymized or not reach.admits(*found):
            raise CustomerNotFound()
        return found[0]

    async def create(
        self, principal: Principal, tenant: Tenant, registration: Registration
    ) -> Customer:
        """Medusa's rule (reference 2.8): with a password a registered account
        (`EmailTaken` if the tenant has one with the email; a guest with it may exist and
        stays), without one a guest (`GuestExists` if there is one; an account may exist).

        The tenant's password policy and text limits apply as to any registration. No
        confirmation mail goes out: the staff member who chose the password vouches for
        the address, so the account is confirmed and logs in at once in every dialect,
        with an initial password (`prepare_registration`'s `by_staff`).
        """
        require_scope(principal, tenant, Scope.CUSTOMERS_MANAGE)
        prepared = await prepare_registration(tenant, registration, self.hasher, by_staff=True)
        async with self.uow() as uow:
            customer = await add_customer(uow, tenant, prepared, self.clock())
            await uow.commit()
        return customer

    async def update(
        self,
        principal: Principal,
        tenant: Tenant,
        customer_uuid: UUID,
        change: CustomerAdminChange,
    ) -> Customer:
        """One transaction under the customer's row lock: the profile, the metadata patch,
        a new password, and the whole set of groups (which needs `Scope.GROUPS_MANAGE`
        too).

        A registered customer's email is their login: changing it raises `EmailLocked`
        (the same address in another letter case is no change). A password set here ends
        every session of the customer. Anything refused leaves the customer as it was.
        """
        require_scope(principal, tenant, Scope.CUSTOMERS_MANAGE)
        if change.group_uuids is not None:
            require_scope(principal, tenant, Scope.GROUPS_MANAGE)
        changes, patches = _checked_change(change)
        password_hash = None
        if change.password is not None:
            POLICIES[tenant.settings.password_policy].check(change.password)
            password_hash = await self.hasher.hash(change.password)
        now = self.clock()
        async with self.uow() as uow:
            customer = await uow.customers.get_by_uuid(tenant.id, customer_uuid, for_update=True)
            if customer is None or customer.is_anonymized:
                raise CustomerNotFound()  # an erased customer's data is not written again
            changes = email_written(customer, changes, EmailEdit.STAFF_RECORD, now)
            if not isinstance(changes.email, Unset) and customer.has_account:
                raise EmailLocked()
            metadata = customer.metadata
            if not isinstance(changes.metadata, Unset):
                metadata = changes.metadata
            for patch in patches:
                metadata = patched_metadata(metadata, patch)
            if metadata != customer.metadata:
                changes = replace(changes, metadata=metadata)
            else:
                changes = replace(changes, metadata=UNSET)
            regrouped = change.group_uuids is not None
            if change.group_uuids is not None:
                await _replace_groups(uow, tenant, customer, change.group_uuids, now)
            if password_hash is not None:
                await store_password_locked(uow, customer, password_hash, now=now, by_staff=True)
            if not changes.is_empty or regrouped:
                changes = with_site_rules(tenant.settings, changes)
                edit = EmailEdit.STAFF_RECORD
                updated = await update_locked(uow, customer, changes, edit=edit, now=now)
            elif password_hash is not None:
                updated = await uow.customers.get(customer.id) or customer
            else:
                return customer
            await uow.commit()
        return updated


def _checked_change(
    change: CustomerAdminChange,
) -> tuple[CustomerChanges, list[MetadataPatch]]:
    """The profile fields (checked, email cleaned) and the metadata patches, in the order
    they apply; every problem of either reported at once."""
    problems: list[FieldProblem] = []
    try:
        changes, profile_patch = checked_profile(change.profile)
    except FieldsInvalid as invalid:
        problems = list(invalid.problems)
        changes, profile_patch = CustomerChanges(), None
    patches = [patch for patch in (profile_patch, change.metadata) if patch is not None]
    if change.metadata is not None:
        problems += patch_problems(change.metadata)
    if problems:
        raise FieldsInvalid(problems)
    return changes, patches


async def _replace_groups(
    uow: UnitOfWork,
    tenant: Tenant,
    customer: Customer,
    group_uuids: tuple[UUID, ...],
    now: datetime,
) -> None:
    """The customer's groups become exactly these (`[]` clears them); an unknown one
    raises `GroupNotFound` naming it, and the transaction writes nothing."""
    wanted = list(dict.fromkeys(group_uuids))
    found = await uow.groups.group_ids(tenant.id, wanted)
    for group_uuid in wanted:
        if group_uuid not in found:
            raise GroupNotFound(str(group_uuid))
    await uow.groups.set_groups_of(customer.id, [found[uuid] for uuid in wanted], now)
