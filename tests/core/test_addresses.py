"""Address use cases: ownership, countries, the cap, defaults, and reads in one query."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from patron.core.customers.addresses import Addresses
from patron.core.domain.commands import AddressChange, AddressDraft
from patron.core.domain.config import CoreConfig
from patron.core.domain.errors.forbidden import NotOwner
from patron.core.domain.errors.invalid_input import CountryInvalid
from patron.core.domain.errors.limit_reached import AddressLimitReached
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import AccessClaims, Salutation
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from tests.conftest import FrozenClock
from tests.core.signed_in import signed_in
from tests.fakes import MemoryServices


def draft(**overrides: Any) -> AddressDraft:
    values: dict[str, Any] = {
        "salutation": Salutation.MS,
        "first_name": "Sonia",
        "last_name": "Wagner",
        "address1": "Julie-Wolfthorn-Str. 1",
        "address2": "1",
        "zip_code": "10115",
        "city": "Berlin",
        "country_code": "DE",
        **overrides,
    }
    return AddressDraft(**values)


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    return await signed_in(memory, tenant, "sonia@example.com")


@pytest.fixture
def addresses(memory: MemoryServices) -> Addresses:
    return memory.core.addresses


async def test_add_read_change_and_delete_an_address(
    addresses: Addresses, claims: AccessClaims, clock: FrozenClock
) -> None:
    number = claims.customer_number
    added = await addresses.add_own(
        claims, CustomerRef.by_number(number), draft(country_code="de", company="ACME")
    )
    clock.advance(seconds=5)

    changed = await addresses.update_own(
        claims,
        CustomerRef.by_number(number),
        added.uuid,
        AddressChange(city="Potsdam", company=None),
    )
    unchanged = await addresses.update_own(
        claims, CustomerRef.by_number(number), added.uuid, AddressChange()
    )
    listed = await addresses.list_own(claims, CustomerRef.by_number(number))
    await addresses.delete_own(claims, CustomerRef.by_number(number), added.uuid)

    assert added.country_code == "DE"
    assert (added.is_default_shipping, added.is_default_billing) == (True, True)
    assert (changed.city, changed.company, changed.first_name) == ("Potsdam", None, "Sonia")
    assert changed.version == added.version + 1
    assert changed.updated_at > added.updated_at == added.created_at
    assert unchanged == changed
    assert listed == [changed]
    assert await addresses.list_own(claims, CustomerRef.by_number(number)) == []
    with pytest.raises(AddressNotFound):
        await addresses.get_own(claims, CustomerRef.by_number(number), added.uuid)


async def test_every_use_case_refuses_another_customers_number(
    addresses: Addresses, claims: AccessClaims
) -> None:
    some_uuid = uuid.uuid4()
    attempts = [
        addresses.list_own(claims, CustomerRef.by_number("DE--999")),
        addresses.get_own(claims, CustomerRef.by_number("DE--999"), some_uuid),
        addresses.add_own(claims, CustomerRef.by_number("DE--999"), draft()),
        addresses.update_own(
            claims, CustomerRef.by_number("DE--999"), some_uuid, AddressChange(city="X")
        ),
        addresses.delete_own(claims, CustomerRef.by_number("DE--999"), some_uuid),
    ]
    for attempt in attempts:
        with pytest.raises(NotOwner):
            await attempt


async def test_another_customers_address_is_not_found(
    memory: MemoryServices,
    tenant: Tenant,
    addresses: Addresses,
    claims: AccessClaims,
) -> None:
    other = await signed_in(memory, tenant, "other@example.com")
    theirs = await addresses.add_own(other, CustomerRef.by_number(other.customer_number), draft())
    mine = claims.customer_number

    with pytest.raises(AddressNotFound):
        await addresses.get_own(claims, CustomerRef.by_number(mine), theirs.uuid)
    with pytest.raises(AddressNotFound):
        await addresses.update_own(
            claims, CustomerRef.by_number(mine), theirs.uuid, AddressChange(city="Mine now")
        )
    with pytest.raises(AddressNotFound):
        await addresses.delete_own(claims, CustomerRef.by_number(mine), theirs.uuid)
    assert await addresses.list_own(other, CustomerRef.by_number(other.customer_number)) == [theirs]


@pytest.mark.parametrize("code", ["XX", "DEU", "", "D"])
async def test_a_country_must_be_real(
    memory: MemoryServices, addresses: Addresses, claims: AccessClaims, code: str
) -> None:
    number = claims.customer_number
    with pytest.raises(CountryInvalid):
        await addresses.add_own(claims, CustomerRef.by_number(number), draft(country_code=code))
    added = await addresses.add_own(claims, CustomerRef.by_number(number), draft())
    with pytest.raises(CountryInvalid):
        await addresses.update_own(
            claims, CustomerRef.by_number(number), added.uuid, AddressChange(country_code=code)
        )
    assert [a.country_code for a in memory.store.addresses()] == ["DE"]


async def test_the_cap_counts_the_customers_addresses(
    memory: MemoryServices, addresses: Addresses, claims: AccessClaims
) -> None:
    capped = replace(addresses, config=CoreConfig(max_addresses_per_customer=2))
    number = claims.customer_number
    await capped.add_own(claims, CustomerRef.by_number(number), draft())
    await capped.add_own(claims, CustomerRef.by_number(number), draft())

    with pytest.raises(AddressLimitReached) as refused:
        await capped.add_own(claims, CustomerRef.by_number(number), draft())

    assert refused.value.limit == 2
    assert len(memory.store.addresses()) == 2


async def test_defaults_move_but_are_never_promoted(
    addresses: Addresses, claims: AccessClaims
) -> None:
    number = claims.customer_number
    first = await addresses.add_own(
        claims, CustomerRef.by_number(number), draft()
    )  # the first: default anyway
    second = await addresses.add_own(
        claims, CustomerRef.by_number(number), draft(is_default_billing=True)
    )

    await addresses.update_own(
        claims, CustomerRef.by_number(number), second.uuid, AddressChange(is_default_billing=False)
    )
    flags = {
        a.uuid: (a.is_default_shipping, a.is_default_billing)
        for a in await addresses.list_own(claims, CustomerRef.by_number(number))
    }

    assert (first.is_default_shipping, first.is_default_billing) == (True, True)
    assert (second.is_default_shipping, second.is_default_billing) == (False, True)
    assert flags == {first.uuid: (True, False), second.uuid: (False, False)}


async def test_tokens_from_before_anonymization_reach_no_address(
    memory: MemoryServices, addresses: Addresses, claims: AccessClaims, clock: FrozenClock
) -> None:
    number = claims.customer_number
    await addresses.add_own(claims, CustomerRef.by_number(number), draft())
    clock.advance(seconds=1)

    await memory.core.accounts.anonymize_own(claims, CustomerRef.by_number(number))

    with pytest.raises(InvalidAccessToken):
        await addresses.list_own(claims, CustomerRef.by_number(number))
    with pytest.raises(InvalidAccessToken):
        await addresses.add_own(claims, CustomerRef.by_number(number), draft())
