"""Every answer a dialect's tests receive, checked against that dialect's OpenAPI document.

Shared by Glue, Medusa and Emporix; each dialect says how it treats paths and what an answer off
every documented route may be (`path_of`, `unmatched`).
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

UNDOCUMENTED = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect"})
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
"""The keys of a path item that are operations, in a fixed order."""


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


class OpenApiChecker:
    """Finds the documented operation of a request and checks the answer against it:
    status, media type, body, and every declared response header it carries (`formats`:
    also `format`, e.g. `date`, which JSON Schema only annotates by default)."""

    def __init__(self, document: dict[str, Any], mount: str, *, formats: bool = False) -> None:
        self.document = document
        self.mount = mount
        self.formats = formats
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            for method, spec in item.items():
                if method not in METHODS:  # a path's shared `parameters`, `summary`...
                    continue
                self.operations.append(
                    Operation(method.upper(), template, re.compile(f"{regex}$"), spec)
                )
        # Literal paths before templated ones (`/refresh-tokens/mine`, `/store/auth/token`).
        self.operations.sort(key=lambda o: o.template.count("{"))
        self._validators: dict[str, jsonschema_rs.Validator] = {}

    def validator(self, schema: dict[str, Any]) -> Any:
        key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS).decode()
        if key not in self._validators:
            root = {**schema, "components": self.document["components"]}
            self._validators[key] = jsonschema_rs.Draft202012Validator(
                root, validate_formats=self.formats
            )
        return self._validators[key]

    def operation(self, method: str, path: str) -> Operation | None:
        for operation in self.operations:
            if operation.method == method and operation.pattern.match(path):
                return operation
        return None

    def path_of(self, request: httpx.Request) -> str | None:
        """The documented path the request is for; None: nothing to check."""
        path = request.url.path
        if not path.startswith(self.mount) or request.method == "OPTIONS":
            return None  # OPTIONS is CORS, answered before routing and not documented
        path = path.removeprefix(self.mount) or "/"
        return None if path in UNDOCUMENTED else path

    def unmatched(
        self, method: str, path: str, response: httpx.Response
    ) -> dict[str, Any] | list[str]:
        """What an answer to an undocumented route or method may be: its responses, or the
        problems found already."""
        raise NotImplementedError

    def problems(self, response: httpx.Response) -> list[str]:
        request = response.request
        path = self.path_of(request)
        if path is None:
            return []
        # A HEAD is answered as its GET, without the body (patron.http.head).
        method = "GET" if request.method == "HEAD" else request.method
        operation = self.operation(method, path)
        responses = (
            operation.spec["responses"]
            if operation is not None
            else self.unmatched(method, path, response)
        )
        if isinstance(responses, list):
            return responses
        where = f"{request.method} {path} -> {response.status_code}"
        status = str(response.status_code)
        declared = responses.get(status) or responses.get(f"{status[0]}XX")
        declared = declared or responses.get("default")
        if declared is None:
            return [f"{where}: status not documented ({sorted(responses)})"]
        headers = self._header_problems(where, declared, response)
        if request.method == "HEAD":
            return headers + ([f"{where}: a body"] if response.content else [])
        return headers + self._body_problems(where, declared, response)

    def _header_problems(
        self, where: str, declared: dict[str, Any], response: httpx.Response
    ) -> list[str]:
        problems = []
        for name, header in declared.get("headers", {}).items():
            value = response.headers.get(name)
            if value is None:
                if header.get("required"):
                    problems.append(f"{where}: required header {name} missing")
                continue
            schema = header.get("schema", {})
            problems.extend(
                f"{where}: header {name}: {error.message}"
                for error in self.validator(schema).iter_errors(_header_value(value, schema))
            )
        return problems

    def _body_problems(
        self, where: str, declared: dict[str, Any], response: httpx.Response
    ) -> list[str]:
        content = declared.get("content")
        if not content:
            return [] if not response.content else [f"{where}: a body where none is documented"]
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type not in content:
            return [f"{where}: media type {media_type!r} not in {sorted(content)}"]
        schema = content[media_type].get("schema")
        if schema is None or not media_type.endswith("json"):
            return []
        return [
            f"{where}: {error.instance_path}: {error.message}"
            for error in self.validator(schema).iter_errors(response.json())
        ]


def _header_value(text: str, schema: dict[str, Any]) -> Any:
    """A header's text as the JSON value its schema types (left as text when it is not
    one, so the type check reports it)."""
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def check_every_answer(
    monkeypatch: pytest.MonkeyPatch, checker: OpenApiChecker, *, no_server_error: bool
) -> Iterator[None]:
    """For an autouse fixture: every answer an httpx client receives must match the
    document (and, with `no_server_error`, be no 5xx)."""
    send = httpx.AsyncClient.send

    async def checked_send(
        self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
    ) -> httpx.Response:
        response = await send(self, request, **kwargs)
        await response.aread()
        if no_server_error:
            assert response.status_code < 500, f"{request.method} {request.url}: {response.text}"
        problems = checker.problems(response)
        assert not problems, "answer does not match the OpenAPI document:\n" + "\n".join(problems)
        return response

    monkeypatch.setattr(httpx.AsyncClient, "send", checked_send)
    yield
