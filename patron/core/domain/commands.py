"""Commands: typed input to the use cases (cosmicpython's `commands`), one per change a
dialect can ask for. Dialects translate their vendor's JSON into these; no raw request
dict crosses into the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Final
from uuid import UUID

from patron.core.domain.model import Gender, Salutation

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    """What every vendor's sign-up needs; confirmations of the password and the like are
    each dialect's own checks. No password: the customer cannot log in (yet)."""

    email: str
    password: str | None = None
    accepted_terms: bool = False
    salutation: Salutation | None = None
    title: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    gender: Gender | None = None
    birth_date: date | None = None
    company: str | None = None
    vat_id: str | None = None
    phone: str | None = None
    language: str | None = None
    currency: str | None = None
    site: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    code: str | None = None
    mobile: str | None = None
    fax: str | None = None
    website: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    label: str | None = None
    restriction: str | None = None
    """None: unrestricted, or the site's where the tenant syncs them (`restrictions`)."""
    contact_email: str | None = None
    """A contact address apart from `email`, the login (None: the login is the contact
    email too)."""

    def text_fields(self) -> dict[str, Any]:
        return _text_fields(self)


_NOT_TEXT = frozenset(
    {
        "password",
        "accepted_terms",
        "salutation",
        "gender",
        "birth_date",
        "is_default_shipping",
        "is_default_billing",
        "promote_first",
        "end_other_defaults",
        "tags",
        "latitude",
        "longitude",
    }
)


def _text_fields(command: DataclassInstance) -> dict[str, Any]:
    """A new record's free-text fields (and metadata), by core name, for the text limits."""
    return {
        name: getattr(command, name)
        for name in command.__dataclass_fields__
        if name not in _NOT_TEXT and getattr(command, name) is not None
    }


class Unset(Enum):
    """The type of `UNSET`: a field a partial update leaves alone (distinct from an
    explicit None). An enum of one member, so `is UNSET` narrows the field's type."""

    UNSET = "UNSET"


UNSET: Final = Unset.UNSET


def _set_fields(change: DataclassInstance) -> dict[str, Any]:
    """The fields of a partial-update dataclass that are not `UNSET`."""
    return {
        name: getattr(change, name)
        for name in change.__dataclass_fields__
        if getattr(change, name) is not UNSET
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileFields:
    """The profile a customer row holds, each field `UNSET` unless given: what a profile
    edit (`ProfileChange`) and a customer write (`CustomerChanges`) both name. A new
    profile field is added here once."""

    email: str | Unset = UNSET
    salutation: Salutation | Unset | None = UNSET
    title: str | Unset | None = UNSET
    first_name: str | Unset | None = UNSET
    middle_name: str | Unset | None = UNSET
    last_name: str | Unset | None = UNSET
    gender: Gender | Unset | None = UNSET
    birth_date: date | Unset | None = UNSET
    company: str | Unset | None = UNSET
    vat_id: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    language: str | Unset | None = UNSET
    currency: str | Unset | None = UNSET
    site: str | Unset | None = UNSET
    code: str | Unset | None = UNSET
    """A new login name resets the email verification (Aimeos' rule for its `code`)."""
    mobile: str | Unset | None = UNSET
    fax: str | Unset | None = UNSET
    website: str | Unset | None = UNSET
    latitude: float | Unset | None = UNSET
    longitude: float | Unset | None = UNSET
    label: str | Unset | None = UNSET
    contact_email: str | Unset | None = UNSET
    """The contact address apart from the login (None: the login is the contact email)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileChange(ProfileFields):
    """A partial update: only fields not left `UNSET` are written."""

    metadata: dict[str, Any] | MetadataPatch | Unset = UNSET
    """A dict replaces the stored metadata; a `MetadataPatch` is merged into it."""

    def changed_fields(self) -> dict[str, Any]:
        return _set_fields(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressDraft:
    """A new address. A default flag set to True makes it that default and demotes the
    previous one; the customer's first address of a kind becomes its default anyway,
    unless `promote_first` is False (then the flags are exactly as asked)."""

    salutation: Salutation | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    address3: str | None = None
    zip_code: str | None = None
    city: str | None = None
    region: str | None = None
    country_code: str | None = None
    phone: str | None = None
    comment: str | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)
    vat_id: str | None = None
    language: str | None = None
    fax: str | None = None
    mobile: str | None = None
    email: str | None = None
    website: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    birth_date: date | None = None
    tags: tuple[str, ...] = ()
    code: str | None = None
    """An id the caller chose, unique per customer; None: the address is named by its uuid."""
    promote_first: bool = True
    end_other_defaults: bool = False
    """True: every other address of the customer stops being a default of either kind (a
    vendor with one default address per customer, Emporix, makes this one its only one)."""

    def text_fields(self) -> dict[str, Any]:
        return _text_fields(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressChange:
    """A partial address update: only fields not left `UNSET` are written. A default flag
    set to False only clears it; no other address is promoted in its place."""

    salutation: Salutation | Unset | None = UNSET
    title: str | Unset | None = UNSET
    first_name: str | Unset | None = UNSET
    last_name: str | Unset | None = UNSET
    company: str | Unset | None = UNSET
    address1: str | Unset | None = UNSET
    address2: str | Unset | None = UNSET
    address3: str | Unset | None = UNSET
    zip_code: str | Unset | None = UNSET
    city: str | Unset | None = UNSET
    region: str | Unset | None = UNSET
    country_code: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    comment: str | Unset | None = UNSET
    is_default_shipping: bool | Unset = UNSET
    is_default_billing: bool | Unset = UNSET
    metadata: dict[str, Any] | Unset = UNSET
    vat_id: str | Unset | None = UNSET
    language: str | Unset | None = UNSET
    fax: str | Unset | None = UNSET
    mobile: str | Unset | None = UNSET
    email: str | Unset | None = UNSET
    website: str | Unset | None = UNSET
    latitude: float | Unset | None = UNSET
    longitude: float | Unset | None = UNSET
    birth_date: date | Unset | None = UNSET
    tags: tuple[str, ...] | Unset = UNSET
    end_other_defaults: bool = False
    """True: with this change every other address of the customer stops being a default of
    either kind (as `AddressDraft.end_other_defaults`); a change that writes nothing ends
    nothing."""

    def changed_fields(self) -> dict[str, Any]:
        """The fields to write (`end_other_defaults` is about the other addresses)."""
        fields = _set_fields(self)
        del fields["end_other_defaults"]
        return fields

    @property
    def writes_nothing(self) -> bool:
        return not self.changed_fields()


@dataclass(frozen=True, slots=True)
class MetadataPatch:
    """A shallow merge into stored metadata: `set` keys are written, `remove` keys dropped
    (Medusa's `setMetadata`: a key sent as "" is removed). Applied under the row lock."""

    set: dict[str, Any] = field(default_factory=dict)
    remove: frozenset[str] = frozenset()

    def apply(self, current: dict[str, Any]) -> dict[str, Any]:
        kept = {key: value for key, value in current.items() if key not in self.remove}
        return kept | {key: value for key, value in self.set.items() if key not in self.remove}


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerAdminChange:
    """A back-office edit of a customer: the profile, optionally a new password (ends the
    customer's sessions), a metadata patch, and the whole set of groups (replaces it)."""

    profile: ProfileChange = ProfileChange()
    password: str | None = None
    metadata: MetadataPatch | None = None
    group_uuids: tuple[UUID, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupChange:
    name: str | Unset = UNSET
    metadata: MetadataPatch | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BillingChoice:
    """Which address is a customer's default billing one after an account edit.

    `address`: that one of theirs. `fields`: the current billing address edited in place,
    or, when there is none, a new address with these fields that becomes it (Medusa's
    `updateBillingAddress`). Neither: no address is the billing one any more.
    """

    address: UUID | None = None
    fields: AddressChange | None = None
    """The address fields to write (as a new address: those set, the others none),
    without the default flags."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountEdit:
    """One edit of a customer's own account, written in one transaction or not at all:
    the profile, the billing address, and a new password (which ends the other sessions)."""

    profile: ProfileChange = ProfileChange()
    billing: BillingChoice | None = None
    new_password: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignupLimit:
    """At most `count` new accounts per client address within `seconds` (Aimeos' limit per
    editor). Counted before the account is written, so racing sign-ups cannot pass it; a
    sign-up that fails gives its place back."""

    client_ip: str | None
    count: int
    seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailLookup:
    """A sign-up by an anonymous caller from `client_ip`: an answer that names an existing
    account (the email is taken) counts on the address's email-lookup limit, the one
    `Accounts.account_exists` spends, and once it is spent every sign-up from there is
    `LoginBlocked` until it refills. Counted before the sign-up runs, so racing ones
    cannot pass it; one that names no account gives its count back."""

    client_ip: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountMail:
    """Mail a new customer an account notice in the registration's transaction (Aimeos'
    account e-mail): with the password Patron generated for them when they chose none, and
    the confirmation link when one is needed (then no separate confirmation mail goes)."""

    generated_password: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertyDraft:
    type: str
    value: str
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertyChange:
    type: str | Unset = UNSET
    value: str | Unset = UNSET
    language: str | Unset | None = UNSET

    def changed_fields(self) -> dict[str, Any]:
        return _set_fields(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItemDraft:
    """A new list item; one with the (domain, type, ref_id) of an existing one updates it."""

    domain: str
    ref_id: str
    type: str = "default"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    config: dict[str, Any] = field(default_factory=dict)
    position: int = 0
    status: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItemChange:
    domain: str | Unset = UNSET
    ref_id: str | Unset = UNSET
    type: str | Unset = UNSET
    starts_at: datetime | Unset | None = UNSET
    ends_at: datetime | Unset | None = UNSET
    config: dict[str, Any] | Unset = UNSET
    position: int | Unset = UNSET
    status: int | Unset = UNSET

    def changed_fields(self) -> dict[str, Any]:
        return _set_fields(self)
