"""One attribute table per resource, from which both the input checks and the OPTIONS
document (`meta.attributes`) come, so the two cannot drift apart.

Each attribute names its core field and how its value is read: Aimeos' item setters and
`Utils` checks (reference 3.7), with the database column's length as the limit. A value
they refuse is 404 with a title naming it (`invalid`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from patron.core.email_addresses import clean_email
from patron.core.errors import EmailInvalid
from patron.core.model import Salutation
from patron.dialects.aimeos.errors import invalid
from patron.dialects.aimeos.text import strip_tags

Reader = Callable[[str, Any], Any]
"""(attribute key, value sent) -> the core's value, or `AimeosError` 404."""


@dataclass(frozen=True, slots=True)
class Attribute:
    key: str
    label: str
    read: Reader
    field: str | None = None
    """The core's field; None: ignored on input (private, as Aimeos' `customer.status`)."""
    type: str = "string"
    default: str = ""
    required: bool = False
    listed: bool = True
    """Described by OPTIONS (Aimeos leaves `customer.mobile` out, yet accepts it)."""
    billing: bool = False
    """A customer field kept on the customer's billing address (`customer.city`, ...)."""


def options(table: Mapping[str, Attribute]) -> dict[str, dict[str, Any]]:
    """`meta.attributes` of a resource's OPTIONS answer."""
    return {
        a.key: {"label": a.label, "type": a.type, "default": a.default, "required": a.required}
        for a in table.values()
        if a.listed
    }


def read_attributes(
    table: Mapping[str, Attribute], sent: Mapping[str, Any], *, strip: bool = False
) -> dict[str, Any]:
    """The core fields of the attributes sent, by field name. Unknown and private keys are
    ignored; `strip` runs PHP's `strip_tags` on every scalar first (Aimeos does so for the
    customer's own values)."""
    fields: dict[str, Any] = {}
    for key, value in sent.items():
        attribute = table.get(key)
        if attribute is None or attribute.field is None:
            continue
        if strip and isinstance(value, str):
            value = strip_tags(value)
        fields[attribute.field] = attribute.read(key, value)
    return fields


# --- readers ------------------------------------------------------------------------------


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


# --- the tables ---------------------------------------------------------------------------


def _table(*attributes: Attribute) -> dict[str, Attribute]:
    return {a.key: a for a in attributes}


def _contact(prefix: str, *, billing: bool) -> tuple[Attribute, ...]:
    """The address fields customers and addresses share, in Aimeos' OPTIONS order."""
    p = prefix

    def a(key: str, label: str, read: Reader, field: str, **more: Any) -> Attribute:
        return Attribute(f"{p}.{key}", label, read, field, **more)

    return (
        a(
            "salutation",
            'Customer salutation, i.e. "comany" ,"mr", "ms" or ""',
            salutation,
            "salutation",
        ),
        a("company", "Company name", text(100), "company"),
        a("vatid", "VAT ID of the company", vat_id, "vat_id"),
        a("title", "Title of the customer", text(64), "title"),
        a("firstname", "First name of the customer", text(64), "first_name"),
        a(
            "lastname",
            "Last name of the customer or full name",
            text(64),
            "last_name",
            required=True,
        ),
        a(
            "address1",
            "First address part like street",
            text(200),
            "address1",
            required=True,
            billing=billing,
        ),
        a(
            "address2",
            "Second address part like house number",
            text(200),
            "address2",
            billing=billing,
        ),
        a(
            "address3",
            "Third address part like flat number",
            text(200),
            "address3",
            billing=billing,
        ),
        a("postal", "Zip code of the city", text(16), "zip_code", billing=billing),
        a("city", "Name of the town/city", text(200), "city", required=True, billing=billing),
        a("state", "Two letter code of the country state", text(200), "region", billing=billing),
        a(
            "countryid",
            "Two letter ISO country code",
            country,
            "country_code",
            required=True,
            billing=billing,
        ),
        a(
            "languageid",
            'Two or five letter ISO language code, e.g. "de" or "de_CH"',
            language,
            "language",
        ),
        a(
            "telephone",
            'Telephone number consisting of option leading "+" and digits without spaces',
            text(32),
            "phone",
        ),
        a(
            "telefax",
            'Faximile number consisting of option leading "+" and digits without spaces',
            text(32),
            "fax",
        ),
        a("email", "E-mail address", email, "email"),
        a("website", 'Web site including "http://" or "https://"', website, "website"),
        a(
            "longitude",
            "Longitude of the customer location as float value",
            coordinate,
            "longitude",
            type="float",
        ),
        a(
            "latitude",
            "Latitude of the customer location as float value",
            coordinate,
            "latitude",
            type="float",
        ),
        a("mobile", "Mobile number", text(32), "mobile", listed=False),
    )


CUSTOMER = _table(
    *_contact("customer", billing=True),
    Attribute(
        "customer.label",
        "Label to identify the customer, will be firstname, lastname and company if empty",
        text(255),
        "label",
        required=True,
    ),
    Attribute(
        "customer.code",
        "Unique customer identifier, will be the e-mail address if empty",
        code,
        "code",
    ),
    Attribute(
        "customer.password", "Password of the customer, generated if emtpy", password, "password"
    ),
    Attribute(
        "customer.birthday", "ISO date in YYYY-MM-DD format of the birthday", birthday, "birth_date"
    ),
    Attribute(
        "customer.status",
        'Customer account status, i.e. "0" for disabled, "1" for enabled and is enabled by default',
        integer,
        type="integer",
        default="1",
    ),
)

ADDRESS = _table(
    *_contact("customer.address", billing=False),
    Attribute(
        "customer.address.birthday",
        "ISO date in YYYY-MM-DD format of the birthday",
        birthday,
        "birth_date",
    ),
)

PROPERTY = _table(
    Attribute("customer.property.type", "Property type", required_text(64), "type", required=True),
    Attribute("customer.property.languageid", "Property language", language, "language"),
    Attribute("customer.property.value", "Property value", value_text(255), "value"),
)

LISTS = _table(
    Attribute(
        "customer.lists.refid",
        "ID of the related domain item",
        required_text(36),
        "ref_id",
        required=True,
    ),
    Attribute(
        "customer.lists.domain",
        "Domain of the related item, e.g. product",
        required_text(32),
        "domain",
        required=True,
    ),
    Attribute("customer.lists.type", "Customer relation type", required_text(64), "type"),
    Attribute("customer.lists.config", "Associated configuration", config, "config", default="[]"),
    Attribute("customer.lists.datestart", "Start date of the relation", date_time, "starts_at"),
    Attribute("customer.lists.dateend", "End date of the relation", date_time, "ends_at"),
    Attribute("customer.lists.status", "Relation status", integer, "status", default="1"),
    Attribute(
        "customer.lists.position", "Position of the relation", integer, "position", listed=False
    ),
)
