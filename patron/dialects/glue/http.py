"""What Glue's handlers share: documents in (checked), tokens, locale, documents out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.requests import Request

from patron.core.errors import InvalidAccessToken
from patron.core.model import AccessClaims, Salutation
from patron.core.service import Core
from patron.dialects.glue.documents import JsonApiResponse, sparse
from patron.dialects.glue.errors import (
    INVALID_ACCESS_TOKEN,
    INVALID_TYPE,
    MISSING_ACCESS_TOKEN,
    POST_DATA_INVALID,
    GlueError,
    validation_errors,
)
from patron.dialects.glue.validation import RequestModel, violations


async def read_attributes(request: Request, resource_type: str) -> dict[str, Any]:
    """The `data.attributes` of a JSON:API request, after Glue's generic request checks."""
    try:
        document = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise GlueError(POST_DATA_INVALID) from None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise GlueError(POST_DATA_INVALID)
    if data.get("type") != resource_type:
        raise GlueError(INVALID_TYPE)
    attributes = data.get("attributes")
    if not isinstance(attributes, dict) or _holds_nul(attributes):
        raise GlueError(POST_DATA_INVALID)
    return attributes


def _holds_nul(value: Any) -> bool:
    """NUL is valid JSON but no PostgreSQL text can store it."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


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


def optional_claims(request: Request, core: Core) -> AccessClaims | None:
    """Any invalid token fails, even on a public route (Glue validates whatever is sent)."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise GlueError(INVALID_ACCESS_TOKEN)
    try:
        claims = core.auth.verify(token.strip())
    except InvalidAccessToken:
        raise GlueError(INVALID_ACCESS_TOKEN) from None
    if claims.tenant_id != request.state.tenant_id:
        raise GlueError(INVALID_ACCESS_TOKEN)  # a token of another tenant's shop
    return claims


def required_claims(request: Request, core: Core) -> AccessClaims:
    claims = optional_claims(request, core)
    if claims is None:
        raise GlueError(MISSING_ACCESS_TOKEN)
    return claims


def request_locale(request: Request) -> str:
    """The locale negotiated from `Accept-Language` (echoed in `Content-Language`)."""
    locale: str = request.state.locale
    return locale


def fieldsets(request: Request) -> dict[str, frozenset[str]]:
    """`fields[type]=a,b` query parameters, by resource type."""
    found: dict[str, frozenset[str]] = {}
    for key, value in request.query_params.multi_items():
        if key.startswith("fields[") and key.endswith("]"):
            found[key[7:-1]] = frozenset(name.strip() for name in value.split(",") if name)
    return found


def requested_includes(request: Request) -> frozenset[str]:
    """The resource types named by `?include=a,b`; unknown ones are simply never used."""
    if b"include" not in request.scope["query_string"]:
        return frozenset()  # the usual case, on the hottest route: no query parsing
    raw = request.query_params.get("include") or ""
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def respond(request: Request, document: dict[str, Any], status: int = 200) -> JsonApiResponse:
    """A JSON:API answer with the request's sparse fieldsets applied."""
    if b"fields" in request.scope["query_string"]:
        document = sparse(document, fieldsets(request))
    return JsonApiResponse(document, status)


def self_link(request: Request, base_url: str, path: str) -> str:
    query = request.url.query
    return f"{base_url}{path}" + (f"?{query}" if query else "")
