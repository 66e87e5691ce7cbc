"""Emporix' one default address (reference 3.2) over the core's default billing and
shipping flags: whichever write asks, tenant-managed or the customer's own, an Emporix
client sees at most one address with `isDefault: true`, and the customer's
`defaultAddress` is that one."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx

from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.dialects.emporix.address_helpers import (
    added,
    addresses_of,
    at,
    read,
)
from tests.dialects.emporix.helpers import MakeClient, bearer
from tests.dialects.emporix.storefront_helpers import (
    anonymous,
    created_with_password,
    logged_in,
    storefront_client_id,
)

MINE = "/customer/shop/me/addresses"


async def flags(pool: asyncpg.Pool) -> dict[str, tuple[bool, bool]]:
    """City -> (default billing, default shipping), as the core stores them."""
    rows = await pool.fetch("SELECT city, is_default_billing, is_default_shipping FROM addresses")
    return {row[0]: (row[1], row[2]) for row in rows}


async def bill_and_ship_apart(pool: asyncpg.Pool) -> None:
    """Leave "Billing" the default billing and "Shipping" the default shipping address,
    as Glue or Medusa may (no Emporix write can: it makes one address the only default)."""
    await pool.execute(
        "UPDATE addresses SET is_default_billing = city = 'Billing', "
        "is_default_shipping = city = 'Shipping'"
    )


def defaults_shown(listed: list[dict[str, Any]]) -> list[str]:
    """The cities of the addresses an Emporix list shows as default."""
    return [item["city"] for item in listed if item["isDefault"]]


async def shown(http: httpx.AsyncClient, auth: dict[str, str], number: str) -> list[str]:
    """The default cities of the tenant-managed list, checked against each address's own
    GET and the customer's `defaultAddress`: all three must name the same one address."""
    listed = await http.get(addresses_of(number), headers=auth)
    assert listed.status_code == 200, listed.text
    cities = defaults_shown(listed.json())
    one_by_one = [await read(http, auth, number, item["id"]) for item in listed.json()]
    assert defaults_shown(one_by_one) == cities
    profile = await http.get(
        f"/customer/shop/customers/{number}", params={"expand": "addresses"}, headers=auth
    )
    assert profile.status_code == 200, profile.text
    default = profile.json().get("defaultAddress")
    assert ([default["city"]] if default is not None else []) == cities
    if default is not None:
        assert default == next(item for item in listed.json() if item["isDefault"])
    return cities


async def test_two_addresses_created_as_default_leave_only_the_later_one(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    await added(http, auth, number, at("Billing", isDefault=True, tags=["BILLING"]))
    await added(http, auth, number, at("Shipping", isDefault=True, tags=["SHIPPING"]))

    assert await shown(http, auth, number) == ["Shipping"]
    assert await flags(clean_db) == {"Billing": (False, False), "Shipping": (False, True)}


async def test_patch_is_default_makes_the_address_the_only_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    await added(http, auth, number, at("Both", isDefault=True))
    shipping = await added(http, auth, number, at("Shipping", tags=["SHIPPING"]))

    answer = await http.patch(
        f"{addresses_of(number)}/{shipping}", json={"isDefault": True}, headers=auth
    )

    assert answer.status_code == 200
    assert await shown(http, auth, number) == ["Shipping"]
    assert await flags(clean_db) == {"Both": (False, False), "Shipping": (False, True)}


async def test_put_is_default_makes_the_address_the_only_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    await added(http, auth, number, at("Billing", isDefault=True, tags=["BILLING"]))
    shipping = await added(http, auth, number, at("Shipping", tags=["SHIPPING"]))
    body = {**await read(http, auth, number, shipping), "isDefault": True}

    replaced = await http.put(f"{addresses_of(number)}/{shipping}", json=body, headers=auth)
    assert replaced.status_code == 204
    assert await shown(http, auth, number) == ["Shipping"]
    assert await flags(clean_db) == {"Billing": (False, False), "Shipping": (False, True)}

    created = await http.put(
        f"{addresses_of(number)}/new", json=at("New", isDefault=True, tags=["HQ"]), headers=auth
    )

    assert created.status_code == 201
    assert await shown(http, auth, number) == ["New"]
    assert await flags(clean_db) == {
        "Billing": (False, False),
        "Shipping": (False, False),
        "New": (True, True),
    }


async def test_a_default_is_asked_again_and_the_others_keep_their_kinds(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    """Writing `isDefault: true` to the address that already is the default changes no
    other address (decision 277)."""
    billing = await added(http, auth, number, at("Billing", isDefault=True, tags=["BILLING"]))
    await added(http, auth, number, at("Shipping", tags=["SHIPPING"]))
    await bill_and_ship_apart(clean_db)

    patched = await http.patch(
        f"{addresses_of(number)}/{billing}", json={"isDefault": True}, headers=auth
    )

    assert patched.status_code == 200
    assert await shown(http, auth, number) == ["Billing"]
    assert await flags(clean_db) == {"Billing": (True, False), "Shipping": (False, True)}


async def test_is_default_false_on_the_default_leaves_no_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    billing = await added(http, auth, number, at("Billing", isDefault=True, tags=["BILLING"]))
    await added(http, auth, number, at("Shipping", tags=["SHIPPING"]))
    await bill_and_ship_apart(clean_db)

    answer = await http.patch(
        f"{addresses_of(number)}/{billing}", json={"isDefault": False}, headers=auth
    )

    assert answer.status_code == 200
    assert await shown(http, auth, number) == []
    assert await flags(clean_db) == {"Billing": (False, False), "Shipping": (False, False)}


async def test_is_default_false_on_another_address_keeps_its_kind(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    await added(http, auth, number, at("Billing", isDefault=True, tags=["BILLING"]))
    shipping = await added(http, auth, number, at("Shipping", tags=["SHIPPING"]))
    await bill_and_ship_apart(clean_db)

    answer = await http.patch(
        f"{addresses_of(number)}/{shipping}", json={"isDefault": False}, headers=auth
    )

    assert answer.status_code == 200
    assert await shown(http, auth, number) == ["Billing"]
    assert await flags(clean_db) == {"Billing": (True, False), "Shipping": (False, True)}


async def test_the_default_shipping_address_is_the_default_when_none_bills(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    await added(http, auth, number, at("Plain"))
    await added(http, auth, number, at("Shipping", isDefault=True, tags=["SHIPPING"]))

    assert await shown(http, auth, number) == ["Shipping"]


async def test_a_customer_without_a_default_shows_no_default_address(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    await added(http, auth, number, at("Plain", tags=["BILLING"]))

    assert await shown(http, auth, number) == []


async def test_racing_defaults_on_two_addresses_leave_one_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    """Each round, two writers ask two addresses tagged for different kinds to be the
    default at once: the customer's row lock lets one decide after the other."""
    billing = await added(http, auth, number, at("Billing", tags=["BILLING"]))
    shipping = await added(http, auth, number, at("Shipping", tags=["SHIPPING"]))

    for _ in range(5):
        answers = await asyncio.gather(
            *(
                http.patch(
                    f"{addresses_of(number)}/{address_id}", json={"isDefault": True}, headers=auth
                )
                for address_id in (billing, shipping)
            )
        )
        assert [answer.status_code for answer in answers] == [200, 200]
        [winner] = await shown(http, auth, number)
        stored = await flags(clean_db)
        assert [city for city, kinds in stored.items() if any(kinds)] == [winner]


async def test_own_addresses_show_one_default_too(
    http: httpx.AsyncClient, make_client: MakeClient, services: Services, shop: Tenant
) -> None:
    """`/me/addresses`: POST honours `isDefault` (decision 237) and PATCH sets it, with
    the same one-default rule; `/me`'s `defaultAddress` is that address."""
    store = await services.core.tenant_admin.change_settings(
        "shop", {"confirmation_required": False}
    )
    visitor = (await anonymous(http, store, await storefront_client_id(services, store)))[
        "access_token"
    ]
    await created_with_password(http, make_client, store, "own@example.com")
    mine = bearer((await logged_in(http, store, visitor, "own@example.com"))["access_token"])

    async def own_defaults() -> tuple[list[str], str | None]:
        listed = (await http.get(MINE, headers=mine)).json()
        profile = (await http.get("/customer/shop/me?expand=addresses", headers=mine)).json()
        default = profile.get("defaultAddress")
        return defaults_shown(listed), default["city"] if default is not None else None

    first = await http.post(MINE, json=at("First", isDefault=True, tags=["BILLING"]), headers=mine)
    second = await http.post(
        MINE, json=at("Second", isDefault=True, tags=["SHIPPING"]), headers=mine
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert await own_defaults() == (["Second"], "Second")

    patched = await http.patch(
        f"{MINE}/{first.json()['id']}", json={"isDefault": True}, headers=mine
    )
    assert patched.status_code == 200
    assert await own_defaults() == (["First"], "First")
