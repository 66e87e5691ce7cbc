"""What Glue's handlers share: documents in (checked), tokens, locale, documents out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from patron.core.domain.model import AccessClaims, Salutation
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.core.identity.passwords import POLICIES
from patron.core.use_cases import Core
from patron.dialects.glue.config import GlueConfig
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import (
    BODY_TOO_LARGE,
    INVALID_ACCESS_TOKEN,
    INVALID_TYPE,
    MISSING_ACCESS_TOKEN,
    POST_DATA_INVALID,
    GlueError,
    GlueErrorObject,
    validation_errors,
)
from patron.dialects.glue.schemas import for_policy
from patron.dialects.glue.shapes import JsonApiResponse, sparse
from patron.dialects.glue.validation import RequestModel, violations
from patron.http.body import BodyRefusals, read_bytes, read_document
from patron.http.credentials import MalformedCredentials, bearer_token
from patron.http.fieldsets import fieldsets, includes

REFUSALS = BodyRefusals(GlueError, too_large=BODY_TOO_LARGE, malformed=POST_DATA_INVALID)
"""Glue's answers to a body the toolkit refuses: a NUL anywhere is invalid post data."""


async def request_bytes(request: Request) -> bytes:
    """The body within the mount's size limit; the toolkit's `BodyTooLarge` past it."""
    config: GlueConfig = request.state.glue
    return await read_bytes(request, config.body_limits)


async def read_attributes(request: Request, resource_type: str) -> dict[str, Any]:
    """The `data.attributes` of a JSON:API request, after the toolkit's limits (a NUL
    anywhere is invalid post data) and Glue's generic request checks."""
    config: GlueConfig = request.state.glue
    document = await read_document(request, config.body_limits, REFUSALS)
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise GlueError(POST_DATA_INVALID)
    if data.get("type") != resource_type:
        raise GlueError(INVALID_TYPE)
    attributes = data.get("attributes")
    if not isinstance(attributes, dict):
        raise GlueError(POST_DATA_INVALID)
    return attributes


FieldMap = Mapping[str, tuple[str, Callable[[Any], Any]]]
"""Glue attribute name -> (core field name, conversion of the value)."""


def as_is(value: Any) -> Any:
    return value


def salutation(value: Any) -> Salutation | None:
    return Salutation(value) if value else None


def core_fields(attributes: Mapping[str, Any], field_map: FieldMap) -> dict[str, Any]:
    """The core's fields for the attributes a (validated) request sent, converted."""
    return {
        name: convert(attributes[key])
        for key, (name, convert) in field_map.items()
        if key in attributes
    }


async def valid_attributes(
    request: Request, resource_type: str, model: type[RequestModel]
) -> dict[str, Any]:
    """`read_attributes`, then Glue's request validation (901) against `model`.

    The attributes come back as sent: handlers convert them, and read the few that no
    model names (e.g. `password` on a customer PATCH, only compared).
    """
    attributes = await read_attributes(request, resource_type)
    try:
        model.model_validate(attributes)
    except ValidationError as error:
        raise validation_errors(violations(error)) from None
    return attributes


async def policy_attributes(
    request: Request, resource_type: str, factory: Callable[[int, int], type[RequestModel]]
) -> tuple[Tenant, dict[str, Any]]:
    """The tenant, and `valid_attributes` against the model `factory` builds for its
    password policy: registration, password change and restore check a password one way."""
    tenant = request_tenant(request)
    model = for_policy(factory, POLICIES[tenant.settings.password_policy])
    return tenant, await valid_attributes(request, resource_type, model)


def request_tenant(request: Request) -> Tenant:
    """The tenant this mount serves, read once per request by the transport."""
    tenant: Tenant = request.state.tenant
    return tenant


def path_customer(request: Request) -> CustomerRef:
    """The customer a Glue path names: by its `customerReference`."""
    return CustomerRef.by_number(request.path_params["customer_reference"])


def optional_claims(request: Request, core: Core) -> AccessClaims | None:
    """Any invalid token fails, even on a public route (Glue validates whatever is sent)."""
    try:
        token = bearer_token(request.headers.get("authorization"))
    except MalformedCredentials:
        raise GlueError(INVALID_ACCESS_TOKEN) from None
    return None if token is None else core.auth.verify(token, request_tenant(request))


def required_claims(request: Request, core: Core) -> AccessClaims:
    claims = optional_claims(request, core)
    if claims is None:
        raise GlueError(MISSING_ACCESS_TOKEN)
    return claims


def request_locale(request: Request) -> str:
    """The locale negotiated from `Accept-Language` (echoed in `Content-Language`)."""
    locale: str = request.state.locale
    return locale


def requested_includes(request: Request) -> frozenset[str]:
    """The resource types named by `?include=a,b`."""
    if b"include" not in request.scope["query_string"]:
        return frozenset()  # the usual case, on the hottest route: no query parsing
    return includes(request.query_params.get("include"))


def respond(request: Request, document: dict[str, Any], status: int = 200) -> JsonApiResponse:
    """A JSON:API answer with the request's sparse fieldsets applied."""
    if b"fields" in request.scope["query_string"]:
        document = sparse(document, fieldsets(request.query_params.multi_items()))
    return JsonApiResponse(document, status)


def self_link(request: Request, base_url: str, path: str) -> str:
    query = request.url.query
    return f"{base_url}{path}" + (f"?{query}" if query else "")


def id_missing_routes(
    api: FastAPI,
    ctx: GlueContext,
    routes: Iterable[tuple[str, str]],
    error: GlueErrorObject,
    check: Callable[[Request, Core], object] | None = required_claims,
) -> None:
    """Undocumented (method, path) routes for a resource path without its id: the token is
    checked as the resource's own routes check it (`check`), then Glue answers `error`."""

    async def id_missing(request: Request) -> Response:
        if check is not None:
            check(request, ctx.core)
        raise GlueError(error)

    for method, route_path in routes:
        api.add_api_route(route_path, id_missing, methods=[method], include_in_schema=False)
