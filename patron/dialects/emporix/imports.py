"""Bulk import and the password-migration retention configuration (reference 8):
`POST /customer/{tenant}/customers/import` and
`GET/POST/DELETE /customer/{tenant}/config/password-migration-retention`."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from pydantic import ValidationError
from starlette.responses import Response

from patron.core.back_office.imports import MAX_BATCH, Imported, ImportedCustomer, ImportOutcome
from patron.core.domain.password_migration import MigrationWindow
from patron.core.domain.tenants import Tenant
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import (
    CUSTOMER_FIELDS,
    EmporixError,
    EmporixErrorBody,
    GatewayBody,
    Where,
    emporix_error,
    validation_failure,
)
from patron.dialects.emporix.http import answer, caller, checked, empty, read_json
from patron.dialects.emporix.import_schemas import (
    CustomerImportDto,
    RetentionConfigRequest,
    imported_customer,
)
from patron.dialects.emporix.scopes import IMPORT_MANAGE, IMPORT_READ

IMPORT = "/customer/{tenant}/customers/import"
RETENTION = "/customer/{tenant}/config/password-migration-retention"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
"""200 customers of up to 10 KiB each: more than the mount's limit for one customer."""
IMPORT_FIELDS = {**CUSTOMER_FIELDS, "customer_number": "id"}
NOT_A_BATCH = validation_failure(f"Request body must be an array of 1 to {MAX_BATCH} customers.")
EMAIL_MISMATCH = "contactEmail must match account.email."


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.post(IMPORT, summary="Import customers in bulk", status_code=207)
    async def import_customers(request: Request) -> Response:
        call = await caller(request, ctx, IMPORT_MANAGE)
        document = await read_json(request, ctx, max_bytes=MAX_IMPORT_BYTES)
        if not isinstance(document, list) or not 1 <= len(document) <= MAX_BATCH:
            raise EmporixError(NOT_A_BATCH)
        results: dict[int, dict[str, Any]] = {}
        commands: list[ImportedCustomer] = []
        positions: list[int] = []
        for index, item in enumerate(document):
            parsed = _parsed(item)
            if isinstance(parsed, EmporixErrorBody):
                results[index] = _failed(index, parsed)
            else:
                commands.append(parsed)
                positions.append(index)
        outcomes = await ctx.core.imports.import_batch(call.principal, call.tenant, commands)
        for position, outcome in zip(positions, outcomes, strict=True):
            results[position] = _result(position, outcome, commands[outcome.index], call.tenant)
        return answer([results[index] for index in range(len(document))], 207)

    @api.get(RETENTION, summary="Retrieve the password migration retention configuration")
    async def get_retention(request: Request) -> Response:
        call = await caller(request, ctx, IMPORT_READ)
        return answer(_retention(await ctx.core.imports.window(call.principal, call.tenant)))

    @api.post(RETENTION, summary="Configure password migration retention")
    async def set_retention(request: Request) -> Response:
        call = await caller(request, ctx, IMPORT_MANAGE)
        body = checked(await read_json(request, ctx), RetentionConfigRequest)
        window = await ctx.core.imports.set_window(call.principal, call.tenant, body.to_core())
        return answer(_retention(window))

    @api.delete(RETENTION, summary="Remove the password migration retention configuration")
    async def remove_retention(request: Request) -> Response:
        call = await caller(request, ctx, IMPORT_MANAGE)
        await ctx.core.imports.remove_window(call.principal, call.tenant)
        return empty(204)


def _parsed(item: Any) -> ImportedCustomer | EmporixErrorBody:
    """One item as the core's command, or why it is refused before the core sees it."""
    try:
        dto = CustomerImportDto.model_validate(item)
    except ValidationError as error:
        details = (
            {"message": f"{'.'.join(str(part) for part in problem['loc']) or 'item'}: "
             f"{problem['msg']}"}
            for problem in error.errors(include_url=False, include_input=False)
        )  # fmt: skip
        return validation_failure("Request body is not valid.", *details)
    if dto.contactEmail is not None and (
        dto.contactEmail.strip().lower() != dto.account.email.strip().lower()
    ):
        return validation_failure(EMAIL_MISMATCH)
    return imported_customer(dto)


def _result(
    index: int, outcome: ImportOutcome, command: ImportedCustomer, tenant: Tenant
) -> dict[str, Any]:
    if isinstance(outcome, Imported):
        return {"index": index, "id": outcome.customer.customer_number, **_status(201)}
    where = Where(
        tenant_code=tenant.code,
        customer_number=command.customer_number or "",
        email=command.registration.email,
        fields=IMPORT_FIELDS,
    )
    rendered = emporix_error(outcome.error, where).body
    if isinstance(rendered, GatewayBody):  # no import refusal is the gateway's
        raise TypeError(f"no item answer for {outcome.error.code}")
    return _failed(index, rendered)


def _failed(index: int, body: EmporixErrorBody) -> dict[str, Any]:
    """`CustomerBulkItemResponse` of a refused item: its `details` keep only messages."""
    result: dict[str, Any] = {"index": index, **_status(body.status), "message": body.message}
    if body.details:
        result["details"] = [{"message": detail["message"]} for detail in body.details]
    return result


def _status(code: int) -> dict[str, Any]:
    return {"code": code, "status": HTTPStatus(code).phrase}


def _retention(window: MigrationWindow) -> dict[str, Any]:
    return {
        "retentionEndDate": window.ends_on.isoformat(),
        "emailReminderDate": window.reminder_on.isoformat(),
        "emailNotificationsEnabled": window.notifications,
    }
