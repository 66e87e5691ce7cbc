"""What the core asks of the world. Storage and security implement these protocols."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from patron.core.commands import AddressDraft, ListItemDraft, PropertyDraft, Registration
from patron.core.model import (
    AccessClaims,
    Address,
    AdminRole,
    AdminUser,
    ApiClient,
    BackOfficeClaims,
    Credentials,
    Customer,
    CustomerGroup,
    CustomerProperty,
    ListItem,
    OutgoingMail,
    PrincipalKind,
    Product,
    ProductSummary,
    SessionRecord,
    Subscription,
    Tenant,
    TenantSettings,
)
from patron.core.queries import CustomerQuery, GroupQuery

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware (UTC). Injected so tests control time."""


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
class AddressSummary:
    """What adding an address must know of the customer's others, in one query."""

    count: int
    has_default_shipping: bool
    has_default_billing: bool


class CustomerRepository(Protocol):
    async def next_number(self, tenant_id: int) -> int: ...

    async def add(self, new: NewCustomer) -> Customer:
        """Insert; raises `EmailTaken` when the database refuses a second registered
        account with the email, `GuestExists` a second guest."""

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None: ...

    async def get_by_uuid(
        self, tenant_id: int, customer_uuid: UUID, *, for_update: bool = False
    ) -> Customer | None:
        """The tenant's customer with that public id (deleted rows are gone)."""

    async def lock_bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        """As `CustomerReads.bearer`, locking the customer row for the transaction."""

    async def update(self, customer_id: int, changes: dict[str, Any], *, now: datetime) -> Customer:
        """Write `changes` (none: only touch), bump the version; raises `EmailTaken` or
        `GuestExists` on a duplicate email."""

    async def set_password_hash(self, customer_id: int, password_hash: str) -> None:
        """Rehash on login: the same password, so nothing else changes."""

    async def change_password(
        self, customer_id: int, password_hash: str, *, now: datetime, end_sessions: bool
    ) -> None:
        """A new password; `end_sessions` also invalidates every access token issued so far."""

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


class Outbox(Protocol):
    async def enqueue(self, tenant_id: int, mail: OutgoingMail) -> int: ...

    async def redact_for(self, customer_id: int, email: str | None = None) -> None:
        """Erase recipients and bodies of a customer's messages (after anonymization), and
        of the tenant's messages to `email` that no customer was named on (guest mail)."""


class AddressRepository(Protocol):
    """Address writes. Callers lock the customer row first, so writes of one customer's
    addresses (and the count and defaults they rely on) are serialized."""

    async def summary(self, customer_id: int) -> AddressSummary: ...

    async def get(self, customer_id: int, address_uuid: UUID) -> Address | None: ...

    async def default_billing(self, customer_id: int) -> Address | None: ...

    async def add(self, new: NewAddress) -> Address:
        """Insert; raises `AddressConflict` if the database refuses a second default."""

    async def update(self, address_id: int, changes: dict[str, Any], *, now: datetime) -> Address:
        """Write `changes`, bump the version; raises `AddressConflict` like `add`."""

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


class UnitOfWork(Protocol):
    """One transaction. Rolls back on exit unless `commit()` was called."""

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def availability(self) -> AvailabilityRepository: ...

    @property
    def addresses(self) -> AddressRepository: ...

    @property
    def back_office(self) -> BackOfficeRepository: ...

    @property
    def groups(self) -> GroupRepository: ...

    @property
    def properties(self) -> PropertyRepository: ...

    @property
    def lists(self) -> ListRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


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


class AvailabilityReads(Protocol):
    async def subscriptions_of(
        self, tenant_id: int, customer_id: int, *, offset: int, limit: int | None
    ) -> tuple[list[Subscription], int]:
        """One page (oldest first; `limit=None`: all) and the total count."""

    async def products(self, tenant_id: int) -> list[ProductSummary]: ...


class TenantDirectory(Protocol):
    async def get(self, code: str) -> Tenant:
        """Raises `TenantNotFound`."""


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    async def burn(self, password: str) -> None:
        """Spend the time of a verification, so an unknown account answers as slowly."""


VendorClaims = Callable[[Customer], Mapping[str, object]]
"""Claims a dialect lays out in its vendor's way, where the vendor's own clients read them
(a `sub` in the vendor's format, say); Patron's own claims travel beside them."""


class TokenCodec(Protocol):
    def issue_access(
        self,
        customer: Customer,
        now: datetime,
        *,
        session_id: UUID,
        scopes: Iterable[str],
        vendor_claims: Mapping[str, object] | None = None,
        ttl_seconds: int | None = None,
    ) -> tuple[str, int]:
        """Return the signed access token and its lifetime in seconds (`ttl_seconds`, or
        the configured access lifetime when None)."""

    def issue_back_office(
        self,
        claims: BackOfficeClaims,
        *,
        ttl_seconds: int,
        vendor_claims: Mapping[str, object] | None = None,
    ) -> tuple[str, int]:
        """A back-office access token (issued at `claims.issued_at`) and its lifetime."""

    def verify_access(self, token: str, now: datetime) -> AccessClaims | BackOfficeClaims:
        """Signature, shape and expiry; raises `InvalidAccessToken`. Which of the two
        comes back is the token's audience; callers check it is the one they serve."""

    def new_opaque(self) -> tuple[str, bytes]:
        """A fresh random token and the hash under which it is stored."""

    def hash_opaque(self, token: str) -> bytes: ...

    def mac(self, purpose: str, value: str) -> str:
        """A keyed MAC of `value` for `purpose`: what only this service can compute."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """A password check counted in advance on its throttle keys."""

    keys: tuple[str, ...]
    failures: tuple[int, ...]
    """Each key's count with this attempt (empty when refused before counting)."""
    retry_after: int
    """Seconds to wait; 0 when the check may run."""


class LoginThrottle(Protocol):
    async def retry_after(self, keys: Sequence[str]) -> int:
        """Seconds until these keys may try again; 0 when not blocked."""

    async def record_failure(self, keys: Sequence[str]) -> None: ...

    async def attempt(self, keys: Sequence[str]) -> Attempt:
        """Count a password check before it runs, so concurrent guesses cannot all pass."""

    async def failed(self, attempt: Attempt) -> None: ...

    async def succeeded(self, attempt: Attempt, *, clear: Sequence[str]) -> None: ...


class TenantRepository(Protocol):
    """Tenant administration: uncached reads and the writes (the directory caches reads)."""

    async def list(self) -> list[Tenant]: ...

    async def get(self, code: str) -> Tenant:
        """Raises `TenantNotFound`."""

    async def create(self, code: str, name: str, settings: TenantSettings) -> Tenant: ...

    async def update_settings(
        self, code: str, change: Callable[[TenantSettings], TenantSettings]
    ) -> Tenant:
        """Store `change(current settings)` under a row lock, so concurrent changes of
        different keys both land; raises `TenantNotFound`, and whatever `change` raises
        leaves the tenant as it was."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAdminUser:
    tenant_id: int
    uuid: UUID
    email: str
    password_hash: str | None
    role: AdminRole
    scopes: frozenset[str]
    first_name: str | None
    last_name: str | None
    now: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewApiClient:
    tenant_id: int
    client_id: str
    name: str
    secret_hash: str
    scopes: frozenset[str]
    now: datetime


class BackOfficeRepository(Protocol):
    """Admin users, API clients and users' API tokens, inside a unit of work."""

    async def add_user(self, new: NewAdminUser) -> AdminUser:
        """Raises `AdminEmailTaken` when the tenant has a user with that email (any case)."""

    async def add_client(self, new: NewApiClient) -> ApiClient: ...

    async def user_by_email(
        self, tenant_id: int, email: str, *, for_update: bool = False
    ) -> AdminUser | None: ...

    async def client_by_client_id(
        self, tenant_id: int, client_id: str, *, for_update: bool = False
    ) -> ApiClient | None: ...

    async def set_disabled(
        self, kind: PrincipalKind, principal_id: int, disabled_at: datetime | None, now: datetime
    ) -> None:
        """Disable (a time) or enable (None) a user or client. Disabling also sets
        `tokens_valid_after`, so credentials issued before it stay dead once enabled again."""

    async def set_client_secret(self, client_pk: int, secret_hash: str, now: datetime) -> None:
        """A new secret; tokens issued with the old one stop working (`tokens_valid_after`)."""

    async def replace_api_token(self, user_id: int, token_hash: bytes, now: datetime) -> None:
        """A user has one API token at a time: the new one replaces any older one."""

    async def set_user_password_hash(self, user_id: int, password_hash: str) -> None:
        """Rehash on login."""

    async def list_users(self, tenant_id: int) -> list[AdminUser]: ...

    async def list_clients(self, tenant_id: int) -> list[ApiClient]: ...


class BackOfficeReads(Protocol):
    """Single statements outside a transaction: what every back-office request reads."""

    async def user_login(self, tenant_id: int, email: str) -> tuple[AdminUser, str | None] | None:
        """The user with that email (any case) and their password hash."""

    async def client_login(self, tenant_id: int, client_id: str) -> tuple[ApiClient, str] | None:
        """The client and its secret hash."""

    async def user(self, user_id: int) -> AdminUser | None: ...

    async def client(self, client_pk: int) -> ApiClient | None: ...

    async def user_by_api_token(self, token_hash: bytes) -> tuple[AdminUser, datetime] | None:
        """The user holding that API token and when the token was issued, in one statement
        (every request authenticated by an API token runs it)."""


class SessionStore(Protocol):
    """Server-side sessions by the hash of their cookie: PostgreSQL, or Redis when set."""

    async def put(self, token_hash: bytes, record: SessionRecord) -> None: ...

    async def get(self, token_hash: bytes, now: datetime) -> SessionRecord | None:
        """None when unknown or expired at `now` (the core's clock, not the store's)."""

    async def delete(self, token_hash: bytes) -> None: ...


class GroupRepository(Protocol):
    """Customer groups and their members, inside a unit of work."""

    async def add(
        self, tenant_id: int, uuid: UUID, name: str, metadata: dict[str, Any], now: datetime
    ) -> CustomerGroup:
        """Raises `GroupNameTaken` when the tenant has a group of that name."""

    async def get(
        self, tenant_id: int, group_uuid: UUID, *, for_update: bool = False
    ) -> CustomerGroup | None: ...

    async def update(
        self, group_id: int, changes: dict[str, Any], *, now: datetime
    ) -> CustomerGroup:
        """Raises `GroupNameTaken` like `add`."""

    async def delete(self, tenant_id: int, group_uuid: UUID) -> bool:
        """False when there was no such group; its members stay customers."""

    async def group_ids(self, tenant_id: int, group_uuids: Sequence[UUID]) -> dict[UUID, int]:
        """The internal ids of those of `group_uuids` that exist in the tenant."""

    async def customer_ids(self, tenant_id: int, customer_uuids: Sequence[UUID]) -> dict[UUID, int]:
        """The internal ids of those of `customer_uuids` that exist in the tenant, each
        kept from being locked for update (a customer update) until the transaction ends,
        taken in one order so racing batches cannot deadlock."""

    async def add_members(self, group_id: int, customer_ids: Sequence[int], now: datetime) -> None:
        """Members already in the group stay as they are."""

    async def remove_members(self, group_id: int, customer_ids: Sequence[int]) -> None:
        """Customers not in the group are ignored."""

    async def set_groups_of(
        self, customer_id: int, group_ids: Sequence[int], now: datetime
    ) -> None:
        """The customer's groups become exactly `group_ids`."""


class GroupReads(Protocol):
    async def search(self, tenant_id: int, query: GroupQuery) -> tuple[list[CustomerGroup], int]:
        """One page and the total count."""

    async def get(self, tenant_id: int, group_uuid: UUID) -> CustomerGroup | None: ...

    async def groups_of(self, customer_ids: Sequence[int]) -> dict[int, list[CustomerGroup]]:
        """Every group of these customers in ONE query, by customer id (empty lists too)."""


class CustomerSearch(Protocol):
    """Back-office reads of a tenant's customers, guests included."""

    async def search(self, tenant_id: int, query: CustomerQuery) -> tuple[list[Customer], int]:
        """One page and the total count matching the filters."""

    async def by_uuid(self, tenant_id: int, customer_uuid: UUID) -> Customer | None: ...


class PropertyRepository(Protocol):
    """A customer's properties, inside a unit of work whose caller holds the customer's
    row lock (so counts and checks see every concurrent write)."""

    async def of_customer(self, customer_id: int) -> list[CustomerProperty]:
        """In id order."""

    async def add(self, customer_id: int, draft: PropertyDraft, now: datetime) -> None:
        """Insert; an identical property (type, language, value) already there is kept."""

    async def update(self, property_id: int, changes: dict[str, Any]) -> CustomerProperty:
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

    async def update(self, item_id: int, changes: dict[str, Any], now: datetime) -> ListItem:
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


class Quota(Protocol):
    """Counts uses of a key within a window, shared by every worker and host."""

    async def take(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count one use; False (and nothing counted) when `limit` uses were counted in the
        current window already."""

    async def give_back(self, key: str) -> None:
        """Un-count one use (the counted action failed)."""
