"""The parts of Glue's OpenAPI document FastAPI cannot infer from our handlers.

Handlers take the raw `Request` (Glue's own errors, no second parse), so FastAPI sees no
path, query or header parameters, no request body and no security. Each route states them
in `openapi_extra` with the helpers here, and `GlueApi.openapi` adds what every operation
shares: the bearer scheme, `Accept-Language`, and Glue's error document for 4XX.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel

from patron.dialects.glue.pagination import HARD_LIMIT
from patron.dialects.glue.schemas import ErrorDocument
from patron.dialects.glue.shapes import MEDIA_TYPE

BEARER = "bearer"
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorDocument"}
ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorDocument, "description": "Glue error document"}
}
Auth = Literal["required", "optional", "none"]
In = Literal["path", "query", "header"]


def parameter(
    where: In, name: str, description: str, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One OpenAPI parameter; only a path parameter is required."""
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


def path(name: str, description: str) -> dict[str, Any]:
    return parameter("path", name, description)


def fields(*types: str) -> list[dict[str, Any]]:
    """Sparse fieldsets: `fields[type]=a,b` keeps only those attributes of that type."""
    return [
        parameter("query", f"fields[{type_}]", f"Comma-separated attributes of `{type_}` to keep")
        for type_ in types
    ]


INCLUDE = parameter("query", "include", "`addresses`: the customer's addresses in `included`")
PAGE = [
    parameter("query", "page[offset]", "Needs page[limit]", {"type": "integer", "minimum": 0}),
    parameter(
        "query",
        "page[limit]",
        f"Served as {HARD_LIMIT} when larger",
        {"type": "integer", "minimum": 1},
    ),
]


def operation(
    *,
    auth: Auth,
    body: tuple[str, type[BaseModel]] | None = None,
    parameters: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """`openapi_extra` for a route: its security, parameters and JSON:API request body."""
    extra: dict[str, Any] = {}
    if auth == "required":
        extra["security"] = [{BEARER: []}]
    elif auth == "optional":
        extra["security"] = [{}, {BEARER: []}]  # anonymous, or a token (then it must be valid)
    else:
        extra["security"] = []
    if params := list(parameters):
        extra["parameters"] = params
    if body is not None:
        extra["requestBody"] = request_body(*body)
    return extra


def request_body(resource_type: str, attributes: type[BaseModel]) -> dict[str, Any]:
    """A JSON:API request document `{data: {type, attributes}}` around `attributes`."""
    schema = {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": {
                "type": "object",
                "required": ["type", "attributes"],
                "properties": {
                    "type": {"type": "string", "enum": [resource_type]},
                    "attributes": attributes.model_json_schema(),
                },
            }
        },
    }
    return {"required": True, "content": {MEDIA_TYPE: {"schema": schema}}}


ACCEPT_LANGUAGE = parameter(
    "header", "Accept-Language", "Picks one of the tenant's locales, echoed in Content-Language"
)
UNSUPPORTED_MEDIA_TYPE = {
    "description": "An empty Content-Type (error document), or an Accept asking for a "
    "`vnd.api+` format other than json (plain text)",
    "content": {
        MEDIA_TYPE: {"schema": ERROR_SCHEMA},
        "text/plain": {"schema": {"type": "string"}},
    },
}


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """What every operation shares, added to the document FastAPI made."""
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The accessToken of POST /access-tokens",
    }
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            op.setdefault("parameters", []).append(ACCEPT_LANGUAGE)
            responses = op.setdefault("responses", {})
            # Transport errors come before any route: always Glue's document.
            responses["4XX"] = {
                "description": "Glue error document",
                "content": {MEDIA_TYPE: {"schema": ERROR_SCHEMA}},
            }
            responses["415"] = UNSUPPORTED_MEDIA_TYPE
    return document


_METHODS: Sequence[str] = ("get", "put", "post", "delete", "patch", "options", "head")


class GlueApi(FastAPI):
    """FastAPI with Glue's shared OpenAPI parts added once, when the document is first built."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = complete(super().openapi())
        return self.openapi_schema
