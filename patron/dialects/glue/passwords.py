"""`customer-password`, `customer-forgotten-password` and `customer-restore-password`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.background import BackgroundTask
from starlette.responses import Response

from patron.core.model import Tenant
from patron.core.password_changes import PasswordChange
from patron.core.passwords import POLICIES, PasswordPolicy
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import RESOURCE_ID_MISSING, GlueError
from patron.dialects.glue.http import optional_claims, required_claims, valid_attributes
from patron.dialects.glue.openapi import operation, path
from patron.dialects.glue.schemas import (
    DOCUMENTED_PASSWORD,
    ForgottenPasswordAttributes,
    for_policy,
    password_change_model,
    password_restore_model,
)


def tenant_policy(tenant: Tenant) -> PasswordPolicy:
    return POLICIES[tenant.settings.password_policy]


def add_routes(api: FastAPI, ctx: GlueContext) -> None:
    @api.patch(
        "/customer-password/{customer_reference}",
        status_code=204,
        openapi_extra=operation(
            auth="required",
            body=("customer-password", password_change_model(*DOCUMENTED_PASSWORD)),
            parameters=[path("customer_reference", "The customer reference, e.g. DE--1")],
        ),
        summary="Change the password (ends every other session)",
    )
    async def change_password(request: Request) -> Response:
        claims = required_claims(request, ctx.core)
        tenant = await ctx.tenant()
        model = for_policy(password_change_model, tenant_policy(tenant))
        attributes = await valid_attributes(request, "customer-password", model)
        change = PasswordChange(
            current=attributes["password"],
            new=attributes["newPassword"],
            confirmation=attributes["confirmPassword"],
        )
        await ctx.core.passwords.change_own(
            tenant, claims, request.path_params["customer_reference"], change
        )
        return Response(status_code=204)

    @api.post(
        "/customer-forgotten-password",
        status_code=204,
        openapi_extra=operation(
            auth="optional", body=("customer-forgotten-password", ForgottenPasswordAttributes)
        ),
        summary="Mail a password-reset key (always 204)",
    )
    async def forgotten_password(request: Request) -> Response:
        optional_claims(request, ctx.core)
        tenant = await ctx.tenant()
        attributes = await valid_attributes(
            request, "customer-forgotten-password", ForgottenPasswordAttributes
        )
        # The work runs after the answer is sent: known and unknown addresses answer alike.
        task = BackgroundTask(ctx.core.passwords.request_reset, tenant, attributes["email"])
        return Response(status_code=204, background=task)

    @api.patch(
        "/customer-restore-password/{restore_password_key}",
        status_code=204,
        openapi_extra=operation(
            auth="optional",
            body=("customer-restore-password", password_restore_model(*DOCUMENTED_PASSWORD)),
            parameters=[path("restore_password_key", "Ignored: the key in the body counts")],
        ),
        summary="Set a new password with the key from the email (ends every session)",
    )
    async def restore_password(request: Request) -> Response:
        optional_claims(request, ctx.core)
        tenant = await ctx.tenant()
        model = for_policy(password_restore_model, tenant_policy(tenant))
        attributes = await valid_attributes(request, "customer-restore-password", model)
        # Spryker ignores the path: the key in the attributes is the one that counts.
        await ctx.core.passwords.restore(
            tenant,
            attributes["restorePasswordKey"],
            attributes["password"],
            attributes["confirmPassword"],
        )
        return Response(status_code=204)

    @api.patch("/customer-password", include_in_schema=False)
    @api.patch("/customer-restore-password", include_in_schema=False)
    async def resource_id_missing(request: Request) -> Response:
        raise GlueError(RESOURCE_ID_MISSING)
