"""Text the model holds: how long each field may be and which characters it refuses.

Every command's text is checked here, once, before anything expensive runs, so no dialect
can store a megabyte first name, a NUL that PostgreSQL cannot hold, or a line break and a
bidi override that turn a name into a forged line of an email. Each dialect renders
`FieldsInvalid` in its own validation format, naming its own fields.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from patron.core.domain.commands import MetadataPatch
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned
characters (noncharacters included), and line and paragraph separators."""
MULTI_LINE_ALLOWED = frozenset("\n\r\t")
MAX_METADATA_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class Text:
    max_length: int
    multi_line: bool = False
    min_length: int = 0
    """1 for a name a record is found by (a property's type): empty names nothing."""


NAME = Text(100)
LINE = Text(255)

# Email addresses are checked by `emails.clean_email` (length first, then syntax).
CUSTOMER_TEXT: Mapping[str, Text] = {
    "title": NAME,
    "first_name": NAME,
    "middle_name": NAME,
    "last_name": NAME,
    "company": LINE,
    "vat_id": Text(64),
    "phone": LINE,
    "language": Text(35),
    "currency": Text(3),
    "site": LINE,
    # Aimeos' column sizes for what it added.
    "code": Text(255, min_length=1),
    "mobile": Text(32),
    "fax": Text(32),
    "website": LINE,
    "label": LINE,
}
# Country codes are checked against ISO 3166 (`countries`).
ADDRESS_TEXT: Mapping[str, Text] = {
    "title": NAME,
    "first_name": NAME,
    "last_name": NAME,
    "company": LINE,
    "address1": LINE,
    "address2": LINE,
    "address3": LINE,
    "zip_code": Text(32),
    "city": LINE,
    "region": LINE,
    "phone": LINE,
    "comment": Text(2000, multi_line=True),
    "vat_id": Text(32),
    "language": Text(5),
    "fax": Text(32),
    "mobile": Text(32),
    "email": LINE,
    "website": LINE,
    # A caller-chosen address id is typed into URLs: Emporix' custom ids are 1-66 long
    # (and, as a login name's, may hold no white space).
    "code": Text(66, min_length=1),
}
TAG = Text(64, min_length=1)
MAX_TAGS = 32
"""An address's free labels (Emporix' tags): how many, and how long each."""
# Aimeos' limits for its customer properties and list items.
PROPERTY_TEXT: Mapping[str, Text] = {"type": Text(64, min_length=1), "value": LINE}
LIST_TEXT: Mapping[str, Text] = {
    "domain": Text(32, min_length=1),
    "type": Text(64, min_length=1),
    "ref_id": Text(36, min_length=1),
}
MAX_CONFIG_BYTES = 64 * 1024
COORDINATES: Mapping[str, float] = {"latitude": 90.0, "longitude": 180.0}
"""Each coordinate's bound either side of zero."""
LOGIN_NAME = "code"
SUBSCRIPTION_TEXT: Mapping[str, Text] = {"sku": LINE, "locale": Text(35)}
PRODUCT_TEXT: Mapping[str, Text] = {"sku": LINE, "name": LINE}
TENANT_TEXT: Mapping[str, Text] = {"name": LINE}
# Medusa's group name is a varchar(255); metadata is bounded like a customer's.
GROUP_TEXT: Mapping[str, Text] = {"name": LINE}


def refused_character(value: str, *, multi_line: bool = False) -> bool:
    """True when `value` holds a character its field refuses."""
    if value.isprintable():  # the usual case, in C: no refused category is printable
        return False
    return any(
        unicodedata.category(character) in REFUSED_CATEGORIES
        and not (multi_line and character in MULTI_LINE_ALLOWED)
        for character in value
        if not character.isprintable()
    )


def problems_in(values: Mapping[str, object], fields: Mapping[str, Text]) -> list[FieldProblem]:
    """Length first (cheap, and it bounds the rest), then characters, field by field."""
    found: list[FieldProblem] = []
    for name, value in values.items():
        if name == "metadata":
            found += json_problems(name, value, MAX_METADATA_BYTES)
            continue
        if name in COORDINATES:
            if value is not None and not on_the_globe(value, COORDINATES[name]):
                found.append(FieldProblem(name, FieldRule.INVALID, int(COORDINATES[name])))
            continue
        text = fields.get(name)
        if text is None or not isinstance(value, str):
            continue
        if len(value) > text.max_length:
            found.append(FieldProblem(name, FieldRule.TOO_LONG, text.max_length))
        elif len(value) < text.min_length:
            found.append(FieldProblem(name, FieldRule.INVALID))
        elif refused_character(value, multi_line=text.multi_line):
            found.append(FieldProblem(name, FieldRule.CHARACTERS))
        elif name == LOGIN_NAME and any(character.isspace() for character in value):
            # A login name is typed at a login form: white space there is a mistake.
            found.append(FieldProblem(name, FieldRule.CHARACTERS))
    return found


def tag_problems(tags: tuple[str, ...]) -> list[FieldProblem]:
    """At most `MAX_TAGS` labels, each a short, non-empty, single-line text."""
    if len(tags) > MAX_TAGS:
        return [FieldProblem("tags", FieldRule.INVALID, MAX_TAGS)]
    for tag in tags:
        if len(tag) > TAG.max_length:
            return [FieldProblem("tags", FieldRule.TOO_LONG, TAG.max_length)]
        if len(tag) < TAG.min_length:
            return [FieldProblem("tags", FieldRule.INVALID)]
        if refused_character(tag):
            return [FieldProblem("tags", FieldRule.CHARACTERS)]
    return []


def json_problems(name: str, value: object, max_bytes: int) -> list[FieldProblem]:
    """A JSON value that can be stored: serializable, within `max_bytes`, holding no NUL
    (valid JSON, but no PostgreSQL jsonb holds it)."""
    try:
        size = len(orjson.dumps(value))
    except orjson.JSONEncodeError:  # an integer past 64 bits: no jsonb codec writes it
        return [FieldProblem(name, FieldRule.INVALID)]
    if size > max_bytes:
        return [FieldProblem(name, FieldRule.TOO_LONG, max_bytes)]
    if holds_nul(value):
        return [FieldProblem(name, FieldRule.CHARACTERS)]
    return []


def on_the_globe(value: object, bound: float) -> bool:
    """A finite number within `-bound..bound` (a bool is no coordinate)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and -bound <= value <= bound
    )


def coordinates_of(command: object) -> dict[str, object]:
    """A new record's latitude and longitude, checked by `problems_in` beside its text."""
    return {name: value for name in COORDINATES if (value := getattr(command, name)) is not None}


def check_text(values: Mapping[str, object], fields: Mapping[str, Text]) -> None:
    if found := problems_in(values, fields):
        raise FieldsInvalid(found)


def patch_problems(patch: MetadataPatch) -> list[FieldProblem]:
    """What is wrong with the values a patch writes, before any row is locked."""
    return problems_in({"metadata": patch.set}, {})


def patched_metadata(current: dict[str, Any], patch: MetadataPatch) -> dict[str, Any]:
    """`patch` applied to `current` (under the caller's row lock), refused if the result
    outgrows what metadata may hold: small patches add up."""
    merged = patch.apply(current)
    check_text({"metadata": merged}, {})
    return merged


def holds_nul(value: Any) -> bool:
    """Whether any string (key or value) holds NUL, which no PostgreSQL text can store;
    without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
