"""The worlds the pool tests send their writes into, one per API: a client of the app,
signed in as that API's clients sign in, and the ids and keys its routes' paths and bodies
name. Each is built through the API itself (or the core, as another dialect would), on
whatever pool the services were given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from patron.core.domain.tenants import TenantSettings
from patron.dialects.emporix.scopes import to_core
from patron.services import Services
from patron.settings import Settings
from tests.conftest import registration_for
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser
from tests.dialects.glue import helpers as glue_helpers
from tests.helpers import dialect_client
from tests.outbox import CONFIRMATION, PASSWORD_RESET, mailed_key

PASSWORD = "Initial-pw-1"
"""Every stage's customers' password (strong enough for any tenant's policy)."""
LINK = "https://shop.example/go?token={token}"
BERLIN = {"contactName": "John Doe", "city": "Berlin", "country": "DE", "zipCode": "11011"}
EMPORIX_SCOPES = (
    "customer.customer_read",
    "customer.customer_manage",
    "customer.import_read",
    "customer.import_manage",
)


@dataclass
class Stage:
    """`http` sends to `root` + a route's path; `names` fill the paths' `{...}` fields and
    the bodies; `auth` holds the headers of each kind of caller the API has."""

    http: httpx.AsyncClient
    root: str
    names: dict[str, str] = field(default_factory=dict)
    auth: dict[str, dict[str, str]] = field(default_factory=dict)
    browser: AimeosBrowser | None = None


Prepare = Callable[[Services, Settings], Awaitable[Stage]]


def client(
    services: Services, settings: Settings, mount: str = "", headers: dict[str, str] | None = None
) -> httpx.AsyncClient:
    return dialect_client(
        services, settings, mount, peer="198.51.100.7", headers=headers, timeout=60
    )


async def registered(
    services: Services, email: str, tenant_code: str = "default", *, confirmation: bool = False
) -> None:
    """A customer with `PASSWORD`, registered through the core as another dialect would."""
    tenant = await services.core.tenants.get(tenant_code)
    registration = registration_for(email, PASSWORD)
    await services.core.accounts.register(tenant, registration, send_confirmation=confirmation)


def ok(answer: httpx.Response, *statuses: int) -> Any:
    assert answer.status_code in statuses, f"{answer.request.url}: {answer.text}"
    return answer.json() if answer.content else None


# --- Glue ---------------------------------------------------------------------------------


async def glue(services: Services, settings: Settings) -> Stage:
    http = client(services, settings, headers={"Accept": glue_helpers.JSON_API})
    pool = services.pool
    email = "sonia@example.com"
    reference, tokens = await glue_helpers.signed_up(http, pool, email)
    auth = glue_helpers.bearer(tokens)
    address = ok(
        await http.post(
            f"/glue/customers/{reference}/addresses",
            json=glue_helpers.document(
                "addresses",
                salutation="Mrs",
                firstName="Sonia",
                lastName="Wagner",
                address1="Julie-Wolfthorn-Strasse",
                address2="1",
                zipCode="10115",
                city="Berlin",
                iso2Code="DE",
            ),
            headers=auth,
        ),
        201,
    )["data"]["id"]
    await glue_helpers.register(http, "unconfirmed@example.com")
    confirmation = await mailed_key(pool, "unconfirmed@example.com", CONFIRMATION)
    ok(
        await http.post(
            "/glue/customer-forgotten-password",
            json=glue_helpers.document("customer-forgotten-password", email=email),
        ),
        204,
    )
    tenant = await services.core.tenants.get("default")
    await services.core.availability.set_availability(tenant, "sku-1", available=False)
    subscription = ok(
        await http.post(
            "/glue/availability-notifications",
            json=glue_helpers.document("availability-notifications", sku="sku-1", email=email),
        ),
        201,
    )["data"]["id"]
    return Stage(
        http,
        "/glue",
        {
            "email": email,
            "customer_reference": reference,
            "address_uuid": address,
            "refresh_token": tokens["refreshToken"],
            "restore_password_key": await mailed_key(pool, email, PASSWORD_RESET),
            "confirmation_key": confirmation,
            "subscription_key": subscription,
        },
        {"customer": auth, "none": {}},
    )


# --- Medusa -------------------------------------------------------------------------------

MEDUSA_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
MEDUSA_ADDRESS = {
    "first_name": "Sam", "last_name": "Shop", "address_1": "1 Main St", "city": "Berlin",
    "country_code": "de", "postal_code": "10115",
}  # fmt: skip


async def medusa_store(services: Services, settings: Settings) -> Stage:
    http = client(services, settings, "/medusa", MEDUSA_HEADERS)
    email = "shopper@example.com"
    body = {"email": email, "password": PASSWORD, "first_name": "Sam", "last_name": "Shop"}
    ok(await http.post("/store/customers", json=body), 200)
    http.cookies.clear()  # a Bearer token from here on, as clients without cookies send
    token = ok(
        await http.post("/store/auth/token", json={"email": email, "password": PASSWORD}), 200
    )["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    customer = ok(
        await http.post(
            "/store/customers/me/addresses", json={"address": MEDUSA_ADDRESS}, headers=auth
        ),
        200,
    )["customer"]
    ok(await http.post("/store/customers/password-token", json={"email": email}), 204)
    return Stage(
        http,
        "",
        {
            "email": email,
            "address_id": customer["shipping_addresses"][0]["id"],
            "reset_token": await mailed_key(services.pool, email, PASSWORD_RESET),
        },
        {"customer": auth, "none": {}},
    )


async def medusa_admin(services: Services, settings: Settings) -> Stage:
    tenant = await services.core.tenants.get("default")
    await services.core.staff_accounts.create_user(
        tenant, email="admin@example.com", password=PASSWORD, first_name="Ada"
    )
    api_token = await services.core.staff_accounts.issue_api_token(tenant, "admin@example.com")
    auth = {"x-medusa-access-token": api_token}
    http = client(services, settings, "/medusa", MEDUSA_HEADERS)
    customer = ok(
        await http.post(
            "/admin/customers",
            json={
                "email": "lebron@example.com",
                "password": PASSWORD,
                "first_name": "Lebron",
                "last_name": "James",
            },
            headers=auth,
        ),
        201,
    )["customer"]
    group = ok(await http.post("/admin/customer-groups", json={"name": "VIP"}, headers=auth), 200)
    return Stage(
        http,
        "",
        {"customer_id": customer["id"], "group_id": group["customer_group"]["id"]},
        {"admin": auth, "none": {}},
    )


# --- Aimeos -------------------------------------------------------------------------------


async def aimeos(services: Services, settings: Settings) -> Stage:
    http = client(services, settings)
    browser = AimeosBrowser(http)
    await registered(services, "sonia@example.com")
    ok(await browser.login("sonia@example.com", PASSWORD), 200)

    async def added(related: str, attributes: dict[str, str]) -> str:
        answer = await browser.write(
            "POST", CUSTOMER, {"data": [{"attributes": attributes}]}, {"related": related}
        )
        data = ok(answer, 201)["data"]
        return str(data[-1]["id"])

    return Stage(
        http,
        "/jsonapi",
        {
            "address_id": await added(
                "address",
                {"customer.address.lastname": "Wagner", "customer.address.city": "Berlin"},
            ),
            "property_id": await added(
                "property", {"customer.property.type": "newsletter", "customer.property.value": "1"}
            ),
            "list_id": await added(
                "relationships",
                {
                    "customer.lists.domain": "product",
                    "customer.lists.type": "favorite",
                    "customer.lists.refid": "1",
                },
            ),
        },
        {"customer": {}},
        browser,
    )


# --- Emporix ------------------------------------------------------------------------------


async def emporix_tenant(services: Services, settings: Settings) -> Stage:
    """An integration's service client of the tenant `shop`, a customer with an address."""
    tenant = await services.core.tenant_admin.create(
        "shop", "Shop", TenantSettings(reference_pattern="{n}")
    )
    http = client(services, settings, "/emporix")
    granted = [core for name in EMPORIX_SCOPES if (core := to_core(name)) is not None]
    created, secret = await services.core.staff_accounts.create_client(
        tenant, name="integration", scopes=granted
    )
    form = {
        "grant_type": "client_credentials",
        "client_id": created.client_id,
        "client_secret": secret,
    }
    token = ok(await http.post("/oauth/token", data=form), 200)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    number = ok(
        await http.post(
            "/customer/shop/customers?sendPasswordResetNotifications=false",
            json={"contactEmail": "john@example.com", "firstName": "John"},
            headers=auth,
        ),
        201,
    )["id"]
    address = ok(
        await http.post(f"/customer/shop/customers/{number}/addresses", json=BERLIN, headers=auth),
        201,
    )["id"]
    return Stage(
        http,
        "",
        {
            "tenant": "shop",
            "customerNumber": number,
            "addressId": address,
            "client_id": created.client_id,
            "client_secret": secret,
        },
        {"service": auth, "none": {}},
    )


async def emporix_storefront(services: Services, settings: Settings) -> Stage:
    """A storefront's anonymous token and a logged-in customer of `shop`, with an address
    and every mailed key its routes take."""
    tenant = await services.core.tenant_admin.create(
        "shop",
        "Shop",
        TenantSettings(
            reference_pattern="{n}",
            confirmation_required=False,
            confirmation_link=LINK,
            password_reset_link=LINK,
            email_change_link=LINK,
            deletion_link=LINK,
        ),
    )
    http = client(services, settings, "/emporix")
    storefront, _ = await services.core.staff_accounts.create_client(
        tenant, name="storefront", scopes=[]
    )
    visitor = ok(
        await http.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": "shop", "client_id": storefront.client_id},
        ),
        200,
    )["access_token"]
    anonymous = {"Authorization": f"Bearer {visitor}"}
    email = "john@example.com"
    await registered(services, email, "shop")
    tokens = ok(
        await http.post(
            "/customer/shop/login", json={"email": email, "password": PASSWORD}, headers=anonymous
        ),
        200,
    )
    customer = {"Authorization": f"Bearer {tokens['access_token']}"}
    address = ok(await http.post("/customer/shop/me/addresses", json=BERLIN, headers=customer), 201)
    await registered(services, "unconfirmed@example.com", "shop", confirmation=True)
    ask = {"email": email, "password": PASSWORD, "newEmail": "john@new.example"}
    change = "/customer/shop/me/accounts/internal/email/change"
    ok(await http.post(change, json=ask, headers=customer), 204)
    ok(
        await http.post("/customer/shop/password/reset", json={"email": email}, headers=anonymous),
        204,
    )
    pool = services.pool
    return Stage(
        http,
        "",
        {
            "tenant": "shop",
            "email": email,
            "addressId": address["id"],
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "reset_key": await mailed_key(pool, email, PASSWORD_RESET),
            "email_key": await mailed_key(pool, "john@new.example", "customer_email_change"),
            "token": await mailed_key(pool, "unconfirmed@example.com", CONFIRMATION),
        },
        {"customer": customer, "anonymous": anonymous},
    )


def future(days: int = 30) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


STAGES: dict[str, Prepare] = {
    "glue": glue,
    "medusa store": medusa_store,
    "medusa admin": medusa_admin,
    "aimeos": aimeos,
    "emporix": emporix_tenant,
    "emporix storefront": emporix_storefront,
}
MOUNTS = {
    "glue": "/glue",
    "medusa store": "/medusa",
    "medusa admin": "/medusa",
    "aimeos": "/jsonapi",
    "emporix": "/emporix",
    "emporix storefront": "/emporix",
}
