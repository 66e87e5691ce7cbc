"""Glue `addresses` (child of `customers`): every success, every documented error, the
default-address rules, the cap and concurrent writers."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.glue.helpers import JSON_API, Customer, document, error_codes

ATTRIBUTE_ORDER = [
    "salutation",
    "firstName",
    "lastName",
    "address1",
    "address2",
    "address3",
    "zipCode",
    "city",
    "country",
    "iso2Code",
    "company",
    "phone",
    "isDefaultShipping",
    "isDefaultBilling",
]
# The POST request sample of the Glue docs (section 6.1 of the reference).
SAMPLE: dict[str, Any] = {
    "customer_reference": "DE--1",
    "salutation": "Mr",
    "firstName": "Spencor",
    "lastName": "Hopkin",
    "address1": "Third, 33, 11",
    "address2": "b",
    "address3": "aaa",
    "zipCode": "12312",
    "city": "Berlin",
    "country": "Germany",
    "iso2Code": "DE",
    "phone": "22111-3-4-5",
    "isDefaultShipping": False,
    "isDefaultBilling": False,
}
NOT_FOUND = {"errors": [{"status": 404, "code": "404", "detail": "Address was not found."}]}
UNAUTHORIZED = {"errors": [{"status": 403, "code": "411", "detail": "Unauthorized request."}]}
UUID_MISSING = {"errors": [{"status": 400, "code": "412", "detail": "Address UUID is missing."}]}
SAVE_FAILED = {
    "errors": [{"status": 400, "code": "409", "detail": "Failed to save customer address."}]
}


def address_document(*, without: tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
    attributes = {k: v for k, v in (SAMPLE | overrides).items() if k not in without}
    return document("addresses", **attributes)


async def add(
    client: httpx.AsyncClient,
    customer: Customer,
    *,
    without: tuple[str, ...] = (),
    **overrides: Any,
) -> dict[str, Any]:
    reference, auth = customer
    response = await client.post(
        f"/glue/customers/{reference}/addresses",
        json=address_document(without=without, **overrides),
        headers=auth,
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def defaults(client: httpx.AsyncClient, customer: Customer) -> dict[str, tuple[bool, bool]]:
    """Address id -> (isDefaultShipping, isDefaultBilling), as the API reports them."""
    reference, auth = customer
    response = await client.get(f"/glue/customers/{reference}/addresses", headers=auth)
    assert response.status_code == 200, response.text
    return {
        item["id"]: (
            item["attributes"]["isDefaultShipping"],
            item["attributes"]["isDefaultBilling"],
        )
        for item in response.json()["data"]
    }


# --- happy paths ------------------------------------------------------------------------


async def test_post_returns_the_address_as_in_the_docs_sample(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer

    response = await client.post(
        f"/glue/customers/{reference}/addresses",
        json=address_document(customer_reference="DE--999", country="Narnia"),
        headers=auth,
    )

    assert response.status_code == 201
    assert response.headers["content-type"] == JSON_API
    data = response.json()["data"]
    assert data["type"] == "addresses"
    uuid.UUID(data["id"])
    assert list(data["attributes"]) == ATTRIBUTE_ORDER
    assert data["attributes"] == {
        "salutation": "Mr",
        "firstName": "Spencor",
        "lastName": "Hopkin",
        "address1": "Third, 33, 11",
        "address2": "b",
        "address3": "aaa",
        "zipCode": "12312",
        "city": "Berlin",
        "country": "Germany",  # derived from iso2Code; the request's country is ignored
        "iso2Code": "DE",
        "company": None,
        "phone": "22111-3-4-5",
        "isDefaultShipping": True,  # the first address is the default whatever it asks
        "isDefaultBilling": True,
    }
    assert data["links"] == {
        "self": f"http://testserver/glue/customers/{reference}/addresses/{data['id']}"
    }


async def test_optional_attributes_come_back_as_null(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    data = await add(client, customer, without=("address3", "phone", "country"))

    attributes = data["attributes"]
    assert (attributes["address3"], attributes["phone"], attributes["company"]) == (
        None,
        None,
        None,
    )
    assert list(attributes) == ATTRIBUTE_ORDER


async def test_company_is_kept_and_a_lower_case_country_code_is_normalized(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    data = await add(client, customer, company="Spryker Systems", iso2Code="at")

    assert data["attributes"]["company"] == "Spryker Systems"
    assert data["attributes"]["iso2Code"] == "AT"
    assert data["attributes"]["country"] == "Austria"


async def test_get_lists_the_customers_addresses_oldest_first(
    client: httpx.AsyncClient, customer: Customer, other: Customer
) -> None:
    reference, auth = customer
    first = await add(client, customer, city="Berlin")
    second = await add(client, customer, city="Dresden")
    await add(client, other, city="Hamburg")

    response = await client.get(f"/glue/customers/{reference}/addresses", headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == [first["id"], second["id"]]
    assert body["data"] == [first, second]
    assert body["links"] == {"self": f"http://testserver/glue/customers/{reference}/addresses"}


async def test_an_empty_collection_still_has_its_self_link(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer

    response = await client.get(f"/glue/customers/{reference}/addresses", headers=auth)

    assert response.status_code == 200
    assert response.json() == {
        "data": [],
        "links": {"self": f"http://testserver/glue/customers/{reference}/addresses"},
    }


async def test_get_one_address(client: httpx.AsyncClient, customer: Customer) -> None:
    reference, auth = customer
    created = await add(client, customer)

    response = await client.get(
        f"/glue/customers/{reference}/addresses/{created['id']}", headers=auth
    )

    assert response.status_code == 200
    assert response.json() == {"data": created}


async def test_patch_changes_only_the_attributes_sent(
    client: httpx.AsyncClient, customer: Customer, clean_db: asyncpg.Pool
) -> None:
    reference, auth = customer
    created = await add(client, customer)

    response = await client.patch(
        f"/glue/customers/{reference}/addresses/{created['id']}",
        json=document("addresses", city="Paris", iso2Code="FR", address3=None),
        headers=auth,
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == created["id"]
    assert list(data["attributes"]) == ATTRIBUTE_ORDER
    assert data["attributes"] == created["attributes"] | {
        "city": "Paris",
        "iso2Code": "FR",
        "country": "France",
        "address3": None,
    }
    assert data["links"] == created["links"]
    assert await clean_db.fetchval("SELECT version FROM addresses") == 2


async def test_patch_without_attributes_changes_nothing(
    client: httpx.AsyncClient, customer: Customer, clean_db: asyncpg.Pool
) -> None:
    reference, auth = customer
    created = await add(client, customer)

    response = await client.patch(
        f"/glue/customers/{reference}/addresses/{created['id']}",
        json=document("addresses", country="ignored"),
        headers=auth,
    )

    assert response.status_code == 200
    assert response.json()["data"] == created
    assert await clean_db.fetchval("SELECT version FROM addresses") == 1


async def test_delete_removes_the_address(
    client: httpx.AsyncClient, customer: Customer, clean_db: asyncpg.Pool
) -> None:
    reference, auth = customer
    kept = await add(client, customer)
    gone = await add(client, customer)
    url = f"/glue/customers/{reference}/addresses/{gone['id']}"

    deleted = await client.delete(url, headers=auth)
    read_after = await client.get(url, headers=auth)
    again = await client.delete(url, headers=auth)

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert read_after.json() == again.json() == NOT_FOUND
    assert list(await defaults(client, customer)) == [kept["id"]]


async def test_anonymizing_the_customer_deletes_the_addresses(
    client: httpx.AsyncClient, customer: Customer, other: Customer, clean_db: asyncpg.Pool
) -> None:
    reference, auth = customer
    await add(client, customer)
    await add(client, other)

    response = await client.delete(f"/glue/customers/{reference}", headers=auth)

    assert response.status_code == 204
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 1  # the other's


# --- protection and ownership ---------------------------------------------------------------

ROUTES = [
    ("GET", "/glue/customers/{ref}/addresses"),
    ("POST", "/glue/customers/{ref}/addresses"),
    ("GET", "/glue/customers/{ref}/addresses/{id}"),
    ("PATCH", "/glue/customers/{ref}/addresses/{id}"),
    ("DELETE", "/glue/customers/{ref}/addresses/{id}"),
]


def _request_body(method: str) -> dict[str, Any] | None:
    return address_document() if method in ("POST", "PATCH") else None


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_route_needs_a_valid_token(
    client: httpx.AsyncClient, customer: Customer, method: str, path: str
) -> None:
    created = await add(client, customer)
    url = path.format(ref=customer[0], id=created["id"])
    body = _request_body(method)

    missing = await client.request(method, url, json=body)
    invalid = await client.request(
        method, url, json=body, headers={"Authorization": "Bearer not-a-jwt"}
    )

    assert missing.status_code == 403
    assert missing.json() == {
        "errors": [{"status": 403, "code": "002", "detail": "Missing access token."}]
    }
    assert invalid.status_code == 401
    assert invalid.headers["www-authenticate"] == 'Bearer realm="Access to shop API"'
    assert error_codes(invalid) == [(401, "001")]


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_another_customers_reference_gets_411_and_changes_nothing(
    client: httpx.AsyncClient,
    customer: Customer,
    other: Customer,
    clean_db: asyncpg.Pool,
    method: str,
    path: str,
) -> None:
    created = await add(client, other)
    url = path.format(ref=other[0], id=created["id"])

    response = await client.request(method, url, json=_request_body(method), headers=customer[1])

    assert response.status_code == 403
    assert response.json() == UNAUTHORIZED
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 1
    assert await clean_db.fetchval("SELECT version FROM addresses") == 1


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_unknown_foreign_or_malformed_address_ids_read_as_not_found(
    client: httpx.AsyncClient, customer: Customer, other: Customer, method: str
) -> None:
    reference, auth = customer
    foreign = await add(client, other)
    body = document("addresses", city="Paris") if method == "PATCH" else None

    for address_id in (str(uuid.uuid4()), foreign["id"], "not-a-uuid", "0"):
        response = await client.request(
            method,
            f"/glue/customers/{reference}/addresses/{address_id}",
            json=body,
            headers=auth,
        )
        assert response.status_code == 404, address_id
        assert response.json() == NOT_FOUND

    assert (await defaults(client, other))[foreign["id"]] == (True, True)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_patch_and_delete_without_an_address_uuid_get_412(
    client: httpx.AsyncClient, customer: Customer, method: str
) -> None:
    reference, auth = customer

    response = await client.request(
        method,
        f"/glue/customers/{reference}/addresses",
        json=_request_body(method),
        headers=auth,
    )
    anonymous = await client.request(method, f"/glue/customers/{reference}/addresses")

    assert response.status_code == 400
    assert response.json() == UUID_MISSING
    assert error_codes(anonymous) == [(403, "002")]


# --- request validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "without", "detail"),
    [
        ({"salutation": "Sir"}, (), "salutation => The value you selected is not a valid choice."),
        ({}, ("salutation",), "salutation => This field is missing."),
        ({"firstName": ""}, (), "firstName => This value should not be blank."),
        (
            {"firstName": "x" * 101},
            (),
            "firstName => This value is too long. It should have 100 characters or less.",
        ),
        ({"lastName": None}, (), "lastName => This value should not be blank."),
        (
            {"lastName": "x" * 101},
            (),
            "lastName => This value is too long. It should have 100 characters or less.",
        ),
        ({}, ("address1",), "address1 => This field is missing."),
        (
            {"address1": "x" * 256},
            (),
            "address1 => This value is too long. It should have 255 characters or less.",
        ),
        ({"address2": "  "}, (), "address2 => This value should not be blank."),
        (
            {"address3": "x" * 256},
            (),
            "address3 => This value is too long. It should have 255 characters or less.",
        ),
        ({"zipCode": ""}, (), "zipCode => This value should not be blank."),
        (
            {"zipCode": "1" * 16},
            (),
            "zipCode => This value is too long. It should have 15 characters or less.",
        ),
        (
            {"city": "Ab"},
            (),
            "city => This value is too short. It should have 3 characters or more.",
        ),
        (
            {"city": "x" * 256},
            (),
            "city => This value is too long. It should have 255 characters or less.",
        ),
        ({}, ("city",), "city => This field is missing."),
        ({"iso2Code": "XX"}, (), "iso2Code => This value is not a valid country."),
        ({"iso2Code": "DEU"}, (), "iso2Code => This value is not a valid country."),
        ({"iso2Code": 49}, (), "iso2Code => This value is not a valid country."),
        ({"iso2Code": ""}, (), "iso2Code => This value should not be blank."),
        ({}, ("iso2Code",), "iso2Code => This field is missing."),
        (
            {"phone": "1" * 256},
            (),
            "phone => This value is too long. It should have 255 characters or less.",
        ),
        (
            {"company": "x" * 256},
            (),
            "company => This value is too long. It should have 255 characters or less.",
        ),
        (
            {"isDefaultShipping": "yes"},
            (),
            "isDefaultShipping => This value should be of type bool.",
        ),
        ({"isDefaultBilling": 1}, (), "isDefaultBilling => This value should be of type bool."),
    ],
)
async def test_invalid_fields_get_901_and_store_nothing(
    client: httpx.AsyncClient,
    customer: Customer,
    clean_db: asyncpg.Pool,
    overrides: dict[str, Any],
    without: tuple[str, ...],
    detail: str,
) -> None:
    reference, auth = customer

    response = await client.post(
        f"/glue/customers/{reference}/addresses",
        json=address_document(without=without, **overrides),
        headers=auth,
    )

    assert response.status_code == 422
    assert response.json() == {"errors": [{"status": 422, "code": "901", "detail": detail}]}
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0


async def test_every_invalid_field_is_reported_at_once(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer

    response = await client.post(
        f"/glue/customers/{reference}/addresses",
        json=document("addresses", city="Ab", iso2Code="ZZ"),
        headers=auth,
    )

    assert response.status_code == 422
    assert [e["detail"] for e in response.json()["errors"]] == [
        "salutation => This field is missing.",
        "firstName => This field is missing.",
        "lastName => This field is missing.",
        "address1 => This field is missing.",
        "address2 => This field is missing.",
        "zipCode => This field is missing.",
        "city => This value is too short. It should have 3 characters or more.",
        "iso2Code => This value is not a valid country.",
    ]
    assert {e["code"] for e in response.json()["errors"]} == {"901"}


@pytest.mark.parametrize(
    ("attributes", "detail"),
    [
        ({"city": "Ab"}, "city => This value is too short. It should have 3 characters or more."),
        ({"firstName": None}, "firstName => This value should not be blank."),
        ({"salutation": "Herr"}, "salutation => The value you selected is not a valid choice."),
        ({"iso2Code": "QQ"}, "iso2Code => This value is not a valid country."),
        (
            {"zipCode": "1" * 16},
            "zipCode => This value is too long. It should have 15 characters or less.",
        ),
        ({"isDefaultBilling": "true"}, "isDefaultBilling => This value should be of type bool."),
    ],
)
async def test_patch_checks_the_attributes_it_is_sent(
    client: httpx.AsyncClient,
    customer: Customer,
    attributes: dict[str, Any],
    detail: str,
) -> None:
    reference, auth = customer
    created = await add(client, customer)

    response = await client.patch(
        f"/glue/customers/{reference}/addresses/{created['id']}",
        json=document("addresses", **attributes),
        headers=auth,
    )

    assert response.status_code == 422
    assert response.json() == {"errors": [{"status": 422, "code": "901", "detail": detail}]}


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_generic_request_checks(
    client: httpx.AsyncClient, customer: Customer, method: str
) -> None:
    reference, auth = customer
    created = await add(client, customer)
    url = f"/glue/customers/{reference}/addresses"
    if method == "PATCH":
        url += f"/{created['id']}"

    wrong_type = await client.request(
        method, url, json={"data": {"type": "customers", "attributes": SAMPLE}}, headers=auth
    )
    malformed = await client.request(
        method, url, content=b'{"data": {', headers=auth | {"Content-Type": JSON_API}
    )
    no_attributes = await client.request(
        method, url, json={"data": {"type": "addresses"}}, headers=auth
    )

    assert wrong_type.status_code == 400
    assert wrong_type.json() == {"errors": [{"status": 400, "detail": "Invalid type."}]}
    assert malformed.status_code == no_attributes.status_code == 400
    assert (
        malformed.json()
        == no_attributes.json()
        == {"errors": [{"status": 400, "detail": "Post data is invalid."}]}
    )


# --- default addresses ---------------------------------------------------------------------


async def test_without_flags_a_new_address_becomes_both_defaults(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    unflagged = ("isDefaultShipping", "isDefaultBilling")
    first = await add(client, customer, without=unflagged)
    second = await add(client, customer, without=unflagged)

    assert await defaults(client, customer) == {
        first["id"]: (False, False),
        second["id"]: (True, True),
    }


async def test_null_flags_count_as_not_sent(client: httpx.AsyncClient, customer: Customer) -> None:
    await add(client, customer)
    second = await add(client, customer, isDefaultShipping=None, isDefaultBilling=None)

    assert second["attributes"]["isDefaultShipping"] is True
    assert second["attributes"]["isDefaultBilling"] is True


async def test_a_new_default_demotes_only_the_kind_it_claims(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    first = await add(client, customer)
    second = await add(client, customer, isDefaultShipping=True, isDefaultBilling=False)

    assert second["attributes"]["isDefaultShipping"] is True
    assert second["attributes"]["isDefaultBilling"] is False
    assert await defaults(client, customer) == {
        first["id"]: (False, True),
        second["id"]: (True, False),
    }


async def test_an_address_asking_not_to_be_default_is_not(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    first = await add(client, customer)
    second = await add(client, customer)  # the sample asks for neither default

    assert await defaults(client, customer) == {
        first["id"]: (True, True),
        second["id"]: (False, False),
    }


async def test_clearing_a_default_promotes_no_other_address(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    first = await add(client, customer)
    second = await add(client, customer)

    response = await client.patch(
        f"/glue/customers/{reference}/addresses/{first['id']}",
        json=document("addresses", isDefaultShipping=False),
        headers=auth,
    )

    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["isDefaultShipping"] is False
    assert await defaults(client, customer) == {
        first["id"]: (False, True),
        second["id"]: (False, False),
    }


async def test_with_no_default_left_the_next_new_address_becomes_it(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    first = await add(client, customer)
    await client.patch(
        f"/glue/customers/{reference}/addresses/{first['id']}",
        json=document("addresses", isDefaultShipping=False),
        headers=auth,
    )

    second = await add(client, customer)  # asks for neither default

    assert await defaults(client, customer) == {
        first["id"]: (False, True),
        second["id"]: (True, False),
    }


async def test_patching_an_address_to_default_demotes_the_previous_one(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    first = await add(client, customer)
    second = await add(client, customer)

    response = await client.patch(
        f"/glue/customers/{reference}/addresses/{second['id']}",
        json=document("addresses", isDefaultBilling=True),
        headers=auth,
    )
    again = await client.patch(
        f"/glue/customers/{reference}/addresses/{second['id']}",
        json=document("addresses", isDefaultBilling=True),
        headers=auth,
    )

    assert response.status_code == again.status_code == 200
    assert await defaults(client, customer) == {
        first["id"]: (True, False),
        second["id"]: (False, True),
    }


async def test_deleting_the_default_promotes_no_other_address(
    client: httpx.AsyncClient, customer: Customer
) -> None:
    reference, auth = customer
    first = await add(client, customer)
    second = await add(client, customer)

    await client.delete(f"/glue/customers/{reference}/addresses/{first['id']}", headers=auth)

    assert await defaults(client, customer) == {second["id"]: (False, False)}


async def test_concurrent_new_defaults_leave_exactly_one(
    client: httpx.AsyncClient, customer: Customer, clean_db: asyncpg.Pool
) -> None:
    reference, auth = customer

    responses = await asyncio.gather(
        *(
            client.post(
                f"/glue/customers/{reference}/addresses",
                json=address_document(city=f"City {n}", isDefaultShipping=True),
                headers=auth,
            )
            for n in range(10)
        )
    )

    assert [r.status_code for r in responses] == [201] * 10
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 10
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_shipping") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_billing") == 1
    assert sum(flags[0] for flags in (await defaults(client, customer)).values()) == 1


async def test_concurrent_patches_to_default_leave_exactly_one(
    client: httpx.AsyncClient, customer: Customer, clean_db: asyncpg.Pool
) -> None:
    reference, auth = customer
    created = [await add(client, customer) for _ in range(6)]

    responses = await asyncio.gather(
        *(
            client.patch(
                f"/glue/customers/{reference}/addresses/{item['id']}",
                json=document("addresses", isDefaultShipping=True, isDefaultBilling=True),
                headers=auth,
            )
            for item in created
        )
    )

    assert [r.status_code for r in responses] == [200] * 6
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_shipping") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses WHERE is_default_billing") == 1


# --- the cap on addresses -------------------------------------------------------------------


class TestTheCap:
    @pytest.fixture
    def settings(self) -> Settings:
        return cheap_settings(max_addresses_per_customer=2)

    async def test_one_address_over_the_cap_gets_409(
        self, client: httpx.AsyncClient, customer: Customer, other: Customer
    ) -> None:
        reference, auth = customer
        await add(client, customer)
        second = await add(client, customer)

        refused = await client.post(
            f"/glue/customers/{reference}/addresses", json=address_document(), headers=auth
        )
        await client.delete(f"/glue/customers/{reference}/addresses/{second['id']}", headers=auth)
        after_delete = await client.post(
            f"/glue/customers/{reference}/addresses", json=address_document(), headers=auth
        )
        others = [await add(client, other) for _ in range(2)]  # the cap is per customer

        assert refused.status_code == 400
        assert refused.json() == SAVE_FAILED
        assert after_delete.status_code == 201
        assert len(others) == 2

    async def test_concurrent_posts_never_pass_the_cap(
        self, client: httpx.AsyncClient, customer: Customer, clean_db: asyncpg.Pool
    ) -> None:
        reference, auth = customer

        responses = await asyncio.gather(
            *(
                client.post(
                    f"/glue/customers/{reference}/addresses",
                    json=address_document(),
                    headers=auth,
                )
                for _ in range(6)
            )
        )

        assert sorted(r.status_code for r in responses) == [201, 201, 400, 400, 400, 400]
        assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 2
