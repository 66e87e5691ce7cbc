"""The domain: plain dataclasses, no database or web code.

One `Customer` record serves every dialect: each dialect picks its own identifier
(internal `id` for Aimeos, `uuid` rendered as `cus_<ulid>` for Medusa, `customer_number`
for Glue's customerReference and Emporix's customerNumber) and its own subset of fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Gender(StrEnum):
    MALE = "Male"
    FEMALE = "Female"


class Salutation(StrEnum):
    """Canonical salutations; dialects map their own spellings onto these."""

    MR = "Mr"
    MRS = "Mrs"
    MS = "Ms"
    DR = "Dr"
    MISS = "Miss"
    COMPANY = "Company"
    """The customer is a company (Aimeos' "company")."""
    NONE = "n/a"


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    uuid: UUID
    tenant_id: int
    customer_number: str
    email: str | None
    has_account: bool
    salutation: Salutation | None
    title: str | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    gender: Gender | None
    birth_date: date | None
    company: str | None
    vat_id: str | None
    phone: str | None
    language: str | None
    currency: str | None
    site: str | None
    metadata: dict[str, Any]
    is_active: bool
    on_hold: bool
    email_verified_at: datetime | None
    terms_accepted_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    anonymized_at: datetime | None = None
    last_login_at: datetime | None = None
    tokens_valid_after: datetime | None = None
    code: str | None = None
    """A login name of the customer's own choosing (Aimeos' `customer.code`); unique per
    tenant when set. Patron logs in by email; dialects show the email when it is unset."""
    mobile: str | None = None
    fax: str | None = None
    website: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    label: str | None = None
    """A display name the customer chose (Aimeos' `customer.label`)."""
    restriction: str | None = None
    """Who may see the customer (Emporix' site permission): one of the tenant's
    `restrictions`; back-office grants limited to restrictions see only theirs."""
    contact_email: str | None = None
    """Where the customer wants to be contacted, when that is not `email`, the login
    (Emporix' `contactEmail` beside its sign-in `accounts`); None: the login is the
    contact email too. Mail about the account goes to the login."""
    password_set_by_staff: bool = False
    """The password is an initial one a back-office caller chose (Emporix'
    `initialPassword`), until the customer sets one of their own."""

    @property
    def is_anonymized(self) -> bool:
        return self.anonymized_at is not None

    @property
    def shown_contact_email(self) -> str | None:
        """The contact email: the separate one, else the login."""
        return self.contact_email if self.contact_email is not None else self.email


@dataclass(frozen=True, slots=True)
class Credentials:
    """What login needs: the customer and its hash, kept apart so the hash never travels
    with a profile."""

    customer: Customer
    password_hash: str | None
    may_log_in: bool
    migration_ends: date | None = None
    """The last day of the tenant's password-migration window (None: no window), which
    bounds how long a legacy hash still logs in."""


@dataclass(frozen=True, slots=True)
class Address:
    """A customer's postal address. `uuid` is its public id; `country_code` is ISO alpha-2.

    A customer has at most one default shipping and one default billing address.
    """

    id: int
    uuid: UUID
    customer_id: int
    salutation: Salutation | None
    title: str | None
    first_name: str | None
    last_name: str | None
    company: str | None
    address1: str | None
    address2: str | None
    address3: str | None
    zip_code: str | None
    city: str | None
    region: str | None
    country_code: str | None
    phone: str | None
    comment: str | None
    is_default_shipping: bool
    is_default_billing: bool
    metadata: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime
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
    """Free labels (Emporix' address tags, such as BILLING, SHIPPING, PRIMARY_CONTACT)."""
    code: str | None = None
    """An id the caller chose for the address, unique per customer (Emporix' custom
    address id); None: the address is named by its uuid."""


@dataclass(frozen=True, slots=True)
class CustomerProperty:
    """A typed value a customer keeps (Aimeos' customer properties): `type` names it,
    `language` is optional; (type, language, value) is unique per customer."""

    id: int
    customer_id: int
    type: str
    language: str | None
    value: str
    created_at: datetime


GROUP_DOMAIN = "group"
"""The list domain under which a customer's group memberships appear (read-only)."""


@dataclass(frozen=True, slots=True)
class ListItem:
    """A customer's link to something Patron does not keep (a favourite or watched product,
    a saved service...), or, in `GROUP_DOMAIN`, a group membership. (domain, type, ref_id)
    is unique per customer; `ref_id` is not checked against anything.

    Ids of list items and of group memberships come from one sequence, so one id names one
    relation whichever table holds it.
    """

    id: int
    customer_id: int
    domain: str
    type: str
    ref_id: str
    starts_at: datetime | None
    ends_at: datetime | None
    config: dict[str, Any]
    position: int
    status: int
    """1 enabled, 0 disabled, -1 in review, -2 archived (Aimeos' list statuses)."""
    created_at: datetime
    updated_at: datetime

    def is_active(self, now: datetime) -> bool:
        """Enabled, and within its dates."""
        return (
            self.status > 0
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or self.ends_at >= now)
        )


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class Audience(StrEnum):
    """Who a token speaks for: a shopper, or a back-office user or API client."""

    CUSTOMER = "customer"
    BACK_OFFICE = "back-office"


CUSTOMER_SCOPE = "customer"
"""The scope of every customer token: acting on the bearer's own account."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessClaims:
    """What a verified access token says about its bearer."""

    audience: Audience
    tenant_id: int
    customer_id: int
    customer_uuid: UUID
    customer_number: str
    session_id: UUID
    """The refresh-token family this access token was issued with (one login session)."""
    issued_at: datetime
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    recipient: str
    subject: str
    body: str
    template: str
    customer_id: int | None = None


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    recipient: str
    subject: str
    body: str
    template: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    sender: str | None = None
    """The From address of the message's tenant (`mail_sender`); None: the default."""


@dataclass(frozen=True, slots=True)
class Product:
    """A SKU in a tenant's register: Patron keeps no catalogue, only what notifications need."""

    tenant_id: int
    sku: str
    name: str | None
    is_available: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ProductSummary:
    product: Product
    open_subscriptions: int


@dataclass(frozen=True, slots=True)
class Subscription:
    """An open availability notification; `key` is its public id and the right to delete it."""

    id: int
    key: str
    tenant_id: int
    sku: str
    email: str
    customer_id: int | None
    locale: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CustomerGroup:
    """A named set of customers of one tenant; `uuid` is its public id (`cgrp_<ulid>`)."""

    id: int
    uuid: UUID
    tenant_id: int
    name: str
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord:
    """A server-side session behind an opaque cookie (Medusa, Aimeos).

    A customer's session has its own refresh-token family (`family_id`), so everything
    that ends a customer's token sessions (logout everywhere, a password change or reset,
    anonymization) ends it too. A back-office session ends when its user is disabled or
    their tokens are revoked after `created_at`.
    """

    tenant_id: int
    audience: Audience
    subject_id: int
    subject_uuid: UUID
    subject_number: str | None
    family_id: UUID | None
    created_at: datetime
    expires_at: datetime
