"""Typed mappers from the core-named fields a dialect's vendor table reads (Glue's
`core_fields`, Aimeos' `read_attributes`, Medusa's and Emporix' field maps) to the
commands: every field spelt out, so no `**dict` splat reaches a command and a name no
command has is refused here (`TypeError`, as the splat's was) rather than in a call far
from its table. Values stay as the tables' converters typed them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from patron.core.domain.commands import (
    UNSET,
    AddressChange,
    AddressDraft,
    ListItemChange,
    ListItemDraft,
    ProfileChange,
    PropertyChange,
    PropertyDraft,
    Registration,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Fields = Mapping[str, Any]
"""Field values by the command's field names."""


def _known(fields: Fields, command: type[DataclassInstance]) -> Fields:
    unknown = set(fields) - {field.name for field in dataclasses.fields(command)}
    if unknown:
        raise TypeError(f"{command.__name__} has no fields {sorted(unknown)}")
    return fields


def profile_change(fields: Fields) -> ProfileChange:
    """A partial update of the fields given (the others `UNSET`)."""
    f = _known(fields, ProfileChange)
    return ProfileChange(
        email=f.get("email", UNSET),
        salutation=f.get("salutation", UNSET),
        title=f.get("title", UNSET),
        first_name=f.get("first_name", UNSET),
        middle_name=f.get("middle_name", UNSET),
        last_name=f.get("last_name", UNSET),
        gender=f.get("gender", UNSET),
        birth_date=f.get("birth_date", UNSET),
        company=f.get("company", UNSET),
        vat_id=f.get("vat_id", UNSET),
        phone=f.get("phone", UNSET),
        language=f.get("language", UNSET),
        currency=f.get("currency", UNSET),
        site=f.get("site", UNSET),
        metadata=f.get("metadata", UNSET),
        code=f.get("code", UNSET),
        mobile=f.get("mobile", UNSET),
        fax=f.get("fax", UNSET),
        website=f.get("website", UNSET),
        latitude=f.get("latitude", UNSET),
        longitude=f.get("longitude", UNSET),
        label=f.get("label", UNSET),
        contact_email=f.get("contact_email", UNSET),
    )


def address_change(fields: Fields) -> AddressChange:
    """A partial update of the fields given (the others `UNSET`)."""
    f = _known(fields, AddressChange)
    return AddressChange(
        salutation=f.get("salutation", UNSET),
        title=f.get("title", UNSET),
        first_name=f.get("first_name", UNSET),
        last_name=f.get("last_name", UNSET),
        company=f.get("company", UNSET),
        address1=f.get("address1", UNSET),
        address2=f.get("address2", UNSET),
        address3=f.get("address3", UNSET),
        zip_code=f.get("zip_code", UNSET),
        city=f.get("city", UNSET),
        region=f.get("region", UNSET),
        country_code=f.get("country_code", UNSET),
        phone=f.get("phone", UNSET),
        comment=f.get("comment", UNSET),
        is_default_shipping=f.get("is_default_shipping", UNSET),
        is_default_billing=f.get("is_default_billing", UNSET),
        metadata=f.get("metadata", UNSET),
        vat_id=f.get("vat_id", UNSET),
        language=f.get("language", UNSET),
        fax=f.get("fax", UNSET),
        mobile=f.get("mobile", UNSET),
        email=f.get("email", UNSET),
        website=f.get("website", UNSET),
        latitude=f.get("latitude", UNSET),
        longitude=f.get("longitude", UNSET),
        birth_date=f.get("birth_date", UNSET),
        tags=f.get("tags", UNSET),
        end_other_defaults=f.get("end_other_defaults", False),
    )


def address_draft(fields: Fields) -> AddressDraft:
    """A new record of the fields given (the others their defaults)."""
    f = _known(fields, AddressDraft)
    return AddressDraft(
        salutation=f.get("salutation", None),
        title=f.get("title", None),
        first_name=f.get("first_name", None),
        last_name=f.get("last_name", None),
        company=f.get("company", None),
        address1=f.get("address1", None),
        address2=f.get("address2", None),
        address3=f.get("address3", None),
        zip_code=f.get("zip_code", None),
        city=f.get("city", None),
        region=f.get("region", None),
        country_code=f.get("country_code", None),
        phone=f.get("phone", None),
        comment=f.get("comment", None),
        is_default_shipping=f.get("is_default_shipping", False),
        is_default_billing=f.get("is_default_billing", False),
        metadata=f.get("metadata", {}),
        vat_id=f.get("vat_id", None),
        language=f.get("language", None),
        fax=f.get("fax", None),
        mobile=f.get("mobile", None),
        email=f.get("email", None),
        website=f.get("website", None),
        latitude=f.get("latitude", None),
        longitude=f.get("longitude", None),
        birth_date=f.get("birth_date", None),
        tags=f.get("tags", ()),
        code=f.get("code", None),
        promote_first=f.get("promote_first", True),
        end_other_defaults=f.get("end_other_defaults", False),
    )


def property_draft(fields: Fields) -> PropertyDraft:
    """A new record of the fields given (the others their defaults)."""
    f = _known(fields, PropertyDraft)
    return PropertyDraft(
        type=f["type"],
        value=f["value"],
        language=f.get("language", None),
    )


def property_change(fields: Fields) -> PropertyChange:
    """A partial update of the fields given (the others `UNSET`)."""
    f = _known(fields, PropertyChange)
    return PropertyChange(
        type=f.get("type", UNSET),
        value=f.get("value", UNSET),
        language=f.get("language", UNSET),
    )


def list_item_draft(fields: Fields) -> ListItemDraft:
    """A new record of the fields given (the others their defaults)."""
    f = _known(fields, ListItemDraft)
    return ListItemDraft(
        domain=f["domain"],
        ref_id=f["ref_id"],
        type=f.get("type", "default"),
        starts_at=f.get("starts_at", None),
        ends_at=f.get("ends_at", None),
        config=f.get("config", {}),
        position=f.get("position", 0),
        status=f.get("status", 1),
    )


def list_item_change(fields: Fields) -> ListItemChange:
    """A partial update of the fields given (the others `UNSET`)."""
    f = _known(fields, ListItemChange)
    return ListItemChange(
        domain=f.get("domain", UNSET),
        ref_id=f.get("ref_id", UNSET),
        type=f.get("type", UNSET),
        starts_at=f.get("starts_at", UNSET),
        ends_at=f.get("ends_at", UNSET),
        config=f.get("config", UNSET),
        position=f.get("position", UNSET),
        status=f.get("status", UNSET),
    )


def registration(fields: Fields, *, email: str, password: str | None = None) -> Registration:
    """A new record of the fields given (the others their defaults)."""
    f = _known(fields, Registration)
    return Registration(
        email=email,
        password=password,
        accepted_terms=f.get("accepted_terms", False),
        salutation=f.get("salutation", None),
        title=f.get("title", None),
        first_name=f.get("first_name", None),
        middle_name=f.get("middle_name", None),
        last_name=f.get("last_name", None),
        gender=f.get("gender", None),
        birth_date=f.get("birth_date", None),
        company=f.get("company", None),
        vat_id=f.get("vat_id", None),
        phone=f.get("phone", None),
        language=f.get("language", None),
        currency=f.get("currency", None),
        site=f.get("site", None),
        metadata=f.get("metadata", {}),
        code=f.get("code", None),
        mobile=f.get("mobile", None),
        fax=f.get("fax", None),
        website=f.get("website", None),
        latitude=f.get("latitude", None),
        longitude=f.get("longitude", None),
        label=f.get("label", None),
        restriction=f.get("restriction", None),
        contact_email=f.get("contact_email", None),
    )


def draft_of(change: AddressChange) -> AddressDraft:
    """A new address of the fields a change sets (the others none), its default flags as
    the change sets them (Medusa's `updateBillingAddress` when there is none to edit)."""
    return address_draft(change.changed_fields())
