"""One attribute table per resource, from which both the input checks and the OPTIONS
document (`meta.attributes`) come, so the two cannot drift apart.

Each attribute names its core field and how its value is read (`values`), with the
database column's length as the limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from patron.dialects.aimeos.text import strip_tags
from patron.dialects.aimeos.values import (
    Reader,
    birthday,
    code,
    config,
    coordinate,
    country,
    date_time,
    email,
    integer,
    language,
    password,
    required_text,
    salutation,
    text,
    value_text,
    vat_id,
    website,
)


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
    as_typed: bool = False
    """Never shown, so never stripped of tags: Aimeos strips the password too, and a
    customer who chose "Pa55<word>" could then never log in with it (a deviation)."""


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
    ignored; `strip` runs PHP's `strip_tags` on every string but those kept `as_typed` first
    (Aimeos does so for the customer's own values)."""
    fields: dict[str, Any] = {}
    for key, value in sent.items():
        attribute = table.get(key)
        if attribute is None or attribute.field is None:
            continue
        if strip and isinstance(value, str) and not attribute.as_typed:
            value = strip_tags(value)
        fields[attribute.field] = attribute.read(key, value)
    return fields


# --- the tables ---------------------------------------------------------------------------


def _table(*attributes: Attribute) -> dict[str, Attribute]:
    return {a.key: a for a in attributes}


def _contact(prefix: str, *, billing: bool) -> tuple[Attribute, ...]:
    """The address fields customers and addresses share, in Aimeos' OPTIONS order."""
    p = prefix

    def a(
        key: str,
        label: str,
        read: Reader,
        field: str,
        *,
        type: str = "string",
        required: bool = False,
        listed: bool = True,
        billing: bool = False,
    ) -> Attribute:
        return Attribute(
            f"{p}.{key}",
            label,
            read,
            field,
            type=type,
            required=required,
            listed=listed,
            billing=billing,
        )

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
        "customer.password",
        "Password of the customer, generated if emtpy",
        password,
        "password",
        as_typed=True,
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
