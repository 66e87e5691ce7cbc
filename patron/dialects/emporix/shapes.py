"""Patron's records in Emporix' response shapes (reference 2.4 and 3.1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from patron.core.back_office.customers_by_number import ManagedCustomer
from patron.core.domain.model import Address, Customer, Salutation


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds, as Emporix writes its dates."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Expand:
    """What `expand` asked for beside the profile (reference 1.2)."""

    addresses: bool = False
    accounts: bool = False
    mixins: frozenset[str] | None = None
    """The mixins to show: None none, an empty set every one (`mixin:*`)."""


MIXINS = "mixins"
MIXIN_SCHEMAS = "mixinSchemas"
CUSTOMER_TYPE = "customerType"
"""Where Emporix' own parts of a customer live in the core's metadata."""


def title(record: Customer) -> str | None:
    """The title as written; for a customer another dialect made, its salutation in
    Emporix' upper case (MR, MRS...)."""
    if record.title is not None:
        return record.title
    if record.salutation is not None and record.salutation is not Salutation.NONE:
        return record.salutation.name
    return None


def customer(view: ManagedCustomer, expand: Expand = Expand()) -> dict[str, Any]:
    """`CustomerForSellerDto`: the profile (unset fields left out). B2B when the customer
    belongs to a company (a customer group), its legal entities being those groups.
    `contactEmail` is the contact email (the login unless one is kept apart), `accounts`
    the login email."""
    record = view.customer
    number = record.customer_number
    metadata = record.metadata if isinstance(record.metadata, dict) else {}
    schemas = metadata.get(MIXIN_SCHEMAS)
    b2b: dict[str, Any] = {}
    if record.vat_id is not None:
        b2b["companyRegistrationId"] = record.vat_id
    if view.companies:
        b2b["legalEntities"] = [
            {"id": str(group.uuid), "name": group.name} for group in view.companies
        ]
    body: dict[str, Any] = {
        "id": number,
        "customerNumber": number,
        "title": title(record),
        "firstName": record.first_name,
        "middleName": record.middle_name,
        "lastName": record.last_name,
        "contactPhone": record.phone,
        "company": record.company,
        "contactEmail": record.shown_contact_email,
        "preferredLanguage": record.language,
        "preferredCurrency": record.currency,
        "preferredSite": record.site,
        "type": metadata.get(CUSTOMER_TYPE),
        "photoUrl": record.website,
        "restriction": record.restriction,
        "active": record.is_active,
        "onHold": record.on_hold,
        "businessModel": "B2B" if view.companies else "B2C",
        "b2b": b2b or None,
        "metadata": {
            "version": record.version,
            "mixins": schemas if isinstance(schemas, dict) else {},
        },
        "metadataCreatedAt": timestamp(record.created_at),
        "lastLogin": timestamp(record.last_login_at),
    }
    if expand.mixins is not None:
        held = metadata.get(MIXINS)
        mixins = held if isinstance(held, dict) else {}
        wanted = expand.mixins
        body["mixins"] = {k: v for k, v in mixins.items() if not wanted or k in wanted}
    if expand.accounts:
        body["accounts"] = [{"id": record.email}] if record.has_account else []
    if expand.addresses and view.addresses is not None:
        body["addresses"] = addresses(view.addresses)
        default = default_address(view.addresses)
        body["defaultAddress"] = address(default, is_default=True) if default else None
    return {key: value for key, value in body.items() if value is not None}


BILLING = "BILLING"
SHIPPING = "SHIPPING"
# Where an address keeps what only Emporix has, in the core's address metadata.
EXTRA_LINES = "extraLines"
"""`{"extraLine1": ..., ...}`: the lines after the street."""
MIXINS = "mixins"
"""The address's mixins (free JSON per mixin name)."""
MIXIN_SCHEMAS = "mixinSchemas"
"""`metadata.mixins`: the schema URL of each mixin."""
EMPORIX_METADATA = (EXTRA_LINES, MIXINS, MIXIN_SCHEMAS)


def address_id(record: Address) -> str:
    """The id the caller gave the address, else its uuid (the id Glue and Medusa show)."""
    return record.code if record.code is not None else str(record.uuid)


def contact_name(record: Address) -> str | None:
    """Emporix keeps one name; Patron keeps first and last: joined by a space."""
    name = " ".join(part for part in (record.first_name, record.last_name) if part)
    return name or None


def is_the_default(record: Address, *, billing_default_exists: bool) -> bool:
    """Whether the address is Emporix' one default address of its customer: the default
    billing address, or, when the customer has none, the default shipping address
    (decision 276). `billing_default_exists`: the customer has a default billing address."""
    return record.is_default_billing or (record.is_default_shipping and not billing_default_exists)


def default_address(records: Sequence[Address]) -> Address | None:
    """The customer's one default address among all its addresses, if it has one."""
    billing = any(record.is_default_billing for record in records)
    return next((r for r in records if is_the_default(r, billing_default_exists=billing)), None)


def addresses(records: Sequence[Address]) -> list[dict[str, Any]]:
    """Every address of one customer, the one default among them marked `isDefault`."""
    default = default_address(records)
    chosen = default.id if default is not None else None
    return [address(record, is_default=record.id == chosen) for record in records]


def address_among(record: Address, records: Sequence[Address]) -> dict[str, Any]:
    """One address of a customer whose addresses are `records`."""
    default = default_address(records)
    return address(record, is_default=default is not None and default.id == record.id)


def address_tags(record: Address) -> list[str]:
    """The stored tags, plus BILLING and SHIPPING where the address is that default: the
    core's default flags are what Glue, Medusa and Aimeos show, so they are the truth."""
    tags = list(record.tags)
    for tag, is_default in (
        (BILLING, record.is_default_billing),
        (SHIPPING, record.is_default_shipping),
    ):
        if is_default and tag not in tags:
            tags.append(tag)
    return tags


def _object(value: Any) -> dict[str, Any]:
    """Metadata another dialect wrote may hold anything: only an object is shown as one."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def address(record: Address, *, is_default: bool) -> dict[str, Any]:
    """`Address` (reference 3.1). `is_default`: whether it is the customer's one default
    (`is_the_default`, which needs the customer's other addresses). Mixins are always
    shown (the address routes have no `expand`)."""
    extra = _object(record.metadata.get(EXTRA_LINES))
    metadata: dict[str, Any] = {"version": record.version}
    if MIXIN_SCHEMAS in record.metadata:
        metadata["mixins"] = _object(record.metadata[MIXIN_SCHEMAS])
    body: dict[str, Any] = {
        "id": address_id(record),
        "contactName": contact_name(record) or "",
        "companyName": record.company,
        "street": record.address1,
        "streetNumber": record.address2,
        "streetAppendix": record.address3,
        **{f"extraLine{n}": _text(extra.get(f"extraLine{n}")) for n in range(1, 5)},
        "zipCode": record.zip_code,
        "city": record.city,
        "country": record.country_code,
        "state": record.region,
        "contactPhone": record.phone,
        "isDefault": is_default,
        "tags": address_tags(record),
        "metadata": metadata,
        "mixins": _object(record.metadata[MIXINS]) if MIXINS in record.metadata else None,
    }
    return {key: value for key, value in body.items() if value is not None}
