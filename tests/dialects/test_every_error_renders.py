"""Every core error code, through every dialect's own error handling, answers a 4xx or 5xx
in that vendor's documented error shape: never an unhandled exception, never a 500 from a
code a table forgot.

Glue, Medusa and Emporix: the handler each app registers for the error's class (looked up
along the class's MRO, as Starlette does; the catch-all `Exception` handler does not
count). Aimeos, which has no handler table: its real request path (`AimeosApi.handle`)
with a route that raises the error. Each code is rendered for every class that carries it
(`tests.error_examples`), so a code without a class fails here too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import orjson
import pytest
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

import patron.dialects
from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import retry_after
from patron.dialects.aimeos import errors as aimeos_errors
from patron.dialects.aimeos.app import AimeosApi
from patron.dialects.aimeos.config import AimeosConfig
from patron.dialects.aimeos.context import AimeosContext
from patron.dialects.aimeos.http import Call
from patron.dialects.emporix import errors as emporix_errors
from patron.dialects.emporix.app import build_app as emporix_app
from patron.dialects.emporix.config import EmporixConfig
from patron.dialects.glue import errors as glue_errors
from patron.dialects.glue.app import build_app as glue_app
from patron.dialects.glue.config import GlueConfig
from patron.dialects.medusa import errors as medusa_errors
from patron.dialects.medusa.app import build_app as medusa_app
from patron.dialects.medusa.config import MedusaConfig
from patron.services import Services
from tests.dialects.emporix.vendor_openapi import TENANT_MANAGED, json_schema, load
from tests.error_examples import classes_of, example

CODES = list(ErrorCode)
PUBLIC_URL = "http://testserver"


def errors_of(code: ErrorCode) -> list[DomainError]:
    classes = classes_of(code)
    assert classes, f"no core error class carries {code!r}: add one and its example"
    return [example(cls) for cls in classes]


def _no_core() -> Any:
    raise AssertionError("rendering an error needs no core")


def _request(app: FastAPI) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "raw_path": b"/",
            "root_path": "",
            "scheme": "http",
            "query_string": b"",
            "headers": [],
            "server": ("testserver", 80),
            "client": ("203.0.113.7", 50000),
            "path_params": {},
            "app": app,
        }
    )


async def handled(app: FastAPI, error: DomainError) -> Response:
    """What the app's own handler for the error's class answers."""
    for cls in type(error).__mro__:
        handler: Callable[..., Any] | None = app.exception_handlers.get(cls)
        if handler is not None:
            break
    else:
        raise AssertionError(f"no handler for {type(error).__name__}")
    assert issubclass(cls, DomainError), f"{type(error).__name__} reaches the {cls} handler"
    response: Response = await handler(_request(app), error)
    return response


def _error_status(response: Response | httpx.Response, error: DomainError) -> None:
    assert 400 <= response.status_code < 600, (type(error).__name__, response.status_code)
    seconds = retry_after(error)
    if seconds is not None:
        assert response.headers["retry-after"] == str(seconds)


def _validator(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator({**schema, "components": components})


# --- Glue: JSON:API `errors[]` of {status, code?, detail} -----------------------------------


@cache
def _glue() -> tuple[FastAPI, Any]:
    app = glue_app(_no_core, GlueConfig(public_url=PUBLIC_URL))
    document = app.openapi()
    schema = {"$ref": "#/components/schemas/ErrorDocument"}
    return app, _validator(schema, document["components"])


@pytest.mark.parametrize("code", CODES, ids=str)
async def test_glue_answers_every_code_with_an_error_document(code: ErrorCode) -> None:
    app, validator = _glue()
    for error in errors_of(code):
        response = await handled(app, error)
        _error_status(response, error)
        assert response.media_type == "application/vnd.api+json"
        body = orjson.loads(response.body)
        validator.validate(body)
        for item in body["errors"]:
            assert 400 <= item["status"] < 600 and item["detail"]
            assert isinstance(item.get("code", ""), str)
        assert body["errors"][-1]["status"] == response.status_code  # Glue's rule
        if response.status_code == 401:
            assert "www-authenticate" in response.headers


# --- Medusa: {code?, type, message}, or passport's plain `Unauthorized` -------------------

MEDUSA_STATUSES = {
    "invalid_data": {400},
    "not_allowed": {400, 403, 429},  # 403 and 429: Patron's, worded as Medusa's
    "unauthorized": {401},
    "not_found": {404},
    "conflict": {409},
    "duplicate_error": {422},
    "database_error": {503},  # Medusa's 500, as the 503 of a pool with no connection
}
"""The status Medusa's error handler derives from each `MedusaError` type (reference 2.1)."""
MEDUSA_CODES = {
    "conflict": "invalid_state_error",
    "duplicate_error": "invalid_request_error",
    "database_error": "api_error",
}


@pytest.mark.parametrize("code", CODES, ids=str)
async def test_medusa_answers_every_code_with_its_error_body(code: ErrorCode) -> None:
    app = medusa_app(_no_core, MedusaConfig(public_url=PUBLIC_URL))
    for error in errors_of(code):
        response = await handled(app, error)
        _error_status(response, error)
        media_type = response.headers["content-type"].partition(";")[0]
        if media_type == "text/plain":
            assert (response.status_code, response.body) == (401, b"Unauthorized")
            continue
        assert media_type == "application/json"
        body = orjson.loads(response.body)
        assert set(body) <= {"code", "type", "message"} and body["message"]
        assert response.status_code in MEDUSA_STATUSES[body["type"]], body
        assert body.get("code") == MEDUSA_CODES.get(body["type"]), body


# --- Emporix: the customer service's `ErrorMessage`, or the gateway's 401 fault ---------


@cache
def _emporix() -> tuple[FastAPI, Any, Any]:
    app = emporix_app(_no_core, EmporixConfig(public_url=PUBLIC_URL))
    components = load(TENANT_MANAGED)["components"]
    message = json_schema(components["schemas"]["ErrorMessage"])
    fault = json_schema(
        components["responses"]["401_unauthorized"]["content"]["application/json"]["schema"]
    )
    return app, _validator(message, {}), _validator(fault, {})


@pytest.mark.parametrize("code", CODES, ids=str)
async def test_emporix_answers_every_code_as_its_openapi_documents(code: ErrorCode) -> None:
    app, message, fault = _emporix()
    for error in errors_of(code):
        response = await handled(app, error)
        _error_status(response, error)
        assert response.media_type == "application/json"
        body = orjson.loads(response.body)
        if "fault" in body:  # the gateway (Apigee), in front of the service
            assert response.status_code == 401
            fault.validate(body)
            assert body["fault"]["faultstring"] and body["fault"]["detail"]["errorcode"]
            continue
        message.validate(body)
        assert {"status", "type", "message"} <= set(body)
        assert body["status"] == response.status_code


# --- Aimeos: JSON:API `{meta, links, errors: [{title}]}` through the real request path -----


class RaisingApi(AimeosApi):
    """The real dialect with one route: it raises the error under test."""

    error: DomainError

    async def route(self, call: Call, segment: str | None) -> Response:
        raise self.error


@pytest.fixture
async def aimeos(services: Services) -> AsyncIterator[tuple[RaisingApi, httpx.AsyncClient]]:
    api = RaisingApi(AimeosContext(lambda: services.core, AimeosConfig(public_url=PUBLIC_URL)))
    transport = httpx.ASGITransport(app=api, root_path="/jsonapi", client=("203.0.113.7", 1))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield api, http


@pytest.mark.parametrize("code", CODES, ids=str)
async def test_aimeos_answers_every_code_with_an_errors_document(
    code: ErrorCode, aimeos: tuple[RaisingApi, httpx.AsyncClient]
) -> None:
    api, http = aimeos
    for error in errors_of(code):
        api.error = error
        response = await http.get("/jsonapi/customer")
        _error_status(response, error)
        assert response.headers["content-type"] == "application/vnd.api+json"
        body = response.json()
        assert {"meta", "links", "errors"} <= set(body)
        assert body["errors"] and all(
            set(item) == {"title"} and item["title"] for item in body["errors"]
        )


def test_every_dialect_has_its_rendering_test() -> None:
    """A fifth dialect fails here until this module renders every code through it too."""
    dialects = {
        path.name
        for path in Path(patron.dialects.__file__).parent.iterdir()
        if (path / "__init__.py").exists()
    }
    tested = {
        name.removeprefix("test_").split("_answers_every_code")[0]
        for name in globals()
        if "_answers_every_code" in name
    }
    assert dialects <= tested, f"no every-code test for {sorted(dialects - tested)}"


# --- No dead table entry: a code's own answer differs from its category's -----------------

WHERES = [
    emporix_errors.Where(),
    emporix_errors.Where(tenant_code="t", customer_number="c", address_id="a", email="e@x.io"),
]
"""An Emporix answer may repeat the path; a code's entry counts once it differs for one."""


def _comparable(answer: object) -> object:
    """The answer's content: `AimeosError` is an exception (no `==` of its own)."""
    return vars(answer) if isinstance(answer, Exception) else answer


def _by_code_answers(dialect: str, code: ErrorCode) -> list[tuple[object, object]]:
    """For each example error of `code`: the dialect's `BY_CODE` answer, its category's."""
    pairs: list[tuple[object, object]] = []
    for error in errors_of(code):
        if dialect == "emporix":
            render, fallback = emporix_errors.BY_CODE[code], emporix_errors.BY_CATEGORY(error)
            pairs += [(render(error, w), fallback(error, w)) for w in WHERES]
        else:
            table = {"glue": glue_errors, "medusa": medusa_errors, "aimeos": aimeos_errors}
            module: Any = table[dialect]
            pairs.append((module.BY_CODE[code](error), module.BY_CATEGORY(error)))
    return [(_comparable(own), _comparable(category)) for own, category in pairs]


BY_CODE_ENTRIES = [
    (name, code)
    for name, module in (
        ("glue", glue_errors),
        ("medusa", medusa_errors),
        ("aimeos", aimeos_errors),
        ("emporix", emporix_errors),
    )
    for code in module.BY_CODE
]


@pytest.mark.parametrize(("dialect", "code"), BY_CODE_ENTRIES, ids=str)
def test_a_by_code_entry_answers_otherwise_than_its_category(dialect: str, code: ErrorCode) -> None:
    """An entry that repeats its category's answer is dead weight in the table: drop it."""
    pairs = _by_code_answers(dialect, code)
    assert any(own != category for own, category in pairs), f"{dialect}: {code!r} is dead"
