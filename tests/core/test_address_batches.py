"""Several addresses added or deleted at once (Aimeos' POST and DELETE of a list): all or
none under the customer's row lock; other customers' addresses are ignored."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from patron.core.customers.addresses import Addresses
from patron.core.domain.commands import AddressDraft
from patron.core.domain.config import CoreConfig
from patron.core.domain.errors.forbidden import NotOwner
from patron.core.domain.errors.invalid_input import CountryInvalid
from patron.core.domain.errors.limit_reached import AddressLimitReached
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from tests.core.signed_in import signed_in
from tests.core.test_addresses import draft
from tests.fakes import MemoryServices

ME = CustomerRef.me()


@pytest.fixture
def addresses(memory: MemoryServices) -> Addresses:
    return memory.core.addresses


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    return await signed_in(memory, tenant, "sonia@example.com")


async def test_a_batch_is_added_and_every_address_returned(
    addresses: Addresses, claims: AccessClaims
) -> None:
    first = await addresses.add_own(claims, ME, draft(city="Berlin"))

    every = await addresses.add_many_own(claims, ME, [draft(city="Hamburg"), draft(city="Köln")])

    assert [a.city for a in every] == ["Berlin", "Hamburg", "Köln"]
    assert every[0] == first
    assert sum(a.is_default_shipping for a in every) == 1


@pytest.mark.parametrize(
    ("limit", "batch", "error"),
    [
        (3, [draft(), draft(country_code="XX")], CountryInvalid),
        (2, [draft(), draft()], AddressLimitReached),
    ],
)
async def test_a_refused_batch_adds_nothing(
    memory: MemoryServices,
    addresses: Addresses,
    claims: AccessClaims,
    limit: int,
    batch: list[AddressDraft],
    error: type[Exception],
) -> None:
    capped = replace(addresses, config=CoreConfig(max_addresses_per_customer=limit))
    await capped.add_own(claims, ME, draft())

    with pytest.raises(error):
        await capped.add_many_own(claims, ME, batch)

    assert len(memory.store.addresses()) == 1


async def test_deleting_many_ignores_what_is_not_the_bearers(
    memory: MemoryServices,
    tenant: Tenant,
    addresses: Addresses,
    claims: AccessClaims,
) -> None:
    other = await signed_in(memory, tenant, "other@example.com")
    theirs = await addresses.add_own(other, ME, draft())
    keep, gone, also_gone = await addresses.add_many_own(claims, ME, [draft(), draft(), draft()])

    await addresses.delete_many_own(
        claims, ME, [gone.uuid, theirs.uuid, uuid.uuid4(), also_gone.uuid]
    )

    assert await addresses.list_own(claims, ME) == [keep]
    assert await addresses.list_own(other, ME) == [theirs]


async def test_batches_refuse_another_customers_number(
    addresses: Addresses, claims: AccessClaims
) -> None:
    theirs = CustomerRef.by_number("DE--999")

    with pytest.raises(NotOwner):
        await addresses.add_many_own(claims, theirs, [draft()])
    with pytest.raises(NotOwner):
        await addresses.delete_many_own(claims, theirs, [uuid.uuid4()])
