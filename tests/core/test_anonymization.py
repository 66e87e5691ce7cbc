"""Anonymization erases personal data, keeps the record and its number."""

from __future__ import annotations

import uuid

import asyncpg

from patron.core.domain.commands import ListItemDraft, ProfileChange, PropertyDraft
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import fetch_one, registration_for
from tests.core.back_office_callers import principal_of
from tests.core.signed_in import signed_in_on_postgres as signed_in

ME = CustomerRef.me()


async def test_anonymization_erases_personal_data_and_keeps_the_number(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    customer = await timed_services.core.accounts.register(
        tenant,
        registration_for(
            "gone@example.com",
            phone="+49 30 1234",
            company="ACME",
            contact_email="gone.desk@example.com",
        ),
    )
    assert customer.contact_email == "gone.desk@example.com"
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    await clean_db.execute(
        "INSERT INTO addresses (uuid, customer_id, first_name, city, country_code, created_at, "
        "updated_at) VALUES ($1, $2, 'Sonia', 'Berlin', 'DE', now(), now())",
        uuid.uuid4(),
        customer.id,
    )
    pair = await timed_services.core.auth.login(
        tenant, "gone@example.com", "change123", client_ip=None
    )
    claims = timed_services.core.auth.verify(pair.access_token, tenant)

    await timed_services.core.accounts.anonymize_own(
        claims, CustomerRef.by_number(customer.customer_number)
    )

    row = await fetch_one(clean_db, "SELECT * FROM customers WHERE id = $1", customer.id)
    assert row["customer_number"] == customer.customer_number
    assert row["email"] != "gone@example.com" and row["email"].endswith(".invalid")
    erased = ("first_name", "last_name", "phone", "password_hash", "birth_date", "gender")
    for column in (*erased, "contact_email"):
        assert row[column] is None, column
    assert row["company"] == "ACME"  # business data stays, as in Spryker
    assert row["anonymized_at"] is not None
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0
    assert await clean_db.fetchval("SELECT bool_and(revoked_at IS NOT NULL) FROM refresh_tokens")
    mail = await fetch_one(clean_db, "SELECT recipient, body FROM outbox")
    assert (mail["recipient"], mail["body"]) == ("", "")


async def test_anonymization_erases_contact_fields_properties_lists_and_memberships(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    core = timed_services.core
    gone = await signed_in(timed_services, tenant, clean_db, "gone@example.com")
    stays = await signed_in(timed_services, tenant, clean_db, "stays@example.com")
    group = await core.groups.create(principal_of(tenant), tenant, name="Gold", metadata={})
    both = [gone.customer_uuid, stays.customer_uuid]
    await core.groups.add_customers(principal_of(tenant), tenant, group.uuid, both)
    for claims in (gone, stays):
        await core.properties.add_own(claims, ME, [PropertyDraft(type="t", value="v")])
        await core.lists.add_own(claims, ME, [ListItemDraft(domain="product", ref_id="1")])
    contact = ProfileChange(
        code="gone",
        mobile="+49 170",
        fax="+49 30",
        website="gone.example",
        latitude=1.5,
        longitude=2.5,
        label="Gone G.",
    )
    before = await core.accounts.update_own(gone, ME, contact)

    await core.accounts.anonymize_own(gone, ME)

    row = await fetch_one(clean_db, "SELECT * FROM customers WHERE id = $1", gone.customer_id)
    for column in ("code", "mobile", "fax", "website", "latitude", "longitude", "label"):
        assert getattr(before, column) is not None, column
        assert row[column] is None, column
    for table in ("customer_properties", "customer_list_items", "customer_group_members"):
        left = await clean_db.fetch(f"SELECT customer_id FROM {table}")
        assert [r["customer_id"] for r in left] == [stays.customer_id], table
    assert await clean_db.fetchval("SELECT count(*) FROM customer_groups") == 1
    # The login name is free again, as the email is.
    again = await core.accounts.register(tenant, registration_for("gone@example.com", code="gone"))
    assert again.code == "gone"
