"""Bad input of every kind gets Medusa's error body and status: never a 500, never a
half-written change. (Every answer is also checked against the OpenAPI document, and any
5xx fails the test, by the fixture in `conftest`.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from tests.dialects.medusa.helpers import create_customer, create_group, register

MALFORMED = {"type": "invalid_data", "message": "Invalid JSON in request body"}
POSTS = [
    "/admin/auth",
    "/admin/auth/token",
    "/admin/customers",
    "/admin/customers/{customer}",
    "/admin/customer-groups",
    "/admin/customer-groups/{group}",
    "/admin/customer-groups/{group}/customers/batch",
    "/store/customers",
    "/store/customers/me",
    "/store/customers/me/addresses",
    "/store/customers/password-token",
    "/store/customers/password-reset",
    "/store/auth",
    "/store/auth/token",
]


@pytest.fixture
async def ids(admin: httpx.AsyncClient, store: httpx.AsyncClient) -> dict[str, str]:
    """A customer, a group, and a logged-in shopper (the store client has the cookie)."""
    customer = await create_customer(admin)
    group = await create_group(admin)
    await register(store)
    return {"customer": customer["id"], "group": group["id"]}


async def _everywhere(
    admin: httpx.AsyncClient, store: httpx.AsyncClient, ids: dict[str, str], **request: Any
) -> AsyncIterator[httpx.Response]:
    for path in POSTS:
        client = admin if path.startswith("/admin") else store
        yield await client.post(path.format(**ids), **request)


@pytest.mark.parametrize(
    "content",
    [b"{", b"{'a': 1}", b"nul", b"\xff\xfe", b"[1, 2]", b'"text"', b"42", b'{"a": 1} x'],
)
async def test_a_body_that_is_no_json_object_is_invalid_data_everywhere(
    admin: httpx.AsyncClient,
    store: httpx.AsyncClient,
    ids: dict[str, str],
    pool: asyncpg.Pool,
    content: bytes,
) -> None:
    before = await pool.fetchval("SELECT count(*) FROM customers")

    async for response in _everywhere(admin, store, ids, content=content):
        assert response.status_code == 400, response.request.url
        assert response.json() == MALFORMED

    assert await pool.fetchval("SELECT count(*) FROM customers") == before


async def test_json_nested_too_deep_is_refused_without_recursion(
    admin: httpx.AsyncClient, store: httpx.AsyncClient, ids: dict[str, str]
) -> None:
    deep = b'{"metadata": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001

    async for response in _everywhere(admin, store, ids, content=deep):
        assert response.status_code == 400 and response.json() == MALFORMED


async def test_a_body_over_the_limit_is_413_before_it_is_read(
    admin: httpx.AsyncClient, store: httpx.AsyncClient, ids: dict[str, str]
) -> None:
    huge = b'{"first_name": "' + b"x" * (70 * 1024) + b'"}'

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 1024

    async for response in _everywhere(admin, store, ids, content=huge):
        assert response.status_code == 413
        assert response.json() == {"type": "invalid_data", "message": "request entity too large"}
    streamed = await store.post("/store/customers/me", content=chunks())
    assert streamed.status_code == 413


async def test_a_nul_anywhere_in_a_body_is_refused(
    admin: httpx.AsyncClient, store: httpx.AsyncClient, ids: dict[str, str], pool: asyncpg.Pool
) -> None:
    for body in ({"email": "a\x00@b.co", "password": "x"}, {"metadata": {"k\x00": 1}}):
        async for response in _everywhere(admin, store, ids, json=body):
            assert response.status_code == 400, response.request.url
            assert response.json()["type"] == "invalid_data"
    assert await pool.fetchval("SELECT count(*) FROM customers") == 2


@pytest.mark.parametrize(
    "value", [None, True, 0, -1.5, [], {}, "", "x" * 5000, [[["deep"]]], {"$ne": None}]
)
async def test_wrong_types_are_invalid_data_everywhere(
    admin: httpx.AsyncClient, store: httpx.AsyncClient, ids: dict[str, str], value: Any
) -> None:
    keys = ("email", "password", "first_name", "name", "metadata", "address", "customer_ids")
    async for response in _everywhere(admin, store, ids, json=dict.fromkeys(keys, value)):
        assert response.status_code in (400, 401), (response.request.url, response.text)
        if response.status_code == 400:
            assert response.json()["type"] == "invalid_data"
            assert response.json()["message"].startswith("property ")


async def test_an_unknown_route_or_method_is_a_medusa_404(admin: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/admin/products"),
        ("DELETE", "/admin/customers/cus_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        ("PUT", "/admin/customers"),
        ("GET", "/"),
        ("POST", "/store/customers/me/orders"),
    ):
        response = await admin.request(method, path)
        assert response.status_code == 404, (method, path)
        assert response.json() == {
            "type": "not_found",
            "message": f"Cannot {method} /medusa{path.rstrip('/')}",
        }


async def test_a_trailing_slash_names_the_same_route(
    admin: httpx.AsyncClient, ids: dict[str, str]
) -> None:
    assert (await admin.get("/admin/customers/")).status_code == 200
    assert (await admin.get(f"/admin/customer-groups/{ids['group']}/")).status_code == 200


async def test_a_nul_in_the_path_or_query_is_refused(
    admin: httpx.AsyncClient, store: httpx.AsyncClient, ids: dict[str, str]
) -> None:
    assert (await admin.get("/admin/customers/cus_%00")).status_code == 404
    assert (await store.get("/store/auth/a%00@b.co")).status_code == 404
    assert (await admin.get("/admin/customer-groups?name[]=a%00")).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "limit=" + "9" * 400,
        "offset=1e400",
        "limit=Infinity",
        "limit=0x",
        "created_at[lt]=" + "9" * 400,
        "created_at[gt]=-99999999999999",
        "updated_at[lt][lt]=x",
        "groups=" + ",".join(["cgrp_x"] * 2000),
        "&".join(f"groups[{i}]=x" for i in range(50)),
        "a[b][c][d][e][f][g][h]=1",
        "order=-",
        "order=" + "-" * 50,
        "q=" + "%25" * 500,
        "expand=" + "a," * 1000,
    ],
)
async def test_hostile_list_queries_never_fail_the_server(
    admin: httpx.AsyncClient, ids: dict[str, str], query: str
) -> None:
    for path in ("/admin/customers", f"/admin/customer-groups/{ids['group']}/customers"):
        response = await admin.get(f"{path}?{query}")
        assert response.status_code in (200, 400), response.text
    groups = await admin.get(f"/admin/customer-groups?{query}")
    assert groups.status_code in (200, 400), groups.text


async def test_an_empty_post_body_reads_as_an_empty_object(store: httpx.AsyncClient) -> None:
    response = await store.post("/store/customers")

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "first_name must be a string, last_name must be a string, "
        "email must be an email, password must be a string",
    }
