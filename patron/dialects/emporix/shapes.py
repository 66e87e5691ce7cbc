"""Patron's records in Emporix' response shapes (reference 2.4 and 3.1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from patron.core.model import Customer


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
