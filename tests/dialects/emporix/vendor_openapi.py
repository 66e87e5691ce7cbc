"""Emporix' own OpenAPI documents, as the conformance checks use them.

`vendor/` holds Emporix' files unchanged (copied from the reference, so CI has them). This
module reads them and makes two things of them:

- `document()`: the tenant-managed document with `AMENDMENTS` applied, still OpenAPI 3.0
  (for schemathesis). Each amendment is a documented deviation where Emporix' document
  contradicts itself, the reference, or what Patron must answer (413 for a body over the
  limit); the list is kept short and every entry says why.
- `json_schema_document(...)`: the same, with every schema rewritten from OpenAPI 3.0's
  dialect into JSON Schema 2020-12 for jsonschema-rs (`nullable`, `example`,
  `discriminator`, boolean `exclusiveMinimum`, `writeOnly` in answers) and every
  `#/components/responses|parameters` reference inlined, so `OpenApiChecker` can read them.

Paths in the documents are relative to the mount (`/emporix`): Emporix' server is
`https://api.emporix.io`, ours is `{public_url}/emporix`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml

from patron.dialects.emporix.app import build_app
from patron.dialects.emporix.config import EmporixConfig
from tests.openapi_answers import METHODS, OpenApiChecker

VENDOR = Path(__file__).resolve().parent / "vendor"
TENANT_MANAGED = VENDOR / "customer-service-tenant-managed.yml"
CUSTOMER_MANAGED = VENDOR / "customer-service-customer-managed.yml"
"""Issue 11's document: checked as soon as its routes answer tests."""
MOUNT = "/emporix"
TOKEN_OPERATION = "POST-oauth-token"

PENDING: frozenset[str] = frozenset()
"""Documented operations `/emporix` does not serve yet. It may only shrink: a test fails
while it names an operation that is served, or misses one that is not, and the issue is
done when it is empty. Everything else (schemathesis, the isolation matrix) covers exactly
the served operations, so each route is checked the moment it lands."""


@dataclass(frozen=True, slots=True)
class VendorOperation:
    operation_id: str
    method: str
    template: str
    spec: dict[str, Any]


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


# --- amendments: the documented deviations ------------------------------------------------

ERROR_MESSAGE = {"$ref": "#/components/schemas/ErrorMessage"}
ERROR_CONTENT = {"application/json": {"schema": ERROR_MESSAGE}}
GATEWAY_ERROR = {
    "type": "object",
    "required": ["ErrorCode", "Error"],
    "additionalProperties": False,
    "properties": {"ErrorCode": {"type": "string"}, "Error": {"type": "string"}},
}


def _token_operation(document: dict[str, Any]) -> None:
    """`POST /oauth/token` is Emporix' gateway, not the customer service, so no document
    of theirs has it: described here from reference 2 and the gateway's (Apigee OAuthV2)
    answers, as Patron serves them."""
    refused = {
        "description": "Refused, in the gateway's words",
        "content": {"application/json": {"schema": GATEWAY_ERROR}},
    }
    document["paths"]["/oauth/token"] = {
        "post": {
            "operationId": TOKEN_OPERATION,
            "summary": "A service token (client-credentials grant)",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                                "client_id": {"type": "string"},
                                "client_secret": {"type": "string"},
                                "scope": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "A bearer token of the client's tenant",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["access_token", "token_type", "expires_in", "scope"],
                                "additionalProperties": False,
                                "properties": {
                                    "access_token": {"type": "string", "minLength": 1},
                                    "token_type": {"type": "string", "enum": ["Bearer"]},
                                    "expires_in": {"type": "integer", "minimum": 1},
                                    "scope": {"type": "string", "pattern": r"(^| )tenant=\S+$"},
                                    "session_idle_time": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "400": refused,
                "401": refused,
                "429": refused,
            },
        }
    }


def _tenant_400_everywhere(document: dict[str, Any]) -> None:
    """Reference 7.2: the tenant 400 applies to all endpoints; the retention GET omits it."""
    for operation in _operations(document):
        operation.spec["responses"].setdefault(
            "400", {"$ref": "#/components/responses/400_bad_request"}
        )


def _error_bodies(document: dict[str, Any]) -> None:
    """An error declared without a body (the address list's and the retention GET's 404)
    carries the `ErrorMessage` every other error of the service has (reference 7.1)."""
    for operation in _operations(document):
        for status, response in operation.spec["responses"].items():
            if status.startswith("4") and "$ref" not in response and "content" not in response:
                response["content"] = copy.deepcopy(ERROR_CONTENT)


def _version_conflict(document: dict[str, Any]) -> None:
    """A stale `metadata.version` is 409 `conflict_resource` on every write of a versioned
    resource (reference 1.4): customer PUT lists 409; its PATCH and the address PUT and
    PATCH (addresses carry `metadata.version` too) do not."""
    customer = "/customer/{tenant}/customers/{customerNumber}"
    for template, method in (
        (customer, "patch"),
        (customer + "/addresses/{addressId}", "put"),
        (customer + "/addresses/{addressId}", "patch"),
    ):
        responses = document["paths"][template][method]["responses"]
        responses["409"] = {"$ref": "#/components/responses/409_conflict"}


def _body_too_large(document: dict[str, Any]) -> None:
    """A body over `PATRON_MAX_BODY_BYTES` is refused with 413 before it is read."""
    for operation in _operations(document):
        if "requestBody" in operation.spec:
            operation.spec["responses"]["413"] = {
                "description": "The body is larger than the service reads",
                "content": copy.deepcopy(ERROR_CONTENT),
            }


def _tag_post_security(document: dict[str, Any]) -> None:
    """Adding tags is the only write without `security` (the document's slip): it needs
    `customer.customer_manage`, as removing them does."""
    tags = document["paths"][
        "/customer/{tenant}/customers/{customerNumber}/addresses/{addressId}/tags"
    ]
    tags["post"]["security"] = copy.deepcopy(tags["delete"]["security"])


def _custom_id_pattern(document: dict[str, Any]) -> None:
    """`^[a-zA-Z0-9_-]$` allows one character only: the quantifier is missing (reference
    1.4 and 9.8); the rule is `^[a-zA-Z0-9_-]{1,66}$`. Matters for generated requests."""
    signup = document["components"]["schemas"]["CustomerSignupBySellerDto"]["allOf"][1]
    signup["properties"]["id"]["pattern"] = "^[a-zA-Z0-9_-]{1,66}$"


AMENDMENTS: tuple[Callable[[dict[str, Any]], None], ...] = (
    _token_operation,
    _tenant_400_everywhere,
    _error_bodies,
    _version_conflict,
    _body_too_large,
    _tag_post_security,
    _custom_id_pattern,
)


@cache
def _amended() -> dict[str, Any]:
    document = load(TENANT_MANAGED)
    for amend in AMENDMENTS:
        amend(document)
    return document


# --- the customer-managed document (issue 11) --------------------------------------------

UNAUTHORIZED = {"$ref": "#/components/responses/401_unauthorized"}
ANONYMOUS_TOKEN_PATHS = (
    "/customerlogin/auth/anonymous/login",
    "/customerlogin/auth/anonymous/refresh",
)


def _anonymous_token_refusals(document: dict[str, Any]) -> None:
    """The anonymous-token routes document only their 200: an unknown tenant is the 400
    every route has (reference 7.2), an unknown client id or refresh token the gateway's
    401, as for every other credential."""
    for template in ANONYMOUS_TOKEN_PATHS:
        responses = document["paths"][template]["get"]["responses"]
        responses["401"] = copy.deepcopy(UNAUTHORIZED)


def _gateway_401(document: dict[str, Any]) -> None:
    """A 401 documented without a body (`validateauthtoken`) is the gateway's, as every
    other 401 of the document."""
    for operation in _operations(document):
        response = operation.spec["responses"].get("401")
        if response is not None and "$ref" not in response and "content" not in response:
            operation.spec["responses"]["401"] = copy.deepcopy(UNAUTHORIZED)


def _login_throttle(document: dict[str, Any]) -> None:
    """Password checks are throttled as in every dialect (a login, the current password
    of a password or email change), and sign-ups are limited per client address: past
    the limit they answer 429 `too_many_requests`."""
    for template in (
        "/customer/{tenant}/login",
        "/customer/{tenant}/password/change",
        "/customer/{tenant}/me/accounts/internal/email/change",
        "/customer/{tenant}/signup",
    ):
        responses = document["paths"][template]["post"]["responses"]
        responses["429"] = {
            "description": "Too many attempts",
            "content": copy.deepcopy(ERROR_CONTENT),
        }


def _email_taken(document: dict[str, Any]) -> None:
    """Confirming a new email that another account took meanwhile is 409
    `conflict_resource`, as every write of a taken email (the issue asks for it)."""
    template = "/customer/{tenant}/me/accounts/internal/email/change/confirm"
    document["paths"][template]["post"]["responses"]["409"] = {
        "$ref": "#/components/responses/409_conflict"
    }


def _account_deletion(document: dict[str, Any]) -> None:
    """`DELETE /me` as it stood before Emporix removed it from the document (reference
    4.1, commit 391575e4): the customer's token, an optional mailed `token`; 202 when
    the confirmation was mailed, 204 when the account is deleted."""
    document["paths"]["/customer/{tenant}/me"]["delete"] = {
        "operationId": "DELETE-customer-delete-customer-profile",
        "summary": "Deleting a customer profile",
        "security": [{"CustomerAccessToken": []}],
        "parameters": [{"$ref": "#/components/parameters/token"}],
        "responses": {
            "202": {"description": "Customer profile deletion confirmation was accepted"},
            "204": {"description": "Customer profile deletion request was successful"},
            "400": {"$ref": "#/components/responses/400_bad_request"},
            "401": copy.deepcopy(UNAUTHORIZED),
            "403": {"$ref": "#/components/responses/403_forbidden"},
        },
    }


def _me_version_conflict(document: dict[str, Any]) -> None:
    """`PATCH /me` takes `metadata.version` (reference 4.3), and so does an address's
    PATCH (addresses carry it too): a stale one is the 409 `conflict_resource` of every
    versioned write (reference 1.4)."""
    for template in ("/customer/{tenant}/me", "/customer/{tenant}/me/addresses/{addressId}"):
        responses = document["paths"][template]["patch"]["responses"]
        responses["409"] = {
            "description": "A stale version",
            "content": copy.deepcopy(ERROR_CONTENT),
        }


SELF_SERVICE_AMENDMENTS: tuple[Callable[[dict[str, Any]], None], ...] = (
    _account_deletion,
    _anonymous_token_refusals,
    _gateway_401,
    _tenant_400_everywhere,
    _error_bodies,
    _body_too_large,
    _login_throttle,
    _me_version_conflict,
    _email_taken,
)


@cache
def _self_service_amended() -> dict[str, Any]:
    document = load(CUSTOMER_MANAGED)
    for amend in SELF_SERVICE_AMENDMENTS:
        amend(document)
    return document


def self_service_document() -> dict[str, Any]:
    """The customer-managed document, amended (OpenAPI 3.0; a fresh copy each call)."""
    return copy.deepcopy(_self_service_amended())


def document() -> dict[str, Any]:
    """The tenant-managed document, amended (OpenAPI 3.0; a fresh copy each call)."""
    return copy.deepcopy(_amended())


def _operations(document: dict[str, Any]) -> Iterator[VendorOperation]:
    for template, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                spec = item[method]
                yield VendorOperation(spec["operationId"], method.upper(), template, spec)


def operations() -> list[VendorOperation]:
    """The amended document's operations, in the document's order (the token's last)."""
    return list(_operations(document()))


def parameters(operation: VendorOperation) -> list[dict[str, Any]]:
    """The operation's own parameters, references read."""
    reusable = _amended()["components"]["parameters"]
    return [
        reusable[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
        for p in operation.spec.get("parameters", [])
    ]


# --- what is served ---------------------------------------------------------------------


def _shape(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", template)


@cache
def _routes() -> frozenset[tuple[str, str]]:
    app = build_app(_no_core, EmporixConfig(public_url="http://testserver"))
    return frozenset(
        (method, _shape(path))
        for route in app.routes
        for method in getattr(route, "methods", None) or ()
        if (path := getattr(route, "path", None)) is not None
    )


def _no_core() -> Any:
    raise AssertionError("listing the routes needs no core")


def served(operation: VendorOperation) -> bool:
    return (operation.method, _shape(operation.template)) in _routes()


def served_operations() -> list[VendorOperation]:
    return [operation for operation in operations() if served(operation)]


def served_document(base: str) -> dict[str, Any]:
    """The amended document with only the operations `/emporix` serves, on `base`."""
    return _served_part(document(), base)


def self_service_served_document(base: str) -> dict[str, Any]:
    """The amended customer-managed document with the operations `/emporix` serves."""
    return _served_part(self_service_document(), base)


def self_service_served_operations() -> list[VendorOperation]:
    return [o for o in _operations(self_service_document()) if served(o)]


def _served_part(source: dict[str, Any], base: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for operation in _operations(source):
        if not served(operation):
            continue
        item = paths.setdefault(operation.template, {})
        item[operation.method.lower()] = operation.spec
        if "parameters" in source["paths"][operation.template]:
            item["parameters"] = source["paths"][operation.template]["parameters"]
    return {**source, "servers": [{"url": f"{base}{MOUNT}"}], "paths": paths}


# --- OpenAPI 3.0 schemas as JSON Schema 2020-12 -----------------------------------------

_ANNOTATIONS_ONLY = ("example", "discriminator", "xml", "externalDocs", "nullable")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("items", "not", "additionalProperties", "contains")


def json_schema(schema: Any) -> Any:
    """One OpenAPI 3.0 schema (of an answer) as JSON Schema 2020-12; a `writeOnly`
    property must not appear in an answer."""
    if not isinstance(schema, dict):
        return schema
    converted = {k: v for k, v in schema.items() if k not in _ANNOTATIONS_ONLY}
    for name in _SUBSCHEMA_LISTS:
        if name in converted:
            converted[name] = [json_schema(s) for s in converted[name]]
    for name in _SUBSCHEMAS:
        if name in converted:
            converted[name] = json_schema(converted[name])
    if isinstance(converted.get("properties"), dict):
        converted["properties"] = {
            name: False if isinstance(s, dict) and s.get("writeOnly") else json_schema(s)
            for name, s in converted["properties"].items()
        }
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = converted.get(bound)
        if isinstance(flag, bool):  # 3.0: a flag on minimum/maximum
            del converted[bound]
            if flag and limit in converted:
                converted[bound] = converted.pop(limit)
    if schema.get("nullable") is True:
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def _inline(node: Any, components: dict[str, Any]) -> Any:
    """`node` with references to reusable responses and parameters replaced by their
    text (the checker looks into responses; schemas keep their `$ref`s)."""
    if isinstance(node, list):
        return [_inline(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith(
        ("#/components/responses/", "#/components/parameters/")
    ):
        _, _, kind, name = reference.split("/")
        return _inline(components[kind][name], components)
    return {
        key: json_schema(value) if key == "schema" else _inline(value, components)
        for key, value in node.items()
    }


def json_schema_document(source: dict[str, Any]) -> dict[str, Any]:
    """`source` (OpenAPI 3.0) for `OpenApiChecker`: schemas in JSON Schema 2020-12,
    reusable responses and parameters inlined, `components.schemas` converted."""
    components = source["components"]
    schemas = {name: json_schema(s) for name, s in components.get("schemas", {}).items()}
    return {
        **source,
        "paths": _inline(source["paths"], components),
        "components": {**components, "schemas": schemas},
    }


# --- the checker ---------------------------------------------------------------------------


class DocumentChecker(OpenApiChecker):
    """Answers of `/emporix` against one of Emporix' documents. A path the document does
    not have is 404, a documented path's other methods 405, both `ErrorMessage`."""

    def __init__(self, source: dict[str, Any]) -> None:
        super().__init__(json_schema_document(source), MOUNT, formats=True)

    def unmatched(
        self, method: str, path: str, response: httpx.Response
    ) -> dict[str, Any] | list[str]:
        expected = 405 if _documents(self, path) else 404
        if response.status_code != expected:
            return [
                f"{method} {path} -> {response.status_code}: not documented, and not {expected}"
            ]
        error = {"content": {"application/json": {"schema": ERROR_MESSAGE}}}
        return {str(expected): error}


class EmporixChecker(DocumentChecker):
    """The amended tenant-managed document, and for the self-service paths (issue 11) the
    customer-managed one."""

    def __init__(self) -> None:
        super().__init__(document())
        self.self_service = DocumentChecker(self_service_document())

    def problems(self, response: httpx.Response) -> list[str]:
        path = self.path_of(response.request)
        if path is not None and _documents(self.self_service, path):
            return self.self_service.problems(response)
        return super().problems(response)


def _documents(checker: OpenApiChecker, path: str) -> bool:
    return any(operation.pattern.match(path) for operation in checker.operations)
