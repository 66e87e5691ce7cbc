"""The storefront's sign-in (reference 4.1, 4.2): anonymous tokens of a storefront client,
customer login, validation, refresh with rotation, logout."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import asyncpg
import httpx
import orjson
import pytest

from patron.core.domain.principals import PrincipalKind
from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.conftest import FrozenClock
from tests.database_state import database_state
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http, token_for
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    anonymous,
    created_with_password,
    logged_in,
    login_answer,
    storefront_client_id,
)

INVALID_TOKEN = {
    "fault": {
        "faultstring": "Invalid access token",
        "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
    }
}
INVALID_API_KEY = {
    "fault": {"faultstring": "Invalid ApiKey", "detail": {"errorcode": "oauth.v2.InvalidApiKey"}}
}
TENANT_INVALID = {
    "type": "bad_request",
    "status": 400,
    "message": "The tenant information provided with the request is not valid.",
}
LOGIN_REFUSED = {"status": 401, "type": "unauthorized", "message": "Invalid email or password."}
EMAIL = "john.doe@example.com"


@pytest.fixture
async def client_id(services: Services, store: Tenant) -> str:
    return await storefront_client_id(services, store)


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = orjson.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return claims


async def validate(http: httpx.AsyncClient, tenant: Tenant, token: str) -> httpx.Response:
    return await http.get(f"/customer/{tenant.code}/validateauthtoken", headers=bearer(token))


# --- anonymous tokens -----------------------------------------------------------------------


async def test_an_anonymous_token_has_emporix_shape_and_lifetimes(
    http: httpx.AsyncClient, store: Tenant, client_id: str
) -> None:
    answer = await http.get(
        "/customerlogin/auth/anonymous/login",
        params={"tenant": "shop", "client_id": client_id, "currency": "EUR", "siteCode": "main"},
    )

    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == {
        "token_type",
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
        "sessionId",
        "scope",
    }
    assert body["token_type"] == "Bearer"
    assert (body["expires_in"], body["refresh_token_expires_in"]) == (3599, 86399)
    assert body["scope"] == "tenant=shop"
    assert uuid.UUID(body["sessionId"])
    assert body["access_token"] != body["refresh_token"]


async def test_refreshing_an_anonymous_token_keeps_its_session(
    http: httpx.AsyncClient, store: Tenant, client_id: str, make_client: MakeClient
) -> None:
    first = await anonymous(http, store, client_id)

    answer = await http.get(
        "/customerlogin/auth/anonymous/refresh",
        params={"tenant": "shop", "client_id": client_id, "refresh_token": first["refresh_token"]},
    )

    assert answer.status_code == 200, answer.text
    again = answer.json()
    assert again["sessionId"] == first["sessionId"]
    assert again["expires_in"] == 3599
    await created_with_password(http, make_client, store, EMAIL)
    customer = await logged_in(http, store, again["access_token"], EMAIL)
    assert customer["session_id"] == first["sessionId"]


async def test_an_anonymous_refresh_answers_a_new_token_of_a_new_expiry_for_the_session(
    timed_services: Services, settings: Settings, clock: FrozenClock, tenant: Tenant
) -> None:
    """Reference 4.1: a new access token (another string, even within the second it was
    issued in), expiring an hour after the refresh, the same `sessionId`; it opens `/me`
    after the first token has run out."""
    shop = await timed_services.core.tenant_admin.create("shop", "Shop", tenant.settings)
    client_id = await storefront_client_id(timed_services, shop)
    params = {"tenant": "shop", "client_id": client_id}
    async with emporix_http(timed_services, settings) as http:
        first = await anonymous(http, shop, client_id)
        at_once = await http.get(
            "/customerlogin/auth/anonymous/refresh",
            params={**params, "refresh_token": first["refresh_token"]},
        )
        clock.advance(minutes=30)
        later = await http.get(
            "/customerlogin/auth/anonymous/refresh",
            params={**params, "refresh_token": first["refresh_token"]},
        )
        clock.advance(minutes=31)  # the first token ran out a minute ago
        first_me = await http.get("/customer/shop/me", headers=bearer(first["access_token"]))
        later_me = await http.get("/customer/shop/me", headers=bearer(later.json()["access_token"]))

    assert (at_once.status_code, later.status_code) == (200, 200), later.text
    tokens = {first["access_token"], at_once.json()["access_token"], later.json()["access_token"]}
    assert len(tokens) == 3
    assert {at_once.json()["sessionId"], later.json()["sessionId"]} == {first["sessionId"]}
    assert later.json()["expires_in"] == 3599
    assert first_me.json()["fault"]["faultstring"] == "Access Token expired"
    assert later_me.status_code == 200, later_me.text
    assert later_me.json()["customerNumber"] == "00000000"  # reference 4.3: the anonymous /me


@pytest.mark.parametrize("refresh", ["access", "garbage", "tampered", "other-client"])
async def test_only_the_clients_own_refresh_token_refreshes(
    http: httpx.AsyncClient, services: Services, store: Tenant, client_id: str, refresh: str
) -> None:
    tokens = await anonymous(http, store, client_id)
    other = await storefront_client_id(services, store)
    token = {
        "access": tokens["access_token"],
        "garbage": "pv1.e30.x",
        "tampered": tokens["refresh_token"][:-2] + "AA",
        "other-client": tokens["refresh_token"],
    }[refresh]
    used_client = other if refresh == "other-client" else client_id

    answer = await http.get(
        "/customerlogin/auth/anonymous/refresh",
        params={"tenant": "shop", "client_id": used_client, "refresh_token": token},
    )

    assert answer.status_code == 401
    assert answer.json() == INVALID_TOKEN


async def test_only_a_storefront_client_of_the_tenant_gets_anonymous_tokens(
    http: httpx.AsyncClient,
    services: Services,
    store: Tenant,
    outlet: Tenant,
    make_client: MakeClient,
    client_id: str,
) -> None:
    service_client = await make_client(store)
    outlet_client = await storefront_client_id(services, outlet)
    disabled = await storefront_client_id(services, store)
    await services.core.staff_accounts.set_enabled(
        store, PrincipalKind.CLIENT, disabled, enabled=False
    )

    for refused in (
        service_client.client_id,
        outlet_client,
        disabled,
        "pc_unknown",
        "",
        "x" * 5000,
    ):
        answer = await http.get(
            "/customerlogin/auth/anonymous/login", params={"tenant": "shop", "client_id": refused}
        )
        assert answer.status_code == 401, refused
        assert answer.json() == INVALID_API_KEY
    unknown_tenant = await http.get(
        "/customerlogin/auth/anonymous/login", params={"tenant": "nosuch", "client_id": client_id}
    )
    assert unknown_tenant.status_code == 400
    assert unknown_tenant.json() == TENANT_INVALID


# --- customer login -------------------------------------------------------------------------


async def test_a_login_answers_emporix_token_fields_and_keeps_the_anonymous_session(
    http: httpx.AsyncClient, store: Tenant, client_id: str, make_client: MakeClient
) -> None:
    number = await created_with_password(http, make_client, store, EMAIL)
    visitor = await anonymous(http, store, client_id)

    answer = await login_answer(
        http, store, visitor["access_token"], "John.Doe@Example.com", PASSWORD
    )

    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert (body["expires_in"], body["refresh_token_expires_in"]) == (2591999, 86399)
    assert body["session_id"] == visitor["sessionId"]
    assert body["initialPassword"] == "true"  # an employee chose it (`created_with_password`)
    # the deprecated camelCase fields B2B showcase reads, equal to their snake_case twins
    assert body["accessToken"] == body["access_token"] == body["saasToken"] == body["saas_token"]
    assert body["refreshToken"] == body["refresh_token"]
    assert (body["expiresIn"], body["refreshTokenExpiresIn"]) == (2591999, 86399)
    saas = body["saas_token"]
    header = orjson.loads(base64.urlsafe_b64decode(saas.split(".")[0] + "=" * 4))
    assert header["alg"] == "HS256"
    claims = jwt_claims(saas)
    assert claims["sub"] == number
    assert claims["exp"] - claims["iat"] == pytest.approx(2591999, abs=1)


async def test_a_refused_login_says_nothing_of_which_part_was_wrong(
    http: httpx.AsyncClient,
    services: Services,
    store: Tenant,
    client_id: str,
    make_client: MakeClient,
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    inactive = "inactive@example.com"
    number = await created_with_password(http, make_client, store, inactive)
    service = await token_for(http, await make_client(store))
    patched = await http.patch(
        f"/customer/shop/customers/{number}", json={"active": False}, headers=bearer(service)
    )
    assert patched.status_code == 200, patched.text
    visitor = (await anonymous(http, store, client_id))["access_token"]

    for email, password in (
        (EMAIL, "wrong-password"),
        ("nobody@example.com", PASSWORD),
        (inactive, PASSWORD),
    ):
        answer = await login_answer(http, store, visitor, email, password)
        assert answer.status_code == 401, email
        assert answer.json() == LOGIN_REFUSED


async def test_a_login_needs_an_anonymous_token_of_the_tenant(
    http: httpx.AsyncClient,
    services: Services,
    store: Tenant,
    outlet: Tenant,
    client_id: str,
    make_client: MakeClient,
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    service = await token_for(http, await make_client(store))
    outlet_visitor = await anonymous(http, outlet, await storefront_client_id(services, outlet))
    body = {"email": EMAIL, "password": PASSWORD}

    missing = await http.post("/customer/shop/login", json=body)
    of_service = await http.post("/customer/shop/login", json=body, headers=bearer(service))
    elsewhere = await http.post(
        "/customer/shop/login", json=body, headers=bearer(outlet_visitor["access_token"])
    )

    assert (missing.status_code, missing.json()) == (401, INVALID_TOKEN)
    assert (of_service.status_code, of_service.json()) == (401, INVALID_TOKEN)
    assert (elsewhere.status_code, elsewhere.json()) == (400, TENANT_INVALID)


async def test_a_bad_login_body_is_a_validation_failure(
    http: httpx.AsyncClient, store: Tenant, client_id: str
) -> None:
    visitor = bearer((await anonymous(http, store, client_id))["access_token"])

    for body in (
        {"email": EMAIL},
        {"email": "", "password": PASSWORD},
        {"email": EMAIL, "password": 123456},
    ):
        answer = await http.post("/customer/shop/login", json=body, headers=visitor)
        assert answer.status_code == 400, body
        assert answer.json()["type"] == "validation_failure"


async def test_an_expired_anonymous_token_gets_the_expiry_fault(
    timed_services: Services, settings: Settings, clock: FrozenClock, tenant: Tenant
) -> None:
    shop = await timed_services.core.tenant_admin.create("shop", "Shop", tenant.settings)
    client_id = await storefront_client_id(timed_services, shop)
    async with emporix_http(timed_services, settings) as http:
        visitor = await anonymous(http, shop, client_id)
        clock.advance(seconds=3600)
        answer = await login_answer(http, shop, visitor["access_token"], EMAIL, PASSWORD)
        refreshed = await http.get(
            "/customerlogin/auth/anonymous/refresh",
            params={
                "tenant": "shop",
                "client_id": client_id,
                "refresh_token": visitor["refresh_token"],
            },
        )
        clock.advance(days=1)
        too_late = await http.get(
            "/customerlogin/auth/anonymous/refresh",
            params={
                "tenant": "shop",
                "client_id": client_id,
                "refresh_token": visitor["refresh_token"],
            },
        )

    assert answer.status_code == 401
    assert answer.json()["fault"]["faultstring"] == "Access Token expired"
    assert refreshed.status_code == 200
    assert too_late.status_code == 401


async def test_login_throttling_is_shared_with_glue(
    client: httpx.AsyncClient,
    services: Services,
    settings: Settings,
    make_client: MakeClient,
) -> None:
    """Failures counted here block the account everywhere (the core's one throttle)."""
    default = await services.core.tenants.get("default")
    async with emporix_http(services, settings) as http:
        visitor = (await anonymous(http, default, await storefront_client_id(services, default)))[
            "access_token"
        ]
        statuses = [
            (await login_answer(http, default, visitor, EMAIL, "wrong-password")).status_code
            for _ in range(settings.login_max_failures + 1)
        ]
    glue = await client.post(
        "/glue/access-tokens",
        json={
            "data": {"type": "access-tokens", "attributes": {"username": EMAIL, "password": "x"}}
        },
    )

    assert statuses[:-1] == [401] * settings.login_max_failures
    assert statuses[-1] == 429
    assert glue.status_code == 429


# --- validation, refresh, logout ------------------------------------------------------------


async def test_validateauthtoken_describes_a_customer_token_only(
    http: httpx.AsyncClient, store: Tenant, client_id: str, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    visitor = await anonymous(http, store, client_id)
    customer = await logged_in(http, store, visitor["access_token"], EMAIL)

    answer = await validate(http, store, customer["access_token"])
    of_visitor = await validate(http, store, visitor["access_token"])

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert 2591900 < body["expires_in"] <= 2591999
    assert body["sessionId"] == visitor["sessionId"]
    assert body["email"] == EMAIL
    assert body["scope"].split() == [
        "customer.customerprofile_view",
        "customer.customerprofile_edit",
        "tenant=shop",
    ]
    assert (of_visitor.status_code, of_visitor.json()) == (401, INVALID_TOKEN)


async def test_a_refresh_rotates_and_a_spent_refresh_token_ends_the_session(
    http: httpx.AsyncClient, store: Tenant, client_id: str, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    visitor = await anonymous(http, store, client_id)
    first = await logged_in(http, store, visitor["access_token"], EMAIL)

    async def refresh(token: str) -> httpx.Response:
        return await http.get(
            "/customer/shop/refreshauthtoken",
            params={"refreshToken": token},
            headers=bearer(visitor["access_token"]),
        )

    rotated = await refresh(first["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["session_id"] == visitor["sessionId"]
    assert second["refreshToken"] == second["refresh_token"]
    assert (second["expires_in"], second["refresh_token_expires_in"]) == (2591999, 86399)
    assert "saas_token" not in second  # `RefreshCustomerToken` has none
    assert (await validate(http, store, second["access_token"])).status_code == 200

    reused = await refresh(first["refresh_token"])

    assert (reused.status_code, reused.json()) == (401, INVALID_TOKEN)
    assert (await refresh(second["refresh_token"])).status_code == 401
    assert (await validate(http, store, second["access_token"])).status_code == 401


async def test_a_customer_bearer_refreshes_its_own_refresh_token_only(
    http: httpx.AsyncClient,
    clean_db: asyncpg.Pool,
    store: Tenant,
    client_id: str,
    make_client: MakeClient,
) -> None:
    """Issue 18: John's token with Jane's refresh token is the invalid-token 401 and
    spends nothing, so Jane's token still refreshes (for an anonymous bearer too, which
    the reference names the route's)."""
    await created_with_password(http, make_client, store, EMAIL)
    await created_with_password(http, make_client, store, "jane@example.com")
    visitor = (await anonymous(http, store, client_id))["access_token"]
    john = await logged_in(http, store, visitor, EMAIL)
    jane = await logged_in(http, store, visitor, "jane@example.com")

    async def refresh(token: str, bearer_token: str) -> httpx.Response:
        return await http.get(
            "/customer/shop/refreshauthtoken",
            params={"refreshToken": token},
            headers=bearer(bearer_token),
        )

    before = await database_state(clean_db)
    crossed = await refresh(jane["refresh_token"], john["access_token"])
    assert (crossed.status_code, crossed.json()) == (401, INVALID_TOKEN)
    assert await database_state(clean_db) == before

    own = await refresh(jane["refresh_token"], jane["access_token"])
    assert own.status_code == 200, own.text
    assert jwt_claims(own.json()["access_token"])["sub"] == jwt_claims(jane["access_token"])["sub"]
    by_visitor = await refresh(own.json()["refresh_token"], visitor)
    assert by_visitor.status_code == 200, by_visitor.text
    assert (await refresh(john["refresh_token"], john["access_token"])).status_code == 200


async def test_logout_ends_that_session_and_no_other(
    http: httpx.AsyncClient, store: Tenant, client_id: str, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    phone = await logged_in(
        http, store, (await anonymous(http, store, client_id))["access_token"], EMAIL
    )
    laptop = await logged_in(
        http, store, (await anonymous(http, store, client_id))["access_token"], EMAIL
    )
    token = phone["access_token"]

    answer = await http.get(
        "/customer/shop/logout", params={"accessToken": token}, headers=bearer(token)
    )

    assert answer.status_code == 204
    assert answer.content == b""
    assert (await validate(http, store, token)).status_code == 401
    refreshed = await http.get(
        "/customer/shop/refreshauthtoken",
        params={"refreshToken": phone["refresh_token"]},
        headers=bearer(laptop["access_token"]),
    )
    assert refreshed.status_code == 401
    assert (await validate(http, store, laptop["access_token"])).status_code == 200


async def test_a_customer_cannot_log_another_one_out(
    http: httpx.AsyncClient, store: Tenant, client_id: str, make_client: MakeClient
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    await created_with_password(http, make_client, store, "jane@example.com")
    visitor = (await anonymous(http, store, client_id))["access_token"]
    john = (await logged_in(http, store, visitor, EMAIL))["access_token"]
    jane = (await logged_in(http, store, visitor, "jane@example.com"))["access_token"]

    answer = await http.get(
        "/customer/shop/logout", params={"accessToken": jane}, headers=bearer(john)
    )

    assert (answer.status_code, answer.json()) == (401, INVALID_TOKEN)
    assert (await validate(http, store, jane)).status_code == 200


# --- one customer, every dialect --------------------------------------------------------------


async def test_a_customer_an_employee_created_logs_in_here_and_through_glue(
    client: httpx.AsyncClient, services: Services, settings: Settings, make_client: MakeClient
) -> None:
    """The same customer and password: created through the tenant-managed API, logged in
    through the storefront API and Glue (which serves the default tenant)."""
    default = await services.core.tenant_admin.change_settings(
        "default", {"confirmation_required": False}
    )
    async with emporix_http(services, settings) as http:
        number = await created_with_password(http, make_client, default, EMAIL)
        visitor = await anonymous(http, default, await storefront_client_id(services, default))
        emporix = await logged_in(http, default, visitor["access_token"], EMAIL)
    glue = await client.post(
        "/glue/access-tokens",
        json={
            "data": {
                "type": "access-tokens",
                "attributes": {"username": EMAIL, "password": PASSWORD},
            }
        },
    )

    assert jwt_claims(emporix["saas_token"])["sub"] == number
    assert glue.status_code == 201, glue.text
