"""A customer's list items and its group memberships shown as list items, on real
PostgreSQL: upsert by key, ownership, read-only memberships, dates, the cap under a race."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import asyncpg
import pytest

from patron.core.access import CustomerRef
from patron.core.commands import ListItemChange, ListItemDraft
from patron.core.errors import (
    FieldProblem,
    FieldRule,
    FieldsInvalid,
    GroupsReadOnly,
    ListItemNotFound,
    ListLimitReached,
    NotOwner,
)
from patron.core.lists import CustomerLists
from patron.core.model import GROUP_DOMAIN, AccessClaims, CustomerGroup, ListItem, Tenant
from patron.services import Services
from tests.conftest import FrozenClock
from tests.core.back_office_callers import principal_of
from tests.core.test_addresses import signed_in

ME = CustomerRef.me()


@pytest.fixture
def lists(timed_services: Services) -> CustomerLists:
    return timed_services.core.lists


@pytest.fixture
async def claims(timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool) -> AccessClaims:
    return await signed_in(timed_services, tenant, clean_db, "sonia@example.com")


def favourite(ref_id: str = "123", **values: object) -> ListItemDraft:
    return ListItemDraft(domain="product", type="favorite", ref_id=ref_id, **values)  # type: ignore[arg-type]


async def _member_of(
    services: Services, tenant: Tenant, claims: AccessClaims, name: str
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
    lists: CustomerLists, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    await lists.add_own(claims, ME, [favourite("1")])
    (before,) = (await lists.list_own(claims, ME, None)).items

    await lists.add_own(claims, ME, [favourite("1", config={"stock": "1"}, position=7)])

    (after,) = (await lists.list_own(claims, ME, None)).items
    assert (after.id, after.config, after.position) == (before.id, {"stock": "1"}, 7)
    assert await clean_db.fetchval("SELECT count(*) FROM customer_list_items") == 1


async def test_a_key_repeated_in_one_batch_is_written_once_as_its_last(
    lists: CustomerLists, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    # clean_db DELETEs, which leaves dead row versions; the count below needs a fresh page.
    await clean_db.execute("TRUNCATE customer_list_items")
    await lists.add_own(claims, ME, [favourite("1", position=n) for n in range(50)])

    (item,) = (await lists.list_own(claims, ME, None)).items
    assert item.position == 49
    # Every write of a row leaves a new row version: one write, one version, the first
    # slot of the (freshly truncated) table's first page.
    assert await clean_db.fetchval("SELECT ctid::text FROM customer_list_items") == "(0,1)"


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
    timed_services: Services, tenant: Tenant, lists: CustomerLists, claims: AccessClaims
) -> None:
    gold = await _member_of(timed_services, tenant, claims, "Gold")
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
    timed_services: Services,
    tenant: Tenant,
    lists: CustomerLists,
    claims: AccessClaims,
    clean_db: asyncpg.Pool,
) -> None:
    await _member_of(timed_services, tenant, claims, "Gold")
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
    assert await clean_db.fetchval("SELECT count(*) FROM customer_group_members") == 1


async def test_another_customers_items_are_not_found_and_not_deleted(
    timed_services: Services,
    tenant: Tenant,
    clean_db: asyncpg.Pool,
    lists: CustomerLists,
    claims: AccessClaims,
) -> None:
    other = await signed_in(timed_services, tenant, clean_db, "other@example.com")
    await _member_of(timed_services, tenant, other, "Theirs")
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
    timed_services: Services,
    tenant: Tenant,
    lists: CustomerLists,
    claims: AccessClaims,
    clean_db: asyncpg.Pool,
) -> None:
    capped = replace(lists, max_per_customer=2)
    await _member_of(timed_services, tenant, claims, "Gold")
    await capped.add_own(claims, ME, [favourite("1")])

    with pytest.raises(ListLimitReached):
        await capped.add_own(claims, ME, [favourite("2"), favourite("3")])
    await capped.add_own(claims, ME, [favourite("1", position=4), favourite("2")])

    assert await clean_db.fetchval("SELECT count(*) FROM customer_list_items") == 2


async def test_racing_adds_never_pass_the_cap(
    lists: CustomerLists, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    capped = replace(lists, max_per_customer=3)

    results = await asyncio.gather(
        *(capped.add_own(claims, ME, [favourite(str(n))]) for n in range(10)),
        return_exceptions=True,
    )

    assert sum(isinstance(r, ListLimitReached) for r in results) == 7
    assert sum(r is None for r in results) == 3
    assert await clean_db.fetchval("SELECT count(*) FROM customer_list_items") == 3


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
    clean_db: asyncpg.Pool,
    draft: ListItemDraft,
    problem: FieldProblem,
) -> None:
    with pytest.raises(FieldsInvalid) as refused:
        await lists.add_own(claims, ME, [favourite("fine"), draft])

    assert refused.value.problems == (problem,)
    assert await clean_db.fetchval("SELECT count(*) FROM customer_list_items") == 0


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
