"""Odd input an attacker or a careless client sends: a NUL where the path names a customer
or an address, and in a client id. No PostgreSQL text holds a NUL, so such a request must
be refused before any lookup, never a 500."""

from __future__ import annotations

import httpx
import pytest

from patron.core.model import Tenant
from patron.services import Services
from tests.dialects.emporix.conftest import MakeClient
from tests.dialects.emporix.customer_calls import create, customers_path, token_of

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
