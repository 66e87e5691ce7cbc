"""`/customer/{tenant}/me`: the storefront's own profile, anonymous or logged in, with
the tenant-managed customer's fields, expansions and version locking."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.helpers import MakeClient, bearer, token_for
from tests.dialects.emporix.storefront_helpers import (
    created_with_password,
    logged_in,
)
from tests.dialects.emporix.test_oauth import TENANT_INVALID

EMAIL = "john.doe@example.com"
ME = "/customer/shop/me"
INVALID_TOKEN = {
    "fault": {
        "faultstring": "Invalid access token",
        "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
    }
}


@pytest.fixture
async def service(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant
) -> dict[str, str]:
    return bearer(await token_for(http, await make_client(store)))


async def customer_token(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> tuple[str, dict[str, str]]:
    number = await created_with_password(
        http,
        make_client,
        store,
        EMAIL,
        firstName="John",
        lastName="Doe",
        preferredSite="DE",
        mixins={"loyalty": {"tier": "gold"}},
    )
    tokens = await logged_in(http, store, visitor, EMAIL)
    return number, bearer(tokens["access_token"])


async def me(http: httpx.AsyncClient, auth: dict[str, str], **params: str) -> dict[str, Any]:
    answer = await http.get(ME, params=params, headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_an_anonymous_token_reads_the_anonymous_customer(
    http: httpx.AsyncClient, visitor: str
) -> None:
    body = await me(http, bearer(visitor), expand="addresses,mixin:*")

    assert body == {
        "firstName": "Anonymous",
        "lastName": "Anonymous",
        "preferredSite": "default",
        "customerNumber": "00000000",
        "id": "00000000",
        "accounts": [],
    }


async def test_a_customer_reads_the_own_profile_with_accounts_and_expansions(
    http: httpx.AsyncClient,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
    service: dict[str, str],
) -> None:
    number, auth = await customer_token(http, make_client, store, visitor)
    added = await http.post(
        f"/customer/shop/customers/{number}/addresses",
        json={
            "contactName": "John Doe",
            "street": "Main",
            "zipCode": "10115",
            "city": "Berlin",
            "country": "DE",
            "tags": ["BILLING"],
            "isDefault": True,
        },
        headers=service,
    )
    assert added.status_code == 201, added.text

    plain = await me(http, auth)
    expanded = await me(http, auth, expand="addresses,mixin:*")

    assert plain["id"] == plain["customerNumber"] == number
    assert (plain["firstName"], plain["lastName"], plain["contactEmail"]) == ("John", "Doe", EMAIL)
    assert plain["accounts"] == [{"id": EMAIL}]
    assert plain["metadata"]["version"] >= 1
    assert "mixins" not in plain and "addresses" not in plain
    for back_office_only in ("active", "onHold", "restriction"):
        assert back_office_only not in plain
    assert expanded["mixins"] == {"loyalty": {"tier": "gold"}}
    [address] = expanded["addresses"]
    assert address["id"] == added.json()["id"]
    assert expanded["defaultAddress"] == address


async def test_a_patch_changes_the_profile_under_version_locking(
    http: httpx.AsyncClient,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
    service: dict[str, str],
) -> None:
    number, auth = await customer_token(http, make_client, store, visitor)
    version = (await me(http, auth))["metadata"]["version"]

    patched = await http.patch(
        ME,
        json={
            "lastName": "Dough",
            "mixins": {"loyalty": {"points": 5}},
            "metadata": {"version": version},
        },
        headers=auth,
    )
    stale = await http.patch(
        ME, json={"lastName": "Stale", "metadata": {"version": version}}, headers=auth
    )

    assert patched.status_code == 200, patched.text
    assert patched.content == b""
    assert stale.status_code == 409
    assert stale.json() == {
        "status": 409,
        "type": "conflict_resource",
        "message": "Customer update cannot be done. Update version is not valid.",
    }
    now = await me(http, auth, expand="mixin:*")
    assert now["lastName"] == "Dough"
    assert now["mixins"] == {"loyalty": {"tier": "gold", "points": 5}}
    assert now["metadata"]["version"] == version + 1
    seller = await http.get(f"/customer/shop/customers/{number}", headers=service)
    assert seller.json()["lastName"] == "Dough"


async def test_a_customer_sets_its_contact_email_but_not_the_login_nor_the_back_offices_fields(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    visitor: str,
    service: dict[str, str],
) -> None:
    number, auth = await customer_token(http, make_client, store, visitor)

    ignored = await http.patch(
        ME,
        json={"active": False, "onHold": True, "restriction": "PL", "company": "ACME"},
        headers=auth,
    )
    same_email = await http.patch(ME, json={"contactEmail": "JOHN.doe@example.com"}, headers=auth)
    contact = await http.patch(ME, json={"contactEmail": "desk@example.com"}, headers=auth)

    assert ignored.status_code == 200, ignored.text
    assert same_email.status_code == 200, same_email.text
    assert contact.status_code == 200, contact.text
    seller = (
        await http.get(f"/customer/shop/customers/{number}?expand=accounts", headers=service)
    ).json()
    assert (seller["active"], seller["onHold"], seller.get("restriction")) == (True, False, None)
    assert (seller["company"], seller["contactEmail"]) == ("ACME", "desk@example.com")
    assert seller["accounts"] == [{"id": EMAIL}]  # the login moves only by a confirmed change
    assert (await logged_in(http, store, visitor, EMAIL))["access_token"]
    assert await services.outbox.recent(recipient="desk@example.com") == []


async def test_only_the_customers_own_token_patches(
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    store: Tenant,
    outlet: Tenant,
    visitor: str,
    service: dict[str, str],
) -> None:
    _, auth = await customer_token(http, make_client, store, visitor)

    anonymous_patch = await http.patch(ME, json={"lastName": "X"}, headers=bearer(visitor))
    seller_patch = await http.patch(ME, json={"lastName": "X"}, headers=service)
    other_tenant = await http.get("/customer/outlet/me", headers=auth)
    bad_body = await http.patch(ME, json={"firstName": 5}, headers=auth)
    wrong_type = await http.patch(
        ME, content=b"lastName=X", headers={**auth, "Content-Type": "text/plain"}
    )

    assert (anonymous_patch.status_code, anonymous_patch.json()) == (401, INVALID_TOKEN)
    assert (seller_patch.status_code, seller_patch.json()) == (401, INVALID_TOKEN)
    assert (other_tenant.status_code, other_tenant.json()) == (400, TENANT_INVALID)
    assert bad_body.status_code == 400
    assert bad_body.json()["type"] == "validation_failure"
    assert wrong_type.status_code == 400
    assert (await me(http, auth))["lastName"] == "Doe"


async def test_of_concurrent_patches_of_one_version_exactly_one_succeeds(
    http: httpx.AsyncClient, make_client: MakeClient, store: Tenant, visitor: str
) -> None:
    """The storefront's version check is made under the customer's row lock too."""
    _, auth = await customer_token(http, make_client, store, visitor)
    version = (await me(http, auth))["metadata"]["version"]

    answers = await asyncio.gather(
        *(
            http.patch(
                ME, json={"firstName": f"W{i}", "metadata": {"version": version}}, headers=auth
            )
            for i in range(30)
        )
    )

    assert Counter(answer.status_code for answer in answers) == {200: 1, 409: 29}
    (winner,) = [i for i, answer in enumerate(answers) if answer.status_code == 200]
    after = await me(http, auth)
    assert (after["firstName"], after["metadata"]["version"]) == (f"W{winner}", version + 1)
