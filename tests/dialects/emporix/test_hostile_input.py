"""Odd input an attacker or a careless client sends: a NUL where the path names a customer
or an address, and in a client id. No PostgreSQL text holds a NUL, so such a request must
be refused before any lookup, never a 500."""

from __future__ import annotations

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.customer_calls import create, customers_path, token_of
from tests.dialects.emporix.helpers import MakeClient

PATH_NUL = {"status": 400, "type": "bad_request", "message": "Request path holds a NUL character"}
INVALID_CLIENT = {"ErrorCode": "invalid_client", "Error": "Client credentials are invalid"}


@pytest.mark.parametrize(
    ("method", "rest"),
    [
        ("GET", ("%00",)),
        ("PATCH", ("%00",)),
        ("DELETE", ("%00",)),
        ("PUT", ("%00",)),
        ("GET", ("a%00b", "addresses")),
        ("POST", ("%00", "addresses")),
        ("GET", ("c1", "addresses", "%00")),
        ("PATCH", ("c1", "addresses", "%00")),
        ("PUT", ("c1", "addresses", "%00")),
        ("DELETE", ("c1", "addresses", "%00")),
        ("POST", ("c1", "addresses", "x%00", "tags")),
        ("DELETE", ("c1", "addresses", "x%00", "tags")),
    ],
)
async def test_a_nul_in_the_path_is_a_bad_request(
    http: httpx.AsyncClient, services: Services, shop: Tenant, method: str, rest: tuple[str, ...]
) -> None:
    auth = await token_of(http, services, shop)
    await create(http, auth, shop, {"id": "c1", "contactEmail": "c1@example.com"})

    answer = await http.request(
        method, customers_path(shop, *rest), json={"contactName": "x"}, headers=auth
    )

    assert answer.status_code == 400 and answer.json() == PATH_NUL


async def test_a_nul_in_the_path_is_checked_after_the_token(
    http: httpx.AsyncClient, shop: Tenant
) -> None:
    answer = await http.get(customers_path(shop, "%00"))

    assert answer.status_code == 401


@pytest.mark.parametrize("client_id", ["%00", "pc_%00abc", "{real}%00"])
async def test_a_nul_in_the_client_id_is_an_invalid_client(
    http: httpx.AsyncClient, shop: Tenant, make_client: MakeClient, client_id: str
) -> None:
    client = await make_client(shop)
    form = (
        f"grant_type=client_credentials&client_id={client_id.format(real=client.client_id)}"
        f"&client_secret={client.secret}"
    )

    answer = await http.post(
        "/oauth/token",
        content=form.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert answer.status_code == 401 and answer.json() == INVALID_CLIENT


@pytest.mark.parametrize(
    ("method", "rest", "media_type"),
    [
        ("POST", (), "application/merge-patch+json"),
        ("POST", (), "text/plain"),
        ("POST", ("search",), "application/x-www-form-urlencoded"),
        ("POST", ("c1", "addresses"), "application/merge-patch+json"),
        ("PATCH", ("c1", "addresses", "a1"), "application/merge-patch+json"),
        ("PUT", ("c1", "addresses", "a1"), "text/plain"),
        ("POST", ("import",), "application/xml"),
        ("PATCH", ("c1",), "text/plain"),
        ("PUT", ("c1",), "application/json-patch+json"),
    ],
)
async def test_a_body_of_a_media_type_the_route_does_not_take_is_refused_unread(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    method: str,
    rest: tuple[str, ...],
    media_type: str,
) -> None:
    auth = await token_of(
        http, services, shop, ["customer.customer_read", "customer.customer_manage",
                               "customer.import_manage"],
    )  # fmt: skip
    await create(http, auth, shop, {"id": "c1", "contactEmail": "c1@example.com"})
    body = b'{"contactEmail": "new@example.com", "contactName": "x", "q": "", "country": "DE"}'

    answer = await http.request(
        method, customers_path(shop, *rest), content=body,
        headers={**auth, "content-type": f"{media_type}; charset=utf-8"},
    )  # fmt: skip
    listed = await http.get(customers_path(shop), headers=auth)
    addresses = await http.get(customers_path(shop, "c1", "addresses"), headers=auth)

    assert answer.status_code == 400
    assert answer.json() == {
        "status": 400,
        "type": "bad_request",
        "message": f"Content type '{media_type}' is not supported.",
    }
    assert [c["id"] for c in listed.json()] == ["c1"] and addresses.json() == []


@pytest.mark.parametrize("headers", [{}, {"content-type": "application/json; charset=UTF-8"}])
async def test_a_body_without_a_media_type_or_with_parameters_is_read_as_json(
    http: httpx.AsyncClient, services: Services, shop: Tenant, headers: dict[str, str]
) -> None:
    auth = await token_of(http, services, shop)

    answer = await http.post(
        customers_path(shop), content=b'{"contactEmail": "c2@example.com"}',
        headers={**auth, **headers},
    )  # fmt: skip

    assert answer.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"metadata": {"version": "1"}},
        {"metadata": {"version": 1.0}},
        {"metadata": {"version": True}},
        {"metadata": {"version": 0}},
        {"metadata": {"version": -1}},
        {"isDefault": "yes"},
        {"isDefault": 1},
        {"city": 5},
    ],
)
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_address_bodies_are_as_strict_as_customer_bodies(
    http: httpx.AsyncClient, services: Services, shop: Tenant, method: str, body: dict[str, object]
) -> None:
    auth = await token_of(http, services, shop)
    await create(http, auth, shop, {"id": "c1", "contactEmail": "c1@example.com"})
    path = customers_path(shop, "c1", "addresses", "a1")
    added = await http.post(
        customers_path(shop, "c1", "addresses"),
        json={"id": "a1", "contactName": "Jo Doe", "country": "DE"}, headers=auth,
    )  # fmt: skip
    assert added.status_code == 201

    answer = await http.request(method, path, json={"contactName": "Jo Doe", **body}, headers=auth)
    stored = (await http.get(path, headers=auth)).json()

    assert answer.status_code == 400 and answer.json()["type"] == "validation_failure"
    assert stored["metadata"]["version"] == 1 and stored["isDefault"] is False
