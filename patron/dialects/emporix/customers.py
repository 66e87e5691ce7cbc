"""`/customer/{tenant}/customers`: the tenant-managed customer profiles (reference 2)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.dialects.emporix import shapes
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.http import answer, caller
from patron.dialects.emporix.scopes import CUSTOMER_READ, CUSTOMER_READ_OWN

BASE = "/customer/{tenant}/customers"


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.get(BASE + "/{customerNumber}", summary="Retrieve a customer")
    async def get_customer(request: Request, customerNumber: str) -> Response:
        call = await caller(request, ctx, CUSTOMER_READ, CUSTOMER_READ_OWN)
        found = await ctx.core.customer_admin.get_by_number(
            call.principal, call.tenant, customerNumber
        )
        return answer(shapes.customer(found))
