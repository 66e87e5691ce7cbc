"""`?include=addresses` on customers, and sparse fieldsets over main and included resources."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.glue.helpers import Customer, document


async def add_address(client: httpx.AsyncClient, customer: Customer, city: str) -> dict[str, Any]:
    reference, auth = customer
    response = await client.post(
        f"/glue/customers/{reference}/addresses",
        json=document(
            "addresses",
            salutation="Mr",
            firstName="Jason",
            lastName="Voorhees",
            address1="123 Sleep Street",
            address2="123",
            zipCode="12345",
            city=city,
            iso2Code="DE",
        ),
        headers=auth,
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def test_one_customer_with_its_addresses_included(
    client: httpx.AsyncClient, customer: Customer, other: Customer
) -> None:
    reference, auth = customer
    dresden = await add_address(client, customer, "Dresden")
    berlin = await add_address(client, customer, "Berlin")
    await add_address(client, other, "Hamburg")

    response = await client.get(f"/glue/customers/{reference}?include=addresses", headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "included"}
    assert body["data"]["id"] == reference
    assert body["data"]["relationships"] == {
        "addresses": {
            "data": [
                {"type": "addresses", "id": dresden["id"]},
                {"type": "addresses", "id": berlin["id"]},
            ]
        }
    }
    # Full resources, exactly as the addresses endpoint renders them (defaults as of now).
    listed = await client.get(f"/glue/customers/{reference}/addresses", headers=auth)
    assert body["included"] == listed.json()["data"]
    assert body["included"][0]["links"]["self"] == (
        f"http://testserver/glue/customers/{reference}/addresses/{dresden['id']}"
    )


async def test_the_customer_collection_includes_addresses_too(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    address = await add_address(client, customer, "Dresden")

    response = await client.get("/glue/customers?include=addresses", headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "links", "included"}
    assert body["links"] == {"self": "http://testserver/glue/customers?include=addresses"}
    assert [item["id"] for item in body["data"]] == [reference]
    assert body["data"][0]["relationships"] == {
        "addresses": {"data": [{"type": "addresses", "id": address["id"]}]}
    }
    assert [item["id"] for item in body["included"]] == [address["id"]]
    assert body["included"][0]["attributes"]["city"] == "Dresden"


@pytest.mark.parametrize("path", ["/glue/customers", "/glue/customers/{ref}"])
async def test_without_include_there_are_no_relationships(
    client: httpx.AsyncClient, customer: Customer, path: str
) -> None:
    reference, auth = customer
    await add_address(client, customer, "Dresden")

    plain = await client.get(path.format(ref=reference), headers=auth)
    unknown = await client.get(
        path.format(ref=reference) + "?include=carts,wishlists", headers=auth
    )

    for response in (plain, unknown):
        assert response.status_code == 200
        body = response.json()
        assert "included" not in body
        data = body["data"] if isinstance(body["data"], dict) else body["data"][0]
        assert "relationships" not in data


async def test_unknown_types_beside_addresses_are_ignored(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    address = await add_address(client, customer, "Dresden")

    response = await client.get(
        f"/glue/customers/{reference}?include=carts, addresses,,", headers=auth
    )

    assert response.status_code == 200
    assert set(response.json()["data"]["relationships"]) == {"addresses"}
    assert [item["id"] for item in response.json()["included"]] == [address["id"]]


async def test_a_customer_without_addresses_gets_an_empty_relationship(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer

    one = await client.get(f"/glue/customers/{reference}?include=addresses", headers=auth)
    many = await client.get("/glue/customers?include=addresses", headers=auth)

    assert one.json()["data"]["relationships"] == {"addresses": {"data": []}}
    assert many.json()["data"][0]["relationships"] == {"addresses": {"data": []}}
    assert "included" not in one.json()
    assert "included" not in many.json()


async def test_include_keeps_the_read_errors_of_customers(
    client: httpx.AsyncClient, customer: Customer, other: Customer
) -> None:
    await add_address(client, other, "Hamburg")

    foreign = await client.get(f"/glue/customers/{other[0]}?include=addresses", headers=customer[1])
    anonymous = await client.get("/glue/customers?include=addresses")

    assert foreign.status_code == 404
    assert foreign.json() == {
        "errors": [{"status": 404, "code": "402", "detail": "Customer not found."}]
    }
    assert anonymous.status_code == 403


@pytest.mark.parametrize("path", ["/glue/customers", "/glue/customers/{ref}"])
async def test_sparse_fieldsets_apply_to_main_and_included_resources(
    client: httpx.AsyncClient, customer: Customer, path: str
) -> None:
    reference, auth = customer
    address = await add_address(client, customer, "Dresden")

    response = await client.get(
        path.format(ref=reference),
        params={
            "include": "addresses",
            "fields[customers]": "email,firstName,unknown",
            "fields[addresses]": "city,zipCode",
        },
        headers=auth,
    )

    assert response.status_code == 200
    body = response.json()
    data = body["data"] if isinstance(body["data"], dict) else body["data"][0]
    assert data["attributes"] == {"firstName": "Sonia", "email": "sonia@spryker.com"}
    assert data["relationships"] == {
        "addresses": {"data": [{"type": "addresses", "id": address["id"]}]}
    }
    assert data["links"] == {"self": f"http://testserver/glue/customers/{reference}"}
    assert body["included"] == [
        {
            "type": "addresses",
            "id": address["id"],
            "attributes": {"zipCode": "12345", "city": "Dresden"},
            "links": address["links"],
        }
    ]


async def test_a_fieldset_for_addresses_alone_leaves_customers_whole(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    await add_address(client, customer, "Dresden")

    response = await client.get(
        f"/glue/customers/{reference}?include=addresses&fields[addresses]=iso2Code", headers=auth
    )

    body = response.json()
    assert len(body["data"]["attributes"]) == 8
    assert body["included"][0]["attributes"] == {"iso2Code": "DE"}


async def test_sparse_fieldsets_apply_to_the_addresses_endpoints(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    address = await add_address(client, customer, "Dresden")

    listed = await client.get(
        f"/glue/customers/{reference}/addresses?fields[addresses]=country", headers=auth
    )
    one = await client.get(
        f"/glue/customers/{reference}/addresses/{address['id']}?fields[addresses]=isDefaultBilling",
        headers=auth,
    )

    assert listed.json()["data"][0]["attributes"] == {"country": "Germany"}
    assert listed.json()["links"]["self"].endswith("/addresses?fields[addresses]=country")
    assert one.json()["data"]["attributes"] == {"isDefaultBilling": True}
