"""Migration 0007 on a database that already holds memberships: each gets an id from the
sequence list items draw from, and the salutation checks take Aimeos' two more."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from patron.storage.migrate import migrate


@pytest.fixture
async def connection(empty_database: str) -> AsyncIterator[asyncpg.Connection]:
    await migrate(empty_database, "0006")
    connection = await asyncpg.connect(empty_database)
    yield connection
    await connection.close()


async def _customer(connection: asyncpg.Connection, number: str) -> int:
    customer_id: int = await connection.fetchval(
        "INSERT INTO customers (uuid, tenant_id, customer_number, email, created_at, updated_at) "
        "VALUES ($1, 1, $2, $3, now(), now()) RETURNING id",
        uuid.uuid4(),
        number,
        f"{number}@example.com",
    )
    return customer_id


async def test_existing_memberships_get_ids_shared_with_list_items(
    connection: asyncpg.Connection, empty_database: str
) -> None:
    first, second = await _customer(connection, "c1"), await _customer(connection, "c2")
    group_id = await connection.fetchval(
        "INSERT INTO customer_groups (uuid, tenant_id, name, created_at, updated_at) "
        "VALUES ($1, 1, 'Gold', now(), now()) RETURNING id",
        uuid.uuid4(),
    )
    await connection.execute(
        "INSERT INTO customer_group_members (group_id, customer_id, created_at) "
        "SELECT $1, unnest($2::bigint[]), now()",
        group_id,
        [first, second],
    )

    await migrate(empty_database)

    membership_ids = [
        row["id"] for row in await connection.fetch("SELECT id FROM customer_group_members")
    ]
    item_id = await connection.fetchval(
        "INSERT INTO customer_list_items (customer_id, domain, type, ref_id, created_at, "
        "updated_at) VALUES ($1, 'product', 'favorite', '1', now(), now()) RETURNING id",
        first,
    )
    assert len(set(membership_ids)) == 2 and None not in membership_ids
    assert item_id not in membership_ids


async def test_salutations_take_miss_and_company_and_nothing_else(
    connection: asyncpg.Connection, empty_database: str
) -> None:
    customer_id = await _customer(connection, "c1")

    await migrate(empty_database)

    for salutation in ("Miss", "Company", "Mr", None):
        await connection.execute(
            "UPDATE customers SET salutation = $2 WHERE id = $1", customer_id, salutation
        )
        await connection.execute(
            "INSERT INTO addresses (uuid, customer_id, salutation, created_at, updated_at) "
            "VALUES ($1, $2, $3, now(), now())",
            uuid.uuid4(),
            customer_id,
            salutation,
        )
    with pytest.raises(asyncpg.CheckViolationError):
        await connection.execute(
            "UPDATE customers SET salutation = 'Sir' WHERE id = $1", customer_id
        )
