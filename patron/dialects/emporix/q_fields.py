"""The customer fields Emporix' `q` may name, and how a literal becomes a typed value.

An explicit allow-list: a name not in it is refused, so no query reaches a column the core
did not offer. Mixins (`mixins.<name>...`) live in the customer's metadata under "mixins".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import CUSTOMER_FILTER_FIELDS, FilterValue

METADATA_FIELD = "metadata"
MIXINS_PREFIX = "mixins"

_INT_PATTERN = re.compile(r"-?[0-9]+")
_FLOAT_PATTERN = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_INT_LIMIT = 2**63
"""Integers are bounded to what a signed 64-bit column holds."""


@dataclass(frozen=True, slots=True)
class Literal:
    """A value as written in the query: its text, whether it was quoted, where it starts."""

    text: str
    quoted: bool
    position: int


Reader = Callable[[str, Literal], FilterValue]
"""Turns a literal into the field's type; gets the Emporix field name for messages."""


def _refuse(field: str, expected: str, literal: Literal) -> QueryInvalid:
    return QueryInvalid(
        f'Field "{field}" expects {expected}, got "{literal.text}" at {literal.position}'
    )


def _read_text(field: str, literal: Literal) -> FilterValue:
    return literal.text


def _read_integer(field: str, literal: Literal) -> FilterValue:
    if literal.quoted or not _INT_PATTERN.fullmatch(literal.text):
        raise _refuse(field, "an integer", literal)
    number = int(literal.text)
    if not -_INT_LIMIT <= number < _INT_LIMIT:
        raise _refuse(field, "a 64-bit integer", literal)
    return number


def _read_boolean(field: str, literal: Literal) -> FilterValue:
    if literal.quoted or literal.text not in ("true", "false"):
        raise _refuse(field, "true or false", literal)
    return literal.text == "true"


def _read_datetime(field: str, literal: Literal) -> FilterValue:
    """ISO 8601; a time without offset is read as UTC, every value comes back in UTC."""
    try:
        moment = datetime.fromisoformat(literal.text)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _refuse(field, "an ISO 8601 date-time", literal) from None


def read_json_literal(field: str, literal: Literal) -> FilterValue:
    """Mixins hold any JSON: a bare number or boolean keeps its type, anything else is text."""
    if literal.quoted:
        return literal.text
    if literal.text in ("true", "false"):
        return literal.text == "true"
    if _INT_PATTERN.fullmatch(literal.text):
        return _read_integer(field, literal)
    if _FLOAT_PATTERN.fullmatch(literal.text):
        number = float(literal.text)
        if number in (float("inf"), float("-inf")):
            raise _refuse(field, "a finite number", literal)
        return number
    return literal.text


_READERS: dict[type, Reader] = {
    str: _read_text,
    int: _read_integer,
    bool: _read_boolean,
    datetime: _read_datetime,
}


@dataclass(frozen=True, slots=True)
class Target:
    """What a field name of a query points at in the core."""

    field: str
    path: tuple[str, ...]
    read: Reader
    comparable: bool
    """Takes `<`, `>`, `<=`, `>=` (booleans do not)."""
    textual: bool
    """Takes a `~` regular expression."""
    is_mixin: bool
    """Takes `exists` and `missing`."""


def _column(core_field: str) -> Target:
    kind = CUSTOMER_FILTER_FIELDS[core_field]
    return Target(
        field=core_field,
        path=(),
        read=_READERS[kind],
        comparable=kind is not bool,
        textual=kind is str,
        is_mixin=False,
    )


FIELD_NAMES: dict[str, str] = {
    "id": "customer_number",
    "customerNumber": "customer_number",
    "contactEmail": "contact_email",
    "email": "email",
    "title": "title",
    "firstName": "first_name",
    "middleName": "middle_name",
    "lastName": "last_name",
    "company": "company",
    "contactPhone": "phone",
    "preferredLanguage": "language",
    "preferredCurrency": "currency",
    "preferredSite": "site",
    "active": "is_active",
    "onHold": "on_hold",
    "metadataCreatedAt": "created_at",
    "metadata.createdAt": "created_at",
    "metadataModifiedAt": "updated_at",
    "metadata.modifiedAt": "updated_at",
    "metadata.version": "version",
    "restriction": "restriction",
    "b2b.companyRegistrationId": "vat_id",
}
"""Emporix' customer field names (as `q` and `sort` write them) -> the core's; `id` is
Emporix' customer id, which is its customer number; `contactEmail` the contact email as
shown, `email` the login."""

CUSTOMER_FIELDS: dict[str, Target] = {
    name: _column(core_field) for name, core_field in FIELD_NAMES.items()
}


def resolve(segments: list[str], position: int) -> Target:
    """The target of a dotted field name, or `QueryInvalid` naming the unknown field."""
    name = ".".join(segments)
    if segments[0] == MIXINS_PREFIX:
        if len(segments) == 1:
            raise QueryInvalid(f'Field "mixins" needs a mixin name ("mixins.name") at {position}')
        return Target(
            field=METADATA_FIELD,
            path=tuple(segments),
            read=read_json_literal,
            comparable=True,
            textual=True,
            is_mixin=True,
        )
    target = CUSTOMER_FIELDS.get(name)
    if target is None:
        raise QueryInvalid(f'Unknown field "{name}" at {position}')
    return target
