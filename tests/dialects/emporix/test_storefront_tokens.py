"""Storefront tokens used where they do not belong, and after they should have
stopped (logout, a disabled storefront client)."""

from __future__ import annotations

import asyncio

import httpx

from patron.core.domain.principals import PrincipalKind
from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http, token_for
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    anonymous,
    created_with_password,
    logged_in,
    login_answer,
    storefront_client_id,
)

EMAIL = "john.doe@example.com"


async def test_a_disabled_storefront_clients_visitor_tokens_stop(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, store: Tenant
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    client_id = await storefront_client_id(services, store)
    visitor = await anonymous(http, store, client_id)
    await services.core.staff_accounts.set_enabled(
        store, PrincipalKind.CLIENT, client_id, enabled=False
    )

    login = await login_answer(http, store, visitor["access_token"], EMAIL, PASSWORD)
    me = await http.get("/customer/shop/me", headers=bearer(visitor["access_token"]))
    refreshed = await http.get(
        "/customerlogin/auth/anonymous/refresh",
        params={
            "tenant": "shop",
            "client_id": client_id,
            "refresh_token": visitor["refresh_token"],
        },
    )

    assert (login.status_code, me.status_code, refreshed.status_code) == (401, 401, 401)


async def test_tokens_out_of_place_are_refused(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    outlet: Tenant,
) -> None:
    number = await created_with_password(http, make_client, store, EMAIL)
    visitor = await anonymous(http, store, await storefront_client_id(services, store))
    other_visitor = await anonymous(http, outlet, await storefront_client_id(services, outlet))
    tokens = await logged_in(http, store, visitor["access_token"], EMAIL)
    service = await token_for(http, await make_client(store))

    async def me(token: str, tenant: str = "shop") -> int:
        return (await http.get(f"/customer/{tenant}/me", headers=bearer(token))).status_code

    assert await me(visitor["refresh_token"]) == 401
    assert await me(tokens["refresh_token"]) == 401
    assert await me(service) == 401
    assert await me(other_visitor["access_token"]) in (400, 401)
    assert await me(tokens["access_token"], "outlet") in (400, 401)
    assert await me(tokens["access_token"]) == 200
    assert await me(tokens["saas_token"]) == 200
    back_office = await http.get(
        f"/customer/shop/customers/{number}", headers=bearer(tokens["access_token"])
    )
    assert back_office.status_code in (401, 403)
    visitor_back_office = await http.get(
        f"/customer/shop/customers/{number}", headers=bearer(visitor["access_token"])
    )
    assert visitor_back_office.status_code in (401, 403)


async def test_a_logged_out_token_opens_nothing(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, store: Tenant
) -> None:
    await created_with_password(http, make_client, store, EMAIL)
    visitor = await anonymous(http, store, await storefront_client_id(services, store))
    tokens = await logged_in(http, store, visitor["access_token"], EMAIL)
    token = tokens["access_token"]
    out = await http.get(
        "/customer/shop/logout", params={"accessToken": token}, headers=bearer(token)
    )
    assert out.status_code == 204

    answers = {
        "me": await http.get("/customer/shop/me", headers=bearer(token)),
        "validate": await http.get("/customer/shop/validateauthtoken", headers=bearer(token)),
        "patch": await http.patch(
            "/customer/shop/me", json={"firstName": "X"}, headers=bearer(token)
        ),
        "addresses": await http.get("/customer/shop/me/addresses", headers=bearer(token)),
        "password": await http.post(
            "/customer/shop/password/change",
            json={"currentPassword": PASSWORD, "newPassword": "another-pw-3"},
            headers=bearer(token),
        ),
        "delete": await http.delete("/customer/shop/me", headers=bearer(token)),
        "email": await http.post(
            "/customer/shop/me/accounts/internal/email/change",
            json={"email": EMAIL, "password": PASSWORD, "newEmail": "n@example.com"},
            headers=bearer(token),
        ),
        "refresh": await http.get(
            "/customer/shop/refreshauthtoken",
            params={"refreshToken": tokens["refresh_token"]},
            headers=bearer(visitor["access_token"]),
        ),
        "login": await login_answer(http, store, token, EMAIL, PASSWORD),
        "signup": await http.post(
            "/customer/shop/signup",
            json={"email": "new@example.com", "password": "signup-pw-1"},
            headers=bearer(token),
        ),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        answers, 401
    )


async def test_racing_refreshes_of_one_refresh_token_leave_no_live_session(
    services: Services, settings: Settings, make_client: MakeClient, store: Tenant
) -> None:
    """Two holders of one refresh token racing: at most one gets new tokens, and the
    reuse ends the session, so neither result keeps working."""
    clients = [emporix_http(services, settings) for _ in range(4)]
    try:
        http = clients[0]
        await created_with_password(http, make_client, store, EMAIL)
        visitor = (await anonymous(http, store, await storefront_client_id(services, store)))[
            "access_token"
        ]
        refresh_token = (await logged_in(http, store, visitor, EMAIL))["refresh_token"]
        answers = await asyncio.gather(
            *(
                client.get(
                    "/customer/shop/refreshauthtoken",
                    params={"refreshToken": refresh_token},
                    headers=bearer(visitor),
                )
                for client in clients
            )
        )
        won = [answer.json() for answer in answers if answer.status_code == 200]
        live = [
            (await http.get("/customer/shop/me", headers=bearer(body["access_token"]))).status_code
            for body in won
        ]
    finally:
        for client in clients:
            await client.aclose()

    assert len(won) <= 1
    assert all(answer.status_code in (200, 400, 401) for answer in answers)
    assert live == [401] * len(won)
