"""One customer's defaults, four vendors' words: Glue's `isDefaultBilling` and
`isDefaultShipping`, Medusa's billing address, Aimeos' customer address and Emporix' one
`isDefault` address (its `defaultAddress`). After every write through any of them, each
shows the same state: Emporix' default is the default billing address, else the default
shipping one (decisions 276-279)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.clients.medusa.admin import admin_api_token
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser
from tests.dialects.emporix.address_helpers import PLAIN, added, headers, read
from tests.dialects.emporix.helpers import MakeClient
from tests.dialects.glue.helpers import PASSWORD, bearer, document, signed_up
from tests.helpers import dialect_client

EMAIL = "sonia@spryker.com"
GLUE_ADDRESS: dict[str, Any] = {
    "salutation": "Mrs",
    "firstName": "Sonia",
    "lastName": "Wagner",
    "address1": "Julie-Wolfthorn-Strasse",
    "address2": "1",
    "zipCode": "10115",
    "iso2Code": "DE",
}


@dataclass
class Customer:
    """One customer and a way in through each dialect."""

    client: httpx.AsyncClient
    """Glue and Medusa's store (its cookie session)."""
    http: httpx.AsyncClient
    """Emporix."""
    aimeos: AimeosBrowser
    reference: str
    glue: dict[str, str]
    emporix: dict[str, str]
    medusa_admin: dict[str, str]

    @property
    def addresses(self) -> str:
        return f"/customer/default/customers/{self.reference}/addresses"

    async def glue_defaults(self) -> dict[str, tuple[bool, bool]]:
        """City -> (isDefaultBilling, isDefaultShipping), as Glue shows them."""
        answer = await self.client.get(
            f"/glue/customers/{self.reference}/addresses", headers=self.glue
        )
        assert answer.status_code == 200, answer.text
        return {
            item["attributes"]["city"]: (
                item["attributes"]["isDefaultBilling"],
                item["attributes"]["isDefaultShipping"],
            )
            for item in answer.json()["data"]
        }

    async def glue_ids(self) -> dict[str, str]:
        """City -> address id (Glue's uuid, which Emporix shows too)."""
        answer = await self.client.get(
            f"/glue/customers/{self.reference}/addresses", headers=self.glue
        )
        return {item["attributes"]["city"]: item["id"] for item in answer.json()["data"]}

    async def emporix_view(self) -> tuple[dict[str, tuple[bool, list[str]]], list[str | None]]:
        """City -> (isDefault, tags) of the tenant-managed list, and the default's city as
        the customer's `defaultAddress` (tenant-managed and `/me`) and each address's own
        GET show it."""
        listed = await self.http.get(self.addresses, headers=self.emporix)
        assert listed.status_code == 200, listed.text
        shown = {item["city"]: (item["isDefault"], item["tags"]) for item in listed.json()}
        singles = [
            await read(self.http, self.emporix, self.reference, item["id"], "default")
            for item in listed.json()
        ]
        one_by_one = [single["city"] for single in singles if single["isDefault"]]
        profile = await self.http.get(
            f"/customer/default/customers/{self.reference}?expand=addresses",
            headers=self.emporix,
        )
        own = await self.http.get("/customer/default/me?expand=addresses", headers=self.glue)
        assert (profile.status_code, own.status_code) == (200, 200)
        named = [body.get("defaultAddress") for body in (profile.json(), own.json())]
        return shown, [*(d["city"] if d else None for d in named), *(one_by_one or [None])]

    async def medusa_billing(self) -> str | None:
        answer = await self.client.get(
            "/medusa/admin/customers",
            params={"q": EMAIL, "expand": "billing_address"},
            headers=self.medusa_admin,
        )
        assert answer.status_code == 200, answer.text
        [found] = answer.json()["customers"]
        billing = found["billing_address"]
        return billing["city"] if billing is not None else None

    async def aimeos_city(self) -> str:
        answer = await self.aimeos.get(CUSTOMER)
        assert answer.status_code == 200, answer.text
        city: str = answer.json()["data"]["attributes"]["customer.city"]
        return city

    async def shows(self, billing: str | None, shipping: str | None) -> None:
        """Every dialect shows `billing` as the default billing and `shipping` as the
        default shipping address (cities), and Emporix exactly one default: the first."""
        glue = await self.glue_defaults()
        assert glue == {city: (city == billing, city == shipping) for city in glue}
        emporix, named = await self.emporix_view()
        default = billing or shipping
        assert [city for city, (is_default, _) in emporix.items() if is_default] == (
            [default] if default else []
        )
        assert named == [default] * 3
        for city, (_, tags) in emporix.items():
            assert "BILLING" in tags or city != billing
            assert "SHIPPING" in tags or city != shipping
        assert await self.medusa_billing() == billing
        assert await self.aimeos_city() == (billing or "")


@pytest.fixture
async def aimeos(services: Services, settings: Settings) -> AsyncIterator[AimeosBrowser]:
    """A browser of its own, so its session cookie is apart from Medusa's."""
    async with dialect_client(services, settings, peer="203.0.113.8") as http:
        yield AimeosBrowser(http)


@pytest.fixture
async def sonia(
    client: httpx.AsyncClient,
    http: httpx.AsyncClient,
    aimeos: AimeosBrowser,
    services: Services,
    make_client: MakeClient,
    clean_db: asyncpg.Pool,
) -> Customer:
    reference, tokens = await signed_up(client, clean_db, EMAIL)
    assert (await aimeos.login(EMAIL, PASSWORD)).status_code == 200
    store = await client.post("/medusa/store/auth", json={"email": EMAIL, "password": PASSWORD})
    assert store.status_code == 200, store.text
    return Customer(
        client=client,
        http=http,
        aimeos=aimeos,
        reference=reference,
        glue=bearer(tokens),
        emporix=await headers(http, make_client, await services.core.tenants.get("default")),
        medusa_admin={
            "x-medusa-access-token": await admin_api_token(services),
            "Accept": "application/json",
        },
    )


async def glue_added(sonia: Customer, city: str, *, billing: bool, shipping: bool) -> str:
    attributes = {**GLUE_ADDRESS, "city": city}
    answer = await sonia.client.post(
        f"/glue/customers/{sonia.reference}/addresses",
        json=document(
            "addresses", **attributes, isDefaultBilling=billing, isDefaultShipping=shipping
        ),
        headers=sonia.glue,
    )
    assert answer.status_code == 201, answer.text
    address_id: str = answer.json()["data"]["id"]
    return address_id


async def test_a_glue_customers_two_defaults_survive_emporix_writing_them_back(
    sonia: Customer,
) -> None:
    """Billing Aachen and shipping Bonn: Emporix shows Aachen as its one default (tag
    BILLING) and Bonn as a SHIPPING address; writing either back as read, or changing
    other fields, through the back office or the customer's own routes, keeps both of
    Glue's defaults."""
    billing = await glue_added(sonia, "Aachen", billing=True, shipping=False)
    shipping = await glue_added(sonia, "Bonn", billing=False, shipping=True)
    await sonia.shows(billing="Aachen", shipping="Bonn")
    emporix, _ = await sonia.emporix_view()
    assert emporix == {"Aachen": (True, ["BILLING"]), "Bonn": (False, ["SHIPPING"])}

    for address_id in (billing, shipping):
        path = f"{sonia.addresses}/{address_id}"
        body = await read(sonia.http, sonia.emporix, sonia.reference, address_id, "default")
        put = await sonia.http.put(path, json=body, headers=sonia.emporix)
        assert put.status_code == 204, put.text
        await sonia.shows(billing="Aachen", shipping="Bonn")

        body = await read(sonia.http, sonia.emporix, sonia.reference, address_id, "default")
        changed = {**body, "street": "Elsewhere"}
        put = await sonia.http.put(path, json=changed, headers=sonia.emporix)
        patch = await sonia.http.patch(path, json={"zipCode": "10117"}, headers=sonia.emporix)
        assert (put.status_code, patch.status_code) == (204, 200)
        await sonia.shows(billing="Aachen", shipping="Bonn")

        own = f"/customer/default/me/addresses/{address_id}"
        mine = (await sonia.http.get(own, headers=sonia.glue)).json()
        patch = await sonia.http.patch(
            own, json={**mine, "contactPhone": "+49301234"}, headers=sonia.glue
        )
        assert patch.status_code == 200, patch.text
        await sonia.shows(billing="Aachen", shipping="Bonn")


async def test_every_dialect_sees_each_others_default_writes(sonia: Customer) -> None:
    # Glue's first address is the default of both kinds whatever it asks (Spryker's rule).
    await glue_added(sonia, "Aachen", billing=False, shipping=False)
    await glue_added(sonia, "Bonn", billing=False, shipping=False)
    await sonia.shows(billing="Aachen", shipping="Aachen")

    # Emporix creates the one default, tagged for shipping.
    tagged = {**PLAIN, "city": "Celle", "isDefault": True, "tags": ["SHIPPING"]}
    await added(sonia.http, sonia.emporix, sonia.reference, tagged, "default")
    await sonia.shows(billing=None, shipping="Celle")
    ids = await sonia.glue_ids()

    # Glue makes Aachen the default billing address: Emporix' default moves to it.
    glue = await sonia.client.patch(
        f"/glue/customers/{sonia.reference}/addresses/{ids['Aachen']}",
        json=document("addresses", isDefaultBilling=True),
        headers=sonia.glue,
    )
    assert glue.status_code == 200, glue.text
    await sonia.shows(billing="Aachen", shipping="Celle")

    # Medusa bills to Bonn.
    listed = (await sonia.client.get("/medusa/store/customers/me")).json()["customer"]
    medusa_ids = {item["city"]: item["id"] for item in listed["shipping_addresses"]}
    medusa = await sonia.client.post(
        "/medusa/store/customers/me", json={"billing_address": medusa_ids["Bonn"]}
    )
    assert medusa.status_code == 200, medusa.text
    await sonia.shows(billing="Bonn", shipping="Celle")

    # Emporix asks Celle (not its default: Bonn bills) to be the default: Celle is the only one.
    patch = await sonia.http.patch(
        f"{sonia.addresses}/{ids['Celle']}", json={"isDefault": True}, headers=sonia.emporix
    )
    assert patch.status_code == 200
    await sonia.shows(billing=None, shipping="Celle")

    # The customer's own Emporix route makes the untagged Aachen the default of both kinds.
    own = await sonia.http.patch(
        f"/customer/default/me/addresses/{ids['Aachen']}",
        json={"isDefault": True},
        headers=sonia.glue,
    )
    assert own.status_code == 200
    await sonia.shows(billing="Aachen", shipping="Aachen")

    # Emporix says its default is no default: none is left, in any dialect.
    cleared = await sonia.http.patch(
        f"{sonia.addresses}/{ids['Aachen']}", json={"isDefault": False}, headers=sonia.emporix
    )
    assert cleared.status_code == 200
    await sonia.shows(billing=None, shipping=None)

    # Aimeos writes the customer's address: a new default billing address (and, as the
    # first of its kind, the default shipping one).
    aimeos = await sonia.aimeos.write(
        "PATCH", CUSTOMER, {"data": {"attributes": {"customer.city": "Dresden"}}}
    )
    assert aimeos.status_code == 200, aimeos.text
    await sonia.shows(billing="Dresden", shipping="Dresden")

    # Glue makes Bonn the default shipping address: Dresden stays Emporix' default.
    glue = await sonia.client.patch(
        f"/glue/customers/{sonia.reference}/addresses/{ids['Bonn']}",
        json=document("addresses", isDefaultShipping=True),
        headers=sonia.glue,
    )
    assert glue.status_code == 200, glue.text
    await sonia.shows(billing="Dresden", shipping="Bonn")

    # Emporix removes Dresden's BILLING tag: it bills no more; the default shipping Bonn is next.
    dresden = (await sonia.glue_ids())["Dresden"]
    untagged = await sonia.http.delete(
        f"{sonia.addresses}/{dresden}/tags?tags=BILLING", headers=sonia.emporix
    )
    assert untagged.status_code == 204
    await sonia.shows(billing=None, shipping="Bonn")


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
