"""The conformance machinery itself: Emporix' document read as it is meant, deviations
named, every bad answer caught, and the list of operations still to serve honest."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from tests.dialects.emporix.vendor_openapi import (
    PENDING,
    TOKEN_OPERATION,
    EmporixChecker,
    json_schema,
    operations,
    served,
)

CUSTOMER = "/emporix/customer/shop/customers/1"
GOOD_CUSTOMER = {"id": "1", "customerNumber": "1", "restriction": None, "metadata": {"version": 1}}
TENANT_INVALID = {
    "type": "bad_request",
    "status": 400,
    "message": "The tenant information provided with the request is not valid.",
}


def answer(
    method: str,
    path: str,
    status: int,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    content = b"" if body is None else orjson.dumps(body)
    kind = {"content-type": "application/json"} if body is not None else {}
    return httpx.Response(
        status,
        content=content,
        headers={**kind, **(headers or {})},
        request=httpx.Request(method, f"http://testserver{path}"),
    )


def test_every_documented_operation_is_served_or_still_pending() -> None:
    """PENDING must shrink as routes land, and be empty when issue 10 is done."""
    unserved = {o.operation_id for o in operations() if not served(o)}
    assert unserved == PENDING
    assert TOKEN_OPERATION not in unserved


def test_openapi_nullable_and_boolean_bounds_become_json_schema() -> None:
    assert json_schema({"type": "string", "nullable": True, "example": "DE"}) == {
        "type": ["string", "null"]
    }
    assert json_schema({"$ref": "#/x", "nullable": True}) == {
        "anyOf": [{"$ref": "#/x"}, {"type": "null"}]
    }
    assert json_schema({"type": "integer", "minimum": 1, "exclusiveMinimum": True}) == {
        "type": "integer",
        "exclusiveMinimum": 1,
    }
    secret = {"type": "object", "properties": {"password": {"type": "string", "writeOnly": True}}}
    assert json_schema(secret)["properties"]["password"] is False


def test_emporix_examples_of_answers_match_their_schemas_as_we_read_them(
    vendor_checker: EmporixChecker,
) -> None:
    """Our reading of the document (the 3.0 to 2020-12 conversion, the amendments) agrees
    with every answer example Emporix gives in it."""
    examples = vendor_checker.document["components"]["examples"]
    checked = 0
    for operation in vendor_checker.operations:
        for response in operation.spec["responses"].values():
            for content in response.get("content", {}).values():
                for example in content.get("examples", {}).values():
                    value = (
                        examples[example["$ref"].rsplit("/", 1)[1]]
                        if "$ref" in example
                        else example
                    )
                    schema = vendor_checker.validator(content["schema"])
                    assert not list(schema.iter_errors(value["value"])), operation.template
                    checked += 1
    assert checked >= 20


def test_a_conforming_answer_passes(vendor_checker: EmporixChecker) -> None:
    assert vendor_checker.problems(answer("GET", CUSTOMER, 200, GOOD_CUSTOMER)) == []
    assert vendor_checker.problems(answer("GET", CUSTOMER, 400, TENANT_INVALID)) == []


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        (answer("GET", CUSTOMER, 418, TENANT_INVALID), "status not documented"),
        (answer("GET", CUSTOMER, 200, {**GOOD_CUSTOMER, "active": "yes"}), "not of type"),
        (answer("GET", CUSTOMER, 200, {**GOOD_CUSTOMER, "restriction": 7}), "not of type"),
        (answer("GET", CUSTOMER, 400, {**TENANT_INVALID, "status": "400"}), "not of type"),
        (answer("DELETE", CUSTOMER, 202, {"id": "1"}), "a body where none is documented"),
        (answer("GET", "/emporix/customer/shop/customers", 200, [], {"Count": "x"}), "Count"),
        (answer("GET", "/emporix/nowhere", 200, {}), "not documented, and not 404"),
        (answer("POST", CUSTOMER, 404, TENANT_INVALID), "not documented, and not 405"),
        (answer("POST", "/emporix/oauth/token", 200, {"access_token": "t"}), "required"),
        (answer("POST", "/emporix/oauth/token", 401, TENANT_INVALID), "ErrorCode"),
    ],
)
def test_every_kind_of_bad_answer_is_caught(
    vendor_checker: EmporixChecker, response: httpx.Response, problem: str
) -> None:
    problems = vendor_checker.problems(response)
    assert problems and problem in problems[0], problems


def test_the_documented_deviations_hold(vendor_checker: EmporixChecker) -> None:
    """Amendments: the retention GET has the tenant 400, PATCHes and the address PUT the
    version 409, a body over the limit 413, the address list's 404 an `ErrorMessage`."""
    base = "/emporix/customer/shop"
    conflict = {"type": "conflict_resource", "status": 409, "message": "stale"}
    too_large = {"type": "payload_too_large", "status": 413, "message": "Request body too large"}
    for response in (
        answer("GET", f"{base}/config/password-migration-retention", 400, TENANT_INVALID),
        answer("PATCH", f"{base}/customers/1", 409, conflict),
        answer("PUT", f"{base}/customers/1/addresses/a", 409, conflict),
        answer("PATCH", f"{base}/customers/1/addresses/a", 409, conflict),
        answer("POST", f"{base}/customers", 413, too_large),
        answer("GET", f"{base}/customers/1/addresses", 404, TENANT_INVALID),
        answer("GET", f"{base}/customers", 200, [GOOD_CUSTOMER], {"Count": "1"}),
    ):
        assert vendor_checker.problems(response) == []
    assert vendor_checker.problems(answer("GET", f"{base}/customers", 413, too_large))


def test_self_service_answers_are_held_to_the_customer_managed_document(
    vendor_checker: EmporixChecker,
) -> None:
    me = "/emporix/customer/shop/me"
    assert vendor_checker.problems(answer("GET", me, 418, TENANT_INVALID))
    assert vendor_checker.problems(answer("PUT", me + "/nowhere", 404, TENANT_INVALID)) == []
    # no PUT /me in the customer-managed API (reference 4.1): the documented path's 405
    assert vendor_checker.problems(answer("PUT", me, 405, TENANT_INVALID)) == []
    assert vendor_checker.problems(answer("PUT", me, 404, TENANT_INVALID))
