"""Clients of `/medusa` as Medusa's own would call it (`medusa_client`, in
tests/dialects/medusa/helpers.py), and a check that every answer a test
receives is one the OpenAPI document describes.

`admin` carries an admin user's API token (`x-medusa-access-token`, as medusa-js sends
`apiKey`); `store` carries nothing until a test logs in (its cookie jar keeps the
`connect.sid` session). Both send `Content-Type: application/json` and `Accept:
application/json` on every request, as medusa-js does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.dialects.medusa.app import build_app
from patron.dialects.medusa.config import MedusaConfig
from patron.services import Services
from patron.settings import Settings
from tests.dialects.medusa.helpers import MOUNT, Admin, make_admin, medusa_client
from tests.openapi_answers import OpenApiChecker, check_every_answer


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


# --- every answer against the document ------------------------------------------------------


class MedusaChecker(OpenApiChecker):
    """Medusa's: a trailing slash is served, not redirected, and an undocumented route or
    method answers 404 with Medusa's error body."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__(document, MOUNT)

    def path_of(self, request: httpx.Request) -> str | None:
        path = super().path_of(request)
        return None if path is None else path.rstrip("/") or "/"

    def unmatched(
        self, method: str, path: str, response: httpx.Response
    ) -> dict[str, Any] | list[str]:
        if response.status_code != 404:
            return [f"{method} {path} -> {response.status_code}: not documented, and not 404"]
        return {"404": {"content": {"application/json": {"schema": _ERROR}}}}


_ERROR = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="session")
def openapi_checker() -> OpenApiChecker:
    """The published document; the app builds it without a core or database."""
    app = build_app(_no_core, MedusaConfig(public_url="http://testserver"))
    return MedusaChecker(app.openapi())


def _no_core() -> Any:
    raise AssertionError("building the OpenAPI document needs no core")


@pytest.fixture(autouse=True)
def answers_match_the_openapi_document(
    openapi_checker: OpenApiChecker, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    yield from check_every_answer(monkeypatch, openapi_checker, no_server_error=True)
