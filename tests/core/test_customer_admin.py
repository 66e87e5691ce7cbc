"""The back office's customer reads and edits at the core (search and races on
PostgreSQL, in `test_on_postgres` and `test_back_office_races`)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from patron.core.domain.commands import CustomerAdminChange, MetadataPatch, ProfileChange
from patron.core.domain.errors.conflict import GuestExists
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.invalid_input import (
    EmailInvalid,
    EmailLocked,
    FieldsInvalid,
    PasswordPolicyViolation,
)
from patron.core.domain.errors.not_found import CustomerNotFound, GroupNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken, InvalidCredentials
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import Scope
from patron.core.domain.queries import CustomerQuery
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.use_cases import Core
from tests.conftest import FrozenClock, registration_for
from tests.core.back_office_callers import admin_guest, principal_of, second_tenant
from tests.fakes import MemoryServices


async def _groups_of(core: Core, tenant: Tenant, customer: Customer) -> list[CustomerGroup]:
    found = await core.groups.groups_of(principal_of(tenant), tenant, [customer])
    return found[customer.id]


async def test_an_admin_edit_writes_the_profile_merges_metadata_and_bumps_the_version(
    memory: MemoryServices, tenant: Tenant
) -> None:
    customer = await memory.core.accounts.register(
        tenant, registration_for("e@example.com", metadata={"keep": 1, "drop": 2})
    )

    updated = await memory.core.customer_admin.update(
        principal_of(tenant),
        tenant,
        customer.uuid,
        CustomerAdminChange(
            profile=ProfileChange(first_name="Erika", phone="+49 30 1234", email="E@EXAMPLE.com "),
            metadata=MetadataPatch(set={"new": "x"}, remove=frozenset({"drop"})),
        ),
    )

    assert (updated.first_name, updated.phone) == ("Erika", "+49 30 1234")
    assert updated.email == "e@example.com"  # the same address: no change, kept as stored
    assert updated.metadata == {"keep": 1, "new": "x"}
    assert updated.version == customer.version + 1


async def test_a_registered_customers_email_is_locked_a_guests_is_not(
    memory: MemoryServices, tenant: Tenant
) -> None:
    admin_core = memory.core.customer_admin
    admin = principal_of(tenant)
    registered = await memory.core.accounts.register(tenant, registration_for("r@example.com"))
    guest = await admin_guest(memory.core.customer_admin, tenant, "g@example.com")
    await admin_guest(memory.core.customer_admin, tenant, "other-guest@example.com")

    with pytest.raises(EmailLocked):
        await admin_core.update(
            admin,
            tenant,
            registered.uuid,
            CustomerAdminChange(profile=ProfileChange(email="new@example.com", first_name="X")),
        )
    moved = await admin_core.update(
        admin, tenant, guest.uuid, CustomerAdminChange(profile=ProfileChange(email="R@example.com"))
    )
    with pytest.raises(GuestExists):
        await admin_core.update(
            admin,
            tenant,
            guest.uuid,
            CustomerAdminChange(profile=ProfileChange(email="other-guest@example.com")),
        )
    with pytest.raises(EmailInvalid):
        await admin_core.update(
            admin, tenant, guest.uuid, CustomerAdminChange(profile=ProfileChange(email="nope"))
        )

    assert moved.email == "R@example.com"  # a guest may share a registered account's email
    stored = memory.store.customer_row(registered.id).customer
    assert (stored.email, stored.first_name) == ("r@example.com", "Sonia")


async def test_groups_are_replaced_exactly_and_an_unknown_one_writes_nothing(
    memory: MemoryServices, tenant: Tenant
) -> None:
    admin_core = memory.core.customer_admin
    admin = principal_of(tenant)
    groups = memory.core.groups
    a, b, c = [await groups.create(admin, tenant, name=name) for name in ("A", "B", "C")]
    customer = await memory.core.accounts.register(tenant, registration_for("g@e.com"))
    await groups.add_customers(admin, tenant, a.uuid, [customer.uuid])

    regrouped = await admin_core.update(
        admin, tenant, customer.uuid, CustomerAdminChange(group_uuids=(b.uuid, c.uuid, b.uuid))
    )
    names = [g.name for g in await _groups_of(memory.core, tenant, customer)]
    ghost = uuid4()
    with pytest.raises(GroupNotFound) as missing:
        await admin_core.update(
            admin,
            tenant,
            customer.uuid,
            CustomerAdminChange(
                profile=ProfileChange(first_name="Never"), group_uuids=(a.uuid, ghost)
            ),
        )
    after_refusal = [g.name for g in await _groups_of(memory.core, tenant, customer)]
    cleared = await admin_core.update(
        admin, tenant, customer.uuid, CustomerAdminChange(group_uuids=())
    )

    assert names == ["B", "C"]
    assert regrouped.version == customer.version + 1  # groups alone still move the version
    assert missing.value.group == str(ghost)
    assert after_refusal == ["B", "C"]
    assert memory.store.customer_rows()[0].customer.first_name == "Sonia"
    assert await _groups_of(memory.core, tenant, customer) == []
    assert cleared.version == regrouped.version + 1


async def test_another_tenants_group_is_unknown_to_a_customer_edit(
    memory: MemoryServices, tenant: Tenant
) -> None:
    other = await second_tenant(memory.core.tenant_admin)
    theirs = await memory.core.groups.create(principal_of(other), other, name="T")
    customer = await memory.core.accounts.register(tenant, registration_for("g@e.com"))

    with pytest.raises(GroupNotFound):
        await memory.core.customer_admin.update(
            principal_of(tenant),
            tenant,
            customer.uuid,
            CustomerAdminChange(group_uuids=(theirs.uuid,)),
        )


async def test_an_admin_set_password_ends_every_session_of_the_customer(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    customer = await memory.core.accounts.register(tenant, registration_for("p@e.com"))
    memory.store.verify_emails(memory.clock())
    auth = memory.core.auth
    _, pair = await auth.login(tenant, "p@e.com", "change123", client_ip=None)
    claims = auth.verify(pair.access_token, tenant)
    await memory.core.passwords.request_reset(tenant, "p@e.com").run()

    def reset_keys() -> int:
        return sum(
            k.purpose == "reset_password" for k in memory.store.tables.one_time_tokens.values()
        )

    assert reset_keys() == 1
    clock.advance(seconds=1)

    updated = await memory.core.customer_admin.update(
        principal_of(tenant), tenant, customer.uuid, CustomerAdminChange(password="brand-new-1")
    )

    assert updated.version == customer.version + 1
    assert updated.tokens_valid_after == clock.now
    with pytest.raises(InvalidAccessToken):
        await memory.core.accounts.get_own(claims, CustomerRef.me())
    assert all(t.revoked_at is not None for t in memory.store.tables.refresh_tokens.values())
    assert not reset_keys()  # a mailed key would undo the change
    with pytest.raises(InvalidCredentials):
        await auth.login(tenant, "p@e.com", "change123", client_ip=None)
    assert await auth.login(tenant, "p@e.com", "brand-new-1", client_ip=None)


async def test_a_refused_edit_changes_nothing(memory: MemoryServices, tenant: Tenant) -> None:
    customer = await memory.core.accounts.register(tenant, registration_for("p@e.com"))
    before = memory.store.customer_rows()
    admin_core = memory.core.customer_admin
    admin = principal_of(tenant)

    with pytest.raises(PasswordPolicyViolation):
        await admin_core.update(
            admin,
            tenant,
            customer.uuid,
            CustomerAdminChange(profile=ProfileChange(first_name="New"), password="short"),
        )
    with pytest.raises(FieldsInvalid) as invalid:
        await admin_core.update(
            admin,
            tenant,
            customer.uuid,
            CustomerAdminChange(
                profile=ProfileChange(first_name="x" * 101),
                metadata=MetadataPatch(set={"k": "\x00"}),
            ),
        )
    with pytest.raises(CustomerNotFound):
        await admin_core.update(
            admin, tenant, uuid4(), CustomerAdminChange(profile=ProfileChange(first_name="X"))
        )

    assert [p.field for p in invalid.value.problems] == ["first_name", "metadata"]
    assert memory.store.customer_rows() == before


async def test_an_anonymized_customer_is_not_written_again(
    memory: MemoryServices, tenant: Tenant
) -> None:
    customer = await memory.core.accounts.register(tenant, registration_for("p@e.com"))
    memory.store.verify_emails(memory.clock())
    _, pair = await memory.core.auth.login(tenant, "p@e.com", "change123", client_ip=None)
    claims = memory.core.auth.verify(pair.access_token, tenant)
    await memory.core.accounts.anonymize_own(claims, CustomerRef.me())

    with pytest.raises(CustomerNotFound):
        await memory.core.customer_admin.update(
            principal_of(tenant),
            tenant,
            customer.uuid,
            CustomerAdminChange(profile=ProfileChange(first_name="Back")),
        )

    assert memory.store.customer_rows()[0].customer.first_name is None


async def test_each_use_case_needs_its_scope(memory: MemoryServices, tenant: Tenant) -> None:
    admin_core = memory.core.customer_admin
    reader = principal_of(tenant, Scope.CUSTOMERS_READ)
    manager = principal_of(tenant, Scope.CUSTOMERS_MANAGE)
    customer = await memory.core.accounts.register(tenant, registration_for("s@e.com"))

    for refused, scope in (
        (admin_core.search(manager, tenant, CustomerQuery()), Scope.CUSTOMERS_READ),
        (admin_core.get(manager, tenant, customer.uuid), Scope.CUSTOMERS_READ),
        (admin_core.create(reader, tenant, registration_for("n@e.com")), Scope.CUSTOMERS_MANAGE),
        (
            admin_core.update(
                reader, tenant, customer.uuid, CustomerAdminChange(password="brand-new-1")
            ),
            Scope.CUSTOMERS_MANAGE,
        ),
        (
            admin_core.update(manager, tenant, customer.uuid, CustomerAdminChange(group_uuids=())),
            Scope.GROUPS_MANAGE,
        ),
    ):
        with pytest.raises(ScopeMissing) as missing:
            await refused
        assert missing.value.scope == scope

    edited = await admin_core.update(
        manager, tenant, customer.uuid, CustomerAdminChange(profile=ProfileChange(last_name="Ok"))
    )
    assert edited.last_name == "Ok"
    assert len(memory.store.customer_rows()) == 1
