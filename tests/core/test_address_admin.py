"""The back office's address use cases guard themselves: another tenant's principal, a
missing scope and a customer beyond reach are refused before anything is written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest

from patron.core.back_office.addresses import AddressAdministration
from patron.core.domain.commands import AddressChange, AddressDraft
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.errors.unauthorized import TenantMismatch
from patron.core.domain.model import Address
from patron.core.domain.principals import Principal, PrincipalKind, Scope
from patron.core.domain.tenants import Tenant
from patron.core.ports.customers import AddressKey
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of, second_tenant
from tests.fakes import MemoryServices, MemoryStore

Call = Callable[[AddressAdministration, Principal, Tenant, str], Awaitable[Any]]
DRAFT = AddressDraft(last_name="Doe", city="Berlin")
CALLS: dict[str, tuple[Scope, Call]] = {
    "list": (Scope.CUSTOMERS_READ, lambda a, p, t, n: a.list(p, t, n)),
    "get": (Scope.CUSTOMERS_READ, lambda a, p, t, n: a.get(p, t, n, "home")),
    "add": (Scope.CUSTOMERS_MANAGE, lambda a, p, t, n: a.add(p, t, n, DRAFT)),
    "upsert": (
        Scope.CUSTOMERS_MANAGE,
        lambda a, p, t, n: a.upsert(p, t, n, "new", draft=DRAFT, edit=lambda *_: AddressChange()),
    ),
    "edit": (
        Scope.CUSTOMERS_MANAGE,
        lambda a, p, t, n: a.edit(p, t, n, "home", lambda *_: AddressChange(city="Bonn")),
    ),
    "delete": (Scope.CUSTOMERS_MANAGE, lambda a, p, t, n: a.delete(p, t, n, "home")),
}


def snapshot(store: MemoryStore) -> list[Address]:
    return store.addresses()


@pytest.mark.parametrize("name", CALLS)
async def test_each_use_case_checks_tenant_scope_and_reach(
    memory: MemoryServices, name: str
) -> None:
    admin = memory.core.address_admin
    tenant = await memory.core.tenants.get("default")
    customer = await memory.core.accounts.register(tenant, registration_for("a@example.com"))
    number = customer.customer_number
    await admin.add(principal_of(tenant), tenant, number, replace(DRAFT, code="home"))
    before = snapshot(memory.store)
    other = await second_tenant(memory.core.tenant_admin)
    scope, call = CALLS[name]
    wrong_scope = Scope.CUSTOMERS_MANAGE if scope is Scope.CUSTOMERS_READ else Scope.CUSTOMERS_READ
    restricted = Principal(
        tenant_id=tenant.id, kind=PrincipalKind.USER, id=1, scopes=frozenset({f"{scope}--DE"})
    )

    with pytest.raises(TenantMismatch):
        await call(admin, principal_of(other), tenant, number)
    with pytest.raises(ScopeMissing):
        await call(admin, principal_of(tenant, wrong_scope), tenant, number)
    with pytest.raises(CustomerNotFound):
        await call(admin, restricted, tenant, number)
    with pytest.raises(CustomerNotFound):
        await call(admin, principal_of(tenant), tenant, "no-such-number")

    assert snapshot(memory.store) == before


def test_an_address_key_is_a_uuid_only_in_its_canonical_form() -> None:
    uuid = uuid4()

    assert AddressKey.of(str(uuid)) == AddressKey(str(uuid), uuid)
    assert AddressKey.of(str(uuid).upper()).uuid is None
    assert AddressKey.of(uuid.hex).uuid is None
    assert AddressKey.of("home") == AddressKey("home", None)
