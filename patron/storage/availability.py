"""The SKU register and availability subscriptions in SQL."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from patron.core.domain.errors.conflict import SubscriptionExists
from patron.core.domain.errors.not_found import ProductNotFound
from patron.core.domain.model import Product, ProductSummary, Subscription
from patron.core.ports.customers import NewSubscription
from patron.storage.database import Connection

SUBSCRIPTION_COLUMNS = (
    "id, subscription_key, tenant_id, sku, email, customer_id, locale, created_at"
)
PRODUCT_COLUMNS = "tenant_id, sku, name, is_available, updated_at"
UNIQUE_INDEX = "availability_subscriptions_unique"


def row_to_subscription(row: asyncpg.Record) -> Subscription:
    return Subscription(
        id=row["id"],
        key=row["subscription_key"],
        tenant_id=row["tenant_id"],
        sku=row["sku"],
        email=row["email"],
        customer_id=row["customer_id"],
        locale=row["locale"],
        created_at=row["created_at"],
    )


def row_to_product(row: asyncpg.Record) -> Product:
    return Product(
        tenant_id=row["tenant_id"],
        sku=row["sku"],
        name=row["name"],
        is_available=row["is_available"],
        updated_at=row["updated_at"],
    )


class PgAvailability:
    """Used inside a unit of work; never commits on its own."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def add_subscription(self, new: NewSubscription) -> Subscription:
        # FOR SHARE orders a subscription against a concurrent change of the product: it is
        # either committed before the change (and notified by it) or made after it.
        try:
            row = await self._db.fetchrow(
                f"""
                WITH product AS (
                    SELECT tenant_id, sku FROM products
                    WHERE tenant_id = $1 AND sku = $2 FOR SHARE)
                INSERT INTO availability_subscriptions
                    (tenant_id, subscription_key, sku, email, customer_id, locale, created_at)
                SELECT tenant_id, $3, sku, $4, $5, $6, $7 FROM product
                RETURNING {SUBSCRIPTION_COLUMNS}
                """,
                new.tenant_id,
                new.sku,
                new.key,
                new.email,
                new.customer_id,
                new.locale,
                new.now,
            )
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == UNIQUE_INDEX:
                raise SubscriptionExists() from None
            raise
        if row is None:
            raise ProductNotFound()
        return row_to_subscription(row)

    async def remove_subscription(self, tenant_id: int, key: str) -> bool:
        removed = await self._db.fetchval(
            "DELETE FROM availability_subscriptions "
            "WHERE tenant_id = $1 AND subscription_key = $2 RETURNING true",
            tenant_id,
            key,
        )
        return bool(removed)

    async def set_product(
        self, tenant_id: int, sku: str, *, available: bool, name: str | None, now: datetime
    ) -> tuple[Product, bool]:
        # Lock first, then read the state as the last committer left it: a second process
        # marking the same SKU available waits here and then sees it available already.
        was_available: bool | None = await self._db.fetchval(
            "SELECT is_available FROM products WHERE tenant_id = $1 AND sku = $2 FOR NO KEY UPDATE",
            tenant_id,
            sku,
        )
        row = await self._db.fetchrow(
            f"""
            INSERT INTO products AS p (tenant_id, sku, name, is_available, updated_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id, sku) DO UPDATE SET
                is_available = EXCLUDED.is_available,
                name = coalesce(EXCLUDED.name, p.name),
                updated_at = EXCLUDED.updated_at
            RETURNING {PRODUCT_COLUMNS}
            """,
            tenant_id,
            sku,
            name,
            available,
            now,
        )
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row_to_product(row), available and not was_available

    async def close_subscriptions(self, tenant_id: int, sku: str) -> list[Subscription]:
        # DELETE ... RETURNING hands each row to one transaction only: a concurrent delete
        # waits for the row lock and then finds the row gone.
        rows = await self._db.fetch(
            f"DELETE FROM availability_subscriptions WHERE tenant_id = $1 AND sku = $2 "
            f"RETURNING {SUBSCRIPTION_COLUMNS}",
            tenant_id,
            sku,
        )
        return sorted((row_to_subscription(row) for row in rows), key=lambda s: s.id)

    async def remove_for_customer(self, customer_id: int, email: str | None) -> None:
        """Linked subscriptions, and guest ones made with the customer's address."""
        await self._db.execute(
            """
            DELETE FROM availability_subscriptions s
            WHERE s.customer_id = $1
               OR ($2::text IS NOT NULL AND lower(s.email) = lower($2)
                   AND s.tenant_id = (SELECT tenant_id FROM customers WHERE id = $1))
            """,
            customer_id,
            email,
        )


class PgAvailabilityReads:
    """Single statements straight from the pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def subscriptions_of(
        self, tenant_id: int, customer_id: int, *, offset: int, limit: int | None
    ) -> tuple[list[Subscription], int]:
        # The total rides along with the page; only a page past the end needs a count.
        rows = await self._pool.fetch(
            f"""
            SELECT {SUBSCRIPTION_COLUMNS}, count(*) OVER () AS total
            FROM availability_subscriptions
            WHERE customer_id = $1 AND tenant_id = $2
            ORDER BY id OFFSET $3 LIMIT $4
            """,
            customer_id,
            tenant_id,
            offset,
            limit,
        )
        if rows or offset == 0:
            return [row_to_subscription(row) for row in rows], rows[0]["total"] if rows else 0
        total: int = await self._pool.fetchval(
            "SELECT count(*) FROM availability_subscriptions "
            "WHERE customer_id = $1 AND tenant_id = $2",
            customer_id,
            tenant_id,
        )
        return [], total

    async def products(self, tenant_id: int) -> list[ProductSummary]:
        rows = await self._pool.fetch(
            """
            SELECT p.tenant_id, p.sku, p.name, p.is_available, p.updated_at,
                   count(s.id) AS subscriptions
            FROM products p
            LEFT JOIN availability_subscriptions s ON s.tenant_id = p.tenant_id AND s.sku = p.sku
            WHERE p.tenant_id = $1
            GROUP BY p.tenant_id, p.sku
            ORDER BY p.sku
            """,
            tenant_id,
        )
        return [ProductSummary(row_to_product(row), row["subscriptions"]) for row in rows]
