"""How Aimeos' item setters and `Utils` read a value sent for an attribute (reference 3.7):
each reader gives the core's value or refuses it with 404 and a title naming it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from patron.core.domain.email_addresses import clean_email
from patron.core.domain.errors.invalid_input import EmailInvalid
from patron.core.domain.model import Salutation
from patron.dialects.aimeos.errors import invalid

Reader = Callable[[str, Any], Any]
"""(attribute key, value sent) -> the core's value, or `AimeosError` 404."""


def _scalar(key: str, value: Any) -> str:
    """A value as PHP's `(string)` cast gives it; arrays and objects are refused."""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and math.isfinite(value):
        return str(value)
    if value is None:
        return ""
    raise invalid(f'Invalid value for "{key}"')


def text(limit: int) -> Reader:
    """Free text within the column's length; "" or null clears it."""

    def read(key: str, value: Any) -> str | None:
        found = _scalar(key, value)
        if len(found) > limit:
            raise invalid(f'Value of "{key}" is longer than {limit} characters')
        return found or None

    return read


def required_text(limit: int) -> Reader:
    """Text that cannot be cleared (a property's type, a list item's domain)."""
    optional = text(limit)

    def read(key: str, value: Any) -> str:
        found = optional(key, value)
        if found is None:
            raise invalid(f'Value of "{key}" is missing')
        return str(found)

    return read


def value_text(limit: int) -> Reader:
    """Text where "" is a value of its own (a property's value)."""

    def read(key: str, value: Any) -> str:
        found = _scalar(key, value)
        if len(found) > limit:
            raise invalid(f'Value of "{key}" is longer than {limit} characters')
        return found

    return read


SALUTATIONS: Mapping[str, Salutation] = {
    "mr": Salutation.MR,
    "mrs": Salutation.MRS,
    "ms": Salutation.MS,
    "miss": Salutation.MISS,
    "dr": Salutation.DR,
    "company": Salutation.COMPANY,
}
SHOWN_SALUTATIONS: Mapping[Salutation, str] = {v: k for k, v in SALUTATIONS.items()}


def salutation(key: str, value: Any) -> Salutation | None:
    """Aimeos keeps any salutation of up to 8 characters; Patron keeps the ones every
    dialect knows and "n/a" for the rest."""
    found = _scalar(key, value)
    if len(found) > 8:
        raise invalid(f'Address salutation "{found}" not within allowed range')
    if not found:
        return None
    return SALUTATIONS.get(found.lower(), Salutation.NONE)


def email(key: str, value: Any) -> str | None:
    found = _scalar(key, value).strip()
    if not found:
        return None
    try:
        return clean_email(found)
    except EmailInvalid:
        raise invalid(f'Invalid characters in email address: "{found}"') from None


_WEBSITE = re.compile(r"^([a-z]+://)?[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)+(:[0-9]+)?(/.*)?$")


def website(key: str, value: Any) -> str | None:
    found = _scalar(key, value)
    if found and (len(found) > 255 or not _WEBSITE.fullmatch(found)):
        raise invalid(f'Invalid web site URL "{found}"')
    return found or None


_COUNTRY = re.compile(r"[A-Za-z]{2}")


def country(key: str, value: Any) -> str | None:
    found = _scalar(key, value)
    if not found:
        return None
    if not _COUNTRY.fullmatch(found):
        raise invalid(f'Invalid country code "{found}"')
    return found.upper()


_LANGUAGE = re.compile(r"([a-zA-Z]{2})(?:_([a-zA-Z]{2}))?")


def language(key: str, value: Any) -> str | None:
    """`de` or `de_CH`, normalised as Aimeos' `Utils::language` does."""
    found = _scalar(key, value)
    if not found:
        return None
    match = _LANGUAGE.fullmatch(found)
    if match is None:
        raise invalid(f'Invalid language ID "{found}"')
    region = match.group(2)
    return match.group(1).lower() + (f"_{region.upper()}" if region else "")


_DATE = re.compile(r"[0-9]{4}-[0-1][0-9]-[0-3][0-9]")


def birthday(key: str, value: Any) -> date | None:
    found = _scalar(key, value)
    if not found:
        return None
    try:
        if not _DATE.fullmatch(found):
            raise ValueError(found)
        return date.fromisoformat(found)
    except ValueError:
        raise invalid(f'Invalid date "{found}"') from None


_DATETIME = re.compile(r"([0-9]{4}-[0-1][0-9]-[0-3][0-9])[ T]([0-2][0-9]:[0-5][0-9](:[0-5][0-9])?)")


def date_time(key: str, value: Any) -> datetime | None:
    """`YYYY-MM-DD HH:mm:ss`, also with a `T` and without seconds (Aimeos' `Utils`)."""
    found = _scalar(key, value)
    if not found:
        return None
    match = _DATETIME.fullmatch(found)
    try:
        if match is None:
            raise ValueError(found)
        return datetime.fromisoformat(f"{match.group(1)} {match.group(2)}")
    except ValueError:
        raise invalid(f'Invalid date/time "{found}"') from None


def coordinate(key: str, value: Any) -> float | None:
    """A float, sent as a number or a string; "" or null clears it."""
    if value is None or value == "":
        return None
    try:
        number = float(value) if isinstance(value, int | float | str) else math.nan
    except ValueError:
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise invalid(f'Invalid value for "{key}"')
    return number


def integer(key: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,9}", value.strip()):
        return int(value)
    raise invalid(f'Invalid value for "{key}"')


def vat_id(key: str, value: Any) -> str | None:
    """Spaces are removed, as Aimeos' `setVatId` does."""
    found = _scalar(key, value).replace(" ", "")
    if len(found) > 32:
        raise invalid(f'Value of "{key}" is longer than 32 characters')
    return found or None


_CODE_REFUSED = re.compile(r"[\s\x00-\x1f\x7f]")


def code(key: str, value: Any) -> str | None:
    """Aimeos' `Utils::code`: at most 255 characters, no whitespace or control characters."""
    found = _scalar(key, value)
    if len(found) > 255 or _CODE_REFUSED.search(found):
        raise invalid(f'Invalid customer code "{found}"')
    return found or None


def password(key: str, value: Any) -> str | None:
    """ "" or null: none given (a new account gets a generated one)."""
    if not isinstance(value, str) and value is not None:
        raise invalid(f'Invalid value for "{key}"')
    return value or None


def config(key: str, value: Any) -> dict[str, Any]:
    """A JSON object; PHP's empty array `[]` (and null) is the empty one."""
    if isinstance(value, dict):
        return value
    if value is None or value == [] or value == "":
        return {}
    raise invalid(f'Invalid value for "{key}"')


def shown_salutation(salutation: Salutation | None) -> str:
    """The core's salutation as Aimeos writes it; none (and "n/a") is ""."""
    return SHOWN_SALUTATIONS.get(salutation, "") if salutation else ""


def shown_text(value: str | None) -> str:
    """Aimeos' strings are never null: an unset one is ""."""
    return value or ""
