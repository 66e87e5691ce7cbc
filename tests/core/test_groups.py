"""Customer groups at the core: names, membership, tenants (races and search on PostgreSQL
in `test_races` and `test_on_postgres`)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from patron.core.domain.commands import GroupChange, MetadataPatch
from patron.core.domain.errors.conflict import GroupNameTaken
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.errors.not_found import CustomersNotFound, GroupNotFound
from patron.core.domain.model import Customer
from patron.core.domain.principals import Scope
from patron.core.domain.queries import GroupQuery
from patron.core.domain.tenants import Tenant
from patron.core.use_cases import Core
from tests.conftest import FrozenClock, registration_for
from tests.core.back_office_callers import principal_of, second_tenant
from tests.fakes import MemoryServices, MemoryStore


async def customers_of(core: Core, tenant: Tenant, count: int) -> list[Customer]:
    return [
        await core.accounts.register(tenant, registration_for(f"c{n}@example.com"))
        for n in range(count)
    ]


def _members(store: MemoryStore, group_uuid: UUID) -> list[int]:
    (group,) = (g for g in store.tables.groups.values() if g.uuid == group_uuid)
    return sorted(
        m.customer_id for m in store.tables.memberships.values() if m.group_id == group.id
    )


async def test_a_group_is_created_read_renamed_and_deleted(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)

    created = await groups.create(admin, tenant, name="VIP", metadata={"tier": 1})
    clock.advance(seconds=5)
    renamed = await groups.update(admin, tenant, created.uuid, GroupChange(name="Gold"))
    read = await groups.get(admin, tenant, created.uuid)
    deleted = await groups.delete(admin, tenant, created.uuid)

    assert (created.name, created.metadata, created.tenant_id) == ("VIP", {"tier": 1}, tenant.id)
    assert renamed == read
    assert (read.name, read.metadata) == ("Gold", {"tier": 1})
    assert read.updated_at == created.updated_at + timedelta(seconds=5)
    assert read.created_at == created.created_at
    assert deleted is True
    with pytest.raises(GroupNotFound) as missing:
        await groups.get(admin, tenant, created.uuid)
    assert missing.value.group == str(created.uuid)


async def test_names_are_unique_per_tenant_as_given(memory: MemoryServices, tenant: Tenant) -> None:
    groups = memory.core.groups
    other = await second_tenant(memory.core.tenant_admin)

    await groups.create(principal_of(tenant), tenant, name="VIP")
    lower = await groups.create(principal_of(tenant), tenant, name="vip")
    elsewhere = await groups.create(principal_of(other), other, name="VIP")
    with pytest.raises(GroupNameTaken) as taken:
        await groups.create(principal_of(tenant), tenant, name="VIP")
    with pytest.raises(GroupNameTaken):
        await groups.update(principal_of(tenant), tenant, lower.uuid, GroupChange(name="VIP"))

    assert taken.value.name == "VIP"
    assert elsewhere.tenant_id == other.id
    assert (await groups.get(principal_of(tenant), tenant, lower.uuid)).name == "vip"


async def test_names_and_metadata_are_bounded_like_the_rest_of_the_model(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    group = await groups.create(admin, tenant, name="x" * 255)

    with pytest.raises(FieldsInvalid) as too_long:
        await groups.create(admin, tenant, name="x" * 256)
    with pytest.raises(FieldsInvalid) as control:
        await groups.create(admin, tenant, name="VIP\n[admin]")
    with pytest.raises(FieldsInvalid) as huge:
        await groups.update(
            admin, tenant, group.uuid, GroupChange(metadata=MetadataPatch(set={"k": "v" * 20000}))
        )

    assert [p.field for p in too_long.value.problems] == ["name"]
    assert [p.field for p in control.value.problems] == ["name"]
    assert [p.field for p in huge.value.problems] == ["metadata"]
    assert len(memory.store.tables.groups) == 1


async def test_many_small_patches_cannot_outgrow_the_metadata_limit(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    group = await groups.create(admin, tenant, name="VIP")
    for n in range(3):
        patch = MetadataPatch(set={f"k{n}": "v" * 5000})
        await groups.update(admin, tenant, group.uuid, GroupChange(metadata=patch))

    with pytest.raises(FieldsInvalid):
        patch = MetadataPatch(set={"k3": "v" * 5000})
        await groups.update(admin, tenant, group.uuid, GroupChange(metadata=patch))

    stored = await groups.get(admin, tenant, group.uuid)
    assert sorted(stored.metadata) == ["k0", "k1", "k2"]


async def test_deleting_a_group_keeps_its_customers_and_is_idempotent(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    customers = await customers_of(memory.core, tenant, 2)
    group = await groups.create(admin, tenant, name="VIP")
    await groups.add_customers(admin, tenant, group.uuid, [c.uuid for c in customers])

    first = await groups.delete(admin, tenant, group.uuid)
    second = await groups.delete(admin, tenant, group.uuid)

    assert (first, second) == (True, False)
    assert len(memory.store.customer_rows()) == 2
    assert len(memory.store.tables.memberships) == 0


async def test_adding_twice_and_removing_non_members_change_nothing(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    one, two, three = await customers_of(memory.core, tenant, 3)
    group = await groups.create(admin, tenant, name="VIP")

    await groups.add_customers(admin, tenant, group.uuid, [one.uuid, two.uuid])
    answered = await groups.add_customers(admin, tenant, group.uuid, [two.uuid, one.uuid, one.uuid])
    assert answered == group
    assert _members(memory.store, group.uuid) == [one.id, two.id]

    await groups.remove_customers(admin, tenant, group.uuid, [two.uuid, three.uuid, uuid4()])
    await groups.remove_customers(admin, tenant, group.uuid, [two.uuid])
    assert _members(memory.store, group.uuid) == [one.id]


async def test_unknown_customers_in_a_batch_add_nobody(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    other = await second_tenant(memory.core.tenant_admin)
    known = (await customers_of(memory.core, tenant, 1))[0]
    foreign = await memory.core.accounts.register(other, registration_for("f@example.com"))
    group = await groups.create(admin, tenant, name="VIP")
    ghost = uuid4()

    with pytest.raises(CustomersNotFound) as missing:
        await groups.add_customers(
            admin, tenant, group.uuid, [ghost, known.uuid, foreign.uuid, ghost]
        )

    assert missing.value.missing == (ghost, foreign.uuid)
    assert len(memory.store.tables.memberships) == 0


async def test_an_unknown_group_is_not_found_for_every_change(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    customer = (await customers_of(memory.core, tenant, 1))[0]
    ghost = uuid4()

    for attempt in (
        groups.add_customers(admin, tenant, ghost, [customer.uuid]),
        groups.remove_customers(admin, tenant, ghost, [customer.uuid]),
        groups.update(admin, tenant, ghost, GroupChange(name="x")),
    ):
        with pytest.raises(GroupNotFound) as missing:
            await attempt
        assert missing.value.group == str(ghost)


async def test_groups_of_a_page_come_by_customer_and_only_from_the_tenant(
    memory: MemoryServices, tenant: Tenant
) -> None:
    groups = memory.core.groups
    admin = principal_of(tenant)
    one, two, alone = await customers_of(memory.core, tenant, 3)
    vip = await groups.create(admin, tenant, name="VIP")
    staff = await groups.create(admin, tenant, name="Staff")
    await groups.add_customers(admin, tenant, vip.uuid, [one.uuid, two.uuid])
    await groups.add_customers(admin, tenant, staff.uuid, [one.uuid])
    other = await second_tenant(memory.core.tenant_admin)
    foreign = await memory.core.accounts.register(other, registration_for("f@example.com"))
    foreign_group = await groups.create(principal_of(other), other, name="VIP")
    await groups.add_customers(principal_of(other), other, foreign_group.uuid, [foreign.uuid])

    found = await groups.groups_of(admin, tenant, [one, two, alone, foreign])

    assert {key: [g.name for g in value] for key, value in found.items()} == {
        one.id: ["VIP", "Staff"],
        two.id: ["VIP"],
        alone.id: [],
        foreign.id: [],
    }


async def test_each_use_case_needs_its_scope(memory: MemoryServices, tenant: Tenant) -> None:
    groups = memory.core.groups
    reader = principal_of(tenant, Scope.CUSTOMERS_READ)
    manager = principal_of(tenant, Scope.GROUPS_MANAGE)
    customer = (await customers_of(memory.core, tenant, 1))[0]
    group = await groups.create(manager, tenant, name="VIP")

    for refused in (
        groups.create(reader, tenant, name="Other"),
        groups.update(reader, tenant, group.uuid, GroupChange(name="Other")),
        groups.delete(reader, tenant, group.uuid),
        groups.add_customers(reader, tenant, group.uuid, [customer.uuid]),
        groups.remove_customers(reader, tenant, group.uuid, [customer.uuid]),
    ):
        with pytest.raises(ScopeMissing) as missing:
            await refused
        assert missing.value.scope == Scope.GROUPS_MANAGE
    for refused_read in (
        groups.get(manager, tenant, group.uuid),
        groups.search(manager, tenant, GroupQuery()),
        groups.groups_of(manager, tenant, [customer]),
    ):
        with pytest.raises(ScopeMissing) as missing:
            await refused_read
        assert missing.value.scope == Scope.CUSTOMERS_READ

    assert (await groups.get(reader, tenant, group.uuid)).name == "VIP"
    assert len(memory.store.tables.memberships) == 0
