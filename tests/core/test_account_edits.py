"""One edit of a customer's own account (Medusa's `POST /store/customers/me`): profile,
billing address and password are written together or not at all."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from patron.core.domain.commands import AccountEdit, AddressDraft, BillingChoice, ProfileChange
from patron.core.domain.errors.conflict import EmailTaken
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import registration_for

EMAIL = "edit@example.com"
ME = CustomerRef.me()
BILLING = {"first_name": "Pat", "address1": "Main St 1", "city": "Berlin", "country_code": "de"}


@pytest.fixture
async def claims(timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool) -> AccessClaims:
    await timed_services.core.accounts.register(tenant, registration_for(EMAIL))
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    pair = await timed_services.core.auth.login(tenant, EMAIL, "change123", client_ip=None)
    return timed_services.core.auth.verify(pair.access_token, tenant)


async def _state(pool: asyncpg.Pool) -> tuple[object, ...]:
    row = await pool.fetchrow("SELECT first_name, password_hash, version FROM customers")
    assert row is not None
    billing = await pool.fetch("SELECT uuid FROM addresses WHERE is_default_billing")
    return (row["first_name"], row["password_hash"], row["version"], [r["uuid"] for r in billing])


async def test_profile_billing_and_password_are_written_together(
    timed_services: Services, tenant: Tenant, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    accounts = timed_services.core.accounts
    edit = AccountEdit(
        profile=ProfileChange(first_name="Pat"),
        billing=BillingChoice(fields=BILLING),
        new_password="another-Secret-2",
    )

    updated = await accounts.edit_own(tenant, claims, ME, edit)

    assert updated.first_name == "Pat"
    address = await fetch_billing(clean_db)
    assert (address["city"], address["country_code"]) == ("Berlin", "DE")
    await timed_services.core.auth.login(tenant, EMAIL, "another-Secret-2", client_ip=None)


async def test_an_address_that_is_not_theirs_leaves_everything_as_it_was(
    timed_services: Services, tenant: Tenant, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    accounts = timed_services.core.accounts
    await timed_services.core.addresses.add_own(claims, ME, AddressDraft(city="Hamburg"))
    before = await _state(clean_db)
    edit = AccountEdit(
        profile=ProfileChange(first_name="Changed"),
        billing=BillingChoice(address=uuid.uuid4()),
        new_password="another-Secret-2",
    )

    with pytest.raises(AddressNotFound):
        await accounts.edit_own(tenant, claims, ME, edit)

    assert await _state(clean_db) == before


async def test_a_taken_email_leaves_the_billing_address_and_password_as_they_were(
    timed_services: Services, tenant: Tenant, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    accounts = timed_services.core.accounts
    await accounts.register(tenant, registration_for("taken@example.com"))
    before = await _state(clean_db)
    edit = AccountEdit(
        profile=ProfileChange(email="taken@example.com"),
        billing=BillingChoice(fields=BILLING),
        new_password="another-Secret-2",
    )

    with pytest.raises(EmailTaken):
        await accounts.edit_own(tenant, claims, ME, edit)

    assert await _state(clean_db) == before
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0


async def test_billing_moves_to_a_chosen_address_and_can_be_cleared(
    timed_services: Services, tenant: Tenant, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    accounts, addresses = timed_services.core.accounts, timed_services.core.addresses
    first = await addresses.add_own(claims, ME, AddressDraft(city="Hamburg"))
    second = await addresses.add_own(claims, ME, AddressDraft(city="Berlin"))

    await accounts.edit_own(
        tenant, claims, ME, AccountEdit(billing=BillingChoice(address=second.uuid))
    )
    moved = await _state(clean_db)
    await accounts.edit_own(tenant, claims, ME, AccountEdit(billing=BillingChoice()))
    cleared = await _state(clean_db)

    assert first.is_default_billing and moved[3] == [second.uuid]
    assert cleared[3] == []


async def fetch_billing(pool: asyncpg.Pool) -> asyncpg.Record:
    row = await pool.fetchrow("SELECT city, country_code FROM addresses WHERE is_default_billing")
    assert row is not None
    return row


async def test_an_empty_billing_edit_changes_nothing(
    timed_services: Services, tenant: Tenant, claims: AccessClaims, clean_db: asyncpg.Pool
) -> None:
    """Found by schemathesis: `billing_address: {}` with a billing address was a 500."""
    accounts = timed_services.core.accounts
    await timed_services.core.addresses.add_own(claims, ME, AddressDraft(city="Hamburg"))
    before = await _state(clean_db)

    await accounts.edit_own(tenant, claims, ME, AccountEdit(billing=BillingChoice(fields={})))

    assert await _state(clean_db) == before
