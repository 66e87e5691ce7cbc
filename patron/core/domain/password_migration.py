"""Password migration: how long legacy password hashes of imported accounts are kept.

A shop moving to Patron brings its customers' password hashes. Hashes in a format Patron
can verify and then replace (argon2id, bcrypt, PBKDF2) are kept until the first login
re-hashes them. A *legacy* hash (a weak construction, such as salted SHA-512) is kept only
within the tenant's migration window: it may be imported only while a window is open, it
logs in through the window's last day, and the window cannot be removed while any account
still holds one. Legacy hashes are stored with `LEGACY_HASH_PREFIX`, so the rule and the
storage can tell them apart without knowing their algorithms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from patron.core.domain.errors.invalid_input import MigrationWindowInvalid, MigrationWindowRule

LEGACY_HASH_PREFIX = "$legacy-"
REMINDER_LEAD = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class LegacyHash:
    """A hash of another system that Patron verifies but never writes: the name of its
    construction, the hash as exported, and what the construction needs besides the
    password (the original user id it was salted with, say)."""

    algorithm: str
    hash: str
    context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImportedPassword:
    """An imported account's credential: exactly one of a hash in a format Patron
    verifies and replaces at the next login, or a legacy one (`CredentialChoice`)."""

    hash: str | None = None
    legacy: LegacyHash | None = None


class ImportedHashes(Protocol):
    def stored_form(self, password: ImportedPassword) -> str:
        """The imported hash as it is stored, in a form the password hasher verifies
        (a legacy one under `LEGACY_HASH_PREFIX`). Raises `PasswordHashInvalid` for a
        format it cannot verify; checks only the form, so it is cheap."""


@dataclass(frozen=True, slots=True)
class MigrationWindow:
    """A tenant's password-migration window."""

    ends_on: date
    """The last day a legacy hash logs in."""
    reminder_on: date
    """When unmigrated customers are reminded to log in once."""
    notifications: bool
    """Whether customers get mails about the migration (reminder, reset)."""


@dataclass(frozen=True, slots=True)
class MigrationWindowRequest:
    """A window as asked for; unset fields take their defaults (`open_window`)."""

    ends_on: date
    reminder_on: date | None = None
    notifications: bool = True


def open_window(request: MigrationWindowRequest, today: date) -> MigrationWindow:
    """The window a request asks for, checked against `today`: the end in the future, the
    reminder on or after today and before the end; without one, a week before the end, or
    tomorrow when that is not after today."""
    if request.ends_on <= today:
        raise MigrationWindowInvalid(MigrationWindowRule.END_NOT_FUTURE)
    reminder = request.reminder_on
    if reminder is None:
        reminder = request.ends_on - REMINDER_LEAD
        if reminder <= today:
            reminder = today + timedelta(days=1)
    elif not today <= reminder < request.ends_on:
        raise MigrationWindowInvalid(MigrationWindowRule.REMINDER_OUT_OF_RANGE)
    return MigrationWindow(request.ends_on, reminder, request.notifications)


def is_legacy(password_hash: str) -> bool:
    return password_hash.startswith(LEGACY_HASH_PREFIX)


def usable_hash(password_hash: str | None, window_ends: date | None, today: date) -> str | None:
    """The stored hash a login may check: a legacy one only within the migration window.
    After it, the account logs in no more with its old password and must reset it."""
    if password_hash is None or not is_legacy(password_hash):
        return password_hash
    return password_hash if window_ends is not None and today <= window_ends else None
