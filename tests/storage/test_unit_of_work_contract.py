"""The contract of the unit of work and the customer repository, run on the in-memory fake
of the core tests and on PostgreSQL alike: what the core relies on, so neither drifts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from patron.core.domain.commands import Registration
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.errors.conflict import (
    CodeTaken,
    CustomerNumberTaken,
    EmailTaken,
    GuestExists,
)
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.model import Customer, OutgoingMail
from patron.core.domain.password_migration import LEGACY_HASH_PREFIX, MigrationWindow
from patron.core.domain.tenants import TenantSettings
from patron.core.ports.back_office import BackOfficeReads, CustomerSearch, GroupReads
from patron.core.ports.customers import (
    AddressReads,
    Anonymization,
    AvailabilityReads,
    CustomerDataReads,
    CustomerReads,
    NewCustomer,
)
from patron.core.ports.security import SessionStore
from patron.core.ports.unit_of_work import TenantDirectory, TenantRepository, UnitOfWork
from patron.security.throttle import Counters
from tests.fakes.adapters import MemoryCounters, MemorySessions, MemoryTenants
from tests.fakes.addresses import MemoryAddressReads
from tests.fakes.availability import MemoryAvailabilityReads
from tests.fakes.back_office import MemoryBackOfficeReads
from tests.fakes.customer_data import MemoryCustomerDataReads
from tests.fakes.customers import MemoryCustomerReads
from tests.fakes.groups import MemoryCustomerSearch, MemoryGroupReads
from tests.fakes.store import DEFAULT_TENANT_SETTINGS, MemoryStore
from tests.fakes.uow import MemoryUnitOfWork
from tests.storage.backends import Backend

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def new_customer(
    email: str, *, number: str | None = None, has_account: bool = True, code: str | None = None
) -> NewCustomer:
    return NewCustomer(
        tenant_id=1,
        uuid=uuid.uuid4(),
        customer_number=number or f"N-{uuid.uuid4().hex[:8]}",
        email=email,
        password_hash="hash" if has_account else None,
        registration=Registration(email=email, first_name="Ada", code=code),
        is_active=True,
        on_hold=False,
        terms_accepted_at=None,
        now=NOW,
        has_account=has_account,
    )


async def added(backend: Backend, *news: NewCustomer) -> list[Customer]:
    async with backend.uow() as uow:
        customers = [await uow.customers.add(new) for new in news]
        await uow.commit()
    return customers


def test_the_fake_implements_the_ports() -> None:
    """mypy checks these assignments: a port the fake no longer matches fails lint."""
    store = MemoryStore(NOW)
    uow: UnitOfWork = MemoryUnitOfWork(store)
    customers: CustomerReads = MemoryCustomerReads(store)
    addresses: AddressReads = MemoryAddressReads(store)
    availability: AvailabilityReads = MemoryAvailabilityReads(store)
    data: CustomerDataReads = MemoryCustomerDataReads(store)
    groups: GroupReads = MemoryGroupReads(store)
    search: CustomerSearch = MemoryCustomerSearch(store)
    staff: BackOfficeReads = MemoryBackOfficeReads(store)
    directory: TenantDirectory = MemoryTenants(store)
    admin: TenantRepository = MemoryTenants(store)
    sessions: SessionStore = MemorySessions()
    counters: Counters = MemoryCounters()
    parts = (uow, customers, addresses, availability, data, groups, search, staff)
    assert all(part is not None for part in (*parts, directory, admin, sessions, counters))


async def test_the_default_tenant_is_the_migrations(backend: Backend) -> None:
    tenant = await backend.tenants.get("default")

    assert (tenant.id, tenant.code, tenant.name) == (1, "default", "Default")
    assert tenant.settings == TenantSettings.from_json(DEFAULT_TENANT_SETTINGS)


async def test_an_exit_without_commit_leaves_nothing(backend: Backend) -> None:
    async with backend.uow() as uow:
        customer = await uow.customers.add(new_customer("gone@example.com"))
        await uow.outbox.enqueue(1, OutgoingMail("gone@example.com", "Hi", "body", "welcome"))
        assert await uow.customers.get(customer.id) == customer

    async with backend.uow() as uow:
        assert await uow.customers.get(customer.id) is None
    assert await backend.customers.password_hash(customer.id) is None
    assert await backend.mails() == []


async def test_an_error_inside_rolls_back(backend: Backend) -> None:
    with pytest.raises(RuntimeError):
        async with backend.uow() as uow:
            await uow.customers.add(new_customer("boom@example.com"))
            raise RuntimeError("boom")

    found = await backend.customers.credentials_by_email(
        1, "boom@example.com", confirmation_required=False
    )
    assert found is None


async def test_reads_outside_see_only_committed_rows(backend: Backend) -> None:
    async with backend.uow() as uow:
        customer = await uow.customers.add(new_customer("late@example.com"))
        before = await backend.customers.password_hash(customer.id)
        await uow.commit()

    assert before is None
    assert await backend.customers.password_hash(customer.id) == "hash"


async def test_two_units_of_work_writing_different_rows_both_land(backend: Backend) -> None:
    first, second = backend.uow(), backend.uow()

    async with first, second:
        a = await first.customers.add(new_customer("a@example.com"))
        b = await second.customers.add(new_customer("b@example.com"))
        await second.commit()
        await first.commit()

    assert await backend.customers.password_hash(a.id) == "hash"
    assert await backend.customers.password_hash(b.id) == "hash"


async def test_an_email_is_one_accounts_per_tenant_whatever_its_case(backend: Backend) -> None:
    await added(backend, new_customer("Same@Example.com"))

    async with backend.uow() as uow:
        with pytest.raises(EmailTaken):
            await uow.customers.add(new_customer("same@example.COM"))


async def test_a_guest_and_an_account_share_an_email_but_two_guests_do_not(
    backend: Backend,
) -> None:
    await added(
        backend,
        new_customer("g@example.com"),
        new_customer("g@example.com", has_account=False),
    )

    async with backend.uow() as uow:
        with pytest.raises(GuestExists):
            await uow.customers.add(new_customer("G@example.com", has_account=False))


async def test_numbers_and_codes_are_unique_per_tenant(backend: Backend) -> None:
    await added(backend, new_customer("a@example.com", number="DE--1", code="ada"))

    async with backend.uow() as uow:
        with pytest.raises(CustomerNumberTaken):
            await uow.customers.add(new_customer("b@example.com", number="DE--1"))
    async with backend.uow() as uow:
        with pytest.raises(CodeTaken):
            await uow.customers.add(new_customer("c@example.com", code="ada"))


async def test_numbers_come_in_order_and_a_freed_one_is_free(backend: Backend) -> None:
    async with backend.uow() as uow:
        first, second = await uow.customers.next_number(1), await uow.customers.next_number(1)
        customer = await uow.customers.add(new_customer("n@example.com", number="DE--7"))
        await uow.customers.free_number(customer.id)
        assert await uow.customers.by_number(1, "DE--7") is None
        await uow.customers.add(new_customer("m@example.com", number="DE--7"))

    assert (first, second) == (1, 2)


async def test_an_update_writes_the_changes_and_bumps_the_version(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("u@example.com"))
    later = NOW + timedelta(minutes=1)

    async with backend.uow() as uow:
        updated = await uow.customers.update(
            customer.id, CustomerChanges(first_name="Bea"), now=later
        )
        touched = await uow.customers.update(customer.id, CustomerChanges(), now=later)

    assert (updated.first_name, updated.version, updated.updated_at) == ("Bea", 2, later)
    assert (touched.first_name, touched.version) == ("Bea", 3)


async def test_an_update_onto_a_taken_email_or_a_missing_row_is_refused(
    backend: Backend,
) -> None:
    _, customer = await added(
        backend, new_customer("taken@example.com"), new_customer("free@example.com")
    )

    async with backend.uow() as uow:
        with pytest.raises(EmailTaken):
            await uow.customers.update(
                customer.id, CustomerChanges(email="TAKEN@example.com"), now=NOW
            )
    async with backend.uow() as uow:
        with pytest.raises(CustomerNotFound):
            await uow.customers.update(customer.id + 100, CustomerChanges(first_name="X"), now=NOW)


async def test_credentials_say_who_may_log_in(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("c@example.com"))

    unconfirmed = await backend.customers.credentials_by_email(
        1, " C@example.com ", confirmation_required=True
    )
    async with backend.uow() as uow:
        assert await uow.customers.mark_email_verified(customer.id, 1, NOW)
        assert not await uow.customers.mark_email_verified(customer.id, 2, NOW)
        await uow.password_migration.put_window(
            1, MigrationWindow(date(2030, 1, 1), NOW.date(), True)
        )
        await uow.commit()
    confirmed = await backend.customers.credentials_by_email(
        1, "c@example.com", confirmation_required=True
    )

    assert unconfirmed is not None and not unconfirmed.may_log_in
    assert confirmed is not None and confirmed.may_log_in
    assert (confirmed.password_hash, confirmed.migration_ends) == ("hash", date(2030, 1, 1))
    assert confirmed.customer.email_verified_at == NOW


async def test_a_password_change_may_end_sessions(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("p@example.com"))
    later = NOW + timedelta(hours=1)

    async with backend.uow() as uow:
        await uow.customers.change_password(
            customer.id, "new", now=later, end_sessions=True, by_staff=True
        )
        await uow.customers.set_password_hash(customer.id, "rehashed")
        await uow.customers.record_login(customer.id, later)
        changed = await uow.customers.get(customer.id)
        await uow.commit()

    assert changed is not None
    assert (changed.tokens_valid_after, changed.password_set_by_staff) == (later, True)
    assert (changed.version, changed.last_login_at) == (2, later)
    assert await backend.customers.password_hash(customer.id) == "rehashed"


async def test_anonymization_erases_the_person_and_their_addresses(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("anon@example.com"))

    async with backend.uow() as uow:
        await uow.customers.anonymize(customer.id, Anonymization("x@anonymized.invalid", NOW))
        erased = await uow.customers.get(customer.id)
        await uow.commit()

    assert erased is not None
    assert (erased.email, erased.first_name, erased.anonymized_at) == (
        "x@anonymized.invalid",
        None,
        NOW,
    )
    assert erased.customer_number == customer.customer_number
    assert await backend.customers.password_hash(customer.id) is None


async def test_legacy_hashes_are_counted_and_cleared(backend: Backend) -> None:
    legacy = new_customer("l@example.com")
    (customer, _) = await added(backend, legacy, new_customer("k@example.com"))

    async with backend.uow() as uow:
        await uow.customers.set_password_hash(customer.id, f"{LEGACY_HASH_PREFIX}abc")
        counted = await uow.password_migration.legacy_accounts(1)
        await uow.password_migration.clear_legacy_hashes(1)
        window = MigrationWindow(date(2030, 1, 1), date(2029, 12, 1), False)
        await uow.password_migration.put_window(1, window)
        assert await uow.password_migration.window(1, lock=True) == window
        assert await uow.password_migration.remove_window(1) == window
        assert await uow.password_migration.remove_window(1) is None
        await uow.commit()

    assert counted == 1
    assert await backend.customers.password_hash(customer.id) is None
