"""Availability notifications: subscribe to a SKU, be mailed once when it is back.

Patron has no catalogue: each tenant keeps a small SKU register (SKU, name, available)
that an operator or an import keeps current. A SKU changing to available closes its
subscriptions and writes one mail per subscriber, in the transaction of the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from patron.core.domain.email_addresses import clean_email
from patron.core.domain.errors.not_found import SubscriptionNotFound
from patron.core.domain.model import AccessClaims, ProductSummary, Subscription
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import PRODUCT_TEXT, SUBSCRIPTION_TEXT, check_text
from patron.core.identity.access import CustomerRef, load_bearer, lock_bearer, require_owner
from patron.core.outbox.mails import availability_mail
from patron.core.ports.customers import AvailabilityReads, CustomerReads, NewSubscription
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class SubscriptionPage:
    """One page of a customer's subscriptions and how many there are in all."""

    items: list[Subscription]
    total: int


@dataclass(frozen=True, slots=True)
class Availability:
    uow: UnitOfWorkFactory
    availability_reads: AvailabilityReads
    customer_reads: CustomerReads
    clock: Clock

    async def subscribe(
        self,
        tenant: Tenant,
        *,
        sku: str,
        email: str,
        locale: str,
        claims: AccessClaims | None = None,
    ) -> Subscription:
        """Guest or customer; a customer's subscription is linked to the account.

        The SKU must be in the tenant's register (`ProductNotFound`); one open subscription
        per SKU and address, whatever its letter case (`SubscriptionExists`, enforced by the
        database, so racing requests cannot both succeed). A SKU that is available already
        is still accepted, as Spryker does: it is notified at its next change to available.
        """
        check_text({"sku": sku, "locale": locale}, SUBSCRIPTION_TEXT)
        address = clean_email(email)
        async with self.uow() as uow:
            # Locked for the transaction: an anonymization meanwhile must not be undone by a
            # subscription that links the erased account to its old address.
            customer = await lock_bearer(uow, claims) if claims is not None else None
            subscription = await uow.availability.add_subscription(
                NewSubscription(
                    tenant_id=tenant.id,
                    key=secrets.token_hex(16),
                    sku=sku,
                    email=address,
                    customer_id=customer.id if customer else None,
                    locale=locale,
                    now=self.clock(),
                )
            )
            await uow.commit()
        return subscription

    async def unsubscribe(self, tenant: Tenant, key: str) -> None:
        """Whoever holds the key may close the subscription (it was mailed to them)."""
        async with self.uow() as uow:
            if not await uow.availability.remove_subscription(tenant.id, key):
                raise SubscriptionNotFound()
            await uow.commit()

    async def list_for_bearer(
        self, claims: AccessClaims, *, offset: int = 0, limit: int | None = None
    ) -> SubscriptionPage:
        """The bearer's open subscriptions, oldest first; `limit=None` means all."""
        customer = await load_bearer(self.customer_reads, claims)
        items, total = await self.availability_reads.subscriptions_of(
            claims.tenant_id, customer.id, offset=offset, limit=limit
        )
        return SubscriptionPage(items, total)

    async def list_own(
        self,
        claims: AccessClaims,
        ref: CustomerRef,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> SubscriptionPage:
        """As `list_for_bearer`, for a named customer: another customer raises `NotOwner`."""
        require_owner(claims, ref)
        return await self.list_for_bearer(claims, offset=offset, limit=limit)

    async def set_availability(
        self, tenant: Tenant, sku: str, *, available: bool, name: str | None = None
    ) -> int:
        """Register or change a SKU; return how many notifications were queued.

        Only a change to available notifies. The subscriptions are deleted and returned
        by one statement under row locks, so when two processes mark the same SKU
        available at once, each subscription is mailed by exactly one of them.
        """
        if not sku.strip():
            raise ValueError("a SKU must not be blank")
        # One line: the name goes into a mail subject.
        name = (" ".join(name.split()) or None) if name is not None else None
        check_text({"sku": sku, "name": name}, PRODUCT_TEXT)
        async with self.uow() as uow:
            product, became_available = await uow.availability.set_product(
                tenant.id, sku, available=available, name=name, now=self.clock()
            )
            notified = 0
            if became_available:
                for subscription in await uow.availability.close_subscriptions(tenant.id, sku):
                    await uow.outbox.enqueue(tenant.id, availability_mail(subscription, product))
                    notified += 1
            await uow.commit()
        return notified

    async def products(self, tenant: Tenant) -> list[ProductSummary]:
        """The register with its open subscriptions, for operators."""
        return await self.availability_reads.products(tenant.id)
