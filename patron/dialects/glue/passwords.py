"""`customer-password`, `customer-forgotten-password` and `customer-restore-password`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.identity.password_changes import PasswordChange
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import (
    RESOURCE_ID_MISSING,
    glue_error,
    password_mismatch,
)
from patron.dialects.glue.http import (
    id_missing_routes,
    optional_claims,
    path_customer,
    policy_attributes,
    request_tenant,
    required_claims,
    valid_attributes,
)
from patron.dialects.glue.openapi import operation, path
from patron.dialects.glue.schemas import (
    DOCUMENTED_PASSWORD,
    ForgottenPasswordAttributes,
    password_change_model,
    password_restore_model,
)
from patron.http.answers import answer_then

# A change names its new password `newPassword`.
CHANGE_OVERRIDES = {ErrorCode.PASSWORD_MISMATCH: password_mismatch("newPassword")}


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
        tenant, attributes = await policy_attributes(
            request, "customer-password", password_change_model
        )
        change = PasswordChange(
            current=attributes["password"],
            new=attributes["newPassword"],
            confirmation=attributes["confirmPassword"],
        )
        try:
            await ctx.core.passwords.change_own(tenant, claims, path_customer(request), change)
        except DomainError as error:
            raise glue_error(error, CHANGE_OVERRIDES) from None
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
        attributes = await valid_attributes(
            request, "customer-forgotten-password", ForgottenPasswordAttributes
        )
        after = ctx.core.passwords.request_reset(request_tenant(request), attributes["email"])
        return answer_then(Response(status_code=204), after)

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
        tenant, attributes = await policy_attributes(
            request, "customer-restore-password", password_restore_model
        )
        # Spryker ignores the path: the key in the attributes is the one that counts.
        await ctx.core.passwords.restore(
            tenant,
            attributes["restorePasswordKey"],
            attributes["password"],
            attributes["confirmPassword"],
        )
        return Response(status_code=204)

    id_missing_routes(
        api,
        ctx,
        [("PATCH", "/customer-restore-password"), ("PATCH", "/customer-password")],
        RESOURCE_ID_MISSING,
        check=None,
    )
