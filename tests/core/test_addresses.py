"""Address use cases: ownership, countries, the cap, defaults, and reads in one query."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from typing import Any

import asyncpg
import pytest

from patron.core.customers.addresses import Addresses
from patron.core.domain.commands import AddressChange, AddressDraft
from patron.core.domain.config import CoreConfig
from patron.core.domain.errors.conflict import AddressConflict
from patron.core.domain.errors.forbidden import NotOwner
from patron.core.domain.errors.invalid_input import CountryInvalid
from patron.core.domain.errors.limit_reached import AddressLimitReached
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import AccessClaims, Salutation
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.ports.customers import NewAddress
from patron.services import Services
from patron.storage.addresses import PgAddressReads
from patron.storage.uow import PgUnitOfWork
from tests.conftest import FrozenClock, registration_for


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


async def signed_in(
    services: Services, tenant: Tenant, pool: asyncpg.Pool, email: str
) -> AccessClaims:
    await services.core.accounts.register(tenant, registration_for(email))
    await pool.execute(
        "UPDATE customers SET email_verified_at = now() WHERE email = $1", email.lower()
    )
    pair = await services.core.auth.login(tenant, email, "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


class CountingPool:
    """Passes statements on to the real pool and remembers each one."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self.statements: list[str] = []

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        self.statements.append(query)
        return await self._pool.fetch(query, *args)

    async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None:
        self.statements.append(query)
        return await self._pool.fetchrow(query, *args)


@pytest.fixture
async def claims(timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool) -> AccessClaims:
    return await signed_in(timed_services, tenant, clean_db, "sonia@example.com")


@pytest.fixture
def addresses(timed_services: Services) -> Addresses:
    return timed_services.core.addresses


async def test_addresses_of_many_customers_are_read_in_one_query(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    core = timed_services.core
    people = [
        await signed_in(timed_services, tenant, clean_db, f"c{n}@example.com") for n in range(4)
    ]
    made = {
        claims.customer_number: [
            await core.addresses.add_own(
                claims, CustomerRef.by_number(claims.customer_number), draft(city=f"City {k}")
            )
            for k in range(count)
        ]
        for claims, count in zip(people, (2, 0, 3, 1), strict=True)
    }
    customers = [
        await core.accounts.get_own(c, CustomerRef.by_number(c.customer_number)) for c in people
    ]
    counting = CountingPool(clean_db)
    batch = replace(core.addresses, address_reads=PgAddressReads(counting))  # type: ignore[arg-type]

    found = await batch.of_customers(customers)

    assert len(counting.statements) == 1
    assert "ANY($1" in counting.statements[0]
    assert set(found) == {customer.id for customer in customers}
    for customer in customers:
        expected = made[customer.customer_number]
        assert [a.uuid for a in found[customer.id]] == [a.uuid for a in expected]
        assert {a.customer_id for a in found[customer.id]} <= {customer.id}


async def test_no_customers_need_no_query(addresses: Addresses, clean_db: asyncpg.Pool) -> None:
    counting = CountingPool(clean_db)
    batch = replace(addresses, address_reads=PgAddressReads(counting))  # type: ignore[arg-type]

    assert await batch.of_customers([]) == {}
    assert counting.statements == []


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
    timed_services: Services,
    tenant: Tenant,
    clean_db: asyncpg.Pool,
    addresses: Addresses,
    claims: AccessClaims,
) -> None:
    other = await signed_in(timed_services, tenant, clean_db, "other@example.com")
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
    addresses: Addresses, claims: AccessClaims, clean_db: asyncpg.Pool, code: str
) -> None:
    number = claims.customer_number
    with pytest.raises(CountryInvalid):
        await addresses.add_own(claims, CustomerRef.by_number(number), draft(country_code=code))
    added = await addresses.add_own(claims, CustomerRef.by_number(number), draft())
    with pytest.raises(CountryInvalid):
        await addresses.update_own(
            claims, CustomerRef.by_number(number), added.uuid, AddressChange(country_code=code)
        )
    assert await clean_db.fetchval("SELECT country_code FROM addresses") == "DE"


async def test_the_cap_counts_the_customers_addresses(
    addresses: Addresses, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    capped = replace(addresses, config=CoreConfig(max_addresses_per_customer=2))
    number = claims.customer_number
    await capped.add_own(claims, CustomerRef.by_number(number), draft())
    await capped.add_own(claims, CustomerRef.by_number(number), draft())

    with pytest.raises(AddressLimitReached) as refused:
        await capped.add_own(claims, CustomerRef.by_number(number), draft())

    assert refused.value.limit == 2
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 2


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


async def test_the_database_refuses_a_second_default_as_a_domain_error(
    addresses: Addresses, claims: AccessClaims, clean_db: asyncpg.Pool, clock: FrozenClock
) -> None:
    """The backstop behind the customer-row lock never surfaces as a raw UniqueViolation."""
    first = await addresses.add_own(claims, CustomerRef.by_number(claims.customer_number), draft())

    async with PgUnitOfWork(clean_db) as uow:
        with pytest.raises(AddressConflict):
            await uow.addresses.add(
                NewAddress(
                    customer_id=first.customer_id,
                    uuid=uuid.uuid4(),
                    draft=draft(is_default_shipping=True, is_default_billing=False),
                    now=clock(),
                )
            )
    async with PgUnitOfWork(clean_db) as uow:
        second = await uow.addresses.add(
            NewAddress(
                customer_id=first.customer_id,
                uuid=uuid.uuid4(),
                draft=draft(is_default_shipping=False, is_default_billing=False),
                now=clock(),
            )
        )
        with pytest.raises(AddressConflict):
            await uow.addresses.update(second.id, {"is_default_billing": True}, now=clock())


async def test_tokens_from_before_anonymization_reach_no_address(
    timed_services: Services, addresses: Addresses, claims: AccessClaims, clock: FrozenClock
) -> None:
    number = claims.customer_number
    await addresses.add_own(claims, CustomerRef.by_number(number), draft())
    clock.advance(seconds=1)

    await timed_services.core.accounts.anonymize_own(claims, CustomerRef.by_number(number))

    with pytest.raises(InvalidAccessToken):
        await addresses.list_own(claims, CustomerRef.by_number(number))
    with pytest.raises(InvalidAccessToken):
        await addresses.add_own(claims, CustomerRef.by_number(number), draft())


async def test_concurrent_new_defaults_leave_exactly_one(
    addresses: Addresses, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    me = CustomerRef.me()

    await asyncio.gather(
        *(addresses.add_own(claims, me, draft(is_default_shipping=True)) for _ in range(10))
    )

    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 10
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_shipping") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_billing") == 1


async def test_concurrent_changes_to_default_leave_exactly_one(
    addresses: Addresses, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    me = CustomerRef.me()
    made = [await addresses.add_own(claims, me, draft()) for _ in range(6)]
    promote = AddressChange(is_default_shipping=True, is_default_billing=True)

    await asyncio.gather(*(addresses.update_own(claims, me, a.uuid, promote) for a in made))

    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_shipping") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_billing") == 1


async def test_concurrent_adds_never_pass_the_cap(
    addresses: Addresses, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    capped = replace(addresses, config=CoreConfig(max_addresses_per_customer=2))

    results = await asyncio.gather(
        *(capped.add_own(claims, CustomerRef.me(), draft()) for _ in range(6)),
        return_exceptions=True,
    )

    assert sum(isinstance(r, AddressLimitReached) for r in results) == 4
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 2
