"""One customer's defaults, three vendors' words: a default set through Emporix (tags and
`isDefault`) is Glue's `isDefaultBilling`/`isDefaultShipping` and Medusa's billing
address; one set through Glue is an Emporix tag and `isDefault`."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from patron.services import Services
from tests.clients.medusa.admin import admin_api_token
from tests.dialects.emporix.address_helpers import PLAIN, added, headers, read
from tests.dialects.emporix.conftest import MakeClient
from tests.dialects.glue.helpers import bearer, document, signed_up

EMAIL = "sonia@spryker.com"


async def glue_defaults(
    client: httpx.AsyncClient, reference: str, auth: dict[str, str]
) -> dict[str, tuple[bool, bool]]:
    """Address id -> (isDefaultBilling, isDefaultShipping), as Glue shows them."""
    answer = await client.get(f"/glue/customers/{reference}/addresses", headers=auth)
    assert answer.status_code == 200, answer.text
    return {
        item["id"]: (
            item["attributes"]["isDefaultBilling"],
            item["attributes"]["isDefaultShipping"],
        )
        for item in answer.json()["data"]
    }


async def medusa_customer(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, Any]:
    """The customer as Medusa's admin lists it, with its billing and shipping addresses."""
    answer = await client.get(
        "/medusa/admin/customers",
        params={"q": EMAIL, "expand": "billing_address,shipping_addresses"},
        headers=admin,
    )
    assert answer.status_code == 200, answer.text
    [found] = answer.json()["customers"]
    customer: dict[str, Any] = found
    return customer


async def test_defaults_set_through_emporix_are_glues_and_medusas(
    client: httpx.AsyncClient,
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> None:
    reference, tokens = await signed_up(client, clean_db, EMAIL)
    auth = await headers(http, make_client, await services.core.tenants.get("default"))
    admin = {"x-medusa-access-token": await admin_api_token(services), "Accept": "application/json"}

    def add(body: dict[str, Any]) -> Any:
        return added(http, auth, reference, body, "default")

    plain = await add({**PLAIN, "city": "Plain"})
    billing = await add({**PLAIN, "city": "Billing", "isDefault": True, "tags": ["BILLING"]})
    shipping = await add({**PLAIN, "city": "Shipping", "isDefault": True, "tags": ["SHIPPING"]})

    assert await glue_defaults(client, reference, bearer(tokens)) == {
        plain: (False, False),
        billing: (True, False),
        shipping: (False, True),
    }
    medusa = await medusa_customer(client, admin)
    assert medusa["billing_address"]["city"] == "Billing"
    assert medusa["billing_address_id"] == medusa["billing_address"]["id"]
    assert {a["city"] for a in medusa["shipping_addresses"]} == {"Plain", "Billing", "Shipping"}

    untagged = await http.delete(
        f"/customer/default/customers/{reference}/addresses/{billing}/tags?tags=BILLING",
        headers=auth,
    )
    assert untagged.status_code == 204
    assert (await glue_defaults(client, reference, bearer(tokens)))[billing] == (False, False)
    assert (await medusa_customer(client, admin))["billing_address_id"] is None


async def test_a_default_set_through_glue_is_an_emporix_tag_and_is_default(
    client: httpx.AsyncClient,
    http: httpx.AsyncClient,
    services: Services,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> None:
    reference, tokens = await signed_up(client, clean_db, EMAIL)
    auth = await headers(http, make_client, await services.core.tenants.get("default"))
    address_id = await added(http, auth, reference, {**PLAIN, "tags": ["HQ"]}, "default")
    assert (await read(http, auth, reference, address_id, "default"))["isDefault"] is False

    answer = await client.patch(
        f"/glue/customers/{reference}/addresses/{address_id}",
        json=document("addresses", isDefaultBilling=True),
        headers=bearer(tokens),
    )

    assert answer.status_code == 200, answer.text
    shown = await read(http, auth, reference, address_id, "default")
    assert (shown["isDefault"], shown["tags"]) == (True, ["HQ", "BILLING"])
