"""A customer's list items and its group memberships shown as list items, on real
PostgreSQL: upsert by key, ownership, read-only memberships, dates, the cap under a race."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from patron.core.customers.saved_lists import CustomerLists
from patron.core.domain.commands import ListItemChange, ListItemDraft
from patron.core.domain.errors.forbidden import GroupsReadOnly, NotOwner
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid
from patron.core.domain.errors.limit_reached import ListLimitReached
from patron.core.domain.errors.not_found import ListItemNotFound
from patron.core.domain.model import GROUP_DOMAIN, AccessClaims, CustomerGroup, ListItem
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from tests.conftest import FrozenClock
from tests.core.back_office_callers import principal_of
from tests.core.signed_in import signed_in
from tests.fakes import MemoryServices

ME = CustomerRef.me()


@pytest.fixture
def lists(memory: MemoryServices) -> CustomerLists:
    return memory.core.lists


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    return await signed_in(memory, tenant, "sonia@example.com")


def favourite(ref_id: str = "123", **values: object) -> ListItemDraft:
    return ListItemDraft(domain="product", type="favorite", ref_id=ref_id, **values)  # type: ignore[arg-type]


async def _member_of(
    services: MemoryServices, tenant: Tenant, claims: AccessClaims, name: str
) -> CustomerGroup:
    groups = services.core.groups
    group = await groups.create(principal_of(tenant), tenant, name=name, metadata={})
    await groups.add_customers(principal_of(tenant), tenant, group.uuid, [claims.customer_uuid])
    return group


def _keys(items: list[ListItem]) -> list[tuple[str, str, str]]:
    return [(item.domain, item.type, item.ref_id) for item in items]


async def test_items_are_added_read_changed_and_deleted(
    lists: CustomerLists, claims: AccessClaims, clock: FrozenClock
) -> None:
    await lists.add_own(claims, ME, [favourite("1"), favourite("2", position=1)])
    first, second = (await lists.list_own(claims, ME, ["product"])).items
    clock.advance(seconds=5)

    changed = await lists.update_own(
        claims, ME, first.id, ListItemChange(config={"key": "value"}, position=2)
    )
    await lists.delete_own(claims, ME, [second.id])

    assert _keys([first, second]) == [("product", "favorite", "1"), ("product", "favorite", "2")]
    assert (first.status, first.config, first.starts_at, first.customer_id) == (
        1,
        {},
        None,
        claims.customer_id,
    )
    assert (changed.config, changed.position) == ({"key": "value"}, 2)
    assert changed.updated_at == first.updated_at + timedelta(seconds=5)
    assert (await lists.list_own(claims, ME, None)).items == [changed]


async def test_an_add_with_a_known_key_updates_that_item(
    lists: CustomerLists, claims: AccessClaims, memory: MemoryServices
) -> None:
    await lists.add_own(claims, ME, [favourite("1")])
    (before,) = (await lists.list_own(claims, ME, None)).items

    await lists.add_own(claims, ME, [favourite("1", config={"stock": "1"}, position=7)])

    (after,) = (await lists.list_own(claims, ME, None)).items
    assert (after.id, after.config, after.position) == (before.id, {"stock": "1"}, 7)
    assert len(memory.store.tables.list_items) == 1


async def test_a_change_onto_another_items_key_replaces_that_item(
    lists: CustomerLists, claims: AccessClaims
) -> None:
    await lists.add_own(claims, ME, [favourite("1"), favourite("2")])
    first, second = (await lists.list_own(claims, ME, None)).items

    moved = await lists.update_own(claims, ME, second.id, ListItemChange(ref_id="1"))

    assert (moved.id, moved.ref_id) == (second.id, "1")
    assert (await lists.list_own(claims, ME, None)).items == [moved]
    assert first.id != moved.id


async def test_only_active_items_are_listed_unless_all_are_asked_for(
    lists: CustomerLists, claims: AccessClaims, clock: FrozenClock
) -> None:
    now = clock.now
    await lists.add_own(
        claims,
        ME,
        [
            favourite("on"),
            favourite("off", status=0),
            favourite("later", starts_at=now + timedelta(days=1)),
            favourite("over", ends_at=now - timedelta(days=1)),
            favourite("now", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)),
        ],
    )

    active = (await lists.list_own(claims, ME, ["product"])).items
    every = (await lists.list_own(claims, ME, ["product"], active_only=False)).items

    assert sorted(item.ref_id for item in active) == ["now", "on"]
    assert sorted(item.ref_id for item in every) == ["later", "now", "off", "on", "over"]


async def test_domains_filter_the_items(lists: CustomerLists, claims: AccessClaims) -> None:
    await lists.add_own(
        claims,
        ME,
        [favourite("1"), ListItemDraft(domain="service", ref_id="paypal"), favourite("2")],
    )

    assert _keys((await lists.list_own(claims, ME, ["service"])).items) == [
        ("service", "default", "paypal")
    ]
    assert [i.domain for i in (await lists.list_own(claims, ME, None)).items] == [
        "product",
        "product",
        "service",
    ]
    assert (await lists.list_own(claims, ME, [])).items == []


async def test_memberships_are_listed_as_group_items_with_their_groups(
    memory: MemoryServices, tenant: Tenant, lists: CustomerLists, claims: AccessClaims
) -> None:
    gold = await _member_of(memory, tenant, claims, "Gold")
    await lists.add_own(claims, ME, [favourite("1")])

    every = await lists.list_own(claims, ME, None)
    only_groups = await lists.list_own(claims, ME, [GROUP_DOMAIN])
    only_products = await lists.list_own(claims, ME, ["product"])

    membership = next(item for item in every.items if item.domain == GROUP_DOMAIN)
    product = next(item for item in every.items if item.domain == "product")
    assert (membership.type, membership.ref_id, membership.status) == ("default", str(gold.id), 1)
    assert (membership.config, membership.position, membership.starts_at) == ({}, 0, None)
    assert membership.id != product.id  # one sequence for both kinds of relation
    assert every.groups == {gold.id: gold}
    assert only_groups.items == [membership]
    assert only_products.groups == {}


async def test_memberships_are_read_only(
    memory: MemoryServices,
    tenant: Tenant,
    lists: CustomerLists,
    claims: AccessClaims,
) -> None:
    await _member_of(memory, tenant, claims, "Gold")
    await lists.add_own(claims, ME, [favourite("1")])
    membership, item = (await lists.list_own(claims, ME, [GROUP_DOMAIN, "product"])).items

    with pytest.raises(GroupsReadOnly):
        await lists.add_own(claims, ME, [ListItemDraft(domain=GROUP_DOMAIN, ref_id="1")])
    with pytest.raises(GroupsReadOnly):
        await lists.update_own(claims, ME, membership.id, ListItemChange(status=0))
    with pytest.raises(GroupsReadOnly):
        await lists.update_own(claims, ME, item.id, ListItemChange(domain=GROUP_DOMAIN))
    with pytest.raises(GroupsReadOnly):
        await lists.delete_own(claims, ME, [item.id, membership.id])

    assert (await lists.list_own(claims, ME, None)).items == [membership, item]
    assert len(memory.store.tables.memberships) == 1


async def test_another_customers_items_are_not_found_and_not_deleted(
    memory: MemoryServices,
    tenant: Tenant,
    lists: CustomerLists,
    claims: AccessClaims,
) -> None:
    other = await signed_in(memory, tenant, "other@example.com")
    await _member_of(memory, tenant, other, "Theirs")
    await lists.add_own(other, ME, [favourite("1")])
    theirs = (await lists.list_own(other, ME, None)).items

    for item in theirs:
        with pytest.raises(ListItemNotFound):
            await lists.update_own(claims, ME, item.id, ListItemChange(position=3))
    await lists.delete_own(claims, ME, [item.id for item in theirs] + [2**70, -5])

    assert (await lists.list_own(other, ME, None)).items == theirs
    assert (await lists.list_own(claims, ME, None)).items == []


async def test_every_use_case_refuses_another_customers_number(
    lists: CustomerLists, claims: AccessClaims
) -> None:
    theirs = CustomerRef.by_number("DE--999")
    attempts = [
        lists.list_own(claims, theirs, None),
        lists.add_own(claims, theirs, [favourite()]),
        lists.update_own(claims, theirs, 1, ListItemChange(position=1)),
        lists.delete_own(claims, theirs, [1]),
    ]
    for attempt in attempts:
        with pytest.raises(NotOwner):
            await attempt


async def test_the_cap_counts_items_not_memberships_and_refuses_a_whole_batch(
    memory: MemoryServices,
    tenant: Tenant,
    lists: CustomerLists,
    claims: AccessClaims,
) -> None:
    capped = replace(lists, max_per_customer=2)
    await _member_of(memory, tenant, claims, "Gold")
    await capped.add_own(claims, ME, [favourite("1")])

    with pytest.raises(ListLimitReached):
        await capped.add_own(claims, ME, [favourite("2"), favourite("3")])
    await capped.add_own(claims, ME, [favourite("1", position=4), favourite("2")])

    assert len(memory.store.tables.list_items) == 2


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (favourite(""), FieldProblem("ref_id", FieldRule.INVALID)),
        (favourite("x" * 37), FieldProblem("ref_id", FieldRule.TOO_LONG, 36)),
        (
            ListItemDraft(domain="d" * 33, ref_id="1"),
            FieldProblem("domain", FieldRule.TOO_LONG, 32),
        ),
        (
            ListItemDraft(domain="product", type="", ref_id="1"),
            FieldProblem("type", FieldRule.INVALID),
        ),
        (favourite(config={"k": "x" * 70_000}), FieldProblem("config", FieldRule.TOO_LONG, 65536)),
        (favourite(config={"k": "a\x00"}), FieldProblem("config", FieldRule.CHARACTERS)),
        (favourite(config={"k": 2**70}), FieldProblem("config", FieldRule.INVALID)),
        (favourite(config=["not", "an", "object"]), FieldProblem("config", FieldRule.INVALID)),
        (favourite(starts_at=datetime(2026, 1, 1)), FieldProblem("starts_at", FieldRule.INVALID)),
        (favourite(position=-1), FieldProblem("position", FieldRule.INVALID, 2**31 - 1)),
        (favourite(position=2**31), FieldProblem("position", FieldRule.INVALID, 2**31 - 1)),
        (favourite(status=2), FieldProblem("status", FieldRule.INVALID)),
        (favourite(status=True), FieldProblem("status", FieldRule.INVALID)),
    ],
)
async def test_bad_items_refuse_the_whole_batch(
    lists: CustomerLists,
    claims: AccessClaims,
    memory: MemoryServices,
    draft: ListItemDraft,
    problem: FieldProblem,
) -> None:
    with pytest.raises(FieldsInvalid) as refused:
        await lists.add_own(claims, ME, [favourite("fine"), draft])

    assert refused.value.problems == (problem,)
    assert len(memory.store.tables.list_items) == 0


async def test_a_bad_change_writes_nothing(lists: CustomerLists, claims: AccessClaims) -> None:
    await lists.add_own(claims, ME, [favourite("1")])
    (item,) = (await lists.list_own(claims, ME, None)).items

    with pytest.raises(FieldsInvalid):
        await lists.update_own(claims, ME, item.id, ListItemChange(ref_id=None))  # type: ignore[arg-type]
    with pytest.raises(ListItemNotFound):
        await lists.update_own(claims, ME, 2**70, ListItemChange(position=1))

    assert (await lists.list_own(claims, ME, None)).items == [item]


async def test_domains_no_item_can_have_match_nothing(
    lists: CustomerLists, claims: AccessClaims
) -> None:
    await lists.add_own(claims, ME, [favourite("1")])

    found = await lists.list_own(claims, ME, ["nul\x00", "x" * 33, "", "product"])

    assert _keys(found.items) == [("product", "favorite", "1")]
    assert (await lists.list_own(claims, ME, ["nul\x00"])).items == []
