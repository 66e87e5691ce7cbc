"""The mailed keys of the storefront (opt-in, reset, email change, deletion) are
single use under racing confirmations, bound to their tenant and customer, and nothing
can be learned of which addresses have accounts."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http, token_for
from tests.dialects.emporix.storefront_helpers import (
    PASSWORD,
    created_with_password,
    logged_in,
    visitor_token,
)

EMAIL = "john.doe@example.com"
NEW = "john@new.example"
LINKS = {
    "confirmation_link": "https://shop.example/optin?t={token}",
    "password_reset_link": "https://shop.example/reset?t={token}",
    "email_change_link": "https://shop.example/email?t={token}",
}


async def key_in(services: Services, recipient: str, path: str) -> str:
    mails = await services.outbox.recent(recipient=recipient)
    for mail in mails:
        found = re.search(rf"https://shop\.example/{path}\?t=([A-Za-z0-9_.%-]+)", mail.body)
        if found is not None:
            return found.group(1)
    raise AssertionError(f"no {path} key mailed to {recipient}")


async def test_racing_opt_ins_of_one_key_log_in_once(
    services: Services, settings: Settings, shop: Tenant
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": True, **LINKS}
    )
    clients = [emporix_http(services, settings) for _ in range(6)]
    try:
        visitor = await visitor_token(clients[0], services, store)
        signed = await clients[0].post(
            "/customer/shop/signup",
            json={"email": EMAIL, "password": PASSWORD},
            headers=bearer(visitor),
        )
        assert signed.status_code == 201, signed.text
        key = await key_in(services, EMAIL, "optin")
        answers = await asyncio.gather(
            *(
                client.get(f"/customer/shop/signup/optin/{key}", headers=bearer(visitor))
                for client in clients
            )
        )
    finally:
        for client in clients:
            await client.aclose()

    assert sorted(answer.status_code for answer in answers) == [200] + [400] * 5


async def test_racing_email_confirmations_change_once(
    services: Services, settings: Settings, make_client: MakeClient, shop: Tenant
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    clients = [emporix_http(services, settings) for _ in range(6)]
    try:
        http = clients[0]
        await created_with_password(http, make_client, store, EMAIL)
        visitor = await visitor_token(http, services, store)
        token = (await logged_in(http, store, visitor, EMAIL))["access_token"]
        asked = await http.post(
            "/customer/shop/me/accounts/internal/email/change",
            json={"email": EMAIL, "password": PASSWORD, "newEmail": NEW},
            headers=bearer(token),
        )
        assert asked.status_code == 204, asked.text
        key = await key_in(services, NEW, "email")
        answers = await asyncio.gather(
            *(
                client.post(
                    "/customer/shop/me/accounts/internal/email/change/confirm",
                    json={"token": key},
                    headers=bearer(visitor),
                )
                for client in clients
            )
        )
    finally:
        for client in clients:
            await client.aclose()

    assert sorted(answer.status_code for answer in answers)[0] == 204
    assert [answer.status_code for answer in answers].count(204) == 1


async def test_a_reset_key_of_one_tenant_does_nothing_on_another(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    shop: Tenant,
    outlet: Tenant,
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    await created_with_password(http, make_client, store, EMAIL)
    visitor = await visitor_token(http, services, store)
    other = await visitor_token(http, services, outlet)
    asked = await http.post(
        "/customer/shop/password/reset", json={"email": EMAIL}, headers=bearer(visitor)
    )
    assert asked.status_code == 204
    key = await key_in(services, EMAIL, "reset")

    elsewhere = await http.post(
        "/customer/outlet/password/reset/update",
        json={"token": key, "password": "another-pw-3"},
        headers=bearer(other),
    )
    here = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": key, "password": "another-pw-3"},
        headers=bearer(visitor),
    )
    again = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": key, "password": "another-pw-4"},
        headers=bearer(visitor),
    )

    assert (elsewhere.status_code, here.status_code, again.status_code) == (400, 204, 400)


async def test_a_deletion_key_is_the_owners_only(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, shop: Tenant
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    await created_with_password(http, make_client, store, EMAIL)
    await created_with_password(http, make_client, store, NEW)
    visitor = await visitor_token(http, services, store)
    owner = (await logged_in(http, store, visitor, EMAIL))["access_token"]
    intruder = (await logged_in(http, store, visitor, NEW))["access_token"]
    asked = await http.delete("/customer/shop/me", headers=bearer(owner))
    assert asked.status_code == 202
    (mail,) = [m for m in await services.outbox.recent(recipient=EMAIL) if "delet" in m.body]
    found = re.search(r"[?&](?:t|token)=([A-Za-z0-9_.%-]+)", mail.body)
    assert found is not None, mail.body
    key = found.group(1)

    stolen = await http.delete("/customer/shop/me", params={"token": key}, headers=bearer(intruder))
    own = await http.delete("/customer/shop/me", params={"token": key}, headers=bearer(owner))

    assert (stolen.status_code, own.status_code) == (400, 204)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/customer/shop/password/reset", {"email": "{email}"}),
        ("/customer/shop/signup/optin/refresh_token", {"email": "{email}"}),
    ],
)
async def test_known_and_unknown_addresses_answer_alike(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    shop: Tenant,
    path: str,
    body: dict[str, str],
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": True, **LINKS}
    )
    visitor = await visitor_token(http, services, store)
    signed = await http.post(
        "/customer/shop/signup",
        json={"email": EMAIL, "password": PASSWORD},
        headers=bearer(visitor),
    )
    assert signed.status_code == 201

    def sent(email: str) -> dict[str, str]:
        return {k: v.format(email=email) for k, v in body.items()}

    known = await http.post(path, json=sent(EMAIL), headers=bearer(visitor))
    unknown = await http.post(path, json=sent("nobody@example.com"), headers=bearer(visitor))

    assert (known.status_code, known.content, dict(known.headers)) == (
        unknown.status_code,
        unknown.content,
        dict(unknown.headers),
    )


async def test_a_new_email_spends_the_keys_mailed_to_the_old_one(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, shop: Tenant
) -> None:
    """Whoever still reads the old mailbox cannot reset the password once the account
    moved to the new one."""
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    await created_with_password(http, make_client, store, EMAIL)
    visitor = await visitor_token(http, services, store)
    token = (await logged_in(http, store, visitor, EMAIL))["access_token"]
    reset = await http.post(
        "/customer/shop/password/reset", json={"email": EMAIL}, headers=bearer(visitor)
    )
    assert reset.status_code == 204
    old_key = await key_in(services, EMAIL, "reset")
    asked = await http.post(
        "/customer/shop/me/accounts/internal/email/change",
        json={"email": EMAIL, "password": PASSWORD, "newEmail": NEW},
        headers=bearer(token),
    )
    assert asked.status_code == 204
    confirmed = await http.post(
        "/customer/shop/me/accounts/internal/email/change/confirm",
        json={"token": await key_in(services, NEW, "email")},
        headers=bearer(visitor),
    )
    assert confirmed.status_code == 204

    used = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": old_key, "password": "taken-over-9"},
        headers=bearer(visitor),
    )

    assert used.status_code == 400


async def test_a_password_reset_spends_a_pending_email_change(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, shop: Tenant
) -> None:
    """An intruder who knew the password asked to move the account to their mailbox;
    the owner, warned by the notice, resets the password: the intruder's key is void."""
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    await created_with_password(http, make_client, store, EMAIL)
    visitor = await visitor_token(http, services, store)
    intruder = (await logged_in(http, store, visitor, EMAIL))["access_token"]
    asked = await http.post(
        "/customer/shop/me/accounts/internal/email/change",
        json={"email": EMAIL, "password": PASSWORD, "newEmail": NEW},
        headers=bearer(intruder),
    )
    assert asked.status_code == 204
    intruders_key = await key_in(services, NEW, "email")
    reset = await http.post(
        "/customer/shop/password/reset", json={"email": EMAIL}, headers=bearer(visitor)
    )
    assert reset.status_code == 204
    restored = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": await key_in(services, EMAIL, "reset"), "password": "owners-pw-7"},
        headers=bearer(visitor),
    )
    assert restored.status_code == 204

    confirmed = await http.post(
        "/customer/shop/me/accounts/internal/email/change/confirm",
        json={"token": intruders_key},
        headers=bearer(visitor),
    )

    assert confirmed.status_code == 400


async def test_keys_and_refresh_tokens_of_one_tenant_open_nothing_on_another(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    shop: Tenant,
    outlet: Tenant,
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": True, **LINKS}
    )
    visitor = await visitor_token(http, services, store)
    other = await visitor_token(http, services, outlet)
    signed = await http.post(
        "/customer/shop/signup",
        json={"email": EMAIL, "password": PASSWORD},
        headers=bearer(visitor),
    )
    assert signed.status_code == 201
    key = await key_in(services, EMAIL, "optin")

    elsewhere = await http.get(f"/customer/outlet/signup/optin/{key}", headers=bearer(other))
    here = await http.get(f"/customer/shop/signup/optin/{key}", headers=bearer(visitor))
    assert (elsewhere.status_code, here.status_code) == (400, 200)
    refreshed = await http.get(
        "/customer/outlet/refreshauthtoken",
        params={"refreshToken": here.json()["refresh_token"]},
        headers=bearer(other),
    )
    assert refreshed.status_code in (400, 401)


async def test_an_email_change_answers_alike_for_a_taken_address(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, shop: Tenant
) -> None:
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    await created_with_password(http, make_client, store, EMAIL)
    await created_with_password(http, make_client, store, NEW)
    visitor = await visitor_token(http, services, store)
    token = (await logged_in(http, store, visitor, EMAIL))["access_token"]

    async def ask(new: str) -> httpx.Response:
        return await http.post(
            "/customer/shop/me/accounts/internal/email/change",
            json={"email": EMAIL, "password": PASSWORD, "newEmail": new},
            headers=bearer(token),
        )

    taken, free = await ask(NEW), await ask("free@example.com")

    assert (taken.status_code, taken.content) == (free.status_code, free.content) == (204, b"")


async def test_an_email_changed_by_the_back_office_spends_the_old_mailboxs_keys(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, shop: Tenant
) -> None:
    """The same rule whichever writer moves the account (here Emporix' tenant-managed
    PATCH; Aimeos' and Glue's profile edits go through the same core write)."""
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False, **LINKS}
    )
    number = await created_with_password(http, make_client, store, EMAIL)
    visitor = await visitor_token(http, services, store)
    reset = await http.post(
        "/customer/shop/password/reset", json={"email": EMAIL}, headers=bearer(visitor)
    )
    assert reset.status_code == 204
    old_key = await key_in(services, EMAIL, "reset")
    admin = bearer(await token_for(http, await make_client(store)))
    moved = await http.patch(
        f"/customer/shop/customers/{number}", json={"contactEmail": NEW}, headers=admin
    )
    assert moved.status_code == 200

    used = await http.post(
        "/customer/shop/password/reset/update",
        json={"token": old_key, "password": "taken-over-9"},
        headers=bearer(visitor),
    )

    assert used.status_code == 400
