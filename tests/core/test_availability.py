"""The SKU register and availability notifications, on real PostgreSQL."""

from __future__ import annotations

import dataclasses
from typing import Self

import pytest

from patron.core.domain.errors.conflict import SubscriptionExists
from patron.core.domain.errors.forbidden import NotOwner
from patron.core.domain.errors.not_found import ProductNotFound, SubscriptionNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import AccessClaims, OutgoingMail
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.identity.access import CustomerRef
from tests.conftest import FrozenClock, registration_for
from tests.fakes import MemoryServices, MemoryStore, MemoryUnitOfWork


async def _customer_claims(services: MemoryServices, tenant: Tenant, email: str) -> AccessClaims:
    await services.core.accounts.register(tenant, registration_for(email))
    services.store.verify_emails(services.clock())
    _, pair = await services.core.auth.login(tenant, email, "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


def _mails(store: MemoryStore) -> list[OutgoingMail]:
    return store.mails("availability_notification")


async def test_a_sku_is_registered_and_changed(memory: MemoryServices, tenant: Tenant) -> None:
    availability = memory.core.availability

    first = await availability.set_availability(tenant, "SKU-1", available=False, name="Lamp")
    second = await availability.set_availability(tenant, "SKU-1", available=False)

    row = memory.store.tables.products[(tenant.id, "SKU-1")]
    assert (first, second) == (0, 0)
    assert (row.name, row.is_available) == ("Lamp", False)  # no name keeps the old one


async def test_a_blank_sku_is_refused(memory: MemoryServices, tenant: Tenant) -> None:
    with pytest.raises(ValueError):
        await memory.core.availability.set_availability(tenant, "  ", available=True)


async def test_guests_subscribe_to_a_registered_sku_only(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "SKU-1", available=False)

    subscription = await availability.subscribe(
        tenant, sku="SKU-1", email=" guest@example.com ", locale="de_DE"
    )

    assert len(subscription.key) == 32 and int(subscription.key, 16) >= 0
    assert (subscription.email, subscription.locale) == ("guest@example.com", "de_DE")
    assert subscription.customer_id is None
    with pytest.raises(ProductNotFound):
        await availability.subscribe(tenant, sku="NOPE", email="g@example.com", locale="en_US")


async def test_one_subscription_per_sku_and_address_whatever_the_case(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "SKU-1", available=False)
    await availability.set_availability(tenant, "SKU-2", available=False)
    await availability.subscribe(tenant, sku="SKU-1", email="a@example.com", locale="en_US")

    with pytest.raises(SubscriptionExists):
        await availability.subscribe(tenant, sku="SKU-1", email="A@Example.COM", locale="en_US")
    other = await availability.subscribe(tenant, sku="SKU-2", email="a@example.com", locale="en_US")

    assert other.sku == "SKU-2"


async def test_a_customer_subscription_is_linked_and_listed_oldest_first(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    availability = memory.core.availability
    claims = await _customer_claims(memory, tenant, "sonia@example.com")
    for n in range(5):
        await availability.set_availability(tenant, f"SKU-{n}", available=False)
        await availability.subscribe(
            tenant, sku=f"SKU-{n}", email="sonia@example.com", locale="en_US", claims=claims
        )
        clock.advance(seconds=1)
    await availability.subscribe(tenant, sku="SKU-0", email="guest@example.com", locale="en_US")

    everything = await availability.list_for_bearer(claims)
    page = await availability.list_for_bearer(claims, offset=2, limit=2)
    past_the_end = await availability.list_for_bearer(claims, offset=10, limit=2)
    own = await availability.list_own(
        claims, CustomerRef.by_number(claims.customer_number), offset=4, limit=2
    )

    assert [s.sku for s in everything.items] == [f"SKU-{n}" for n in range(5)]
    assert everything.total == 5
    assert ([s.sku for s in page.items], page.total) == (["SKU-2", "SKU-3"], 5)
    assert (past_the_end.items, past_the_end.total) == ([], 5)
    assert ([s.sku for s in own.items], own.total) == (["SKU-4"], 5)
    with pytest.raises(NotOwner):
        await availability.list_own(claims, CustomerRef.by_number("DE--999"))


async def test_a_token_of_another_tenant_cannot_subscribe(
    memory: MemoryServices, tenant: Tenant
) -> None:
    claims = await _customer_claims(memory, tenant, "sonia@example.com")
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    await memory.core.availability.set_availability(other, "SKU-1", available=False)

    _, pair = await memory.core.auth.login(tenant, "sonia@example.com", "change123", client_ip=None)

    assert claims.tenant_id == tenant.id
    with pytest.raises(InvalidAccessToken):  # its claims never reach another tenant's use case
        memory.core.auth.verify(pair.access_token, other)


async def test_skus_are_per_tenant(memory: MemoryServices, tenant: Tenant) -> None:
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    await memory.core.availability.set_availability(other, "SKU-1", available=False)

    with pytest.raises(ProductNotFound):
        await memory.core.availability.subscribe(
            tenant, sku="SKU-1", email="g@example.com", locale="en_US"
        )


async def test_back_in_stock_mails_each_subscriber_once_and_closes_the_subscriptions(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    claims = await _customer_claims(memory, tenant, "sonia@example.com")
    await availability.set_availability(tenant, "SKU-1", available=False, name="Desk lamp")
    await availability.set_availability(tenant, "SKU-2", available=False)
    customer_key = (
        await availability.subscribe(
            tenant, sku="SKU-1", email="sonia@example.com", locale="en_US", claims=claims
        )
    ).key
    await availability.subscribe(tenant, sku="SKU-1", email="Guest@Example.com", locale="de_DE")
    await availability.subscribe(tenant, sku="SKU-2", email="guest@example.com", locale="en_US")

    notified = await availability.set_availability(tenant, "SKU-1", available=True)
    again = await availability.set_availability(tenant, "SKU-1", available=True)

    assert (notified, again) == (2, 0)
    mails = _mails(memory.store)
    assert [m.recipient for m in mails] == ["sonia@example.com", "Guest@Example.com"]
    assert all("Desk lamp" in m.body and "SKU-1" in m.body for m in mails)
    assert mails[0].subject == "Desk lamp is available again"
    assert mails[0].customer_id is not None and mails[1].customer_id is None
    remaining = memory.store.tables.subscriptions.values()
    assert [s.sku for s in remaining] == ["SKU-2"]
    assert (await availability.list_for_bearer(claims)).total == 0
    with pytest.raises(SubscriptionNotFound):
        await availability.unsubscribe(tenant, customer_key)


async def test_a_mail_without_a_product_name_names_the_sku(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "SKU-9", available=False)
    await availability.subscribe(tenant, sku="SKU-9", email="g@example.com", locale="en_US")

    await availability.set_availability(tenant, "SKU-9", available=True)

    (mail,) = _mails(memory.store)
    assert mail.subject == "SKU-9 is available again"
    assert "SKU SKU-9" in mail.body


async def test_a_subscription_to_an_available_sku_waits_for_its_next_return(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "SKU-1", available=True)
    await availability.subscribe(tenant, sku="SKU-1", email="g@example.com", locale="en_US")

    still_available = await availability.set_availability(tenant, "SKU-1", available=True)
    gone = await availability.set_availability(tenant, "SKU-1", available=False)
    back = await availability.set_availability(tenant, "SKU-1", available=True)

    assert (still_available, gone, back) == (0, 0, 1)
    assert len(_mails(memory.store)) == 1


async def test_unsubscribing_needs_only_the_key(memory: MemoryServices, tenant: Tenant) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "SKU-1", available=False)
    subscription = await availability.subscribe(
        tenant, sku="SKU-1", email="g@example.com", locale="en_US"
    )

    await availability.unsubscribe(tenant, subscription.key)

    assert memory.store.tables.subscriptions == {}
    with pytest.raises(SubscriptionNotFound):
        await availability.unsubscribe(tenant, subscription.key)


async def test_anonymization_drops_the_customers_subscriptions(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    claims = await _customer_claims(memory, tenant, "sonia@example.com")
    await availability.set_availability(tenant, "SKU-1", available=False)
    await availability.set_availability(tenant, "SKU-2", available=False)
    await availability.subscribe(
        tenant, sku="SKU-1", email="other-address@example.com", locale="en_US", claims=claims
    )
    await availability.subscribe(tenant, sku="SKU-2", email="SONIA@example.com", locale="en_US")
    await availability.subscribe(tenant, sku="SKU-1", email="someone@example.com", locale="en_US")

    await memory.core.accounts.anonymize_own(claims, CustomerRef.by_number(claims.customer_number))

    rows = memory.store.tables.subscriptions.values()
    assert [s.email for s in rows] == ["someone@example.com"]


async def test_the_register_lists_open_subscriptions(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "B", available=True, name="Bee")
    await availability.set_availability(tenant, "A", available=False)
    await availability.subscribe(tenant, sku="A", email="g@example.com", locale="en_US")

    listed = await availability.products(tenant)

    assert [(p.product.sku, p.product.is_available, p.open_subscriptions) for p in listed] == [
        ("A", False, 1),
        ("B", True, 0),
    ]


async def test_a_name_with_line_breaks_still_makes_a_sendable_mail(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    await availability.set_availability(tenant, "SKU-9", available=False, name="Canon\r\nBcc: x")
    await availability.subscribe(tenant, sku="SKU-9", email="a@example.com", locale="en_US")

    await availability.set_availability(tenant, "SKU-9", available=True)

    (mail,) = _mails(memory.store)
    assert mail.subject == "Canon Bcc: x is available again"
    assert [p.name for p in memory.store.tables.products.values()] == ["Canon Bcc: x"]


async def test_anonymization_redacts_guest_mail_to_the_customers_address(
    memory: MemoryServices, tenant: Tenant
) -> None:
    availability = memory.core.availability
    claims = await _customer_claims(memory, tenant, "gone@example.com")
    await availability.set_availability(tenant, "SKU-1", available=False)
    await availability.subscribe(tenant, sku="SKU-1", email="Gone@Example.com", locale="en_US")
    await availability.set_availability(tenant, "SKU-1", available=True)  # a guest's mail

    await memory.core.accounts.anonymize_own(claims, CustomerRef.by_number(claims.customer_number))

    rows = memory.store.mails()
    assert len(rows) == 2  # the confirmation and the notification
    assert all((row.recipient, row.body) == ("", "") for row in rows)


async def test_a_subscription_racing_an_anonymization_is_refused(
    memory: MemoryServices, tenant: Tenant
) -> None:
    """The account is erased after the bearer was checked but before the subscription is
    written: the subscription must not bring the erased address back."""
    claims = await _customer_claims(memory, tenant, "gone@example.com")
    await memory.core.availability.set_availability(tenant, "SKU-1", available=False)
    accounts = memory.core.accounts

    class AnonymizedMeanwhile(MemoryUnitOfWork):
        async def __aenter__(self) -> Self:
            await accounts.anonymize_own(claims, CustomerRef.by_number(claims.customer_number))
            return await super().__aenter__()

    racing = dataclasses.replace(
        memory.core.availability, uow=lambda: AnonymizedMeanwhile(memory.store)
    )

    with pytest.raises(InvalidAccessToken):  # the anonymization ended the session
        await racing.subscribe(
            tenant, sku="SKU-1", email="gone@example.com", locale="en_US", claims=claims
        )

    assert memory.store.tables.subscriptions == {}
