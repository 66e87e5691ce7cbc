"""The SKU register and availability subscriptions in memory (`PgAvailability`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from patron.core.domain.errors.conflict import SubscriptionExists
from patron.core.domain.errors.not_found import ProductNotFound
from patron.core.domain.model import Product, ProductSummary, Subscription
from patron.core.ports.customers import NewSubscription
from tests.fakes.store import MemoryStore, Tables


def _in_id_order(tables: Tables) -> list[Subscription]:
    return [subscription for _, subscription in sorted(tables.subscriptions.items())]


class MemoryAvailability:
    """Implements `AvailabilityRepository` on a unit of work's tables."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    async def add_subscription(self, new: NewSubscription) -> Subscription:
        if (new.tenant_id, new.sku) not in self._tables.products:
            raise ProductNotFound()
        for other in self._tables.subscriptions.values():
            if other.key == new.key:
                raise ValueError("duplicate subscription key")
            if (other.tenant_id, other.sku, other.email.lower()) == (
                new.tenant_id,
                new.sku,
                new.email.lower(),
            ):
                raise SubscriptionExists()
        subscription = Subscription(
            id=self._store.next_id("subscriptions"),
            key=new.key,
            tenant_id=new.tenant_id,
            sku=new.sku,
            email=new.email,
            customer_id=new.customer_id,
            locale=new.locale,
            created_at=new.now,
        )
        self._tables.subscriptions[subscription.id] = subscription
        return subscription

    async def remove_subscription(self, tenant_id: int, key: str) -> bool:
        for subscription in _in_id_order(self._tables):
            if (subscription.tenant_id, subscription.key) == (tenant_id, key):
                del self._tables.subscriptions[subscription.id]
                return True
        return False

    async def set_product(
        self, tenant_id: int, sku: str, *, available: bool, name: str | None, now: datetime
    ) -> tuple[Product, bool]:
        old = self._tables.products.get((tenant_id, sku))
        if old is None:
            product = Product(tenant_id, sku, name, available, now)
        else:
            product = replace(
                old,
                is_available=available,
                name=name if name is not None else old.name,
                updated_at=now,
            )
        self._tables.products[(tenant_id, sku)] = product
        return product, available and not (old is not None and old.is_available)

    async def close_subscriptions(self, tenant_id: int, sku: str) -> list[Subscription]:
        closed = [s for s in _in_id_order(self._tables) if (s.tenant_id, s.sku) == (tenant_id, sku)]
        for subscription in closed:
            del self._tables.subscriptions[subscription.id]
        return closed

    async def remove_for_customer(self, customer_id: int, email: str | None) -> None:
        row = self._tables.customers.get(customer_id)
        tenant_id = row.customer.tenant_id if row else None
        for s in _in_id_order(self._tables):
            guest = email is not None and s.email.lower() == email.lower()
            if s.customer_id == customer_id or (guest and s.tenant_id == tenant_id):
                del self._tables.subscriptions[s.id]


class MemoryAvailabilityReads:
    """Implements `AvailabilityReads` on the committed rows."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def subscriptions_of(
        self, tenant_id: int, customer_id: int, *, offset: int, limit: int | None
    ) -> tuple[list[Subscription], int]:
        mine = [
            s
            for s in _in_id_order(self._store.tables)
            if (s.tenant_id, s.customer_id) == (tenant_id, customer_id)
        ]
        end = None if limit is None else offset + limit
        return mine[offset:end], len(mine)

    async def products(self, tenant_id: int) -> list[ProductSummary]:
        tables = self._store.tables
        return [
            ProductSummary(
                product,
                sum(
                    (s.tenant_id, s.sku) == (tenant_id, product.sku)
                    for s in tables.subscriptions.values()
                ),
            )
            for (owner, _), product in sorted(tables.products.items())
            if owner == tenant_id
        ]
