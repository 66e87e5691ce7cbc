"""Customer groups at the core, on real PostgreSQL: names, membership, races, tenants."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID, uuid4

import asyncpg
import pytest

from patron.core.domain.commands import GroupChange, MetadataPatch
from patron.core.domain.errors.conflict import GroupNameTaken
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.errors.not_found import CustomersNotFound, GroupNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import Customer
from patron.core.domain.principals import Scope
from patron.core.domain.queries import Comparison, GroupQuery, Page, Sort, TimeBound
from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.conftest import FrozenClock, registration_for
from tests.core.back_office_callers import principal_of, second_tenant


async def _customers(services: Services, tenant: Tenant, count: int) -> list[Customer]:
    return [
        await services.core.accounts.register(tenant, registration_for(f"c{n}@example.com"))
        for n in range(count)
    ]


async def _members(pool: asyncpg.Pool, group_uuid: UUID) -> list[int]:
    rows = await pool.fetch(
        "SELECT m.customer_id FROM customer_group_members m "
        "JOIN customer_groups g ON g.id = m.group_id WHERE g.uuid = $1 ORDER BY 1",
        group_uuid,
    )
    return [row["customer_id"] for row in rows]


async def test_a_group_is_created_read_renamed_and_deleted(
    timed_services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    groups = timed_services.core.groups
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


async def test_names_are_unique_per_tenant_as_given(
    timed_services: Services, tenant: Tenant
) -> None:
    groups = timed_services.core.groups
    other = await second_tenant(timed_services.core.tenant_admin)

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


async def test_racing_creations_of_one_name_leave_one_group(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    admin = principal_of(tenant)

    results = await asyncio.gather(
        *(timed_services.core.groups.create(admin, tenant, name="Race") for _ in range(10)),
        return_exceptions=True,
    )

    assert sum(not isinstance(result, BaseException) for result in results) == 1
    assert all(isinstance(r, GroupNameTaken) for r in results if isinstance(r, BaseException))
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 1


async def test_names_and_metadata_are_bounded_like_the_rest_of_the_model(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
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
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 1


async def test_many_small_patches_cannot_outgrow_the_metadata_limit(
    timed_services: Services, tenant: Tenant
) -> None:
    groups = timed_services.core.groups
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


async def test_metadata_patches_merge_and_racing_patches_all_land(
    timed_services: Services, tenant: Tenant
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    group = await groups.create(admin, tenant, name="VIP", metadata={"keep": 1, "drop": 2})

    await asyncio.gather(
        *(
            groups.update(
                admin, tenant, group.uuid, GroupChange(metadata=MetadataPatch(set={f"k{n}": n}))
            )
            for n in range(8)
        )
    )
    patched = await groups.update(
        admin, tenant, group.uuid, GroupChange(metadata=MetadataPatch(remove=frozenset({"drop"})))
    )

    assert patched.metadata == {"keep": 1, **{f"k{n}": n for n in range(8)}}


async def test_deleting_a_group_keeps_its_customers_and_is_idempotent(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    customers = await _customers(timed_services, tenant, 2)
    group = await groups.create(admin, tenant, name="VIP")
    await groups.add_customers(admin, tenant, group.uuid, [c.uuid for c in customers])

    first = await groups.delete(admin, tenant, group.uuid)
    second = await groups.delete(admin, tenant, group.uuid)

    assert (first, second) == (True, False)
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 2
    assert await clean_db.fetchval("SELECT count(*) FROM customer_group_members") == 0


async def test_adding_twice_and_removing_non_members_change_nothing(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    one, two, three = await _customers(timed_services, tenant, 3)
    group = await groups.create(admin, tenant, name="VIP")

    await groups.add_customers(admin, tenant, group.uuid, [one.uuid, two.uuid])
    answered = await groups.add_customers(admin, tenant, group.uuid, [two.uuid, one.uuid, one.uuid])
    assert answered == group
    assert await _members(clean_db, group.uuid) == [one.id, two.id]

    await groups.remove_customers(admin, tenant, group.uuid, [two.uuid, three.uuid, uuid4()])
    await groups.remove_customers(admin, tenant, group.uuid, [two.uuid])
    assert await _members(clean_db, group.uuid) == [one.id]


async def test_unknown_customers_in_a_batch_add_nobody(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    other = await second_tenant(timed_services.core.tenant_admin)
    known = (await _customers(timed_services, tenant, 1))[0]
    foreign = await timed_services.core.accounts.register(other, registration_for("f@example.com"))
    group = await groups.create(admin, tenant, name="VIP")
    ghost = uuid4()

    with pytest.raises(CustomersNotFound) as missing:
        await groups.add_customers(
            admin, tenant, group.uuid, [ghost, known.uuid, foreign.uuid, ghost]
        )

    assert missing.value.missing == (ghost, foreign.uuid)
    assert await clean_db.fetchval("SELECT count(*) FROM customer_group_members") == 0


async def test_an_unknown_group_is_not_found_for_every_change(
    timed_services: Services, tenant: Tenant
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    customer = (await _customers(timed_services, tenant, 1))[0]
    ghost = uuid4()

    for attempt in (
        groups.add_customers(admin, tenant, ghost, [customer.uuid]),
        groups.remove_customers(admin, tenant, ghost, [customer.uuid]),
        groups.update(admin, tenant, ghost, GroupChange(name="x")),
    ):
        with pytest.raises(GroupNotFound) as missing:
            await attempt
        assert missing.value.group == str(ghost)


async def test_racing_batches_of_the_same_members_leave_each_membership_once(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    customers = await _customers(timed_services, tenant, 5)
    group = await groups.create(admin, tenant, name="VIP")
    uuids = [c.uuid for c in customers]

    await asyncio.gather(
        *(
            groups.add_customers(admin, tenant, group.uuid, uuids[n % 3 :] + uuids[: n % 3])
            for n in range(12)
        )
    )

    assert await _members(clean_db, group.uuid) == sorted(c.id for c in customers)


async def test_search_filters_sorts_with_a_tiebreak_and_counts(
    timed_services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    start = clock.now
    made = []
    for name in ("Wholesale", "VIP Gold", "vip silver", "Staff", "Retail"):
        made.append(await groups.create(admin, tenant, name=name))
    clock.advance(minutes=1)
    late = await groups.create(admin, tenant, name="Late")
    other = await second_tenant(timed_services.core.tenant_admin)
    await groups.create(principal_of(other), other, name="VIP elsewhere")

    by_text, text_count = await groups.search(admin, tenant, GroupQuery(text="VIP"))
    newest, total = await groups.search(admin, tenant, GroupQuery(page=Page(limit=2)))
    by_name, _ = await groups.search(
        admin, tenant, GroupQuery(sort=Sort("name"), page=Page(offset=1, limit=3))
    )
    early, early_count = await groups.search(
        admin,
        tenant,
        GroupQuery(
            created=(TimeBound(Comparison.LT, start + timedelta(seconds=30)),),
            sort=Sort("created_at"),
        ),
    )
    named, _ = await groups.search(
        admin, tenant, GroupQuery(names=("Staff", "staff", "Late"), uuids=(late.uuid,))
    )
    past_end, past_end_count = await groups.search(
        admin, tenant, GroupQuery(page=Page(offset=50, limit=10))
    )

    assert sorted(g.name for g in by_text) == ["VIP Gold", "vip silver"]
    assert text_count == 2
    # Equal creation times: newest first means the highest id first.
    assert [g.name for g in newest] == ["Late", "Retail"]
    assert total == 6
    assert [g.name for g in by_name] == ["Retail", "Staff", "VIP Gold"]
    assert [g.uuid for g in early] == [g.uuid for g in made]
    assert early_count == 5
    assert [g.name for g in named] == ["Late"]
    assert (past_end, past_end_count) == ([], 6)


async def test_groups_of_a_page_come_by_customer_and_only_from_the_tenant(
    timed_services: Services, tenant: Tenant
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    one, two, alone = await _customers(timed_services, tenant, 3)
    vip = await groups.create(admin, tenant, name="VIP")
    staff = await groups.create(admin, tenant, name="Staff")
    await groups.add_customers(admin, tenant, vip.uuid, [one.uuid, two.uuid])
    await groups.add_customers(admin, tenant, staff.uuid, [one.uuid])
    other = await second_tenant(timed_services.core.tenant_admin)
    foreign = await timed_services.core.accounts.register(other, registration_for("f@example.com"))
    foreign_group = await groups.create(principal_of(other), other, name="VIP")
    await groups.add_customers(principal_of(other), other, foreign_group.uuid, [foreign.uuid])

    found = await groups.groups_of(admin, tenant, [one, two, alone, foreign])

    assert {key: [g.name for g in value] for key, value in found.items()} == {
        one.id: ["VIP", "Staff"],
        two.id: ["VIP"],
        alone.id: [],
        foreign.id: [],
    }


async def test_another_tenants_groups_cannot_be_seen_or_changed(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    admin = principal_of(tenant)
    other = await second_tenant(timed_services.core.tenant_admin)
    theirs = await groups.create(principal_of(other), other, name="Theirs")
    their_customer = await timed_services.core.accounts.register(
        other, registration_for("f@example.com")
    )
    await groups.add_customers(principal_of(other), other, theirs.uuid, [their_customer.uuid])
    mine = await groups.create(admin, tenant, name="Mine")

    with pytest.raises(GroupNotFound):
        await groups.get(admin, tenant, theirs.uuid)
    with pytest.raises(GroupNotFound):
        await groups.update(admin, tenant, theirs.uuid, GroupChange(name="Taken over"))
    with pytest.raises(GroupNotFound):
        await groups.remove_customers(admin, tenant, theirs.uuid, [their_customer.uuid])
    with pytest.raises(CustomersNotFound):
        await groups.add_customers(admin, tenant, mine.uuid, [their_customer.uuid])
    assert await groups.delete(admin, tenant, theirs.uuid) is False
    listed, count = await groups.search(admin, tenant, GroupQuery(uuids=(theirs.uuid,)))
    assert (listed, count) == ([], 0)
    # A credential of one tenant presented on another's mount is refused outright.
    with pytest.raises(InvalidAccessToken):
        await groups.get(principal_of(other), tenant, mine.uuid)
    with pytest.raises(InvalidAccessToken):
        await groups.delete(principal_of(other), tenant, mine.uuid)

    row = await clean_db.fetchrow("SELECT name FROM customer_groups WHERE uuid = $1", theirs.uuid)
    assert row is not None and row["name"] == "Theirs"
    assert await _members(clean_db, theirs.uuid) == [their_customer.id]
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 2


async def test_each_use_case_needs_its_scope(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    groups = timed_services.core.groups
    reader = principal_of(tenant, Scope.CUSTOMERS_READ)
    manager = principal_of(tenant, Scope.GROUPS_MANAGE)
    customer = (await _customers(timed_services, tenant, 1))[0]
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
    assert await clean_db.fetchval("SELECT count(*) FROM customer_group_members") == 0
