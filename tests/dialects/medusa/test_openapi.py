"""`/medusa/openapi.json` describes every route: parameters, bodies, security, errors."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.routing import Route

from patron.dialects.medusa.app import build_app
from patron.dialects.medusa.config import MedusaConfig
from tests.dialects.medusa.conftest import MedusaChecker

METHODS = ("get", "post", "delete")


def _document() -> dict[str, Any]:
    app = build_app(_no_core, MedusaConfig(public_url="https://api.example.com"))
    return app.openapi()


def _no_core() -> Any:
    raise AssertionError("no core needed")


async def test_the_document_is_served_with_the_docs(store: httpx.AsyncClient) -> None:
    document = await store.get("/openapi.json")
    docs = await store.get("/docs")

    assert document.status_code == 200 and document.json()["paths"]
    assert document.json()["servers"] == [{"url": "http://testserver/medusa"}]
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_every_route_is_documented() -> None:
    app = build_app(_no_core, MedusaConfig(public_url="http://testserver"))
    document = app.openapi()
    routed = {
        (method.lower(), route.path)
        for route in app.routes
        if isinstance(route, Route) and route.include_in_schema
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(method, path) for path, item in document["paths"].items() for method in item}

    assert (
        routed - {("get", "/openapi.json"), ("get", "/docs"), ("get", "/docs/oauth2-redirect")}
        == documented
    )
    assert len(documented) == 31


def test_security_bodies_and_errors_are_described() -> None:
    document = _document()
    schemes = document["components"]["securitySchemes"]

    assert schemes["cookie_auth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "connect.sid",
        "description": schemes["cookie_auth"]["description"],
    }
    assert schemes["jwt_token"]["scheme"] == "bearer"
    assert (schemes["api_token"]["in"], schemes["api_token"]["name"]) == (
        "header",
        "x-medusa-access-token",
    )
    for path, item in document["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            responses = operation["responses"]
            assert "text/plain" in responses["401"]["content"], where
            assert responses["4XX"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }, where
            assert "422" not in responses or path.endswith("customer-groups"), where
            if method == "post" and not path.endswith("password-token"):
                assert "requestBody" in operation, where
            admin = path.startswith("/admin") and path not in ("/admin/auth", "/admin/auth/token")
            if admin or (path, method) == ("/admin/auth", "get"):
                assert operation["security"] == [
                    {"cookie_auth": []},
                    {"jwt_token": []},
                    {"api_token": []},
                ], where
    get_customers = document["paths"]["/admin/customers"]["get"]
    names = [p["name"] for p in get_customers["parameters"]]
    assert names == [
        "limit", "offset", "expand", "fields", "q", "has_account", "groups", "order",
        "created_at", "updated_at",
    ]  # fmt: skip
    created_at = get_customers["parameters"][-2]
    assert created_at["style"] == "deepObject"
    create = document["paths"]["/admin/customers"]["post"]["requestBody"]
    schema = create["content"]["application/json"]["schema"]
    assert create["required"] is True
    assert schema["required"] == ["email", "first_name", "last_name", "password"]
    assert schema["additionalProperties"] is False
    update = document["paths"]["/admin/customers/{id}"]["post"]["requestBody"]
    groups = update["content"]["application/json"]["schema"]["properties"]["groups"]
    assert "GroupReference" in str(groups)
    assert "GroupReference" in document["components"]["schemas"]


def test_the_conformance_check_can_fail() -> None:
    checker = MedusaChecker(_document())
    request = httpx.Request("GET", "http://testserver/medusa/admin/customers")

    wrong_body = httpx.Response(200, json={"customers": "nope"}, request=request)
    wrong_type = httpx.Response(401, text="Unauthorized", request=request)
    wrong_status = httpx.Response(302, request=request)

    assert checker.problems(wrong_body)
    assert not checker.problems(wrong_type)
    assert checker.problems(wrong_status)
