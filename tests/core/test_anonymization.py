"""Anonymization erases personal data, keeps the record and its number."""

from __future__ import annotations

import uuid

import asyncpg

from patron.core.access import CustomerRef
from patron.core.model import Tenant
from patron.services import Services
from tests.conftest import registration_for


async def test_anonymization_erases_personal_data_and_keeps_the_number(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    customer = await timed_services.core.accounts.register(
        tenant, registration_for("gone@example.com", phone="+49 30 1234", company="ACME")
    )
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

    row = await clean_db.fetchrow("SELECT * FROM customers WHERE id = $1", customer.id)
    assert row["customer_number"] == customer.customer_number
    assert row["email"] != "gone@example.com" and row["email"].endswith(".invalid")
    for column in ("first_name", "last_name", "phone", "password_hash", "birth_date", "gender"):
        assert row[column] is None, column
    assert row["company"] == "ACME"  # business data stays, as in Spryker
    assert row["anonymized_at"] is not None
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0
    assert await clean_db.fetchval("SELECT bool_and(revoked_at IS NOT NULL) FROM refresh_tokens")
    mail = await clean_db.fetchrow("SELECT recipient, body FROM outbox")
    assert (mail["recipient"], mail["body"]) == ("", "")
