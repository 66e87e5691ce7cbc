"""The baseline: a bare Starlette handler doing the same lookup over asyncpg, no auth."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from patron.storage.customers import COLUMNS
from patron.storage.database import create_pool

QUERY = f"SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND customer_number = $2"


def app() -> Starlette:
    state: dict[str, object] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state["pool"] = await create_pool(os.environ["BENCH_DATABASE_URL"], min_size=2, max_size=10)
        yield
        await state["pool"].close()  # type: ignore[attr-defined]

    async def customer(request: Request) -> Response:
        row = await state["pool"].fetchrow(QUERY, 1, request.path_params["ref"])  # type: ignore[attr-defined]
        if row is None:
            return Response(b'{"errors":[]}', 404, media_type="application/json")
        body = {
            "data": {
                "type": "customers",
                "id": row["customer_number"],
                "attributes": {
                    "firstName": row["first_name"],
                    "lastName": row["last_name"],
                    "email": row["email"],
                    "createdAt": row["created_at"].isoformat(),
                },
            }
        }
        return Response(orjson.dumps(body), media_type="application/json")

    return Starlette(routes=[Route("/customers/{ref}", customer)], lifespan=lifespan)
