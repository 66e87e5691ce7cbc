"""Every answer a Glue test receives must be one the OpenAPI document describes.

An autouse fixture wraps `httpx.AsyncClient.send` (whichever client a test builds): each
answer from `/glue` is matched to its operation in `/glue/openapi.json`, and its status,
media type and JSON body are checked against what the document declares for that status.
A mismatch fails the test at the request that got it.

`customer` and `other`: two signed-up, confirmed, logged-in customers (tests/dialects/glue/
helpers.py says how).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from patron.dialects.glue.app import build_app
from patron.dialects.glue.config import GlueConfig
from tests.dialects.glue.helpers import Customer, bearer, signed_up
from tests.openapi_answers import OpenApiChecker, check_every_answer

MOUNT = "/glue"


class GlueChecker(OpenApiChecker):
    """Glue's: a trailing slash is redirected, and an undocumented route answers Glue's
    error document."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__(document, MOUNT)

    def _slash_redirect(self, method: str, path: str, response: httpx.Response) -> bool:
        """A 307 to the documented route that differs only by its trailing slash."""
        toggled = path.rstrip("/") if path.endswith("/") else path + "/"
        location = response.headers.get("location", "")
        return (
            response.status_code == 307
            and self.operation(method, toggled) is not None
            and httpx.URL(location).path == MOUNT + toggled
        )

    def unmatched(
        self, method: str, path: str, response: httpx.Response
    ) -> dict[str, Any] | list[str]:
        if self._slash_redirect(method, path, response):
            return []
        # Unknown route or method, or a route kept out of the document: an error only.
        if response.status_code < 400:
            return [f"{method} {path} is not documented but answered {response}"]
        return {"4XX": self.document["components"]["x-glue-errors"]}


@pytest.fixture(scope="session")
def openapi_checker() -> OpenApiChecker:
    """The published document; the Glue app builds it without a core or database."""
    app = build_app(_no_core, GlueConfig(public_url="http://testserver"))
    document = app.openapi()
    # What an undocumented route may answer: Glue's error document.
    components = {**document["components"], "x-glue-errors": _error_response()}
    return GlueChecker({**document, "components": components})


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
    yield from check_every_answer(monkeypatch, openapi_checker, no_server_error=False)


@pytest.fixture
async def customer(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> Customer:
    reference, tokens = await signed_up(client, clean_db)
    return reference, bearer(tokens)


@pytest.fixture
async def other(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> Customer:
    """A second customer, whose data `customer` must never reach."""
    reference, tokens = await signed_up(client, clean_db, "other@example.com")
    return reference, bearer(tokens)
