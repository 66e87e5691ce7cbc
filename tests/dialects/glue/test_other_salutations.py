"""Salutations Spryker does not know (another dialect's Miss and Company) read through Glue
as the nearest it does, so Glue clients only ever see values of its own list (the answers
are checked against Glue's OpenAPI document, which allows Mr, Mrs, Ms, Dr or null)."""

from __future__ import annotations

import asyncpg
import httpx

from tests.dialects.glue.helpers import bearer, signed_up
from tests.dialects.glue.test_addresses import add


async def test_miss_reads_as_ms_and_company_as_null(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)
    customer = (reference, bearer(tokens))
    await add(client, customer)
    await add(client, customer)
    # As the Aimeos dialect would store them.
    await clean_db.execute("UPDATE customers SET salutation = 'Miss'")
    await clean_db.execute(
        "UPDATE addresses SET salutation = CASE WHEN id = (SELECT min(id) FROM addresses) "
        "THEN 'Company' ELSE 'Miss' END"
    )

    read = await client.get(f"/glue/customers/{reference}", headers=bearer(tokens))
    addresses = await client.get(f"/glue/customers/{reference}/addresses", headers=bearer(tokens))

    assert read.status_code == addresses.status_code == 200
    assert read.json()["data"]["attributes"]["salutation"] == "Ms"
    assert [a["attributes"]["salutation"] for a in addresses.json()["data"]] == [None, "Ms"]
