"""The one exception tree of the core.

Errors carry a stable machine-readable `code`, never an HTTP status: each dialect maps the
codes to its own statuses and messages in its `errors.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    EMAIL_TAKEN = "email_taken"
    EMAIL_INVALID = "email_invalid"
    CUSTOMER_NOT_FOUND = "customer_not_found"
    TENANT_NOT_FOUND = "tenant_not_found"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"
    PASSWORD_MISMATCH = "password_mismatch"
    PASSWORD_POLICY = "password_policy"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOGIN_BLOCKED = "login_blocked"
    INVALID_REFRESH_TOKEN = "invalid_refresh_token"
    INVALID_ACCESS_TOKEN = "invalid_access_token"
    CONFIRMATION_INVALID = "confirmation_invalid"
    VERSION_CONFLICT = "version_conflict"
    NOT_OWNER = "not_owner"


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    code: ErrorCode

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code.value)


class EmailTaken(DomainError):
    code = ErrorCode.EMAIL_TAKEN


class EmailInvalid(DomainError):
    code = ErrorCode.EMAIL_INVALID


class CustomerNotFound(DomainError):
    code = ErrorCode.CUSTOMER_NOT_FOUND


class TenantNotFound(DomainError):
    code = ErrorCode.TENANT_NOT_FOUND


class TermsNotAccepted(DomainError):
    code = ErrorCode.TERMS_NOT_ACCEPTED


class PasswordMismatch(DomainError):
    """The password and its confirmation differ."""

    code = ErrorCode.PASSWORD_MISMATCH

    def __init__(self, field: str = "password", confirmation_field: str = "confirmPassword"):
        super().__init__(f"{field} != {confirmation_field}")
        self.field = field
        self.confirmation_field = confirmation_field


class PasswordRule(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    CHARACTER_SET = "character_set"
    SEQUENCE = "sequence"
    COMMON = "common"


@dataclass(frozen=True, slots=True)
class PasswordViolation:
    rule: PasswordRule
    limit: int | None = None


class PasswordPolicyViolation(DomainError):
    code = ErrorCode.PASSWORD_POLICY

    def __init__(self, violations: Sequence[PasswordViolation]) -> None:
        super().__init__(", ".join(v.rule.value for v in violations))
        self.violations = tuple(violations)


class InvalidCredentials(DomainError):
    """Login failed. Deliberately says nothing of why (unknown, unconfirmed, wrong password)."""

    code = ErrorCode.INVALID_CREDENTIALS


class LoginBlocked(DomainError):
    code = ErrorCode.LOGIN_BLOCKED

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"blocked for {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


class InvalidRefreshToken(DomainError):
    code = ErrorCode.INVALID_REFRESH_TOKEN


class InvalidAccessToken(DomainError):
    code = ErrorCode.INVALID_ACCESS_TOKEN


class ConfirmationInvalid(DomainError):
    """The confirmation key is unknown, expired or already used."""

    code = ErrorCode.CONFIRMATION_INVALID


class VersionConflict(DomainError):
    code = ErrorCode.VERSION_CONFLICT

    def __init__(self, current_version: int) -> None:
        super().__init__(f"current version is {current_version}")
        self.current_version = current_version


class NotOwner(DomainError):
    """The authenticated customer acts on another customer's resource."""

    code = ErrorCode.NOT_OWNER
