"""What the core asks of its security adapters: password hashing, the token codec, login
throttling and quotas, the session store (`patron.security`, `patron.storage.sessions`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from patron.core.domain.model import AccessClaims, Customer, SessionRecord
from patron.core.domain.principals import BackOfficeClaims


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


class SessionStore(Protocol):
    """Server-side sessions by the hash of their cookie: PostgreSQL, or Redis when set."""

    async def put(self, token_hash: bytes, record: SessionRecord) -> None: ...

    async def get(self, token_hash: bytes, now: datetime) -> SessionRecord | None:
        """None when unknown or expired at `now` (the core's clock, not the store's)."""

    async def delete(self, token_hash: bytes) -> None: ...


class Quota(Protocol):
    """Counts uses of a key within a window, shared by every worker and host."""

    async def take(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count one use; False (and nothing counted) when `limit` uses were counted in the
        current window already."""

    async def give_back(self, key: str) -> None:
        """Un-count one use (the counted action failed)."""
