"""Emporix' address requests (reference 3.1) and their translation into core commands.

Emporix' one `contactName` is the core's first and last name, split at the last space
(one word is a last name); `street`, `streetNumber` and `streetAppendix` are address
lines 1 to 3; the extra lines and the mixins live in the address's metadata (`shapes`).

Emporix has one default address per customer and free tags; the core has a default
billing and a default shipping address, which Glue, Medusa and Aimeos show. Emporix' one
is the default billing address, else the default shipping one (`shapes.is_the_default`).
`defaults` translates Emporix' writes: `isDefault: true` makes the address the default of
the kinds it is tagged for (of both when tagged for neither) and, unless it already was
Emporix' default, ends every other address's defaults, so it is the only one Emporix can
show; `isDefault: false` on Emporix' default leaves the customer no default; and an
address whose BILLING (SHIPPING) tag goes is no longer the default billing (shipping)
address. Only Emporix speaks in tags, so the rule lives here; the core applies it under
the customer's lock (decisions 276-279).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from patron.core.back_office.addresses import Edit
from patron.core.domain.command_fields import address_change, address_draft
from patron.core.domain.commands import AddressChange, AddressDraft
from patron.core.domain.model import Address
from patron.core.ports.customers import AddressSummary
from patron.dialects.emporix import shapes
from patron.dialects.emporix.schemas import CUSTOM_ID
from patron.dialects.emporix.shapes import (
    BILLING,
    EMPORIX_METADATA,
    EXTRA_LINES,
    MIXIN_SCHEMAS,
    MIXINS,
    SHIPPING,
)

ADDRESS_ID_PATTERN = CUSTOM_ID
"""Emporix documents no rule for custom address ids: its custom customer ids' rule."""
EXTRA_LINE_NAMES = tuple(f"extraLine{n}" for n in range(1, 5))
# Emporix' field -> the core's (contactName and the metadata parts are translated apart).
CORE_NAMES = {
    "companyName": "company",
    "street": "address1",
    "streetNumber": "address2",
    "streetAppendix": "address3",
    "zipCode": "zip_code",
    "city": "city",
    "country": "country_code",
    "state": "region",
    "contactPhone": "phone",
}
ALL_NAMED = frozenset({*CORE_NAMES, "contactName"})


class AddressMetadata(BaseModel):
    """`metadata`: the mixins' schema URLs, and the version an update expects."""

    model_config = ConfigDict(strict=True, extra="ignore")

    mixins: dict[str, Any] | None = None
    version: Annotated[int, Field(ge=1)] | None = None
    """Optimistic locking, when given: the version the caller last read."""


class AddressBody(BaseModel):
    """`AddressUpdateDto` (PUT, PATCH): every field optional. Read-only fields a client
    sends back (`id`) are ignored. Types are strict, as the customer bodies' (`schemas`):
    a number is no string, and "yes" or 1 no boolean."""

    model_config = ConfigDict(strict=True, extra="ignore")

    contactName: str | None = None
    companyName: str | None = None
    street: str | None = None
    streetNumber: str | None = None
    streetAppendix: str | None = None
    extraLine1: str | None = None
    extraLine2: str | None = None
    extraLine3: str | None = None
    extraLine4: str | None = None
    zipCode: str | None = None
    city: str | None = None
    country: str | None = None
    state: str | None = None
    contactPhone: str | None = None
    isDefault: bool | None = None
    tags: list[str] | None = None
    metadata: AddressMetadata | None = None
    mixins: dict[str, Any] | None = None


class NewAddressBody(AddressBody):
    """`Address_2` (POST): `contactName` required, an optional custom `id`."""

    id: str | None = Field(default=None, pattern=ADDRESS_ID_PATTERN)
    contactName: str = Field(min_length=1)


def unique(tags: Iterable[str]) -> tuple[str, ...]:
    """Each tag once, in the order first given."""
    return tuple(dict.fromkeys(tags))


def defaults(
    tags: Iterable[str],
    is_default: bool | None,
    current: Address | None,
    summary: AddressSummary | None,
) -> dict[str, Any]:
    """The core's default flags for an address with these (final) tags, and whether the
    other addresses lose theirs. `current`/`summary`: the address and its customer's
    defaults as stored (None: a new address). `is_default` None: not asked, so only a
    default whose tag is gone is dropped; so is False on an address that is not Emporix'
    default (a client writing back what it read)."""
    tagged = set(tags)
    billing, shipping = BILLING in tagged, SHIPPING in tagged
    was_default = (
        current is not None
        and summary is not None
        and shapes.is_the_default(current, billing_default_exists=summary.has_default_billing)
    )
    if is_default:
        untagged = not (billing or shipping)
        return {
            "is_default_billing": billing or untagged,
            "is_default_shipping": shipping or untagged,
            "end_other_defaults": not was_default,
        }
    if is_default is False and was_default:
        return {
            "is_default_billing": False,
            "is_default_shipping": False,
            "end_other_defaults": True,
        }
    flags: dict[str, Any] = {}
    if current is not None and current.is_default_billing and not billing:
        flags["is_default_billing"] = False
    if current is not None and current.is_default_shipping and not shipping:
        flags["is_default_shipping"] = False
    return flags


def draft(body: AddressBody, code: str | None = None) -> AddressDraft:
    """A new address as `body` describes it. Its defaults are exactly as asked (Emporix'
    `isDefault` defaults to false), not the first-of-its-kind promotion of Glue's."""
    tags = unique(body.tags or ())
    given = {
        "tags": tags,
        "code": code,
        "metadata": _metadata({}, body, replace=True),
        "promote_first": False,
    }
    flags = defaults(tags, bool(body.isDefault), None, None)
    return address_draft(_values(body, ALL_NAMED) | given | flags)


def replacing(body: AddressBody) -> Edit:
    """PUT on an address there: every writable field as `body` has it (absent: cleared,
    `isDefault` absent: false); metadata other dialects wrote is kept."""

    def edit(current: Address, summary: AddressSummary) -> AddressChange:
        tags = unique(body.tags or ())
        given = {"tags": tags, "metadata": _metadata(current.metadata, body, replace=True)}
        flags = defaults(tags, bool(body.isDefault), current, summary)
        return address_change(_values(body, ALL_NAMED) | given | flags)

    return edit


def patching(body: AddressBody) -> Edit:
    """PATCH: the fields `body` names (null clears one); tags, if named, replace the
    stored ones; `isDefault` applies to the tags the address then has."""
    named = body.model_fields_set

    def edit(current: Address, summary: AddressSummary) -> AddressChange:
        changes: dict[str, Any] = _values(body, named)
        if "tags" in named:
            changes["tags"] = tags = unique(body.tags or ())
        else:
            tags = tuple(shapes.address_tags(current))
        metadata = _metadata(current.metadata, body, replace=False)
        if metadata != current.metadata:
            changes["metadata"] = metadata
        is_default = body.isDefault if "isDefault" in named else None
        return address_change(changes | defaults(tags, is_default, current, summary))

    return edit


def tagging(added: Iterable[str]) -> Edit:
    """`POST .../tags`: the tags join the stored ones; no default changes."""
    wanted = tuple(added)

    def edit(current: Address, _: AddressSummary) -> AddressChange:
        tags = unique((*current.tags, *wanted))
        return AddressChange(tags=tags) if tags != current.tags else AddressChange()

    return edit


def untagging(removed: Iterable[str]) -> Edit:
    """`DELETE .../tags`: the tags leave the address; a default whose tag left ends."""
    gone = set(removed)

    def edit(current: Address, summary: AddressSummary) -> AddressChange:
        tags = tuple(tag for tag in current.tags if tag not in gone)
        shown = [tag for tag in shapes.address_tags(current) if tag not in gone]
        changes: dict[str, Any] = {"tags": tags} if tags != current.tags else {}
        return address_change(changes | defaults(shown, None, current, summary))

    return edit


def split_name(contact_name: str | None) -> tuple[str | None, str | None]:
    """(first, last): split at the last space; one word is a last name."""
    if contact_name is None or not contact_name.strip():
        return None, None
    first, _, last = contact_name.strip().rpartition(" ")
    return first.rstrip() or None, last


def _values(body: AddressBody, named: Set[str]) -> dict[str, Any]:
    """The core's fields for those of `body` in `named` (unset ones as None)."""
    values: dict[str, Any] = {
        CORE_NAMES[name]: getattr(body, name) for name in CORE_NAMES if name in named
    }
    if "contactName" in named:
        values["first_name"], values["last_name"] = split_name(body.contactName)
    return values


def _metadata(current: dict[str, Any], body: AddressBody, *, replace: bool) -> dict[str, Any]:
    """The address's metadata with Emporix' parts from `body`: all of them (`replace`), or
    those it names, merged (a null line or mixin removed); keys of other dialects kept."""
    named = body.model_fields_set
    metadata = {k: v for k, v in current.items() if not (replace and k in EMPORIX_METADATA)}
    lines = {} if replace else _object(current.get(EXTRA_LINES))
    lines |= {name: getattr(body, name) for name in EXTRA_LINE_NAMES if replace or name in named}
    parts: dict[str, Any] = {EXTRA_LINES: _without_nulls(lines) or None}
    if replace:
        parts[MIXINS] = body.mixins
    elif "mixins" in named:
        merged = _object(current.get(MIXINS)) | (body.mixins or {})
        parts[MIXINS] = _without_nulls(merged) if body.mixins is not None else None
    schemas_named = "metadata" in named and (
        body.metadata is None or "mixins" in body.metadata.model_fields_set
    )
    if replace or schemas_named:
        parts[MIXIN_SCHEMAS] = body.metadata.mixins if body.metadata is not None else None
    for key, value in parts.items():
        if value is None:
            metadata.pop(key, None)
        else:
            metadata[key] = value
    return metadata


def _object(value: Any) -> dict[str, Any]:
    """A copy of a metadata part (another dialect may have written anything there)."""
    return dict(value) if isinstance(value, dict) else {}


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
