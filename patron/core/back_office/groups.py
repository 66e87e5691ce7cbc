"""Customer groups: named sets of a tenant's customers, managed from the back office.

Names are unique per tenant as given ("VIP" and "vip" are two groups, as in Medusa);
deleting a group keeps its customers; adding a member twice or removing a non-member
changes nothing. Every use case checks the caller's tenant and scope first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ulid import ULID

from patron.core.domain.commands import UNSET, GroupChange, Unset
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.errors.not_found import CustomersNotFound, GroupNotFound
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import Principal, Scope
from patron.core.domain.queries import GroupQuery
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import (
    GROUP_TEXT,
    check_text,
    patch_problems,
    patched_metadata,
    problems_in,
)
from patron.core.identity.access import require_scope
from patron.core.ports.back_office import GroupReads
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Groups:
    uow: UnitOfWorkFactory
    reads: GroupReads
    clock: Clock

    async def create(
        self,
        principal: Principal,
        tenant: Tenant,
        *,
        name: str,
        metadata: dict[str, Any] | None = None,
    ) -> CustomerGroup:
        """Raises `GroupNameTaken` when the tenant has a group of that name (the database
        decides, so two racing creations cannot both succeed)."""
        require_scope(principal, tenant, Scope.GROUPS_MANAGE)
        metadata = {} if metadata is None else metadata
        check_text({"name": name, "metadata": metadata}, GROUP_TEXT)
        async with self.uow() as uow:
            group = await uow.groups.add(tenant.id, ULID().to_uuid(), name, metadata, self.clock())
            await uow.commit()
        return group

    async def search(
        self, principal: Principal, tenant: Tenant, query: GroupQuery
    ) -> tuple[list[CustomerGroup], int]:
        """One page of the tenant's groups and the count of all that match."""
        require_scope(principal, tenant, Scope.CUSTOMERS_READ)
        return await self.reads.search(tenant.id, query)

    async def get(self, principal: Principal, tenant: Tenant, group_uuid: UUID) -> CustomerGroup:
        require_scope(principal, tenant, Scope.CUSTOMERS_READ)
        group = await self.reads.get(tenant.id, group_uuid)
        if group is None:
            raise GroupNotFound(str(group_uuid))
        return group

    async def update(
        self, principal: Principal, tenant: Tenant, group_uuid: UUID, change: GroupChange
    ) -> CustomerGroup:
        """The metadata patch is merged under the group's row lock, so concurrent patches
        of different keys both land."""
        require_scope(principal, tenant, Scope.GROUPS_MANAGE)
        fields: dict[str, Any] = {} if change.name is UNSET else {"name": change.name}
        problems = problems_in(fields, GROUP_TEXT)
        if change.metadata is not None:
            problems += patch_problems(change.metadata)
        if problems:
            raise FieldsInvalid(problems)
        async with self.uow() as uow:
            group = await uow.groups.get(tenant.id, group_uuid, for_update=True)
            if group is None:
                raise GroupNotFound(str(group_uuid))
            metadata: dict[str, Any] | Unset = UNSET
            if change.metadata is not None:
                merged = patched_metadata(group.metadata, change.metadata)
                if merged != group.metadata:
                    metadata = merged
            if change.name is UNSET and metadata is UNSET:
                return group
            now = self.clock()
            updated = await uow.groups.update(
                group.id, name=change.name, metadata=metadata, now=now
            )
            await uow.commit()
        return updated

    async def delete(self, principal: Principal, tenant: Tenant, group_uuid: UUID | None) -> bool:
        """Idempotent: False when there was no such group. Its customers stay. None is an
        id that names no group at all (a dialect's malformed id): still only a caller who
        may delete groups hears that it is gone."""
        require_scope(principal, tenant, Scope.GROUPS_MANAGE)
        if group_uuid is None:
            return False
        async with self.uow() as uow:
            deleted = await uow.groups.delete(tenant.id, group_uuid)
            await uow.commit()
        return deleted

    async def add_customers(
        self,
        principal: Principal,
        tenant: Tenant,
        group_uuid: UUID,
        customer_uuids: Sequence[UUID],
    ) -> CustomerGroup:
        """All or nothing: one unknown customer (`CustomersNotFound`, naming every
        unknown one in request order) and no membership is written. Members already in
        the group stay as they are, also when concurrent requests add the same ones."""
        require_scope(principal, tenant, Scope.GROUPS_MANAGE)
        wanted = list(dict.fromkeys(customer_uuids))
        async with self.uow() as uow:
            group = await uow.groups.get(tenant.id, group_uuid)
            if group is None:
                raise GroupNotFound(str(group_uuid))
            found = await uow.groups.customer_ids(tenant.id, wanted)
            missing = [customer_uuid for customer_uuid in wanted if customer_uuid not in found]
            if missing:
                raise CustomersNotFound(missing)
            if found:
                await uow.groups.add_members(group.id, list(found.values()), self.clock())
            await uow.commit()
        return group

    async def remove_customers(
        self,
        principal: Principal,
        tenant: Tenant,
        group_uuid: UUID,
        customer_uuids: Sequence[UUID],
    ) -> CustomerGroup:
        """Customers that are not members, or not customers of the tenant, are ignored."""
        require_scope(principal, tenant, Scope.GROUPS_MANAGE)
        async with self.uow() as uow:
            group = await uow.groups.get(tenant.id, group_uuid)
            if group is None:
                raise GroupNotFound(str(group_uuid))
            found = await uow.groups.customer_ids(tenant.id, list(dict.fromkeys(customer_uuids)))
            if found:
                await uow.groups.remove_members(group.id, list(found.values()))
            await uow.commit()
        return group

    async def groups_of(
        self, principal: Principal, tenant: Tenant, customers: Sequence[Customer]
    ) -> dict[int, list[CustomerGroup]]:
        """The groups of a page of customers in one query, by customer id. Every customer
        given maps to a list; another tenant's customers map to an empty one, unread."""
        require_scope(principal, tenant, Scope.CUSTOMERS_READ)
        own = [customer.id for customer in customers if customer.tenant_id == tenant.id]
        found = await self.reads.groups_of(own)
        return {customer.id: found.get(customer.id, []) for customer in customers}
