"""`access-tokens`, `refresh-tokens` and the OAuth 2.0 `token` endpoint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import parse_qsl

import orjson
from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, Response

from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials, InvalidRefreshToken
from patron.core.domain.model import Customer, TokenPair
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import (
    RESOURCE_ID_MISSING,
)
from patron.dialects.glue.http import (
    id_missing_routes,
    optional_claims,
    request_bytes,
    request_tenant,
    required_claims,
    respond,
    valid_attributes,
)
from patron.dialects.glue.openapi import ERROR_SCHEMA, fields, operation, path
from patron.dialects.glue.schemas import (
    AccessTokenDocument,
    LoginAttributes,
    OAuthError,
    OAuthTokenResponse,
    RefreshAttributes,
)
from patron.dialects.glue.shapes import MEDIA_TYPE, resource, single, token_attributes
from patron.dialects.glue.validation import RequestModel
from patron.http.body import BodyError, BodyTooLarge
from patron.http.proxies import client_ip

# The two grants as OAuth 2.0 (RFC 6749 4.3.2, 6) asks for them; empty values are refused.
PASSWORD_GRANT = {
    "type": "object",
    "required": ["grant_type", "username", "password"],
    "properties": {
        "grant_type": {"type": "string", "const": "password"},
        "username": {"type": "string", "minLength": 1},
        "password": {"type": "string", "minLength": 1},
    },
}
REFRESH_GRANT = {
    "type": "object",
    "required": ["grant_type", "refresh_token"],
    "properties": {
        "grant_type": {"type": "string", "const": "refresh_token"},
        "refresh_token": {"type": "string", "minLength": 1},
    },
}

Handler = Callable[[Request], Awaitable[Response]]
Decorator = Callable[[Handler], Handler]

INVALID_GRANT = (
    "The provided authorization grant (e.g., authorization code, resource owner credentials) "
    "or refresh token is invalid, expired, revoked, does not match the redirection URI used in "
    "the authorization request, or was issued to another client."
)


def spryker_claims(customer: Customer) -> dict[str, object]:
    """Spryker's claim layout, which its storefront (Oryx) reads: `sub` is a JSON string
    whose `customer_reference` tells who is logged in."""
    subject: dict[str, object] = {
        "id_company_user": None,
        "id_agent": None,
        "customer_reference": customer.customer_number,
        "id_customer": customer.id,
        "permissions": {"permissions": []},
    }
    return {"aud": "frontend", "sub": orjson.dumps(subject).decode(), "scopes": ["customer"]}


def _token_document(request: Request, pair: TokenPair, type_: str, base_url: str) -> Response:
    item = resource(type_, None, token_attributes(pair), f"{base_url}/{type_}")
    return respond(request, single(item), 201)


def _oauth_error(
    status: int, error: str, description: str, headers: Mapping[str, str] | None = None
) -> Response:
    """OAuth 2.0 answers plain JSON, not JSON:API."""
    return JSONResponse(
        {"error": error, "error_description": description}, status, headers=headers or None
    )


def add_routes(api: FastAPI, ctx: GlueContext) -> None:
    """Routes go straight on the app: an included router costs a second match per request."""

    def token_route(type_: str, attributes: type[RequestModel], summary: str) -> Decorator:
        """`access-tokens` and `refresh-tokens` are one kind of route: attributes in, a
        token pair out as the same document."""
        return api.post(
            f"/{type_}",
            status_code=201,
            response_model=AccessTokenDocument,
            openapi_extra=operation(
                auth="optional", body=(type_, attributes), parameters=fields(type_)
            ),
            summary=summary,
        )

    @token_route("access-tokens", LoginAttributes, "Log in with email and password")
    async def create_access_token(request: Request) -> Response:
        optional_claims(request, ctx.core)
        attributes = await valid_attributes(request, "access-tokens", LoginAttributes)
        _, pair = await ctx.core.auth.login(
            request_tenant(request),
            attributes["username"],
            attributes["password"],
            client_ip=client_ip(request),
            vendor_claims=spryker_claims,
        )
        return _token_document(request, pair, "access-tokens", ctx.base_url)

    @token_route("refresh-tokens", RefreshAttributes, "Exchange a refresh token for new tokens")
    async def create_refresh_token(request: Request) -> Response:
        optional_claims(request, ctx.core)
        attributes = await valid_attributes(request, "refresh-tokens", RefreshAttributes)
        pair = await ctx.core.auth.refresh(
            request_tenant(request), attributes["refreshToken"], vendor_claims=spryker_claims
        )
        return _token_document(request, pair, "refresh-tokens", ctx.base_url)

    @api.delete(
        "/refresh-tokens/{refresh_token}",
        status_code=204,
        summary="Revoke a refresh token, or all of mine with `mine`",
        openapi_extra=operation(
            auth="required",
            parameters=[path("refresh_token", "A refresh token, or `mine` for all of mine")],
        ),
    )
    async def revoke_refresh_token(request: Request) -> Response:
        refresh_token = request.path_params["refresh_token"]
        claims = required_claims(request, ctx.core)
        await ctx.core.auth.revoke(claims, None if refresh_token == "mine" else refresh_token)
        return Response(status_code=204)  # always, whether or not anything was revoked

    id_missing_routes(api, ctx, [("DELETE", "/refresh-tokens")], RESOURCE_ID_MISSING)

    @api.post(
        "/token",
        response_model=OAuthTokenResponse,
        response_class=JSONResponse,
        summary="OAuth 2.0 token endpoint (password and refresh_token grants)",
        responses={
            400: {
                "model": OAuthError,
                "description": "OAuth error; Glue's document when the request headers are "
                "refused before the endpoint (code 005)",
                "content": {MEDIA_TYPE: {"schema": ERROR_SCHEMA}},
            },
            413: {"model": OAuthError, "description": "A body over PATRON_MAX_BODY_BYTES"},
            429: {"model": OAuthError, "description": "Too many failed logins"},
        },
        openapi_extra={
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"oneOf": [PASSWORD_GRANT, REFRESH_GRANT]}
                    }
                },
            },
        },
    )
    async def oauth_token(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return _oauth_error(400, "invalid_request", "Use application/x-www-form-urlencoded.")
        try:
            raw = await request_bytes(request)
        except BodyTooLarge:
            return _oauth_error(413, "invalid_request", "The request is too large.")
        except BodyError:
            return _oauth_error(400, "invalid_request", "The request is malformed.")
        try:
            pairs = parse_qsl(raw.decode("latin-1"), max_num_fields=20)
        except ValueError:
            return _oauth_error(400, "invalid_request", "The request is malformed.")
        fields = {key: value for key, value in pairs if "\x00" not in value}
        grant = fields.get("grant_type")
        tenant = request_tenant(request)
        try:
            if grant == "password":
                username, password = fields.get("username"), fields.get("password")
                if not username or not password:
                    return _oauth_error(
                        400, "invalid_request", "The username and password are required."
                    )
                _, pair = await ctx.core.auth.login(
                    tenant,
                    username,
                    password,
                    client_ip=client_ip(request),
                    vendor_claims=spryker_claims,
                )
            elif grant == "refresh_token":
                token = fields.get("refresh_token")
                if not token:
                    return _oauth_error(400, "invalid_request", "The refresh token is required.")
                pair = await ctx.core.auth.refresh(tenant, token, vendor_claims=spryker_claims)
            else:
                return _oauth_error(400, "invalid_grant", INVALID_GRANT)
        except LoginBlocked as blocked:
            return _oauth_error(
                429,
                "invalid_grant",
                "Too many log in attempts from your address. Please try again later.",
                {"Retry-After": str(blocked.retry_after_seconds)},
            )
        except InvalidCredentials:
            return _oauth_error(400, "invalid_grant", INVALID_GRANT)
        except InvalidRefreshToken:
            return _oauth_error(400, "invalid_request", "The refresh token is invalid.")
        return JSONResponse(
            {
                "access_token": pair.access_token,
                "token_type": pair.token_type,
                "expires_in": pair.expires_in,
                "refresh_token": pair.refresh_token,
            },
            headers={"Cache-Control": "no-store"},
        )
