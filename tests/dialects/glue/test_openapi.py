"""The request models and the published OpenAPI document: one definition, told truthfully."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from patron.dialects.glue.schemas import (
    DOCUMENTED_PASSWORD,
    ForgottenPasswordAttributes,
    registration_model,
)
from patron.dialects.glue.validation import violations
from tests.dialects.glue.helpers import document, registration
from tests.openapi_answers import OpenApiChecker

HUGE = "a" * 60_000 + "@example.com"  # the email parser would take its time on this


async def _openapi(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/glue/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/glue/customers",
            registration(HUGE),
            "email => This value is too long. It should have 320 characters or less.",
        ),
        (
            "/glue/access-tokens",
            document("access-tokens", username=HUGE, password="change123"),
            "username => This value is too long. It should have 320 characters or less.",
        ),
        (
            "/glue/customer-forgotten-password",
            document("customer-forgotten-password", email=HUGE),
            "email => This value is too long. It should have 255 characters or less.",
        ),
        (
            "/glue/availability-notifications",
            document("availability-notifications", sku="SKU-1", email=HUGE),
            "email => This value is too long. It should have 320 characters or less.",
        ),
    ],
)
async def test_an_overlong_email_is_refused_by_its_length_not_its_syntax(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], message: str
) -> None:
    response = await client.post(path, json=body)

    assert response.json() == {"errors": [{"status": 422, "code": "901", "detail": message}]}


def test_the_forgotten_password_length_comes_before_the_syntax() -> None:
    """Symfony listed Email first; a 256-character non-address now gets the length message."""
    with pytest.raises(ValidationError) as caught:
        ForgottenPasswordAttributes.model_validate({"email": "x" * 256})
    assert violations(caught.value) == [
        "email => This value is too long. It should have 255 characters or less."
    ]


def test_a_model_lists_the_first_failing_constraint_of_each_field_in_field_order() -> None:
    model = registration_model(8, 64)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(
            {"gender": 5, "firstName": "  ", "lastName": "x" * 101, "acceptedTerms": "yes"}
        )
    assert violations(caught.value) == [
        "email => This field is missing.",
        "gender => This value should be of type string.",
        "salutation => This field is missing.",
        "firstName => This value should not be blank.",
        "lastName => This value is too long. It should have 100 characters or less.",
        "password => This field is missing.",
        "confirmPassword => This field is missing.",
        "acceptedTerms => This value should be true.",
    ]


async def test_the_document_speaks_json_api(client: httpx.AsyncClient) -> None:
    spec = await _openapi(client)
    post = spec["paths"]["/customers"]["post"]

    assert list(post["requestBody"]["content"]) == ["application/vnd.api+json"]
    assert list(post["responses"]["201"]["content"]) == ["application/vnd.api+json"]
    assert post["responses"]["4XX"]["content"]["application/vnd.api+json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorDocument"
    }
    error = spec["components"]["schemas"]["ErrorObject"]
    assert set(error["required"]) == {"status", "detail"}


async def test_the_document_names_parameters_and_security(client: httpx.AsyncClient) -> None:
    spec = await _openapi(client)
    paths = spec["paths"]

    read = paths["/customers/{customer_reference}"]["get"]
    names = {(p["in"], p["name"]) for p in read["parameters"]}
    assert {
        ("path", "customer_reference"),
        ("query", "include"),
        ("query", "fields[customers]"),
        ("query", "fields[addresses]"),
        ("header", "Accept-Language"),
    } <= names
    assert read["security"] == [{"bearer": []}]
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The accessToken of POST /access-tokens",
    }
    mine = {p["name"] for p in paths["/my-availability-notifications"]["get"]["parameters"]}
    assert {"page[offset]", "page[limit]"} <= mine
    assert paths["/availability-notifications"]["post"]["security"] == [{}, {"bearer": []}]


async def test_the_document_states_limits_and_choices(client: httpx.AsyncClient) -> None:
    spec = await _openapi(client)

    def attributes(path: str, method: str) -> dict[str, Any]:
        body = spec["paths"][path][method]["requestBody"]["content"]["application/vnd.api+json"]
        schema: dict[str, Any] = body["schema"]["properties"]["data"]["properties"]["attributes"]
        return schema

    create = attributes("/customers", "post")["properties"]
    assert create["firstName"]["maxLength"] == 100
    assert create["salutation"]["enum"] == ["Mr", "Mrs", "Ms", "Dr"]
    assert create["gender"]["enum"] == ["Male", "Female"]
    assert (create["password"]["minLength"], create["password"]["maxLength"]) == (
        DOCUMENTED_PASSWORD
    )
    update = attributes("/customers/{customer_reference}", "patch")
    assert "required" not in update
    assert update["properties"]["lastName"]["maxLength"] == 100
    address = attributes("/customers/{customer_reference}/addresses", "post")
    assert address["properties"]["city"]["minLength"] == 3
    assert address["properties"]["zipCode"]["maxLength"] == 15


async def test_the_oauth_endpoint_is_form_encoded_and_answers_oauth_errors(
    client: httpx.AsyncClient,
) -> None:
    spec = await _openapi(client)
    token = spec["paths"]["/token"]["post"]

    form = token["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    grants = [g["properties"]["grant_type"]["const"] for g in form["oneOf"]]
    assert grants == ["password", "refresh_token"]
    assert list(token["responses"]["200"]["content"]) == ["application/json"]
    oauth_error = {"$ref": "#/components/schemas/OAuthError"}
    assert token["responses"]["400"]["content"]["application/json"]["schema"] == oauth_error
    assert token["responses"]["429"]["content"]["application/json"]["schema"] == oauth_error
    assert set(spec["components"]["schemas"]["OAuthError"]["required"]) == {
        "error",
        "error_description",
    }


def test_the_answer_checker_reports_a_body_the_document_does_not_allow(
    openapi_checker: OpenApiChecker,
) -> None:
    """The fixture that checks every answer would notice a wrong one."""
    request = httpx.Request("GET", "http://testserver/glue/customers/DE--1")
    wrong = httpx.Response(
        200,
        json={"data": {"type": "customers", "id": "DE--1", "attributes": {"createdAt": 1}}},
        headers={"content-type": "application/vnd.api+json"},
        request=request,
    )
    undocumented = httpx.Response(
        302, headers={"content-type": "application/vnd.api+json"}, request=request
    )
    wrong_media_type = httpx.Response(
        404, json={"errors": []}, headers={"content-type": "application/json"}, request=request
    )

    assert any("links" in problem for problem in openapi_checker.problems(wrong))
    assert any("createdAt" in problem for problem in openapi_checker.problems(wrong))
    assert openapi_checker.problems(undocumented) == [
        "GET /customers/DE--1 -> 302: status not documented (['200', '415', '4XX'])"
    ]
    assert "media type" in openapi_checker.problems(wrong_media_type)[0]
