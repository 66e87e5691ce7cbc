"""JSON:API documents in Glue's shape: absolute self links, nulls kept, Propel timestamps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import orjson
from starlette.responses import JSONResponse

from patron.core.domain.countries import country_name
from patron.core.domain.model import Address, Customer, Salutation, TokenPair

MEDIA_TYPE = "application/vnd.api+json"


class JsonApiResponse(JSONResponse):
    """A JSONResponse, so that FastAPI documents the route's model as its JSON body."""

    media_type = MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def timestamp(value: datetime) -> str:
    """Glue's customer samples show Propel's `2018-11-06 08:15:02.694668`, in UTC."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def resource(
    type_: str, id_: str | None, attributes: dict[str, Any], self_link: str
) -> dict[str, Any]:
    return {"type": type_, "id": id_, "attributes": attributes, "links": {"self": self_link}}


def single(item: dict[str, Any]) -> dict[str, Any]:
    return {"data": item}


def collection(items: Iterable[dict[str, Any]], self_link: str) -> dict[str, Any]:
    return {"data": list(items), "links": {"self": self_link}}


def sparse(document: dict[str, Any], fieldsets: Mapping[str, frozenset[str]]) -> dict[str, Any]:
    """Keep only the listed attributes of each resource type, main and included.

    Names the resource does not have are ignored, as Glue's `ResponseBuilder` does; type,
    id, links and relationships are never touched.
    """
    data = document.get("data")
    resources = data if isinstance(data, list) else [data] if data else []
    for item in (*resources, *document.get("included", ())):
        wanted = fieldsets.get(item["type"])
        if wanted is not None:
            item["attributes"] = {k: v for k, v in item["attributes"].items() if k in wanted}
    return document


GLUE_SALUTATIONS: Mapping[Salutation, str | None] = {
    Salutation.MISS: "Ms",
    Salutation.COMPANY: None,
    Salutation.NONE: None,
}
"""Salutations outside Glue's list (Mr, Mrs, Ms, Dr, or null), such as another dialect's
Miss and Company, as the nearest Glue knows: a Glue client only ever reads its own values."""


def glue_salutation(salutation: Salutation | None) -> str | None:
    if salutation is None:
        return None
    return GLUE_SALUTATIONS.get(salutation, salutation.value)


def customer_attributes(customer: Customer) -> dict[str, Any]:
    return {
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "email": customer.email,
        "gender": customer.gender.value if customer.gender else None,
        "dateOfBirth": iso_date(customer.birth_date),
        "salutation": glue_salutation(customer.salutation),
        "createdAt": timestamp(customer.created_at),
        "updatedAt": timestamp(customer.updated_at),
    }


def customer_resource(customer: Customer, base_url: str) -> dict[str, Any]:
    return resource(
        "customers",
        customer.customer_number,
        customer_attributes(customer),
        f"{base_url}/customers/{customer.customer_number}",
    )


def address_attributes(address: Address) -> dict[str, Any]:
    """In the order of Glue's samples; `country` is the name derived from the code."""
    return {
        "salutation": glue_salutation(address.salutation),
        "firstName": address.first_name,
        "lastName": address.last_name,
        "address1": address.address1,
        "address2": address.address2,
        "address3": address.address3,
        "zipCode": address.zip_code,
        "city": address.city,
        "country": country_name(address.country_code),
        "iso2Code": address.country_code,
        "company": address.company,
        "phone": address.phone,
        "isDefaultShipping": address.is_default_shipping,
        "isDefaultBilling": address.is_default_billing,
    }


def address_resource(address: Address, customer_reference: str, base_url: str) -> dict[str, Any]:
    return resource(
        "addresses",
        str(address.uuid),
        address_attributes(address),
        f"{base_url}/customers/{customer_reference}/addresses/{address.uuid}",
    )


def relate(item: dict[str, Any], type_: str, related: Iterable[dict[str, Any]]) -> None:
    """Name `related` in `item.relationships.<type_>` (an empty list when there are none)."""
    item.setdefault("relationships", {})[type_] = {
        "data": [{"type": r["type"], "id": r["id"]} for r in related]
    }


def include(document: dict[str, Any], related: Iterable[dict[str, Any]]) -> None:
    """Add `related` to the top-level `included`, each resource once; no member when empty."""
    included = document.get("included", [])
    seen = {(r["type"], r["id"]) for r in included}
    for item in related:
        if (item["type"], item["id"]) not in seen:
            seen.add((item["type"], item["id"]))
            included.append(item)
    if included:
        document["included"] = included


def token_attributes(pair: TokenPair) -> dict[str, Any]:
    return {
        "tokenType": pair.token_type,
        "expiresIn": pair.expires_in,
        "accessToken": pair.access_token,
        "refreshToken": pair.refresh_token,
    }
