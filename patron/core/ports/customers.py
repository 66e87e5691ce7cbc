"""What the core asks of the world. Storage and security implement these protocols."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from patron.core.domain.commands import (
    AddressChange,
    AddressDraft,
    ListItemChange,
    ListItemDraft,
    PropertyChange,
    PropertyDraft,
    Registration,
)
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.model import (
    Address,
    Credentials,
    Customer,
    CustomerGroup,
    CustomerProperty,
    ListItem,
    Product,
    ProductSummary,
    Subscription,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewCustomer:
    tenant_id: int
    uuid: UUID
    customer_number: str
    email: str
    password_hash: str | None
    registration: Registration
    is_active: bool
    on_hold: bool
    terms_accepted_at: datetime | None
    now: datetime
    has_account: bool = True
    """False for a guest: a customer record without a login (Medusa's checkout customer)."""
    email_verified_at: datetime | None = None
    """Set when the address needs no confirmation: staff vouched for it, or an import's
    shop proved it."""
    password_set_by_staff: bool = False


@dataclass(frozen=True, slots=True)
class RefreshTokenRecord:
    id: int
    customer_id: int
    family_id: UUID
    expires_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Anonymization:
    replacement_email: str
    now: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAddress:
    """An address to insert; the draft's default flags are already decided by the use case."""

    customer_id: int
    uuid: UUID
    draft: AddressDraft
    now: datetime


@dataclass(frozen=True, slots=True)
class AddressKey:
    """How a caller names an address: an id it chose (`code`), or the uuid written as
    text (`uuid`, set only when `text` is a uuid in its canonical form)."""

    text: str
    uuid: UUID | None

    @classmethod
    def of(cls, text: str) -> AddressKey:
        try:
            parsed = UUID(text)
        except ValueError:
            return cls(text, None)
        return cls(text, parsed if str(parsed) == text else None)

    def pick(self, addresses: Sequence[Address]) -> Address | None:
        """The address this key names among one customer's, as `AddressRepository.find`
        chooses: its chosen id first, else its uuid."""
        by_code = next((address for address in addresses if address.code == self.text), None)
        if by_code is not None or self.uuid is None:
            return by_code
        return next((address for address in addresses if address.uuid == self.uuid), None)


@dataclass(frozen=True, slots=True)
class AddressSummary:
    """What adding an address must know of the customer's others, in one query."""

    count: int
    has_default_shipping: bool
    has_default_billing: bool


class CustomerRepository(Protocol):
    async def next_number(self, tenant_id: int) -> int: ...

    async def add(self, new: NewCustomer) -> Customer:
        """Insert; raises `EmailTaken` when the database refuses a second registered
        account with the email, `GuestExists` a second guest, `CustomerNumberTaken` a
        second customer with the number."""

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None: ...

    async def by_number(
        self, tenant_id: int, number: str, *, for_update: bool = False
    ) -> Customer | None:
        """The tenant's customer with that number, anonymized ones included."""

    async def free_number(self, customer_id: int) -> None:
        """Give an anonymized customer's number up: the row keeps a number derived from
        its id that no caller can choose, so the number may be given again."""

    async def get_by_uuid(
        self, tenant_id: int, customer_uuid: UUID, *, for_update: bool = False
    ) -> Customer | None:
        """The tenant's customer with that public id (deleted rows are gone)."""

    async def lock_bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        """As `CustomerReads.bearer`, locking the customer row for the transaction."""

    async def update(
        self, customer_id: int, changes: CustomerChanges, *, now: datetime
    ) -> Customer:
        """Write `changes` (none: only touch), bump the version; raises `EmailTaken` or
        `GuestExists` on a duplicate email."""

    async def set_password_hash(self, customer_id: int, password_hash: str) -> None:
        """Rehash on login: the same password, so nothing else changes."""

    async def change_password(
        self,
        customer_id: int,
        password_hash: str,
        *,
        now: datetime,
        end_sessions: bool,
        by_staff: bool = False,
    ) -> None:
        """A new password; `end_sessions` also invalidates every access token issued so far.
        `by_staff`: a back-office caller chose it (an initial password); else the customer."""

    async def mark_email_verified(self, customer_id: int, tenant_id: int, now: datetime) -> bool:
        """False when the customer is not of that tenant; nothing is written then."""

    async def record_login(self, customer_id: int, now: datetime) -> None: ...

    async def anonymize(self, customer_id: int, anonymization: Anonymization) -> None:
        """Erase personal data, addresses, properties, list items and group memberships;
        keep the row, its number and its id."""


class TokenRepository(Protocol):
    async def add_one_time(
        self, *, customer_id: int, purpose: str, token_hash: bytes, expires_at: datetime
    ) -> None: ...

    async def consume_one_time(
        self, *, purpose: str, token_hash: bytes, now: datetime
    ) -> int | None:
        """Mark the token used and return its customer id; None if unknown, used or expired."""

    async def add_refresh(
        self,
        *,
        customer_id: int,
        family_id: UUID,
        token_hash: bytes,
        expires_at: datetime,
        now: datetime,
    ) -> None: ...

    async def find_refresh(self, token_hash: bytes) -> RefreshTokenRecord | None:
        """Find and lock the token row for the rest of the transaction."""

    async def mark_rotated(self, token_id: int, now: datetime) -> None: ...

    async def revoke_family(self, family_id: UUID, now: datetime) -> None: ...

    async def revoke_refresh(
        self, *, token_hash: bytes, customer_id: int, now: datetime
    ) -> None: ...

    async def revoke_all_for(
        self, customer_id: int, now: datetime, *, except_session: UUID | None = None
    ) -> None:
        """Revoke every refresh token of a customer, but those of `except_session`."""

    async def discard_one_time_for(self, customer_id: int, purpose: str | None = None) -> None:
        """Drop the unused keys of a customer: of one purpose, or all of them."""


class AddressRepository(Protocol):
    """Address writes. Callers lock the customer row first, so writes of one customer's
    addresses (and the count and defaults they rely on) are serialized."""

    async def summary(self, customer_id: int) -> AddressSummary: ...

    async def get(self, customer_id: int, address_uuid: UUID) -> Address | None: ...

    async def find(self, customer_id: int, key: AddressKey) -> Address | None:
        """The customer's address named by `key`: its chosen id first, else its uuid."""

    async def default_billing(self, customer_id: int) -> Address | None: ...

    async def add(self, new: NewAddress) -> Address:
        """Insert; raises `AddressConflict` if the database refuses a second default,
        `AddressIdTaken` a second address with the draft's `code`."""

    async def update(self, address_id: int, change: AddressChange, *, now: datetime) -> Address:
        """Write the fields `change` sets, bump the version; raises `AddressConflict` like
        `add` (its `end_other_defaults` is the caller's, about the other addresses)."""

    async def clear_defaults(
        self,
        customer_id: int,
        *,
        shipping: bool,
        billing: bool,
        now: datetime,
        keep: int | None = None,
    ) -> None:
        """Demote the current default shipping and/or billing address, except `keep`."""

    async def delete(self, customer_id: int, address_uuid: UUID) -> bool:
        """False when the customer has no such address."""

    async def delete_many(self, customer_id: int, address_uuids: Sequence[UUID]) -> None:
        """Those of the customer; other uuids are ignored."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewSubscription:
    tenant_id: int
    key: str
    sku: str
    email: str
    customer_id: int | None
    locale: str
    now: datetime


class AvailabilityRepository(Protocol):
    async def add_subscription(self, new: NewSubscription) -> Subscription:
        """Raises `ProductNotFound` for a SKU outside the register, `SubscriptionExists`
        when the database refuses a second one for the same SKU and address."""

    async def remove_subscription(self, tenant_id: int, key: str) -> bool:
        """False when no subscription has that key."""

    async def set_product(
        self, tenant_id: int, sku: str, *, available: bool, name: str | None, now: datetime
    ) -> tuple[Product, bool]:
        """Insert or update (a None name keeps the old one) under a row lock; return the
        product and whether it became available with this change."""

    async def close_subscriptions(self, tenant_id: int, sku: str) -> list[Subscription]:
        """Delete and return the SKU's subscriptions; each is returned to one caller only."""

    async def remove_for_customer(self, customer_id: int, email: str | None) -> None:
        """Drop a customer's subscriptions (anonymization), guest ones to `email` included."""


class CustomerReads(Protocol):
    """Single-statement reads outside a transaction: the hot path."""

    async def bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        """The customer and whether the login session is still open, in one statement."""

    async def credentials_by_email(
        self, tenant_id: int, email: str, *, confirmation_required: bool
    ) -> Credentials | None: ...

    async def password_hash(self, customer_id: int) -> str | None: ...


class AddressReads(Protocol):
    """Single-statement address reads outside a transaction."""

    async def addresses_of(self, customer_ids: Sequence[int]) -> dict[int, list[Address]]:
        """Every address of these customers in ONE query, oldest first, by customer id;
        a customer without addresses maps to an empty list."""

    async def address_of(self, customer_id: int, address_uuid: UUID) -> Address | None: ...

    async def find(self, customer_id: int, key: AddressKey) -> Address | None:
        """As `AddressRepository.find`, outside a transaction."""


class AvailabilityReads(Protocol):
    async def subscriptions_of(
        self, tenant_id: int, customer_id: int, *, offset: int, limit: int | None
    ) -> tuple[list[Subscription], int]:
        """One page (oldest first; `limit=None`: all) and the total count."""

    async def products(self, tenant_id: int) -> list[ProductSummary]: ...


class PropertyRepository(Protocol):
    """A customer's properties, inside a unit of work whose caller holds the customer's
    row lock (so counts and checks see every concurrent write)."""

    async def of_customer(self, customer_id: int) -> list[CustomerProperty]:
        """In id order."""

    async def add(self, customer_id: int, draft: PropertyDraft, now: datetime) -> None:
        """Insert; an identical property (type, language, value) already there is kept."""

    async def update(self, property_id: int, change: PropertyChange) -> CustomerProperty:
        """Raises `PropertyExists` when the change makes it the twin of another."""

    async def delete(self, customer_id: int, property_ids: Sequence[int]) -> None:
        """Ids that are not the customer's are ignored."""


class ListRepository(Protocol):
    """A customer's list items and, read-only, its group memberships as list items; the
    caller holds the customer's row lock."""

    async def of_customer(self, customer_id: int) -> list[ListItem]:
        """Every list item and group membership, in (domain, position, id) order."""

    async def upsert(self, customer_id: int, draft: ListItemDraft, now: datetime) -> None:
        """Insert, or update the item with the same (domain, type, ref_id)."""

    async def update(self, item_id: int, change: ListItemChange, now: datetime) -> ListItem:
        """A change onto another item's (domain, type, ref_id) removes that other item
        (the edited one takes its place), as a second add of the same key would update it."""

    async def delete(self, customer_id: int, item_ids: Sequence[int]) -> None:
        """List items only (never memberships); ids not the customer's are ignored."""


class CustomerDataReads(Protocol):
    """Single-statement reads of what a customer keeps besides its profile and addresses."""

    async def properties_of(self, customer_id: int) -> list[CustomerProperty]: ...

    async def list_items_of(
        self, customer_id: int, domains: Collection[str] | None
    ) -> list[ListItem]:
        """Items of these domains (None: all), memberships included when `GROUP_DOMAIN` is
        asked for, in (domain, position, id) order."""

    async def groups_by_id(
        self, tenant_id: int, group_ids: Sequence[int]
    ) -> list[CustomerGroup]: ...
