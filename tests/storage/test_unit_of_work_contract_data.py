"""The contract of availability, properties, list items and groups inside a unit of
work, run on the in-memory fake and on PostgreSQL alike (see `test_unit_of_work_contract`)."""

from __future__ import annotations

import uuid

import pytest

from patron.core.domain.commands import ListItemChange, ListItemDraft, PropertyChange, PropertyDraft
from patron.core.domain.errors.conflict import GroupNameTaken, PropertyExists, SubscriptionExists
from patron.core.domain.errors.not_found import ProductNotFound
from patron.core.domain.model import GROUP_DOMAIN
from patron.core.ports.customers import NewSubscription
from tests.storage.backends import Backend
from tests.storage.test_unit_of_work_contract import NOW, added, new_customer


def subscription(sku: str, email: str, customer_id: int | None = None) -> NewSubscription:
    return NewSubscription(
        tenant_id=1,
        key=uuid.uuid4().hex,
        sku=sku,
        email=email,
        customer_id=customer_id,
        locale="en_US",
        now=NOW,
    )


async def test_a_subscription_needs_a_registered_sku_and_is_one_per_address(
    backend: Backend,
) -> None:
    async with backend.uow() as uow:
        with pytest.raises(ProductNotFound):
            await uow.availability.add_subscription(subscription("NOPE", "a@example.com"))
    async with backend.uow() as uow:
        product, became = await uow.availability.set_product(
            1, "SKU", available=False, name="Lamp", now=NOW
        )
        first = await uow.availability.add_subscription(subscription("SKU", "a@example.com"))
        with pytest.raises(SubscriptionExists):
            await uow.availability.add_subscription(subscription("SKU", "A@example.com"))

    assert (product.name, product.is_available, became) == ("Lamp", False, False)
    assert (first.sku, first.email, first.customer_id) == ("SKU", "a@example.com", None)


async def test_a_return_closes_the_skus_subscriptions_once(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("s@example.com"))

    async with backend.uow() as uow:
        await uow.availability.set_product(1, "SKU", available=False, name="Lamp", now=NOW)
        await uow.availability.set_product(1, "OTHER", available=False, name=None, now=NOW)
        mine = await uow.availability.add_subscription(
            subscription("SKU", "s@example.com", customer.id)
        )
        guest = await uow.availability.add_subscription(subscription("SKU", "g@example.com"))
        other = await uow.availability.add_subscription(subscription("OTHER", "g@example.com"))
        renamed, became = await uow.availability.set_product(
            1, "SKU", available=True, name=None, now=NOW
        )
        _, again = await uow.availability.set_product(1, "SKU", available=True, name=None, now=NOW)
        closed = await uow.availability.close_subscriptions(1, "SKU")
        assert await uow.availability.close_subscriptions(1, "SKU") == []
        assert await uow.availability.remove_subscription(1, other.key)
        assert not await uow.availability.remove_subscription(1, other.key)

    assert (renamed.name, became, again) == ("Lamp", True, False)
    assert closed == [mine, guest]


async def test_a_customers_subscriptions_go_with_guest_ones_to_their_address(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("c@example.com"))

    async with backend.uow() as uow:
        await uow.availability.set_product(1, "A", available=False, name=None, now=NOW)
        await uow.availability.set_product(1, "B", available=False, name=None, now=NOW)
        await uow.availability.add_subscription(subscription("A", "x@example.com", customer.id))
        await uow.availability.add_subscription(subscription("B", "C@example.com"))
        kept = await uow.availability.add_subscription(subscription("A", "k@example.com"))
        await uow.availability.remove_for_customer(customer.id, "c@example.com")
        left = await uow.availability.close_subscriptions(1, "A")
        left += await uow.availability.close_subscriptions(1, "B")

    assert left == [kept]


async def test_properties_are_unique_per_customer_and_kept_in_id_order(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("p@example.com"))

    async with backend.uow() as uow:
        for value in ("a", "b", "a"):
            await uow.properties.add(customer.id, PropertyDraft(type="t", value=value), NOW)
        await uow.properties.add(
            customer.id, PropertyDraft(type="t", value="a", language="de"), NOW
        )
        first, second, third = await uow.properties.of_customer(customer.id)
        await uow.commit()
    async with backend.uow() as uow:
        with pytest.raises(PropertyExists):
            await uow.properties.update(second.id, PropertyChange(value="a"))
    async with backend.uow() as uow:
        changed = await uow.properties.update(second.id, PropertyChange(value="c"))
        await uow.properties.delete(customer.id, [third.id, third.id + 100])
        await uow.commit()

    assert [(p.value, p.language) for p in (first, second, third)] == [
        ("a", None),
        ("b", None),
        ("a", "de"),
    ]
    assert changed.value == "c"
    assert [p.value for p in await backend.data.properties_of(customer.id)] == ["a", "c"]


async def test_list_items_are_one_per_key_and_memberships_show_among_them(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("l@example.com"))

    async with backend.uow() as uow:
        group = await uow.groups.add(1, uuid.uuid4(), "VIP", {"tier": 1}, NOW)
        with pytest.raises(GroupNameTaken):
            await uow.groups.add(1, uuid.uuid4(), "VIP", {}, NOW)
    async with backend.uow() as uow:
        group = await uow.groups.add(1, uuid.uuid4(), "VIP", {"tier": 1}, NOW)
        await uow.groups.add_members(group.id, [customer.id, customer.id], NOW)
        await uow.lists.upsert(customer.id, ListItemDraft(domain="product", ref_id="1"), NOW)
        await uow.lists.upsert(
            customer.id, ListItemDraft(domain="product", ref_id="1", position=3), NOW
        )
        await uow.lists.upsert(customer.id, ListItemDraft(domain="product", ref_id="2"), NOW)
        by_ref = {i.ref_id: i for i in await uow.lists.of_customer(customer.id)}
        one, two = by_ref["1"], by_ref["2"]
        moved = await uow.lists.update(two.id, ListItemChange(ref_id="1"), NOW)
        await uow.commit()

    items = await backend.data.list_items_of(customer.id, None)
    assert [(i.domain, i.ref_id, i.position) for i in items] == [
        (GROUP_DOMAIN, str(group.id), 0),
        ("product", "1", 0),
    ]
    assert items[1] == moved and one.position == 3
    assert await backend.data.list_items_of(customer.id, ["product"]) == [moved]
    assert await backend.data.groups_by_id(1, [group.id]) == [group]


async def test_memberships_are_set_exactly_and_end_with_the_group(backend: Backend) -> None:
    a, b = await added(backend, new_customer("a@example.com"), new_customer("b@example.com"))

    async with backend.uow() as uow:
        one = await uow.groups.add(1, uuid.uuid4(), "One", {}, NOW)
        two = await uow.groups.add(1, uuid.uuid4(), "Two", {}, NOW)
        found = await uow.groups.customer_ids(1, [a.uuid, b.uuid, uuid.uuid4()])
        assert await uow.groups.group_ids(1, [one.uuid, uuid.uuid4()]) == {one.uuid: one.id}
        await uow.groups.set_groups_of(a.id, [one.id, two.id], NOW)
        await uow.groups.add_members(one.id, [b.id], NOW)
        await uow.groups.remove_members(one.id, [b.id, b.id + 100])
        await uow.groups.set_groups_of(a.id, [two.id], NOW)
        renamed = await uow.groups.update(two.id, name="Second", now=NOW)
        assert await uow.groups.get(1, two.uuid, for_update=True) == renamed
        assert await uow.groups.group_ids_of(a.id) == frozenset({two.id})
        assert await uow.groups.delete(1, two.uuid)
        assert not await uow.groups.delete(1, two.uuid)
        assert await uow.groups.group_ids_of(a.id) == frozenset()
        await uow.commit()

    assert found == {a.uuid: a.id, b.uuid: b.id}
    assert await backend.groups.groups_of([a.id, b.id]) == {a.id: [], b.id: []}
    assert await backend.groups.get(1, one.uuid) == one


async def test_the_back_office_finds_a_customer_by_uuid_or_number_with_its_groups(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("b@example.com", number="DE--5"))
    async with backend.uow() as uow:
        group = await uow.groups.add(1, uuid.uuid4(), "Company", {}, NOW)
        await uow.groups.add_members(group.id, [customer.id], NOW)
        await uow.commit()

    assert await backend.search.by_uuid(1, customer.uuid) == customer
    assert await backend.search.by_uuid(2, customer.uuid) is None
    assert await backend.search.by_number(1, "DE--5") == (customer, frozenset({group.id}))
    assert await backend.search.by_number(1, "DE--6") is None
