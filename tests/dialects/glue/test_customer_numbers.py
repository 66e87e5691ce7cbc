"""A sign-up that finds no free customer number answers Glue's error document, not a 500.

Glue never lets a caller choose a customer number, but other callers may (Emporix' custom
ids): when they hold every number the tenant's pattern would give next, the core's search
for a free one gives up (`CustomerNumberTaken`). Glue's error table once had no entry for
that code, so the lookup raised `KeyError` and the registration answered 500 (issue 19).
"""

from __future__ import annotations

import asyncpg
import httpx

from patron.core.customers.registration import MAX_NUMBER_SKIPS
from tests.dialects.glue.helpers import error_codes, register, registration


async def _numbers_taken_by_callers(pool: asyncpg.Pool, first: int, count: int) -> None:
    """`DE--{first}` and the `count - 1` after it, held by guests a caller numbered."""
    await pool.execute(
        "INSERT INTO customers (uuid, tenant_id, customer_number, has_account, created_at, "
        "updated_at) SELECT gen_random_uuid(), t.id, 'DE--' || n, false, now(), now() "
        "FROM tenants t, generate_series($1::int, $2::int) n WHERE t.code = 'default'",
        first,
        first + count - 1,
    )


async def test_a_signup_with_no_free_customer_number_is_a_conflict(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await _numbers_taken_by_callers(clean_db, 1, MAX_NUMBER_SKIPS)

    response = await client.post("/glue/customers", json=registration())

    assert response.status_code == 409
    assert error_codes(response) == [(409, "401")]
    assert response.json()["errors"][0]["detail"] == "Can't register a customer."
    registered = await clean_db.fetchval("SELECT count(*) FROM customers WHERE email IS NOT NULL")
    assert registered == 0


async def test_a_signup_skips_the_numbers_callers_took(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    """Short of the limit, the sign-up takes the first number nobody holds."""
    await _numbers_taken_by_callers(clean_db, 1, MAX_NUMBER_SKIPS - 1)

    data = await register(client)

    assert data["id"] == f"DE--{MAX_NUMBER_SKIPS}"
