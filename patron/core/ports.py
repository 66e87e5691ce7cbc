"""What the core asks of the world. Storage and security implement these protocols."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from patron.core.model import (
    AccessClaims,
    Credentials,
    Customer,
    OutgoingMail,
    Registration,
    Tenant,
)

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


class CustomerRepository(Protocol):
    async def next_number(self, tenant_id: int) -> int: ...

    async def add(self, new: NewCustomer) -> Customer:
        """Insert; raises `EmailTaken` when the database refuses a duplicate email."""

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None: ...

    async def get_by_number(
        self, tenant_id: int, customer_number: str, *, for_update: bool = False
    ) -> Customer | None: ...

    async def update(self, customer_id: int, changes: dict[str, Any], *, now: datetime) -> Customer:
        """Write `changes`, bump the version; raises `EmailTaken` on a duplicate email."""

    async def set_password_hash(self, customer_id: int, password_hash: str) -> None: ...

    async def mark_email_verified(self, customer_id: int, tenant_id: int, now: datetime) -> bool:
        """False when the customer is not of that tenant; nothing is written then."""

    async def record_login(self, customer_id: int, now: datetime) -> None: ...

    async def anonymize(self, customer_id: int, anonymization: Anonymization) -> None:
        """Erase personal data and addresses; keep the row, its number and its id."""


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

    async def revoke_all_for(self, customer_id: int, now: datetime) -> None:
        """Revoke every refresh token of a customer."""

    async def discard_one_time_for(self, customer_id: int) -> None:
        """Drop every unused confirmation or reset key of a customer."""


class Outbox(Protocol):
    async def enqueue(self, tenant_id: int, mail: OutgoingMail) -> int: ...

    async def redact_for(self, customer_id: int) -> None:
        """Erase recipients and bodies of a customer's messages (after anonymization)."""


class UnitOfWork(Protocol):
    """One transaction. Rolls back on exit unless `commit()` was called."""

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def outbox(self) -> Outbox: ...

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

    async def customer_by_number(self, tenant_id: int, customer_number: str) -> Customer | None: ...

    async def credentials_by_email(
        self, tenant_id: int, email: str, *, confirmation_required: bool
    ) -> Credentials | None: ...


class TenantDirectory(Protocol):
    async def get(self, code: str) -> Tenant:
        """Raises `TenantNotFound`."""


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    async def burn(self, password: str) -> None:
        """Spend the time of a verification, so an unknown account answers as slowly."""


class TokenCodec(Protocol):
    def issue_access(self, customer: Customer, now: datetime) -> tuple[str, int]:
        """Return the signed access token and its lifetime in seconds."""

    def verify_access(self, token: str, now: datetime) -> AccessClaims:
        """Raises `InvalidAccessToken`."""

    def new_opaque(self) -> tuple[str, bytes]:
        """A fresh random token and the hash under which it is stored."""

    def hash_opaque(self, token: str) -> bytes: ...


class LoginThrottle(Protocol):
    async def retry_after(self, keys: Sequence[str]) -> int:
        """Seconds until these keys may try again; 0 when not blocked."""

    async def record_failure(self, keys: Sequence[str]) -> None: ...

    async def record_success(self, keys: Sequence[str]) -> None: ...
