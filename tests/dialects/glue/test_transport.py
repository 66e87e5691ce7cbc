"""Glue's transport rules: media types, unknown routes, headers, language, documents."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import TenantSettings
from patron.services import Services
from patron.settings import Settings
from patron.storage.database import create_pool
from patron.storage.tenants import TenantAdmin
from tests.conftest import registration_for
from tests.dialects.glue.helpers import (
    bearer,
    document,
    error_codes,
    registration,
    signed_up,
)
from tests.helpers import LOOPBACK, dialect_client


async def test_no_accept_header_is_not_acceptable(client: httpx.AsyncClient) -> None:
    request = client.build_request("GET", "/glue/customers")
    del request.headers["accept"]

    response = await client.send(request)

    assert response.status_code == 406
    assert response.json() == {"errors": [{"status": 406, "detail": "Not acceptable."}]}


async def test_an_unknown_json_api_format_is_unsupported(client: httpx.AsyncClient) -> None:
    response = await client.get("/glue/customers", headers={"Accept": "application/vnd.api+xml"})

    assert response.status_code == 415
    assert response.text == "Unsupported Media Type"


async def test_an_empty_content_type_is_unsupported(client: httpx.AsyncClient) -> None:
    response = await client.post("/glue/customers", content=b"{}", headers={"Content-Type": ""})

    assert response.status_code == 415
    assert response.json() == {"errors": [{"status": 415, "detail": "Unsupported media type."}]}


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", "application/vnd.api+json; version=1.1"]
)
async def test_lenient_accept_values_are_served(client: httpx.AsyncClient, accept: str) -> None:
    response = await client.post("/glue/customers", json=registration(), headers={"Accept": accept})

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/vnd.api+json"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/glue/nothing-here"), ("PUT", "/glue/customers"), ("POST", "/glue/customers/DE--1")],
)
async def test_unknown_routes_and_methods_are_not_found(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path)

    assert response.status_code == 404
    assert response.json() == {"errors": [{"status": 404, "detail": "Not Found"}]}


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/glue/customers"),
        await client.post("/glue/customers", json=registration()),
        await client.get("/glue/nothing-here"),
    ):
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-xss-protection"] == "1; mode=block"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["permissions-policy"] == ""


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("de-DE", "de_DE"),
        ("de;, en;q=0.5", "de_DE"),
        ("fr-FR, en;q=0.3", "en_US"),
        ("", "en_US"),
        ("xx", "en_US"),
    ],
)
async def test_accept_language_is_negotiated_against_the_store(
    client: httpx.AsyncClient, accept_language: str, expected: str
) -> None:
    response = await client.get("/glue/customers", headers={"Accept-Language": accept_language})

    assert response.headers["content-language"] == expected


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "Post data is invalid."),
        (b'{"data": {"type": "customers"}}', "Post data is invalid."),
        (b'{"data": {"type": "addresses", "attributes": {}}}', "Invalid type."),
        (b"[]", "Post data is invalid."),
    ],
)
async def test_malformed_documents_get_generic_400s(
    client: httpx.AsyncClient, body: bytes, detail: str
) -> None:
    response = await client.post(
        "/glue/customers", content=body, headers={"Content-Type": "application/vnd.api+json"}
    )

    assert response.status_code == 400
    assert response.json() == {"errors": [{"status": 400, "detail": detail}]}


async def test_the_token_is_checked_before_the_missing_id(client: httpx.AsyncClient) -> None:
    response = await client.delete("/glue/refresh-tokens", headers={"Authorization": "Bearer x"})

    assert error_codes(response) == [(401, "001")]


async def test_openapi_document_and_docs_are_served(client: httpx.AsyncClient) -> None:
    spec = await client.get("/glue/openapi.json")
    docs = await client.get("/glue/docs", headers={"Accept": "text/html"})

    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in (
        "/customers",
        "/customers/{customer_reference}",
        "/customer-confirmation",
        "/access-tokens",
        "/refresh-tokens",
        "/refresh-tokens/{refresh_token}",
        "/token",
    ):
        assert path in paths, path
    assert "requestBody" in paths["/customers"]["post"]
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok"}


async def test_readiness_reports_an_unreachable_database(
    database_url: str, settings: Settings, clean_db: asyncpg.Pool
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=1)
    services = await Services.build(settings, database_url, pool)
    await pool.close()  # the database is gone as far as this app can tell
    async with dialect_client(services, settings, peer=LOOPBACK) as http:
        ready = await http.get("/ready")
        health = await http.get("/health")

    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable"}
    assert health.status_code == 200


async def test_nul_characters_are_refused_before_they_reach_the_database(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, tokens = await signed_up(client, clean_db)
    auth = bearer(tokens)

    in_attributes = await client.patch(
        f"/glue/customers/{reference}",
        json=document("customers", firstName="So\u0000nia"),
        headers=auth,
    )
    in_path = await client.get("/glue/customers/DE--1%00", headers=auth)
    in_form = await client.post(
        "/glue/token",
        content=b"grant_type=password&username=a%00b%40example.com&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert in_attributes.json()["errors"] == [{"status": 400, "detail": "Post data is invalid."}]
    assert in_path.json()["errors"] == [{"status": 404, "detail": "Not Found"}]
    assert in_form.status_code == 400
    assert in_form.json()["error"] == "invalid_request"
    assert await clean_db.fetchval("SELECT first_name FROM customers") == "Sonia"


async def test_a_token_of_another_tenant_is_invalid_here(
    services: Services, client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    other = await TenantAdmin(clean_db).create("othershop", "Other", TenantSettings())
    customer = await services.core.accounts.register(other, registration_for("x@example.com"))
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    _, pair = await services.core.auth.login(other, "x@example.com", "change123", client_ip=None)

    response = await client.get(
        f"/glue/customers/{customer.customer_number}",
        headers={"Authorization": f"Bearer {pair.access_token}"},
    )

    assert error_codes(response) == [(401, "001")]
