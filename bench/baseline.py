"""The baseline: bare Starlette handlers over asyncpg doing the same queries as Patron, with
no auth, no validation and no framework beyond routing.

- `/customers/{ref}`: Glue's read, one lookup by customer number.
- `/admin/customers/{id}`: Medusa's admin read: the customer by uuid and its addresses
  (ids rendered with the dialect's own ULID code, so both sides pay the same for them).
- `/aimeos/customer`: Aimeos' logged-in customer with its addresses included: the customer
  by id (from a plain cookie) and its addresses.
- `/admin/customers?limit&offset&q`: Medusa's admin list: the page and its count through
  Patron's own `PgCustomerSearch` (so the very SQL Patron's list runs), then the page's
  addresses in one query, as Patron reads them.
- `/emporix/customers?q&sort&pageSize`: Emporix' tenant-managed list: Emporix' `q` parsed
  by the dialect's parser, the page and its count through `PgCustomerSearch`, rendered as
  Emporix' customers with the count in `Count`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench import emporix
from patron.core.domain.model import Address, Customer
from patron.core.domain.queries import CustomerQuery, Page
from patron.dialects.medusa import ids
from patron.storage.addresses import PgAddressReads
from patron.storage.customer_search import PgCustomerSearch
from patron.storage.customers import COLUMNS
from patron.storage.database import create_pool

QUERY = f"SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND customer_number = $2"
TENANT = 1


def _address(address: Address, customer_id: str) -> dict[str, Any]:
    return {
        "id": ids.render(ids.ADDRESS, address.uuid),
        "customer_id": customer_id,
        "first_name": address.first_name,
        "last_name": address.last_name,
        "address_1": address.address1,
        "city": address.city,
        "postal_code": address.zip_code,
        "country_code": address.country_code.lower() if address.country_code else None,
    }


def _customer(customer: Customer, addresses: list[Address]) -> dict[str, Any]:
    customer_id = ids.render(ids.CUSTOMER, customer.uuid)
    return {
        "id": customer_id,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "has_account": customer.has_account,
        "metadata": customer.metadata or None,
        "created_at": customer.created_at.isoformat(),
        "updated_at": customer.updated_at.isoformat(),
        "shipping_addresses": [_address(a, customer_id) for a in addresses],
    }


def _emporix_customer(customer: Customer) -> dict[str, Any]:
    body = {
        "id": customer.customer_number,
        "customerNumber": customer.customer_number,
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "contactEmail": customer.shown_contact_email,
        "active": customer.is_active,
        "onHold": customer.on_hold,
        "metadata": {"version": customer.version},
        "metadataCreatedAt": emporix.timestamp(customer.created_at),
    }
    return {key: value for key, value in body.items() if value is not None}


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status, media_type="application/json")


def app() -> Starlette:
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        pool = await create_pool(os.environ["BENCH_DATABASE_URL"], min_size=2, max_size=10)
        state.update(pool=pool, search=PgCustomerSearch(pool), addresses=PgAddressReads(pool))
        yield
        await pool.close()

    async def customer(request: Request) -> Response:
        row = await state["pool"].fetchrow(QUERY, TENANT, request.path_params["ref"])
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

    async def admin_customer(request: Request) -> Response:
        uuid = ids.parse(ids.CUSTOMER, request.path_params["id"])
        found = await state["search"].by_uuid(TENANT, uuid) if uuid else None
        if found is None:
            return _json({"type": "not_found", "message": "not found"}, 404)
        addresses = await state["addresses"].addresses_of([found.id])
        return _json({"customer": _customer(found, addresses[found.id])})

    async def admin_customers(request: Request) -> Response:
        params = request.query_params
        page = Page(offset=int(params.get("offset", 0)), limit=int(params.get("limit", 50)))
        query = CustomerQuery(text=params.get("q") or None, page=page)
        found, count = await state["search"].search(TENANT, query)
        addresses = await state["addresses"].addresses_of([c.id for c in found])
        customers = [_customer(c, addresses[c.id]) for c in found]
        return _json(
            {"customers": customers, "count": count, "offset": page.offset, "limit": page.limit}
        )

    async def emporix_customers(request: Request) -> Response:
        """Only the order `bench.emporix` asks for, which is `CustomerQuery`'s default."""
        params = request.query_params
        if params.get("sort", emporix.SORT) != emporix.SORT:
            return _json({"message": "only metadataCreatedAt:DESC"}, 400)
        query = emporix.search_of(params.get("q", ""))
        found, count = await state["search"].search_with_groups(TENANT, query)
        body = orjson.dumps([_emporix_customer(c) for c, _ in found])
        return Response(body, headers={"Count": str(count)}, media_type="application/json")

    async def aimeos_customer(request: Request) -> Response:
        """Aimeos' logged-in customer with `include=customer/address`: the customer and its
        addresses, rendered as attribute maps."""
        customer_id = int(request.cookies.get("cid", "0"))
        row = await state["pool"].fetchrow(
            f"SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND id = $2", TENANT, customer_id
        )
        if row is None:
            return _json({"errors": [{"title": "not found"}]}, 404)
        addresses = (await state["addresses"].addresses_of([customer_id]))[customer_id]
        billing = next((a for a in addresses if a.is_default_billing), None)
        attributes = {
            "customer.id": str(customer_id),
            "customer.firstname": row["first_name"] or "",
            "customer.lastname": row["last_name"] or "",
            "customer.email": row["email"] or "",
            "customer.code": row["email"] or "",
            "customer.address1": (billing.address1 if billing else None) or "",
            "customer.city": (billing.city if billing else None) or "",
            "customer.countryid": billing.country_code if billing else None,
        }
        included = [
            {
                "id": str(a.id),
                "type": "customer.address",
                "attributes": {
                    "customer.address.id": str(a.id),
                    "customer.address.firstname": a.first_name or "",
                    "customer.address.lastname": a.last_name or "",
                    "customer.address.address1": a.address1 or "",
                    "customer.address.city": a.city or "",
                },
            }
            for a in addresses
        ]
        relationships = {"customer.address": {"data": [
            {"id": item["id"], "type": "customer.address"} for item in included
        ]}}  # fmt: skip
        body = {
            "meta": {"total": 1},
            "data": {
                "id": str(customer_id),
                "type": "customer",
                "attributes": attributes,
                "relationships": relationships,
            },
            "included": included,
        }
        return Response(orjson.dumps(body), media_type="application/vnd.api+json")

    return Starlette(
        routes=[
            Route("/aimeos/customer", aimeos_customer),
            Route("/customers/{ref}", customer),
            Route("/admin/customers/{id}", admin_customer),
            Route("/admin/customers", admin_customers),
            Route("/emporix/customers", emporix_customers),
        ],
        lifespan=lifespan,
    )
