"""Patron's records in Emporix' response shapes (reference 2.4 and 3.1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from patron.core.model import Address, Customer


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds, as Emporix writes its dates."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def customer(record: Customer) -> dict[str, Any]:
    """`CustomerForSellerDto`: the profile (unset fields left out)."""
    number = record.customer_number
    body: dict[str, Any] = {
        "id": number,
        "customerNumber": number,
        "firstName": record.first_name,
        "middleName": record.middle_name,
        "lastName": record.last_name,
        "contactPhone": record.phone,
        "company": record.company,
        "contactEmail": record.email,
        "preferredLanguage": record.language,
        "preferredCurrency": record.currency,
        "preferredSite": record.site,
        "restriction": record.restriction,
        "active": record.is_active,
        "onHold": record.on_hold,
        "metadata": {"version": record.version},
        "metadataCreatedAt": timestamp(record.created_at),
        "lastLogin": timestamp(record.last_login_at),
    }
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


def address(record: Address) -> dict[str, Any]:
    """`Address` (reference 3.1). `isDefault`: the default billing or shipping address.
    Mixins are always shown (the address routes have no `expand`)."""
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
        "isDefault": record.is_default_billing or record.is_default_shipping,
        "tags": address_tags(record),
        "metadata": metadata,
        "mixins": _object(record.metadata[MIXINS]) if MIXINS in record.metadata else None,
    }
    return {key: value for key, value in body.items() if value is not None}
