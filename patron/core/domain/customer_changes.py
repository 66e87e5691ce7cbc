"""One write of a customer row, typed: what the core's profile rules hand the customer
repository (`CustomerRepository.update`), never a dict of column names."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from patron.core.domain.commands import UNSET, ProfileChange, ProfileFields, Unset
from patron.core.domain.model import Customer


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerChanges(ProfileFields):
    """The fields one write sets; a field left `UNSET` keeps what is stored. Built from a
    `ProfileChange` (`of_profile`) and narrowed by the rules (`dataclasses.replace`), so
    a misspelt field or a wrong type is a type error, not a runtime `ValueError`."""

    metadata: dict[str, Any] | Unset = UNSET
    email_verified_at: datetime | Unset | None = UNSET
    is_active: bool | Unset = UNSET
    on_hold: bool | Unset = UNSET
    restriction: str | Unset | None = UNSET

    @classmethod
    def of_profile(cls, change: ProfileChange) -> CustomerChanges:
        """The profile's own fields; a `MetadataPatch` is not among them (it can only be
        applied to the locked row, `profiles.write_profile_locked`)."""
        return cls(
            email=change.email,
            salutation=change.salutation,
            title=change.title,
            first_name=change.first_name,
            middle_name=change.middle_name,
            last_name=change.last_name,
            gender=change.gender,
            birth_date=change.birth_date,
            company=change.company,
            vat_id=change.vat_id,
            phone=change.phone,
            language=change.language,
            currency=change.currency,
            site=change.site,
            metadata=change.metadata if isinstance(change.metadata, dict) else UNSET,
            code=change.code,
            mobile=change.mobile,
            fax=change.fax,
            website=change.website,
            latitude=change.latitude,
            longitude=change.longitude,
            label=change.label,
            contact_email=change.contact_email,
        )

    def written(self) -> dict[str, object]:
        """The fields this change sets, by name (the names are the customer's columns)."""
        return {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if getattr(self, item.name) is not UNSET
        }

    @property
    def is_empty(self) -> bool:
        return not self.written()

    def without_unchanged(self, customer: Customer) -> CustomerChanges:
        """Only the fields whose value differs from what `customer` holds."""
        same = [name for name, value in self.written().items() if getattr(customer, name) == value]
        return replace(self, **dict.fromkeys(same, UNSET))
