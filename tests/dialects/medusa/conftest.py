"""Clients of `/medusa` as Medusa's own would call it, and a check that every answer a test
receives is one the OpenAPI document describes.

`admin` carries an admin user's API token (`x-medusa-access-token`, as medusa-js sends
`apiKey`); `store` carries nothing until a test logs in (its cookie jar keeps the
`connect.sid` session). Both send `Content-Type: application/json` and `Accept:
application/json` on every request, as medusa-js does.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema_rs
import orjson
import pytest

from patron.app import create_app
from patron.core.model import AdminUser, Scope, Tenant
from patron.dialects.medusa.app import build_app
from patron.dialects.medusa.config import MedusaConfig
from patron.services import Services
from patron.settings import Settings

MOUNT = "/medusa"
ADMIN_EMAIL = "admin@medusa-test.com"
ADMIN_PASSWORD = "supersecret"
HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
UNDOCUMENTED = {"/openapi.json", "/docs", "/docs/oauth2-redirect"}


@dataclass(frozen=True)
class Admin:
    user: AdminUser
    api_token: str


async def make_admin(
    services: Services,
    tenant: Tenant,
    email: str = ADMIN_EMAIL,
    *,
    scopes: frozenset[str] | None = None,
) -> Admin:
    user = await services.core.back_office.create_user(
        tenant, email=email, password=ADMIN_PASSWORD, scopes=scopes, first_name="Ada"
    )
    token = await services.core.back_office.issue_api_token(tenant, email)
    return Admin(user, token)


def medusa_client(
    services: Services, settings: Settings, headers: dict[str, str] | None = None
) -> httpx.AsyncClient:
    app = create_app(settings, services)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    return httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver{MOUNT}",
        headers={**HEADERS, **(headers or {})},
    )


@pytest.fixture
async def default_tenant(services: Services) -> Tenant:
    return await services.core.tenants.get("default")


@pytest.fixture
async def admin_user(services: Services, default_tenant: Tenant) -> Admin:
    return await make_admin(services, default_tenant)


@pytest.fixture
async def admin(
    services: Services, settings: Settings, admin_user: Admin
) -> AsyncIterator[httpx.AsyncClient]:
    async with medusa_client(
        services, settings, {"x-medusa-access-token": admin_user.api_token}
    ) as http:
        yield http


@pytest.fixture
async def store(services: Services, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with medusa_client(services, settings) as http:
        yield http


READ_ONLY = frozenset({Scope.CUSTOMERS_READ.value})


# --- every answer against the document ------------------------------------------------------


class OpenApiChecker:
    """Finds the documented operation of a request and checks the answer against it."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.operations: list[tuple[str, re.Pattern[str], dict[str, Any]]] = []
        for template, item in document["paths"].items():
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            for method, spec in item.items():
                self.operations.append((method.upper(), re.compile(f"{regex}$"), spec))
        # Literal paths before templated ones (`/store/auth/token` before `{email}`).
        self.operations.sort(key=lambda o: o[1].pattern.count("[^/]+"))
        self._validators: dict[str, Any] = {}

    def validator(self, schema: dict[str, Any]) -> Any:
        key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS).decode()
        if key not in self._validators:
            root = {**schema, "components": self.document["components"]}
            self._validators[key] = jsonschema_rs.Draft202012Validator(root)
        return self._validators[key]

    def problems(self, response: httpx.Response) -> list[str]:
        request = response.request
        path = request.url.path
        if not path.startswith(MOUNT) or request.method == "OPTIONS":
            return []  # OPTIONS is CORS, answered before routing and not documented
        path = (path.removeprefix(MOUNT) or "/").rstrip("/") or "/"
        if path in UNDOCUMENTED:
            return []
        where = f"{request.method} {path} -> {response.status_code}"
        spec = next(
            (s for m, p, s in self.operations if m == request.method and p.match(path)), None
        )
        if spec is None:
            if response.status_code != 404:
                return [f"{where}: not documented, and not 404"]
            responses = {"404": {"content": {"application/json": {"schema": _ERROR}}}}
        else:
            responses = spec["responses"]
        status = str(response.status_code)
        declared = responses.get(status) or responses.get(f"{status[0]}XX")
        if declared is None:
            return [f"{where}: status not documented ({sorted(responses)})"]
        content = declared.get("content")
        if not content:
            return [] if not response.content else [f"{where}: a body where none is documented"]
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type not in content:
            return [f"{where}: media type {media_type!r} not in {sorted(content)}"]
        schema = content[media_type].get("schema")
        if schema is None or media_type != "application/json":
            return []
        return [
            f"{where}: {error.instance_path}: {error.message}"
            for error in self.validator(schema).iter_errors(response.json())
        ]


_ERROR = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="session")
def openapi_checker() -> OpenApiChecker:
    """The published document; the app builds it without a core or database."""
    app = build_app(_no_core, MedusaConfig(public_url="http://testserver"))
    return OpenApiChecker(app.openapi())


def _no_core() -> Any:
    raise AssertionError("building the OpenAPI document needs no core")


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
        assert response.status_code < 500, f"{request.method} {request.url}: {response.text}"
        problems = openapi_checker.problems(response)
        assert not problems, "answer does not match the OpenAPI document:\n" + "\n".join(problems)
        return response

    monkeypatch.setattr(httpx.AsyncClient, "send", checked_send)
    yield
