"""Odd input on every storefront route is a 4xx `ErrorMessage`, never a 500, and
a customer's address ids open nobody else's addresses."""

from __future__ import annotations

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.address_helpers import PLAIN
from tests.dialects.emporix.helpers import MakeClient, bearer
from tests.dialects.emporix.storefront_helpers import (
    created_with_password,
    logged_in,
    visitor_token,
)

EMAIL = "john.doe@example.com"
OTHER = "jane.roe@example.com"
HUGE = "x" * 300_000
BODIES: list[tuple[bytes, str]] = [
    (b"", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"text"', "application/json"),
    (b"{", "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b'{"email": 1, "password": [], "token": {}, "newEmail": true}', "application/json"),
    (
        b'{"email": "a\\u0000@example.com", "password": "pw\\u0000pw-1", "token": "\\u0000",'
        b' "newEmail": "n\\u0000@example.com", "currentPassword": "\\u0000",'
        b' "newPassword": "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000", "firstName": "\\u0000",'
        b' "street": "\\u0000", "country": "\\u0000"}',
        "application/json",
    ),
    (
        (
            '{"email": "%s@example.com", "password": "%s", "token": "%s", "newEmail": "%s",'
            ' "currentPassword": "%s", "newPassword": "%s", "firstName": "%s"}' % ((HUGE,) * 7)
        ).encode(),
        "application/json",
    ),
    (b"[" * 5000 + b"]" * 5000, "application/json"),
    (b'{"email": "a@example.com"}', "text/plain"),
    (b'{"email": "a@example.com"}', "application/x-www-form-urlencoded"),
    (b"\xd8\x00", "application/json; charset=utf-16"),
]
WRITES = [
    ("POST", "/customer/shop/login"),
    ("POST", "/customer/shop/signup"),
    ("POST", "/customer/shop/signup/optin/refresh_token"),
    ("POST", "/customer/shop/password/change"),
    ("POST", "/customer/shop/password/reset"),
    ("POST", "/customer/shop/password/reset/update"),
    ("POST", "/customer/shop/me/accounts/internal/email/change"),
    ("POST", "/customer/shop/me/accounts/internal/email/change/confirm"),
    ("PATCH", "/customer/shop/me"),
    ("POST", "/customer/shop/me/addresses"),
    ("PATCH", "/customer/shop/me/addresses/{address}"),
]


async def customer_token(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, tenant: Tenant, email: str
) -> tuple[str, str]:
    """A visitor token and a logged-in customer's token."""
    await created_with_password(http, make_client, tenant, email)
    visitor = await visitor_token(http, services, tenant)
    token: str = (await logged_in(http, tenant, visitor, email))["access_token"]
    return visitor, token


async def test_odd_bodies_are_refused_cleanly(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, store: Tenant
) -> None:
    """POSTs refuse them all (4xx); a PATCH may also take them as no change (its body
    is optional and unknown fields are ignored, as on the tenant-managed routes)."""
    visitor, token = await customer_token(http, services, make_client, store, EMAIL)
    added = await http.post(
        "/customer/shop/me/addresses",
        json=PLAIN,
        headers=bearer(token),
    )
    assert added.status_code == 201, added.text
    address = added.json()["id"]
    failures = []
    for method, template in WRITES:
        path = template.format(address=address)
        for who in (visitor, token):
            for content, media in BODIES:
                headers = {**bearer(who), "Content-Type": media}
                answer = await http.request(method, path, content=content, headers=headers)
                refused = 400 <= answer.status_code < 500
                if not refused and (method == "POST" or answer.status_code >= 500):
                    failures.append((method, path, content[:60], media, answer.status_code))
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize(
    "query",
    [
        "/customerlogin/auth/anonymous/login?tenant=shop&client_id=%00",
        "/customerlogin/auth/anonymous/login?tenant=sh%00op&client_id=x",
        f"/customerlogin/auth/anonymous/login?tenant=shop&client_id={HUGE[:20000]}",
        "/customerlogin/auth/anonymous/refresh?tenant=shop&client_id=x&refresh_token=pv1.%00.x",
        f"/customerlogin/auth/anonymous/refresh?tenant=shop&client_id=x&refresh_token={HUGE[:20000]}",
        "/customer/shop/signup/optin/%00",
        f"/customer/shop/signup/optin/{HUGE[:20000]}",
        "/customer/shop/logout?accessToken=%00",
        "/customer/shop/logout?accessToken=pv1.e30.x",
        f"/customer/shop/logout?accessToken={HUGE[:20000]}",
        "/customer/shop/refreshauthtoken?refreshToken=%00",
        f"/customer/shop/refreshauthtoken?refreshToken={HUGE[:20000]}",
        "/customer/shop/me/addresses/%00",
        f"/customer/shop/me/addresses/{HUGE[:20000]}",
        "/customer/shop/me?expand=%00",
        f"/customer/shop/me?expand={HUGE[:20000]}",
    ],
)
async def test_odd_parameters_are_refused_cleanly(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, store: Tenant, query: str
) -> None:
    visitor, token = await customer_token(http, services, make_client, store, EMAIL)
    for who in (visitor, token, "pv1.%00", "a.b.c"):
        answer = await http.get(query, headers=bearer(who))
        assert answer.status_code < 500, (who[:10], answer.text)
    deleted = await http.delete("/customer/shop/me?token=%00", headers=bearer(token))
    assert deleted.status_code == 400


async def test_another_customers_address_is_not_found(
    http: httpx.AsyncClient, services: Services, make_client: MakeClient, store: Tenant
) -> None:
    _, mine = await customer_token(http, services, make_client, store, EMAIL)
    _, theirs = await customer_token(http, services, make_client, store, OTHER)
    added = await http.post(
        "/customer/shop/me/addresses",
        json=PLAIN,
        headers=bearer(theirs),
    )
    assert added.status_code == 201
    path = f"/customer/shop/me/addresses/{added.json()['id']}"

    answers = [
        await http.get(path, headers=bearer(mine)),
        await http.patch(path, json={"city": "Y"}, headers=bearer(mine)),
        await http.post(path + "/tags?tags=a", headers=bearer(mine)),
        await http.delete(path, headers=bearer(mine)),
    ]
    kept = await http.get(path, headers=bearer(theirs))

    assert [answer.status_code for answer in answers] == [404] * 4
    assert kept.status_code == 200 and kept.json()["city"] == PLAIN["city"]
