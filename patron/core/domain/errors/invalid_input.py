"""The request itself is wrong: a value the model cannot take, a key that opens nothing,
a password that breaks the tenant's policy, a query the core cannot serve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from patron.core.domain.errors.base import DomainError, ErrorCode


class InvalidInput(DomainError):
    """Category: sending the same request again gives the same refusal."""


class EmailInvalid(InvalidInput):
    code = ErrorCode.EMAIL_INVALID


class PasswordMismatch(InvalidInput):
    """A new password and its confirmation differ (where the dialect sends one)."""

    code = ErrorCode.PASSWORD_MISMATCH


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


class PasswordPolicyViolation(InvalidInput):
    code = ErrorCode.PASSWORD_POLICY

    def __init__(self, violations: Sequence[PasswordViolation]) -> None:
        super().__init__(", ".join(v.rule.value for v in violations))
        self.violations = tuple(violations)


class ConfirmationInvalid(InvalidInput):
    """The confirmation key is unknown, expired or already used."""

    code = ErrorCode.CONFIRMATION_INVALID


class CountryInvalid(InvalidInput):
    """The country code names no ISO 3166-1 country."""

    code = ErrorCode.COUNTRY_INVALID


class WrongPassword(InvalidInput):
    """The current password given to authorise a password change is not the customer's."""

    code = ErrorCode.WRONG_PASSWORD


class ResetKeyInvalid(InvalidInput):
    """The password-reset key is unknown, expired or already used."""

    code = ErrorCode.RESET_KEY_INVALID


class FieldRule(StrEnum):
    TOO_LONG = "too_long"
    CHARACTERS = "characters"
    INVALID = "invalid"
    """A value the field cannot take: out of its range (`limit` names the bound), empty
    where it must not be, or not of its form (a language code)."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    """The core's name of the field (`first_name`); dialects translate it."""
    rule: FieldRule
    limit: int | None = None


class FieldsInvalid(InvalidInput):
    """Text the model cannot hold: too long, or characters a field refuses."""

    code = ErrorCode.FIELDS_INVALID

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.rule.value}" for p in problems))
        self.problems = tuple(problems)


class TenantSettingInvalid(InvalidInput, ValueError):
    """A tenant setting that is unknown or cannot take the value; names the key, so an
    operator knows which of several changes was refused."""

    code = ErrorCode.TENANT_SETTING_INVALID

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


class EmailLocked(InvalidInput):
    """A registered customer's email is their login; the back office may not change it."""

    code = ErrorCode.EMAIL_LOCKED


class QueryInvalid(InvalidInput):
    """A list query the core cannot serve (an unknown sort field, a negative offset)."""

    code = ErrorCode.QUERY_INVALID


class RestrictionInvalid(InvalidInput):
    """A customer's `restriction` must be one of the tenant's `restrictions`."""

    code = ErrorCode.RESTRICTION_INVALID

    def __init__(self, value: str) -> None:
        super().__init__(f"restriction {value!r} is not one of the tenant's restrictions")
        self.value = value


class PasswordHashInvalid(InvalidInput):
    """An imported password hash in no format the service can verify; never stored."""

    code = ErrorCode.PASSWORD_HASH_INVALID


class CredentialChoice(InvalidInput):
    """An imported account names neither or both of a password hash and a legacy one."""

    code = ErrorCode.CREDENTIAL_CHOICE


class MigrationWindowRequired(InvalidInput):
    """A legacy password hash is imported only while the tenant's migration window is open:
    its end date bounds how long such hashes are kept."""

    code = ErrorCode.MIGRATION_WINDOW_REQUIRED


class MigrationWindowRule(StrEnum):
    END_NOT_FUTURE = "end_not_future"
    REMINDER_OUT_OF_RANGE = "reminder_out_of_range"


class MigrationWindowInvalid(InvalidInput):
    code = ErrorCode.MIGRATION_WINDOW_INVALID

    def __init__(self, rule: MigrationWindowRule) -> None:
        super().__init__(rule.value)
        self.rule = rule


class ImportBatchTooLarge(InvalidInput):
    """More customers in one request than a batch may hold (a bound of the request, not
    of what is stored)."""

    code = ErrorCode.IMPORT_BATCH_TOO_LARGE

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} customers per batch")
        self.limit = limit
