"""The parts of Medusa's OpenAPI document FastAPI cannot infer from our handlers.

Handlers take the raw `Request` (Medusa's own validation and errors, no second parse), so
FastAPI sees no parameters, no request body and no security. Each route states them in
`openapi_extra` with the helpers here, and `MedusaApi.openapi` adds what every operation
shares: the security schemes, the request models as components, and the error answers
(JSON `{code?, type, message}`; a failed authentication is the text `Unauthorized`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel

from patron.core.domain.queries import MAX_PAGE_SIZE
from patron.dialects.medusa.schemas import ErrorBody

COOKIE = "cookie_auth"
BEARER = "jwt_token"
API_TOKEN = "api_token"
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorBody"}
JSON_ERROR = {"application/json": {"schema": ERROR_SCHEMA}}
TEXT = {"text/plain": {"schema": {"type": "string"}}}
Auth = Literal["admin", "customer", "none"]

SECURITY: dict[Auth, list[dict[str, list[str]]]] = {
    "admin": [{COOKIE: []}, {BEARER: []}, {API_TOKEN: []}],
    "customer": [{COOKIE: []}, {BEARER: []}],
    "none": [],
}


def path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _dates(name: str) -> dict[str, Any]:
    bound = {"type": "string", "description": "A date, or seconds since 1970"}
    return {
        **query(
            name,
            {
                "type": "object",
                "properties": {key: bound for key in ("lt", "gt", "lte", "gte")},
                "additionalProperties": False,
            },
            f"{name}[lt|gt|lte|gte]=<date>",
        ),
        "style": "deepObject",
        "explode": True,
    }


def paging(default_limit: int) -> list[dict[str, Any]]:
    return [
        query(
            "limit",
            {"type": "integer", "minimum": 0, "default": default_limit},
            f"Served as {MAX_PAGE_SIZE} when larger (the answer's `limit` says so)",
        ),
        query("offset", {"type": "integer", "minimum": 0, "default": 0}, "Rows to skip"),
    ]


EXPAND = query("expand", {"type": "string"}, "Comma-separated relations; replaces the defaults")
FIELDS = query("fields", {"type": "string"}, "Accepted and ignored, as Medusa v1 does")
ORDER = query("order", {"type": "string"}, "`field` or `-field` (descending)")
CUSTOMER_LIST = [
    *paging(50),
    EXPAND,
    FIELDS,
    query("q", {"type": "string"}, "A substring of the email, first or last name, any case"),
    query(
        "has_account",
        {"type": "string"},
        '"true" or "false"; anything else is ignored',
    ),
    {
        **query("groups", {"type": "array", "items": {"type": "string"}}, "Members of any"),
        "style": "form",
        "explode": True,
    },
    ORDER,
    _dates("created_at"),
    _dates("updated_at"),
]
GROUP_LIST = [
    query("q", {"type": "string"}, "A substring of the name, any case"),
    {
        **query("id", {"type": "array", "items": {"type": "string"}}, "Group ids"),
        "style": "form",
        "explode": True,
    },
    {
        **query("name", {"type": "array", "items": {"type": "string"}}, "Exact names"),
        "style": "form",
        "explode": True,
    },
    _dates("created_at"),
    _dates("updated_at"),
    query("discount_condition_id", {"type": "string"}, "Patron has no discounts: no group"),
    ORDER,
    *paging(10),
    EXPAND,
    FIELDS,
]


def operation(
    *,
    auth: Auth,
    body: type[BaseModel] | None = None,
    parameters: Iterable[dict[str, Any]] = (),
    responses: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`openapi_extra` for a route: its security, parameters and JSON request body."""
    extra: dict[str, Any] = {"security": SECURITY[auth]}
    if params := list(parameters):
        extra["parameters"] = params
    if body is not None:
        required = any(field.is_required() for field in body.model_fields.values())
        schema = body.model_json_schema(ref_template=REF_TEMPLATE)
        extra["requestBody"] = {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    if responses:
        extra["responses"] = responses
    return extra


REF_TEMPLATE = "#/components/schemas/{model}"


def text_answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": TEXT}


UNAUTHORIZED = {
    "description": "Not authenticated: the text `Unauthorized`; an invalid password-reset "
    "token: an `unauthorized` error",
    "content": {**TEXT, **JSON_ERROR},
}
TOO_MANY = {
    "description": "Too many attempts (login; `GET /store/auth/{email}` and sign-ups of a "
    "registered email); wait `Retry-After`",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}},
    "content": JSON_ERROR,
}


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """What every operation shares, added to the document FastAPI made."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["ErrorBody"] = ErrorBody.model_json_schema()
    components["securitySchemes"] = {
        COOKIE: {
            "type": "apiKey",
            "in": "cookie",
            "name": "connect.sid",
            "description": "The session of POST /admin/auth, POST /store/auth or "
            "POST /store/customers",
        },
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "The access_token of POST /admin/auth/token or /store/auth/token",
        },
        API_TOKEN: {
            "type": "apiKey",
            "in": "header",
            "name": "x-medusa-access-token",
            "description": "An admin user's API token (`patron admin issue-token`)",
        },
    }
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            if "requestBody" in op:  # nested request models become components
                body_schema = op["requestBody"]["content"]["application/json"]["schema"]
                schemas.update(body_schema.pop("$defs", {}))
            responses = op.setdefault("responses", {})
            responses.pop("422", None)  # FastAPI's own validation error: never sent
            responses.setdefault("4XX", {"description": "Medusa error", "content": JSON_ERROR})
            responses.setdefault("401", UNAUTHORIZED)
            responses.setdefault("429", TOO_MANY)
    return document


_METHODS: Sequence[str] = ("get", "put", "post", "delete", "patch")


class MedusaApi(FastAPI):
    """FastAPI with Medusa's shared OpenAPI parts added once, when the document is built."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = complete(super().openapi())
        return self.openapi_schema
