"""Emporix' customer fields as the core's (decided where the reference is silent):

- `title` is the core's `title` as written (`q` and `sort` find it there); one that names
  a salutation (MR, MRS, MS, DR, MISS, any case) sets the core's salutation too, which the
  other dialects show.
- `photoUrl` is `website`, `b2b.companyRegistrationId` is `vat_id`.
- `mixins`, the mixins' schema URLs (`metadata.mixins`) and `type` live in the core's
  metadata under "mixins", "mixinSchemas" and "customerType" (`q` finds mixins there).
- `contactEmail` is the customer's contact email: its login unless the customer keeps a
  contact email apart (a storefront sign-up with `signup` credentials, a confirmed email
  change without `syncContactEmail`); `accounts` lists the login.
"""

from __future__ import annotations

from typing import Any

from patron.core.back_office.customers_by_number import ManagedChange
from patron.core.domain.command_fields import profile_change, registration
from patron.core.domain.commands import UNSET, MetadataPatch, Registration, Unset
from patron.core.domain.model import Salutation
from patron.dialects.emporix.errors import EmporixError, validation_failure
from patron.dialects.emporix.schemas import CustomerFields, CustomerUpdate
from patron.dialects.emporix.shapes import CUSTOMER_TYPE, MIXIN_SCHEMAS, MIXINS

PROFILE: dict[str, str] = {
    "firstName": "first_name",
    "middleName": "middle_name",
    "lastName": "last_name",
    "contactPhone": "phone",
    "company": "company",
    "preferredLanguage": "language",
    "preferredCurrency": "currency",
    "preferredSite": "site",
    "photoUrl": "website",
}
"""Emporix' plain profile fields -> the core's."""
_SALUTATIONS = {s.name: s for s in Salutation if s not in (Salutation.NONE, Salutation.COMPANY)}
EMAIL_UNSET = validation_failure(
    "Request body is not valid.",
    {
        "field": "contactEmail",
        "type": "invalid_value",
        "message": "contactEmail cannot be unset once a value is present.",
    },
)


def title_fields(title: str | None) -> dict[str, Any]:
    """The title as written, and the salutation it names, if any."""
    salutation = _SALUTATIONS.get(title.upper()) if title is not None else None
    return {"salutation": salutation, "title": title}


def _profile(body: CustomerFields, names: set[str], *, full: bool) -> dict[str, Any]:
    """The core's profile fields for the Emporix fields in `names` (`full`: all of
    them, an omitted one as null)."""
    fields = {PROFILE[name]: getattr(body, name) for name in PROFILE if full or name in names}
    if full or "title" in names:
        fields |= title_fields(body.title)
    b2b = body.b2b
    if full or ("b2b" in names and b2b is None):
        fields["vat_id"] = b2b.companyRegistrationId if b2b is not None else None
    elif "b2b" in names and b2b is not None and "companyRegistrationId" in b2b.model_fields_set:
        fields["vat_id"] = b2b.companyRegistrationId
    return fields


def _metadata(body: CustomerFields) -> dict[str, Any]:
    """The metadata keys the body gives (a null one: to be removed)."""
    values: dict[str, Any] = {}
    given = body.model_fields_set
    if "mixins" in given:
        values[MIXINS] = body.mixins
    if body.metadata is not None and "mixins" in body.metadata.model_fields_set:
        values[MIXIN_SCHEMAS] = body.metadata.mixins
    if "type" in given:
        values[CUSTOMER_TYPE] = body.type
    return values


def registration_of(
    body: CustomerFields,
    *,
    email: str,
    password: str | None = None,
    contact_email: str | None = None,
) -> Registration:
    """A new customer of `body`'s profile (create, upsert, import alike) who logs in with
    `email`; `contact_email`, when another address, is kept as its contact email."""
    metadata = {key: value for key, value in _metadata(body).items() if value is not None}
    beside = {"contact_email": contact_email, "metadata": metadata, "restriction": body.restriction}
    return registration(_profile(body, set(), full=True) | beside, email=email, password=password)


def change_of(body: CustomerUpdate, *, full: bool) -> ManagedChange:
    """`full` (PUT as JSON): every writable profile field is replaced, an omitted one
    cleared; `restriction`, `active`, `onHold` and `contactEmail` are kept unless given
    (access and login are not profile text). Otherwise only what the body names changes,
    and mixins merge (RFC 7386). `contactEmail` is the core's contact email change
    (`ManagedChange.contact_email`)."""
    given = body.model_fields_set
    profile = _profile(body, given, full=full)
    contact: str | Unset = UNSET
    if "contactEmail" in given:
        if not body.contactEmail:
            raise EmporixError(EMAIL_UNSET)
        contact = body.contactEmail
    metadata = _metadata(body)
    replaced = None
    merged = None
    if full:
        everything = {MIXINS: None, MIXIN_SCHEMAS: None, CUSTOMER_TYPE: None} | metadata
        replaced = MetadataPatch(
            set={key: value for key, value in everything.items() if value is not None},
            remove=frozenset(key for key, value in everything.items() if value is None),
        )
    elif metadata:
        merged = metadata
    return ManagedChange(
        profile=profile_change(profile),
        contact_email=contact,
        restriction=body.restriction if "restriction" in given else UNSET,
        is_active=body.active if body.active is not None else UNSET,
        on_hold=body.onHold if body.onHold is not None else UNSET,
        metadata=replaced,
        metadata_merge=merged,
        expected_version=body.metadata.version if body.metadata is not None else None,
    )
