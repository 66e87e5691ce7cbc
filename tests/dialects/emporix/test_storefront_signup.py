"""The storefront's sign-up and double opt-in: 201 `{id}`, 409 for a taken email, the
activation mail through the outbox where the tenant wants confirmation, opt-in that logs
in, a re-send that tells nobody whether the email exists."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.aimeos.helpers import AimeosBrowser
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http, token_for
from tests.dialects.emporix.storefront_helpers import (
    anonymous,
    login_answer,
    storefront_client_id,
)

EMAIL = "john.doe@example.com"
PASSWORD = "sign-up-pw-1"
OPT_IN_LINK = "https://shop.example/optin?t={token}"
JOHN = {
    "email": EMAIL,
    "password": PASSWORD,
    "customerDetails": {
        "contactEmail": EMAIL,
        "firstName": "John",
        "lastName": "Doe",
        "preferredSite": "DE",
        "restriction": "PL",
    },
    "customerAddress": {
        "contactName": "John Doe",
        "street": "Platz der Republik",
        "zipCode": "11011",
        "city": "Berlin",
        "country": "DE",
    },
}


async def tenant_with(services: Services, code: str, *, opt_in: bool) -> Tenant:
    return await services.core.tenant_admin.change_settings(
        code, {"confirmation_required": opt_in, "confirmation_link": OPT_IN_LINK}
    )


@pytest.fixture
def store_settings() -> dict[str, Any]:
    """Without double opt-in: a signed-up customer logs in at once."""
    return {"confirmation_required": False, "confirmation_link": OPT_IN_LINK}


async def visitor_of(http: httpx.AsyncClient, services: Services, tenant: Tenant) -> dict[str, Any]:
    return await anonymous(http, tenant, await storefront_client_id(services, tenant))


async def sign_up(
    http: httpx.AsyncClient, tenant: Tenant, visitor: str, body: dict[str, Any]
) -> httpx.Response:
    return await http.post(f"/customer/{tenant.code}/signup", json=body, headers=bearer(visitor))


async def opt_in_keys(services: Services, email: str) -> list[str]:
    """The keys of the activation mails sent to `email`, newest first."""
    mails = await services.outbox.recent(recipient=email)
    return [
        found.group(1)
        for mail in mails
        if (found := re.search(r"https://shop\.example/optin\?t=([A-Za-z0-9_-]+)", mail.body))
    ]


async def test_a_sign_up_creates_the_customer_with_details_and_address(
    http: httpx.AsyncClient, services: Services, store: Tenant, make_client: MakeClient
) -> None:
    visitor = (await visitor_of(http, services, store))["access_token"]

    created = await sign_up(http, store, visitor, JOHN)
    again = await sign_up(http, store, visitor, {**JOHN, "email": "John.Doe@example.com"})

    assert created.status_code == 201, created.text
    number = created.json()["id"]
    assert again.status_code == 409
    assert again.json() == {
        "type": "conflict_resource",
        "status": 409,
        "message": "Duplicate account 'John.Doe@example.com' for tenant 'shop'.",
    }
    login = await login_answer(http, store, visitor, EMAIL, PASSWORD)
    assert login.status_code == 200, login.text
    me = await http.get(
        "/customer/shop/me?expand=addresses", headers=bearer(login.json()["access_token"])
    )
    profile = me.json()
    assert profile["id"] == number
    assert (profile["firstName"], profile["preferredSite"]) == ("John", "DE")
    assert [a["city"] for a in profile["addresses"]] == ["Berlin"]
    service = bearer(await token_for(http, await make_client(store)))
    seller = (await http.get(f"/customer/shop/customers/{number}", headers=service)).json()
    assert seller.get("restriction") is None  # the back office's to set


async def test_a_sign_up_refuses_a_contact_email_other_than_its_email_and_bad_bodies(
    http: httpx.AsyncClient, services: Services, store: Tenant
) -> None:
    visitor = (await visitor_of(http, services, store))["access_token"]
    other_contact = {**JOHN, "customerDetails": {"contactEmail": "other@example.com"}}
    bad_login = {**JOHN, "signup": {"email": "not an email", "password": PASSWORD}}

    answers = [
        await sign_up(http, store, visitor, bad_login),
        await sign_up(http, store, visitor, other_contact),
        await sign_up(http, store, visitor, {"email": EMAIL}),
        await sign_up(http, store, visitor, {**JOHN, "customerAddress": {"city": "Berlin"}}),
    ]
    no_token = await http.post("/customer/shop/signup", json=JOHN)

    assert [a.status_code for a in answers] == [400] * 4
    assert all(a.json()["type"] == "validation_failure" for a in answers)
    assert no_token.status_code == 401
    assert (await login_answer(http, store, visitor, EMAIL, PASSWORD)).status_code == 401


async def test_double_opt_in_mails_a_link_that_activates_and_logs_in_once(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    store = await tenant_with(services, "shop", opt_in=True)
    visitor = await visitor_of(http, services, store)
    token = visitor["access_token"]

    created = await sign_up(http, store, token, JOHN)
    before = await login_answer(http, store, token, EMAIL, PASSWORD)
    [key] = await opt_in_keys(services, EMAIL)
    opted_in = await http.get(f"/customer/shop/signup/optin/{key}", headers=bearer(token))
    again = await http.get(f"/customer/shop/signup/optin/{key}", headers=bearer(token))

    assert created.status_code == 201, created.text
    assert before.status_code == 401
    assert opted_in.status_code == 200, opted_in.text
    tokens = opted_in.json()
    assert tokens["session_id"] == visitor["sessionId"]
    assert tokens["saas_token"] == tokens["accessToken"] == tokens["access_token"]
    valid = await http.get(
        "/customer/shop/validateauthtoken", headers=bearer(tokens["access_token"])
    )
    assert valid.json()["email"] == EMAIL
    assert again.status_code == 400
    assert (await login_answer(http, store, token, EMAIL, PASSWORD)).status_code == 200


async def test_a_resend_answers_alike_and_mails_only_an_unconfirmed_account(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    store = await tenant_with(services, "shop", opt_in=True)
    token = (await visitor_of(http, services, store))["access_token"]
    await sign_up(http, store, token, JOHN)
    [first] = await opt_in_keys(services, EMAIL)

    async def resend(email: str) -> httpx.Response:
        return await http.post(
            "/customer/shop/signup/optin/refresh_token",
            json={"email": email},
            headers=bearer(token),
        )

    known = await resend(EMAIL)
    unknown = await resend("nobody@example.com")

    assert (known.status_code, known.content) == (202, b"")
    assert (unknown.status_code, unknown.content) == (202, b"")
    assert await services.outbox.recent(recipient="nobody@example.com") == []
    keys = await opt_in_keys(services, EMAIL)
    assert len(keys) == 2 and first in keys
    latest = next(key for key in keys if key != first)
    stale = await http.get(f"/customer/shop/signup/optin/{first}", headers=bearer(token))
    fresh = await http.get(f"/customer/shop/signup/optin/{latest}", headers=bearer(token))
    assert stale.status_code == 400  # a new link spends the older ones
    assert fresh.status_code == 200, fresh.text
    confirmed = await resend(EMAIL)
    assert confirmed.status_code == 202
    assert len(await opt_in_keys(services, EMAIL)) == 2  # a confirmed account gets none


async def test_signed_up_here_and_opted_in_logs_in_through_every_dialect(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    """Glue, Medusa and Aimeos serve the default tenant."""
    default = await tenant_with(services, "default", opt_in=True)
    async with emporix_http(services, settings) as http:
        token = (await visitor_of(http, services, default))["access_token"]
        created = await sign_up(http, default, token, JOHN)
        assert created.status_code == 201, created.text
        [key] = await opt_in_keys(services, EMAIL)
        opted_in = await http.get(f"/customer/default/signup/optin/{key}", headers=bearer(token))
        assert opted_in.status_code == 200, opted_in.text

    glue = await client.post(
        "/glue/access-tokens",
        json={
            "data": {
                "type": "access-tokens",
                "attributes": {"username": EMAIL, "password": PASSWORD},
            }
        },
    )
    medusa = await client.post("/medusa/store/auth", json={"email": EMAIL, "password": PASSWORD})
    aimeos = await AimeosBrowser(client).login(EMAIL, PASSWORD)

    assert glue.status_code == 201, glue.text
    assert medusa.status_code == 200, medusa.text
    assert aimeos.status_code == 200, aimeos.text


CONTACT = "john.doe@example.com"
LOGIN = "john.login@example.com"
LOGIN_PASSWORD = "login-pw-22"
WITH_CREDENTIALS = {**JOHN, "signup": {"email": LOGIN, "password": LOGIN_PASSWORD}}


async def glue_login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    attributes = {"username": email, "password": password}
    return await client.post(
        "/glue/access-tokens", json={"data": {"type": "access-tokens", "attributes": attributes}}
    )


async def test_signup_credentials_are_the_login_everywhere_and_email_stays_the_contact(
    client: httpx.AsyncClient, services: Services, settings: Settings, make_client: MakeClient
) -> None:
    """Reference 4.2: `signup` is "to log in with a different email than the main contact
    email". Glue, Medusa and Aimeos serve the default tenant."""
    default = await tenant_with(services, "default", opt_in=True)
    async with emporix_http(services, settings) as http:
        token = (await visitor_of(http, services, default))["access_token"]
        created = await sign_up(http, default, token, WITH_CREDENTIALS)
        assert created.status_code == 201, created.text
        number = created.json()["id"]
        assert await opt_in_keys(services, CONTACT) == []  # the account's mail: to the login
        [key] = await opt_in_keys(services, LOGIN)
        opted_in = await http.get(f"/customer/default/signup/optin/{key}", headers=bearer(token))
        assert opted_in.status_code == 200, opted_in.text
        assert opted_in.json()["initialPassword"] == "false"  # the customer chose it
        refused = [
            await login_answer(http, default, token, CONTACT, LOGIN_PASSWORD),
            await login_answer(http, default, token, LOGIN, PASSWORD),
        ]
        login = await login_answer(http, default, token, LOGIN, LOGIN_PASSWORD)
        assert login.status_code == 200, login.text
        me = (
            await http.get("/customer/default/me", headers=bearer(login.json()["access_token"]))
        ).json()
        service = bearer(await token_for(http, await make_client(default)))

        async def found(q: str) -> list[str]:
            listed = await http.get("/customer/default/customers", params={"q": q}, headers=service)
            assert listed.status_code == 200, listed.text
            return [customer["id"] for customer in listed.json()]

        by_contact = await found(f"contactEmail:{CONTACT.upper()}")
        by_login_as_contact = await found(f"contactEmail:{LOGIN}")
        by_login = await found(f"email:{LOGIN}")
        same_login = await sign_up(
            http,
            default,
            token,
            {**WITH_CREDENTIALS, "signup": {"email": LOGIN.upper(), "password": LOGIN_PASSWORD}},
        )
        contact_as_login = await sign_up(http, default, token, JOHN)  # contacts need not be unique

    assert [answer.status_code for answer in refused] == [401, 401]
    assert (me["contactEmail"], me["accounts"]) == (CONTACT, [{"id": LOGIN}])
    assert (by_contact, by_login_as_contact, by_login) == ([number], [], [number])
    assert same_login.status_code == 409
    assert (
        same_login.json()["message"] == f"Duplicate account '{LOGIN.upper()}' for tenant 'default'."
    )
    assert contact_as_login.status_code == 201, contact_as_login.text
    glue = await glue_login(client, LOGIN, LOGIN_PASSWORD)
    medusa = await client.post(
        "/medusa/store/auth", json={"email": LOGIN, "password": LOGIN_PASSWORD}
    )
    aimeos = await AimeosBrowser(client).login(LOGIN, LOGIN_PASSWORD)
    assert glue.status_code == 201, glue.text
    assert glue.json()["data"]["attributes"]["accessToken"]
    assert medusa.status_code == 200, medusa.text
    assert medusa.json()["customer"]["email"] == LOGIN
    assert aimeos.status_code == 200, aimeos.text
