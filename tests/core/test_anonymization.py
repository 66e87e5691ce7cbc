"""Anonymization erases personal data, keeps the record and its number."""

from __future__ import annotations

import uuid

from patron.core.domain.commands import AddressDraft, ListItemDraft, ProfileChange, PropertyDraft
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.ports.customers import NewAddress
from tests.conftest import registration_for
from tests.core.back_office_callers import principal_of
from tests.core.signed_in import signed_in
from tests.fakes import MemoryServices

ME = CustomerRef.me()


async def test_anonymization_erases_personal_data_and_keeps_the_number(
    memory: MemoryServices, tenant: Tenant
) -> None:
    customer = await memory.core.accounts.register(
        tenant,
        registration_for(
            "gone@example.com",
            phone="+49 30 1234",
            company="ACME",
            contact_email="gone.desk@example.com",
        ),
    )
    assert customer.contact_email == "gone.desk@example.com"
    memory.store.verify_emails(memory.clock())
    async with memory.uow() as uow:
        draft = AddressDraft(first_name="Sonia", city="Berlin", country_code="DE")
        new = NewAddress(
            customer_id=customer.id, uuid=uuid.uuid4(), draft=draft, now=memory.clock()
        )
        await uow.addresses.add(new)
        await uow.commit()
    _, pair = await memory.core.auth.login(tenant, "gone@example.com", "change123", client_ip=None)
    claims = memory.core.auth.verify(pair.access_token, tenant)

    await memory.core.accounts.anonymize_own(
        claims, CustomerRef.by_number(customer.customer_number)
    )

    row = memory.store.customer_row(customer.id)
    erased = row.customer
    assert erased.customer_number == customer.customer_number
    assert erased.email != "gone@example.com" and (erased.email or "").endswith(".invalid")
    for column in ("first_name", "last_name", "phone", "birth_date", "gender", "contact_email"):
        assert getattr(erased, column) is None, column
    assert row.password_hash is None
    assert erased.company == "ACME"  # business data stays, as in Spryker
    assert erased.anonymized_at is not None
    assert memory.store.addresses() == []
    assert all(t.revoked_at is not None for t in memory.store.tables.refresh_tokens.values())
    (mail,) = memory.store.mails()
    assert (mail.recipient, mail.body) == ("", "")


async def test_anonymization_erases_contact_fields_properties_lists_and_memberships(
    memory: MemoryServices, tenant: Tenant
) -> None:
    core = memory.core
    gone = await signed_in(memory, tenant, "gone@example.com")
    stays = await signed_in(memory, tenant, "stays@example.com")
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

    erased = memory.store.customer_row(gone.customer_id).customer
    for column in ("code", "mobile", "fax", "website", "latitude", "longitude", "label"):
        assert getattr(before, column) is not None, column
        assert getattr(erased, column) is None, column
    tables = memory.store.tables
    for rows in (tables.properties, tables.list_items, tables.memberships):
        assert [r.customer_id for r in rows.values()] == [stays.customer_id]
    assert len(tables.groups) == 1
    # The login name is free again, as the email is.
    again = await core.accounts.register(tenant, registration_for("gone@example.com", code="gone"))
    assert again.code == "gone"
