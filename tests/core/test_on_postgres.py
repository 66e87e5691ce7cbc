"""Core behaviour whose proof is PostgreSQL's: reads in one statement, the unique index
behind the customer-row lock, delivery from the outbox table, a dialect over the same
rows. Every other core rule is tested on the in-memory fake (`memory`)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import asyncpg
import httpx
import pytest

from patron.core.customers.addresses import Addresses
from patron.core.domain.commands import AddressChange, GroupChange
from patron.core.domain.errors.conflict import AddressConflict
from patron.core.domain.errors.not_found import CustomerNotFound, CustomersNotFound, GroupNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken, InvalidCredentials
from patron.core.domain.model import AccessClaims
from patron.core.domain.queries import Comparison, CustomerQuery, GroupQuery, Page, Sort, TimeBound
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.ports.customers import NewAddress
from patron.mail.delivery import OutboxDelivery, SmtpSender
from patron.services import Services
from patron.storage.addresses import PgAddressReads
from patron.storage.uow import PgUnitOfWork
from tests.conftest import FrozenClock, registration_for
from tests.core.back_office_callers import principal_of, second_tenant
from tests.core.signed_in import signed_in_on_postgres
from tests.core.test_addresses import draft
from tests.core.test_back_office_races import members_on_postgres
from tests.core.test_guests import EMAIL, admin_create
from tests.core.test_lists import favourite
from tests.smtp import smtp_server


async def test_the_notification_is_delivered_by_smtp(
    timed_services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    availability = timed_services.core.availability
    await availability.set_availability(tenant, "SKU-1", available=False, name="Desk lamp")
    await availability.subscribe(tenant, sku="SKU-1", email="g@example.com", locale="en_US")
    await availability.set_availability(tenant, "SKU-1", available=True)

    with smtp_server() as (inbox, port):
        sender = SmtpSender(host="127.0.0.1", port=port, sender="shop@example.com", timeout=5)
        delivery = OutboxDelivery(timed_services.outbox, sender, clock=clock, max_attempts=3)
        sent = await delivery.deliver_due()

    assert sent == 1
    (message,) = inbox.messages
    assert message["To"] == "g@example.com"
    assert message["Subject"] == "Desk lamp is available again"
    assert "Desk lamp (SKU SKU-1) is available again" in message.get_payload()


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


async def test_addresses_of_many_customers_are_read_in_one_query(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    core = timed_services.core
    people = [
        await signed_in_on_postgres(timed_services, tenant, clean_db, f"c{n}@example.com")
        for n in range(4)
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


async def test_no_customers_need_no_query(
    postgres_addresses: Addresses, clean_db: asyncpg.Pool
) -> None:
    counting = CountingPool(clean_db)
    batch = replace(postgres_addresses, address_reads=PgAddressReads(counting))  # type: ignore[arg-type]

    assert await batch.of_customers([]) == {}
    assert counting.statements == []


async def test_the_database_refuses_a_second_default_as_a_domain_error(
    postgres_addresses: Addresses,
    postgres_claims: AccessClaims,
    clean_db: asyncpg.Pool,
    clock: FrozenClock,
) -> None:
    """The backstop behind the customer-row lock never surfaces as a raw UniqueViolation."""
    first = await postgres_addresses.add_own(
        postgres_claims, CustomerRef.by_number(postgres_claims.customer_number), draft()
    )

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
            await uow.addresses.update(
                second.id, AddressChange(is_default_billing=True), now=clock()
            )


async def test_a_guest_neither_blocks_a_glue_registration_nor_logs_in_nor_gets_a_reset(
    services: Services, client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    tenant = await services.core.tenants.get("default")
    guest = await admin_create(services.core, tenant, EMAIL, None)
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")

    await services.core.passwords.request_reset(tenant, EMAIL).run()
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 0
    with pytest.raises(InvalidCredentials):
        await services.core.auth.login(tenant, EMAIL, "", client_ip=None)
    registered = await client.post(
        "/glue/customers",
        json={
            "data": {
                "type": "customers",
                "attributes": {
                    "email": EMAIL,
                    "password": "change123",
                    "confirmPassword": "change123",
                    "acceptedTerms": True,
                    "salutation": "Mr",
                    "gender": "Male",
                    "firstName": "Reg",
                    "lastName": "Istered",
                },
            }
        },
    )
    assert registered.status_code == 201, registered.text
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    await clean_db.execute("DELETE FROM outbox")
    await services.core.passwords.request_reset(tenant, EMAIL).run()
    _, pair = await services.core.auth.login(tenant, EMAIL, "change123", client_ip=None)

    reset_to = await clean_db.fetch("SELECT customer_id FROM outbox")
    claims = services.core.auth.verify(pair.access_token, tenant)
    assert claims.customer_id != guest.id
    assert [row["customer_id"] for row in reset_to] == [claims.customer_id]


async def test_a_key_repeated_in_one_batch_is_written_once_as_its_last(
    timed_services: Services, postgres_claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    lists, me = timed_services.core.lists, CustomerRef.me()
    # clean_db DELETEs, which leaves dead row versions; the ctid below needs a fresh page.
    await clean_db.execute("TRUNCATE customer_list_items")
    await lists.add_own(postgres_claims, me, [favourite("1", position=n) for n in range(50)])

    (item,) = (await lists.list_own(postgres_claims, me, None)).items
    assert item.position == 49
    # Every write of a row leaves a new row version: one write, one version, the first
    # slot of the (freshly truncated) table's first page.
    assert await clean_db.fetchval("SELECT ctid::text FROM customer_list_items") == "(0,1)"


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
    assert await members_on_postgres(clean_db, theirs.uuid) == [their_customer.id]
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 2


async def test_a_customer_is_read_by_uuid_within_the_tenant_only(
    timed_services: Services, tenant: Tenant
) -> None:
    admin_core = timed_services.core.customer_admin
    other = await second_tenant(timed_services.core.tenant_admin)
    mine = await timed_services.core.accounts.register(tenant, registration_for("m@example.com"))
    theirs = await timed_services.core.accounts.register(other, registration_for("t@example.com"))

    read = await admin_core.get(principal_of(tenant), tenant, mine.uuid)

    assert read == mine
    with pytest.raises(CustomerNotFound):
        await admin_core.get(principal_of(tenant), tenant, theirs.uuid)
    with pytest.raises(CustomerNotFound):
        await admin_core.get(principal_of(tenant), tenant, uuid4())
    listed, count = await admin_core.search(principal_of(tenant), tenant, CustomerQuery())
    assert ([c.uuid for c in listed], count) == ([mine.uuid], 1)
    with pytest.raises(InvalidAccessToken):
        await admin_core.get(principal_of(other), tenant, mine.uuid)
