"""Every answer a Glue test receives must be one the OpenAPI document describes.

An autouse fixture wraps `httpx.AsyncClient.send` (whichever client a test builds): each
answer from `/glue` is matched to its operation in `/glue/openapi.json`, and its status,
media type and JSON body are checked against what the document declares for that status.
A mismatch fails the test at the request that got it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema_rs
import orjson
import pytest

from patron.dialects.glue.app import build_app
from patron.dialects.glue.config import GlueConfig

MOUNT = "/glue"
UNDOCUMENTED = {"/openapi.json", "/docs", "/docs/oauth2-redirect"}


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


class OpenApiChecker:
    """Finds the documented operation of a request and checks the answer against it."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            for method, spec in item.items():
                self.operations.append(
                    Operation(method.upper(), template, re.compile(f"{regex}$"), spec)
                )
        # Literal paths before templated ones: `/refresh-tokens/mine` is still a template.
        self.operations.sort(key=lambda o: o.template.count("{"))
        self._validators: dict[str, jsonschema_rs.Validator] = {}

    def validator(self, schema: dict[str, Any]) -> Any:
        key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS).decode()
        if key not in self._validators:
            root = {**schema, "components": self.document["components"]}
            self._validators[key] = jsonschema_rs.Draft202012Validator(root)
        return self._validators[key]

    def operation(self, method: str, path: str) -> Operation | None:
        for operation in self.operations:
            if operation.method == method and operation.pattern.match(path):
                return operation
        return None

    def _slash_redirect(self, method: str, path: str, response: httpx.Response) -> bool:
        """A 307 to the documented route that differs only by its trailing slash."""
        toggled = path.rstrip("/") if path.endswith("/") else path + "/"
        location = response.headers.get("location", "")
        return (
            response.status_code == 307
            and self.operation(method, toggled) is not None
            and httpx.URL(location).path == MOUNT + toggled
        )

    def problems(self, response: httpx.Response) -> list[str]:
        request = response.request
        path = request.url.path
        if not path.startswith(MOUNT) or request.method == "OPTIONS":
            return []  # OPTIONS is Glue's CORS, answered before routing and not documented
        path = path.removeprefix(MOUNT) or "/"
        if path in UNDOCUMENTED:
            return []
        if request.method == "HEAD":  # documented nowhere, and answered without a body
            return [] if response.status_code == 404 else [f"HEAD {path} got {response}"]
        operation = self.operation(request.method, path)
        if operation is None and self._slash_redirect(request.method, path, response):
            return []
        if operation is None:
            # Unknown route or method, or a route kept out of the document: an error only.
            if response.status_code < 400:
                return [f"{request.method} {path} is not documented but answered {response}"]
            responses = {"4XX": self.document["components"]["x-glue-errors"]}
        else:
            responses = operation.spec["responses"]
        where = f"{request.method} {path} -> {response.status_code}"
        status = str(response.status_code)
        declared = responses.get(status) or responses.get(f"{status[0]}XX")
        declared = declared or responses.get("default")
        if declared is None:
            return [f"{where}: status not documented ({sorted(responses)})"]
        content = declared.get("content")
        if not content:
            return [] if not response.content else [f"{where}: a body where none is documented"]
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type not in content:
            return [f"{where}: media type {media_type!r} not in {sorted(content)}"]
        schema = content[media_type].get("schema")
        if schema is None or not media_type.endswith("json"):
            return []
        body = response.json()
        errors = [
            f"{where}: {error.instance_path}: {error.message}"
            for error in self.validator(schema).iter_errors(body)
        ]
        return errors


@pytest.fixture(scope="session")
def openapi_checker() -> OpenApiChecker:
    """The published document; the Glue app builds it without a core or database."""
    app = build_app(_no_core, GlueConfig(public_url="http://testserver"))
    document = app.openapi()
    # What an undocumented route may answer: Glue's error document.
    components = {**document["components"], "x-glue-errors": _error_response()}
    return OpenApiChecker({**document, "components": components})


def _no_core() -> Any:
    raise AssertionError("building the OpenAPI document needs no core")


def _error_response() -> dict[str, Any]:
    return {
        "content": {
            "application/vnd.api+json": {"schema": {"$ref": "#/components/schemas/ErrorDocument"}}
        }
    }


@pytest.fixture(autouse=True)
def answers_match_the_openapi_document(
    openapi_checker: OpenApiChecker, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    send = httpx.AsyncClient.send

    async def checked_send(
        self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
    ) -> httpx.Response:
        response = await send(self, request, **kwargs)
        await response.aread()
        problems = openapi_checker.problems(response)
        assert not problems, "answer does not match the OpenAPI document:\n" + "\n".join(problems)
        return response

    monkeypatch.setattr(httpx.AsyncClient, "send", checked_send)
    yield
