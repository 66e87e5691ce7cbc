"""A customer's properties, on real PostgreSQL: all-or-none writes, twins kept once,
ownership, the cap under a real race, and the text rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from patron.core.customers.properties import CustomerProperties
from patron.core.domain.commands import PropertyChange, PropertyDraft
from patron.core.domain.errors.conflict import PropertyExists
from patron.core.domain.errors.forbidden import NotOwner
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid
from patron.core.domain.errors.limit_reached import PropertyLimitReached
from patron.core.domain.errors.not_found import PropertyNotFound
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from tests.core.signed_in import signed_in
from tests.fakes import MemoryServices

ME = CustomerRef.me()


@pytest.fixture
def properties(memory: MemoryServices) -> CustomerProperties:
    return memory.core.properties


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    return await signed_in(memory, tenant, "sonia@example.com")


async def test_properties_are_added_read_changed_and_deleted(
    properties: CustomerProperties, claims: AccessClaims
) -> None:
    added = await properties.add_own(
        claims,
        ME,
        [
            PropertyDraft(type="limit", value="1000"),
            PropertyDraft(type="note", value="Hallo", language="DE_ch"),
        ],
    )
    limit, note = added
    changed = await properties.update_own(claims, ME, limit.id, PropertyChange(value="2000"))
    unchanged = await properties.update_own(claims, ME, note.id, PropertyChange())
    await properties.delete_own(claims, ME, [note.id])

    assert [(p.type, p.language, p.value) for p in added] == [
        ("limit", None, "1000"),
        ("note", "de_CH", "Hallo"),
    ]
    assert {p.customer_id for p in added} == {claims.customer_id}
    assert (changed.id, changed.type, changed.value) == (limit.id, "limit", "2000")
    assert unchanged == note
    assert await properties.list_own(claims, ME) == [changed]


async def test_an_identical_property_is_kept_once(
    properties: CustomerProperties, claims: AccessClaims, memory: MemoryServices
) -> None:
    twice = [PropertyDraft(type="limit", value="1000")] * 2
    await properties.add_own(claims, ME, twice)

    again = await properties.add_own(
        claims,
        ME,
        [PropertyDraft(type="limit", value="1000"), PropertyDraft(type="limit", value="5")],
    )

    assert [(p.type, p.language, p.value) for p in again] == [
        ("limit", None, "1000"),
        ("limit", None, "5"),
    ]
    assert len(memory.store.tables.properties) == 2


async def test_a_change_into_a_twin_is_refused_and_changes_nothing(
    properties: CustomerProperties, claims: AccessClaims
) -> None:
    first, second = await properties.add_own(
        claims, ME, [PropertyDraft(type="t", value="a"), PropertyDraft(type="t", value="b")]
    )

    with pytest.raises(PropertyExists):
        await properties.update_own(claims, ME, second.id, PropertyChange(value="a"))

    assert await properties.list_own(claims, ME) == [first, second]


async def test_another_customers_properties_are_not_found_and_not_deleted(
    memory: MemoryServices,
    tenant: Tenant,
    properties: CustomerProperties,
    claims: AccessClaims,
) -> None:
    other = await signed_in(memory, tenant, "other@example.com")
    (theirs,) = await properties.add_own(other, ME, [PropertyDraft(type="t", value="theirs")])

    with pytest.raises(PropertyNotFound):
        await properties.update_own(claims, ME, theirs.id, PropertyChange(value="mine now"))
    await properties.delete_own(claims, ME, [theirs.id, 2**70, -1])

    assert await properties.list_own(other, ME) == [theirs]
    assert await properties.list_own(claims, ME) == []


async def test_every_use_case_refuses_another_customers_number(
    properties: CustomerProperties, claims: AccessClaims
) -> None:
    theirs = CustomerRef.by_number("DE--999")
    attempts = [
        properties.list_own(claims, theirs),
        properties.add_own(claims, theirs, [PropertyDraft(type="t", value="v")]),
        properties.update_own(claims, theirs, 1, PropertyChange(value="v")),
        properties.delete_own(claims, theirs, [1]),
    ]
    for attempt in attempts:
        with pytest.raises(NotOwner):
            await attempt


async def test_a_batch_past_the_cap_writes_nothing(
    properties: CustomerProperties, claims: AccessClaims, memory: MemoryServices
) -> None:
    capped = replace(properties, max_per_customer=3)
    await capped.add_own(claims, ME, [PropertyDraft(type="t", value="1")])

    with pytest.raises(PropertyLimitReached):
        await capped.add_own(
            claims, ME, [PropertyDraft(type="t", value=str(n)) for n in range(2, 5)]
        )
    # A twin of a stored one takes no place.
    await capped.add_own(claims, ME, [PropertyDraft(type="t", value=str(n)) for n in range(1, 4)])

    assert len(memory.store.tables.properties) == 3


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (PropertyDraft(type="", value="v"), FieldProblem("type", FieldRule.INVALID)),
        (PropertyDraft(type="t" * 65, value="v"), FieldProblem("type", FieldRule.TOO_LONG, 64)),
        (PropertyDraft(type="t", value="v" * 256), FieldProblem("value", FieldRule.TOO_LONG, 255)),
        (PropertyDraft(type="t", value="a\x00b"), FieldProblem("value", FieldRule.CHARACTERS)),
        (
            PropertyDraft(type="t", value="v", language="deutsch"),
            FieldProblem("language", FieldRule.INVALID),
        ),
        (
            PropertyDraft(type="t", value="v", language="de-CH"),
            FieldProblem("language", FieldRule.INVALID),
        ),
    ],
)
async def test_text_rules_refuse_the_whole_batch(
    properties: CustomerProperties,
    claims: AccessClaims,
    memory: MemoryServices,
    draft: PropertyDraft,
    problem: FieldProblem,
) -> None:
    with pytest.raises(FieldsInvalid) as refused:
        await properties.add_own(claims, ME, [PropertyDraft(type="fine", value="v"), draft])

    assert refused.value.problems == (problem,)
    assert len(memory.store.tables.properties) == 0


async def test_an_empty_value_is_a_value(
    properties: CustomerProperties, claims: AccessClaims
) -> None:
    (stored,) = await properties.add_own(claims, ME, [PropertyDraft(type="flag", value="")])

    assert (stored.type, stored.value) == ("flag", "")
