"""`/admin/auth` and the three ways an admin request is authenticated."""

from __future__ import annotations

import re

import httpx
import pytest

from patron.core.domain.tenants import Tenant, TenantSettings
from patron.services import Services
from patron.settings import Settings
from tests.dialects.medusa.helpers import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ISO,
    ULID,
    Admin,
    cookie_of,
    make_admin,
    medusa_client,
    register,
)

LOGIN = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}


async def test_a_session_logs_in_reads_the_user_and_logs_out(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    login = await store.post("/admin/auth", json=LOGIN)

    assert login.status_code == 200
    user = login.json()["user"]
    assert set(user) == {
        "id", "email", "first_name", "last_name", "role", "metadata",
        "created_at", "updated_at", "deleted_at",
    }  # fmt: skip
    assert user["email"] == ADMIN_EMAIL and user["role"] == "admin" and user["metadata"] is None
    assert re.fullmatch(ISO, user["created_at"]) and user["deleted_at"] is None
    cookie = login.headers["set-cookie"]
    assert cookie.startswith("connect.sid=")
    assert "HttpOnly" in cookie and "Path=/medusa/admin;" in cookie and "Max-Age=36000" in cookie
    assert "SameSite=lax" in cookie and "Secure" not in cookie

    session = await store.get("/admin/auth")
    assert session.status_code == 200 and session.json()["user"] == user
    listed = await store.get("/admin/customers")
    assert listed.status_code == 200

    logout = await store.delete("/admin/auth")
    assert (logout.status_code, logout.text) == (200, "OK")
    assert logout.headers["content-type"].startswith("text/plain")

    store.cookies.set("connect.sid", cookie_of(login))  # the old cookie, sent again
    again = await store.get("/admin/auth")
    assert (again.status_code, again.text) == (401, "Unauthorized")
    assert again.headers["content-type"].startswith("text/plain")


async def test_a_token_opens_admin_routes_as_a_bearer(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    issued = await store.post("/admin/auth/token", json=LOGIN)

    assert issued.status_code == 200 and list(issued.json()) == ["access_token"]
    assert "set-cookie" not in issued.headers
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    session = await store.get("/admin/auth", headers=bearer)
    assert session.status_code == 200 and session.json()["user"]["email"] == ADMIN_EMAIL
    assert (await store.get("/admin/customers", headers=bearer)).status_code == 200


async def test_a_logout_with_a_token_ends_the_token(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    """The token stands in for a session (as the store's does, decision 98), so a logout
    with it ends it; another token of the same user, and the API token, stay valid."""
    tokens = [(await store.post("/admin/auth/token", json=LOGIN)).json() for _ in range(2)]
    bearer, other = ({"Authorization": f"Bearer {t['access_token']}"} for t in tokens)
    assert (await store.get("/admin/customers", headers=bearer)).status_code == 200

    logout = await store.delete("/admin/auth", headers=bearer)

    assert (logout.status_code, logout.text) == (200, "OK")
    for method, path in (
        ("GET", "/admin/customers"),
        ("GET", "/admin/auth"),
        ("DELETE", "/admin/auth"),
    ):
        after = await store.request(method, path, headers=bearer)
        assert (after.status_code, after.text) == (401, "Unauthorized"), (method, path)
    assert (await store.get("/admin/customers", headers=other)).status_code == 200
    api_token = {"x-medusa-access-token": admin_user.api_token}
    assert (await store.delete("/admin/auth", headers=api_token)).text == "OK"
    assert (await store.get("/admin/customers", headers=api_token)).status_code == 200


async def test_the_api_token_header_opens_admin_routes(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/admin/auth")

    assert response.status_code == 200 and response.json()["user"]["email"] == ADMIN_EMAIL


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-medusa-access-token": "not-a-token"},
        {"x-medusa-access-token": ""},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Basic YWRtaW46c2VjcmV0"},
        {"Cookie": "connect.sid=unknown"},
    ],
)
async def test_no_valid_credential_is_the_text_unauthorized(
    store: httpx.AsyncClient, admin_user: Admin, headers: dict[str, str]
) -> None:
    for method, path in (
        ("GET", "/admin/auth"),
        ("DELETE", "/admin/auth"),
        ("GET", "/admin/customers"),
        ("GET", "/admin/customers/cus_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        ("POST", "/admin/customers"),
        ("GET", "/admin/customer-groups"),
        ("POST", "/admin/customer-groups"),
    ):
        response = await store.request(method, path, headers=headers, json={})
        assert (response.status_code, response.text) == (401, "Unauthorized"), (method, path)


async def test_a_later_strategy_wins_when_an_earlier_one_fails(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    headers = {
        "Cookie": "connect.sid=stale",
        "Authorization": "Bearer stale",
        "x-medusa-access-token": admin_user.api_token,
    }
    assert (await store.get("/admin/auth", headers=headers)).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "email should not be empty, email must be an email, "
             "password should not be empty, password must be a string"),
        ({"email": "nope", "password": "x"}, "email must be an email"),
        ({"email": ADMIN_EMAIL, "password": ""}, "password should not be empty"),
        ({"email": ADMIN_EMAIL, "password": 5}, "password must be a string"),
        ({"email": ADMIN_EMAIL, "password": "x", "remember": True},
         "property remember should not exist"),
    ],
)  # fmt: skip
async def test_a_bad_login_body_is_invalid_data(
    store: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    for path in ("/admin/auth", "/admin/auth/token"):
        response = await store.post(path, json=body)
        assert response.status_code == 400
        assert response.json() == {"type": "invalid_data", "message": message}


async def test_wrong_credentials_are_the_text_unauthorized(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    for body in (
        {"email": ADMIN_EMAIL, "password": "wrong-password"},
        {"email": "nobody@medusa-test.com", "password": ADMIN_PASSWORD},
    ):
        for path in ("/admin/auth", "/admin/auth/token"):
            response = await store.post(path, json=body)
            assert (response.status_code, response.text) == (401, "Unauthorized")
            assert "set-cookie" not in response.headers


async def test_admin_logins_are_throttled_with_retry_after(
    services: Services, settings: Settings, admin_user: Admin
) -> None:
    async with medusa_client(services, settings) as http:
        for _ in range(settings.login_max_failures):
            wrong = await http.post("/admin/auth", json={**LOGIN, "password": "wrong-password"})
            assert wrong.status_code == 401
        blocked = await http.post("/admin/auth", json=LOGIN)

    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert blocked.json()["type"] == "not_allowed"
    assert "Too many attempts" in blocked.json()["message"]


async def test_a_customer_session_or_token_never_opens_an_admin_route(
    store: httpx.AsyncClient, admin_user: Admin
) -> None:
    await register(store, "shopper@medusa-test.com")  # the store cookie is now in the jar
    assert (await store.get("/store/customers/me")).status_code == 200
    token = await store.post(
        "/store/auth/token", json={"email": "shopper@medusa-test.com", "password": "supersecret"}
    )
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}

    for headers in ({}, bearer, {"x-medusa-access-token": token.json()["access_token"]}):
        for path in ("/admin/auth", "/admin/customers", "/admin/customer-groups"):
            response = await store.get(path, headers=headers)
            assert (response.status_code, response.text) == (401, "Unauthorized")


async def test_an_admin_of_another_tenant_gets_nothing_here(
    services: Services, settings: Settings, admin: httpx.AsyncClient
) -> None:
    other = await services.core.tenant_admin.create("other", "Other", TenantSettings())
    stranger = await make_admin(services, other, "stranger@other.com")
    created = await admin.post(
        "/admin/customers",
        json={"email": "a@b.co", "password": "supersecret", "first_name": "A", "last_name": "B"},
    )
    customer_id = created.json()["customer"]["id"]

    async with medusa_client(
        services, settings, {"x-medusa-access-token": stranger.api_token}
    ) as http:
        for path in ("/admin/auth", "/admin/customers", f"/admin/customers/{customer_id}"):
            response = await http.get(path)
            assert (response.status_code, response.text) == (401, "Unauthorized")
        login = await http.post(
            "/admin/auth", json={"email": "stranger@other.com", "password": ADMIN_PASSWORD}
        )
        assert login.status_code == 401


async def test_an_api_client_is_no_user(
    services: Services, default_tenant: Tenant, store: httpx.AsyncClient
) -> None:
    client, secret = await services.core.staff_accounts.create_client(
        default_tenant, name="sync", scopes=["customers:read"]
    )
    token, _ = await services.core.back_office.client_token(
        default_tenant, client.client_id, secret, client_ip=None
    )
    bearer = {"Authorization": f"Bearer {token}"}

    session = await store.get("/admin/auth", headers=bearer)
    assert (session.status_code, session.text) == (400, "Bad Request")
    assert (await store.get("/admin/customers", headers=bearer)).status_code == 200
    refused = await store.post("/admin/customer-groups", headers=bearer, json={"name": "X"})
    assert refused.status_code == 403
    assert refused.json()["type"] == "not_allowed"


async def test_a_user_id_is_usr_and_a_ulid(store: httpx.AsyncClient, admin_user: Admin) -> None:
    user = (await store.post("/admin/auth", json=LOGIN)).json()["user"]

    assert re.fullmatch(f"usr_{ULID}", user["id"])
