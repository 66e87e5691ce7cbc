"""`POST /emporix/oauth/token` and the checks every tenant-managed request passes: the
token (401), the tenant in the path (400), the operation's scopes (403)."""

from __future__ import annotations

import base64

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.conftest import FrozenClock, registration_for
from tests.dialects.emporix.helpers import MakeClient, bearer, emporix_http, token_for

INVALID_TOKEN = {
    "fault": {
        "faultstring": "Invalid access token",
        "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
    }
}
TENANT_INVALID = {
    "type": "bad_request",
    "status": 400,
    "message": "The tenant information provided with the request is not valid.",
}
FORBIDDEN = {"type": "Forbidden", "status": 403, "message": "User not authorized."}


async def registered(services: Services, tenant: Tenant, email: str) -> str:
    customer = await services.core.accounts.register(tenant, registration_for(email))
    return customer.customer_number


async def test_client_credentials_give_a_token_of_the_clients_tenant_and_scopes(
    http: httpx.AsyncClient, shop: Tenant, make_client: MakeClient
) -> None:
    client = await make_client(shop, ["customer.customer_read--DE", "customer.customer_manage"])
    answer = await http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": client.secret,
        },
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] > 0
    assert body["scope"] == "customer.customer_manage customer.customer_read--DE tenant=shop"
    assert answer.headers["cache-control"] == "no-store"


async def test_http_basic_credentials_and_a_narrower_scope(
    http: httpx.AsyncClient, shop: Tenant, make_client: MakeClient
) -> None:
    client = await make_client(shop)
    basic = base64.b64encode(f"{client.client_id}:{client.secret}".encode()).decode()
    answer = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "customer.customer_read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert answer.status_code == 200
    assert answer.json()["scope"] == "customer.customer_read tenant=shop"


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "client_secret": "x"}, 401, "invalid_client"),
        ({"grant_type": "client_credentials", "scope": "order.order_read"}, 400, "invalid_scope"),
    ],
)
async def test_token_requests_refused_in_the_gateways_words(
    http: httpx.AsyncClient,
    shop: Tenant,
    make_client: MakeClient,
    form: dict[str, str],
    status: int,
    code: str,
) -> None:
    client = await make_client(shop)
    if form.get("client_secret") is None and "scope" in form:
        form = {**form, "client_id": client.client_id, "client_secret": client.secret}
    answer = await http.post("/oauth/token", data=form)
    assert answer.status_code == status
    assert answer.json()["ErrorCode"] == code


async def test_a_wrong_secret_or_a_scope_the_client_lacks_is_refused(
    http: httpx.AsyncClient, shop: Tenant, make_client: MakeClient
) -> None:
    client = await make_client(shop, ["customer.customer_read"])
    wrong = await http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": client.secret + "x",
        },
    )
    assert wrong.status_code == 401
    assert wrong.json() == {
        "ErrorCode": "invalid_client",
        "Error": "Client credentials are invalid",
    }
    more = await http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": client.secret,
            "scope": "customer.customer_manage",
        },
    )
    assert more.status_code == 400
    assert more.json()["ErrorCode"] == "invalid_scope"


async def test_requests_without_a_valid_token_get_the_gateways_401(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    number = await registered(services, shop, "anna@example.com")
    path = f"/customer/shop/customers/{number}"
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}):
        answer = await http.get(path, headers=headers)
        assert answer.status_code == 401
        assert answer.json() == INVALID_TOKEN


async def test_an_expired_token_gets_the_expiry_fault(
    timed_services: Services, settings: Settings, clock: FrozenClock, tenant: Tenant
) -> None:
    shop = await timed_services.core.tenant_admin.create("shop", "Shop", tenant.settings)
    client, secret = await timed_services.core.staff_accounts.create_client(
        shop, name="integration", scopes=["customers:read"]
    )
    async with emporix_http(timed_services, settings) as http:
        form = {
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": secret,
        }
        token = (await http.post("/oauth/token", data=form)).json()["access_token"]
        clock.advance(days=2)
        answer = await http.get("/customer/shop/customers/1", headers=bearer(token))
    assert answer.status_code == 401
    assert answer.json()["fault"]["faultstring"] == "Access Token expired"


async def test_a_token_of_another_tenant_gets_the_documented_400(
    http: httpx.AsyncClient,
    services: Services,
    shop: Tenant,
    outlet: Tenant,
    make_client: MakeClient,
) -> None:
    number = await registered(services, outlet, "otto@example.com")
    token = await token_for(http, await make_client(shop))
    for tenant_code in ("outlet", "nosuchtenant", "UPPER", "ab", "a" * 17):
        answer = await http.get(
            f"/customer/{tenant_code}/customers/{number}", headers=bearer(token)
        )
        assert answer.status_code == 400, tenant_code
        assert answer.json() == TENANT_INVALID


async def test_a_token_without_the_operations_scopes_gets_403(
    http: httpx.AsyncClient, services: Services, shop: Tenant, make_client: MakeClient
) -> None:
    number = await registered(services, shop, "anna@example.com")
    token = await token_for(http, await make_client(shop, ["customer.import_read"]))
    answer = await http.get(f"/customer/shop/customers/{number}", headers=bearer(token))
    assert answer.status_code == 403
    assert answer.json() == FORBIDDEN


async def test_a_restricted_grant_sees_only_its_restriction(
    http: httpx.AsyncClient, services: Services, shop: Tenant, make_client: MakeClient
) -> None:
    number = await registered(services, shop, "anna@example.com")
    token = await token_for(http, await make_client(shop, ["customer.customer_read--DE"]))
    answer = await http.get(f"/customer/shop/customers/{number}", headers=bearer(token))
    assert answer.status_code == 404  # no restriction: beyond a DE-only grant
    plain = await token_for(http, await make_client(shop, ["customer.customer_read"]))
    seen = await http.get(f"/customer/shop/customers/{number}", headers=bearer(plain))
    assert seen.status_code == 200
    assert seen.json()["customerNumber"] == number


async def test_a_token_may_be_asked_for_less_than_the_client_holds(
    http: httpx.AsyncClient, services: Services, shop: Tenant, make_client: MakeClient
) -> None:
    number = await registered(services, shop, "anna@example.com")  # no restriction
    client = await make_client(shop, ["customer.customer_read"])
    form = {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": client.secret,
        "scope": "customer.customer_read--DE",
    }
    answer = await http.post("/oauth/token", data=form)
    assert answer.status_code == 200
    assert answer.json()["scope"] == "customer.customer_read--DE tenant=shop"
    narrowed = bearer(answer.json()["access_token"])
    seen = await http.get(f"/customer/shop/customers/{number}", headers=narrowed)
    assert seen.status_code == 404  # the token reaches DE customers only
    wider = {**form, "scope": "customer.customer_manage"}
    assert (await http.post("/oauth/token", data=wider)).status_code == 400


async def test_wrong_secrets_from_one_address_do_not_lock_the_client_out_elsewhere(
    services: Services, settings: Settings, shop: Tenant, make_client: MakeClient
) -> None:
    client = await make_client(shop)
    form = {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": "wrong",
    }
    async with emporix_http(services, settings) as attacker:
        statuses = [(await attacker.post("/oauth/token", data=form)).status_code for _ in range(30)]
    assert statuses[0] == 401 and statuses[-1] == 429  # the attacker's address is blocked
    async with emporix_http(services, settings, peer="198.51.100.23") as own:
        answer = await own.post("/oauth/token", data={**form, "client_secret": client.secret})
    assert answer.status_code == 200  # the integration, from its own address, is not


@pytest.mark.parametrize("length", ["abc", "12x"])
async def test_a_token_request_with_a_broken_content_length_reads_as_no_form(
    http: httpx.AsyncClient, length: str
) -> None:
    """A Content-Length that is no length reads as no form: the gateway's answer to a
    request without one, never the catch-all's 500."""
    answer = await http.post(
        "/oauth/token",
        content=b"grant_type=client_credentials",
        headers={"content-type": "application/x-www-form-urlencoded", "content-length": length},
    )
    no_form = await http.post("/oauth/token")
    assert no_form.status_code < 500
    assert (answer.status_code, answer.json()) == (no_form.status_code, no_form.json())
