"""One edit of a customer's own account (Medusa's `POST /store/customers/me`): profile,
billing address and password are written together or not at all."""

from __future__ import annotations

import uuid

import pytest

from patron.core.domain.commands import (
    AccountEdit,
    AddressChange,
    AddressDraft,
    BillingChoice,
    ProfileChange,
)
from patron.core.domain.errors.conflict import EmailTaken
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.model import AccessClaims, Address
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from tests.conftest import registration_for
from tests.fakes import MemoryServices, MemoryStore

EMAIL = "edit@example.com"
ME = CustomerRef.me()
BILLING = AddressChange(first_name="Pat", address1="Main St 1", city="Berlin", country_code="de")


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    await memory.core.accounts.register(tenant, registration_for(EMAIL))
    memory.store.verify_emails(memory.clock())
    _, pair = await memory.core.auth.login(tenant, EMAIL, "change123", client_ip=None)
    return memory.core.auth.verify(pair.access_token, tenant)


def _state(store: MemoryStore) -> tuple[object, ...]:
    row = store.customer_rows()[0]
    billing = [address.uuid for address in store.addresses() if address.is_default_billing]
    return (row.customer.first_name, row.password_hash, row.customer.version, billing)


async def test_profile_billing_and_password_are_written_together(
    memory: MemoryServices, tenant: Tenant, claims: AccessClaims
) -> None:
    accounts = memory.core.accounts
    edit = AccountEdit(
        profile=ProfileChange(first_name="Pat"),
        billing=BillingChoice(fields=BILLING),
        new_password="another-Secret-2",
    )

    updated = await accounts.edit_own(tenant, claims, ME, edit)

    assert updated.first_name == "Pat"
    address = fetch_billing(memory.store)
    assert (address.city, address.country_code) == ("Berlin", "DE")
    await memory.core.auth.login(tenant, EMAIL, "another-Secret-2", client_ip=None)


async def test_an_address_that_is_not_theirs_leaves_everything_as_it_was(
    memory: MemoryServices, tenant: Tenant, claims: AccessClaims
) -> None:
    accounts = memory.core.accounts
    await memory.core.addresses.add_own(claims, ME, AddressDraft(city="Hamburg"))
    before = _state(memory.store)
    edit = AccountEdit(
        profile=ProfileChange(first_name="Changed"),
        billing=BillingChoice(address=uuid.uuid4()),
        new_password="another-Secret-2",
    )

    with pytest.raises(AddressNotFound):
        await accounts.edit_own(tenant, claims, ME, edit)

    assert _state(memory.store) == before


async def test_a_taken_email_leaves_the_billing_address_and_password_as_they_were(
    memory: MemoryServices, tenant: Tenant, claims: AccessClaims
) -> None:
    accounts = memory.core.accounts
    await accounts.register(tenant, registration_for("taken@example.com"))
    before = _state(memory.store)
    edit = AccountEdit(
        profile=ProfileChange(email="taken@example.com"),
        billing=BillingChoice(fields=BILLING),
        new_password="another-Secret-2",
    )

    with pytest.raises(EmailTaken):
        await accounts.edit_own(tenant, claims, ME, edit)

    assert _state(memory.store) == before
    assert memory.store.addresses() == []


async def test_billing_moves_to_a_chosen_address_and_can_be_cleared(
    memory: MemoryServices, tenant: Tenant, claims: AccessClaims
) -> None:
    accounts, addresses = memory.core.accounts, memory.core.addresses
    first = await addresses.add_own(claims, ME, AddressDraft(city="Hamburg"))
    second = await addresses.add_own(claims, ME, AddressDraft(city="Berlin"))

    await accounts.edit_own(
        tenant, claims, ME, AccountEdit(billing=BillingChoice(address=second.uuid))
    )
    moved = _state(memory.store)
    await accounts.edit_own(tenant, claims, ME, AccountEdit(billing=BillingChoice()))
    cleared = _state(memory.store)

    assert first.is_default_billing and moved[3] == [second.uuid]
    assert cleared[3] == []


def fetch_billing(store: MemoryStore) -> Address:
    (billing,) = (address for address in store.addresses() if address.is_default_billing)
    return billing


async def test_an_empty_billing_edit_changes_nothing(
    memory: MemoryServices, tenant: Tenant, claims: AccessClaims
) -> None:
    """Found by schemathesis: `billing_address: {}` with a billing address was a 500."""
    accounts = memory.core.accounts
    await memory.core.addresses.add_own(claims, ME, AddressDraft(city="Hamburg"))
    before = _state(memory.store)

    await accounts.edit_own(
        tenant, claims, ME, AccountEdit(billing=BillingChoice(fields=AddressChange()))
    )

    assert _state(memory.store) == before
