"""`/medusa` attacked as a hostile client or a hostile neighbour would: each test is a
defect found by probing, kept so it stays fixed."""

from __future__ import annotations

import httpx

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.medusa.helpers import (
    READ_ONLY,
    SIGN_UP,
    cookie_of,
    make_admin,
    medusa_client,
    register,
)


async def test_a_session_survives_other_cookies_of_the_site(
    services: Services, settings: Settings, store: httpx.AsyncClient
) -> None:
    """A storefront's domain carries other apps' cookies (consent JSON, analytics); one
    a strict parser refuses must not log the shopper out, and a `connect.sid` tossed in
    from a sibling subdomain (sent after the API's own) must not log them in as another."""
    victim = await register(store, "victim@example.com")
    mine = store.cookies["connect.sid"]
    async with medusa_client(services, settings) as attacker:
        await register(attacker, "attacker@example.com")
        tossed = attacker.cookies["connect.sid"]
    jar = httpx.Cookies()  # each request below sends exactly the header it names
    async with medusa_client(services, settings) as browser:
        browser.cookies = jar
        for header in (
            f'consent={{"ads":false}}; theme=dark mode; connect.sid={mine}',
            f"connect.sid={mine}; connect.sid={tossed}",
        ):
            me = await browser.get("/store/customers/me", headers={"Cookie": header})
            assert me.status_code == 200, header
            assert me.json()["customer"]["id"] == victim["id"], header


async def test_a_session_cookie_is_set_http_only_and_scoped(store: httpx.AsyncClient) -> None:
    response = await store.post(
        "/store/customers",
        json={**SIGN_UP, "email": "flags@example.com"},
    )
    header = response.headers["set-cookie"].lower()
    assert cookie_of(response)
    assert "httponly" in header and "path=/medusa/store" in header and "samesite=lax" in header


async def test_an_ended_session_opens_no_store_route(
    admin: httpx.AsyncClient, store: httpx.AsyncClient
) -> None:
    """A new password set by the back office ends every session and store token of the
    customer (decision 100): every `me` route refuses them, the empty orders page too."""
    shopper = await register(store, "ended@example.com")
    token = (
        await store.post(
            "/store/auth/token", json={"email": "ended@example.com", "password": "supersecret"}
        )
    ).json()["access_token"]
    changed = await admin.post(
        f"/admin/customers/{shopper['id']}", json={"password": "another-secret"}
    )
    assert changed.status_code == 200

    for credentials in ({}, {"Authorization": f"Bearer {token}"}):
        for path in ("/store/customers/me", "/store/customers/me/orders", "/store/auth"):
            response = await store.get(path, headers=credentials)
            assert (response.status_code, response.text) == (401, "Unauthorized"), path


async def test_a_read_only_admin_deletes_nothing_not_even_a_malformed_id(
    services: Services, settings: Settings, default_tenant: Tenant
) -> None:
    """Deleting is idempotent, so an id that names no group answers `deleted: true`; to
    a caller without `groups:manage` every delete is 403, or the answer tells a reader
    it may delete groups."""
    reader = await make_admin(services, default_tenant, "reader@example.com", scopes=READ_ONLY)
    async with medusa_client(
        services, settings, {"x-medusa-access-token": reader.api_token}
    ) as http:
        for group_id in ("cgrp_nonsense", "cgrp_01M8N9Y9T6BR4PV0PZ4CHC3K6V"):
            response = await http.delete(f"/admin/customer-groups/{group_id}")
            assert (response.status_code, response.json()["type"]) == (403, "not_allowed")
