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
    PASSWORD_MISMATCH = "password_mismatch"
    PASSWORD_POLICY = "password_policy"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOGIN_BLOCKED = "login_blocked"
    INVALID_REFRESH_TOKEN = "invalid_refresh_token"
    INVALID_ACCESS_TOKEN = "invalid_access_token"
    CONFIRMATION_INVALID = "confirmation_invalid"
    VERSION_CONFLICT = "version_conflict"
    NOT_OWNER = "not_owner"
    PRODUCT_NOT_FOUND = "product_not_found"
    SUBSCRIPTION_EXISTS = "subscription_exists"
    SUBSCRIPTION_NOT_FOUND = "subscription_not_found"
    ADDRESS_NOT_FOUND = "address_not_found"
    ADDRESS_LIMIT_REACHED = "address_limit_reached"
    ADDRESS_CONFLICT = "address_conflict"
    ADDRESS_ID_TAKEN = "address_id_taken"
    COUNTRY_INVALID = "country_invalid"
    WRONG_PASSWORD = "wrong_password"
    RESET_KEY_INVALID = "reset_key_invalid"
    PASSWORD_CHANGE_FAILED = "password_change_failed"
    FIELDS_INVALID = "fields_invalid"
    TENANT_SETTING_INVALID = "tenant_setting_invalid"
    GUEST_EXISTS = "guest_exists"
    EMAIL_LOCKED = "email_locked"
    GROUP_NOT_FOUND = "group_not_found"
    GROUP_NAME_TAKEN = "group_name_taken"
    CUSTOMERS_NOT_FOUND = "customers_not_found"
    SCOPE_MISSING = "scope_missing"
    ADMIN_EMAIL_TAKEN = "admin_email_taken"
    PRINCIPAL_NOT_FOUND = "principal_not_found"
    QUERY_INVALID = "query_invalid"
    CODE_TAKEN = "code_taken"
    SIGNUP_LIMIT_REACHED = "signup_limit_reached"
    PROPERTY_NOT_FOUND = "property_not_found"
    PROPERTY_EXISTS = "property_exists"
    PROPERTY_LIMIT_REACHED = "property_limit_reached"
    LIST_ITEM_NOT_FOUND = "list_item_not_found"
    LIST_LIMIT_REACHED = "list_limit_reached"
    GROUPS_READ_ONLY = "groups_read_only"
    PASSWORD_HASH_INVALID = "password_hash_invalid"
    CREDENTIAL_CHOICE = "credential_choice"
    MIGRATION_WINDOW_REQUIRED = "migration_window_required"
    MIGRATION_WINDOW_NOT_SET = "migration_window_not_set"
    MIGRATION_WINDOW_INVALID = "migration_window_invalid"
    MIGRATION_NOT_CONCLUDED = "migration_not_concluded"
    IMPORT_BATCH_TOO_LARGE = "import_batch_too_large"
    CUSTOMER_NUMBER_TAKEN = "customer_number_taken"
    RESTRICTION_INVALID = "restriction_invalid"
    OUT_OF_REACH = "out_of_reach"
    SERVICE_UNAVAILABLE = "service_unavailable"


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


class PasswordMismatch(DomainError):
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


class AccessTokenExpired(InvalidAccessToken):
    """A token that was valid and has run out (dialects that tell it apart say so)."""


class TenantMismatch(InvalidAccessToken):
    """A valid credential of another tenant than the request names (Emporix answers it
    400, not 401); every other dialect treats it as any invalid credential."""


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


class ProductNotFound(DomainError):
    """The SKU is not in the tenant's register."""

    code = ErrorCode.PRODUCT_NOT_FOUND


class SubscriptionExists(DomainError):
    """The address already waits for this SKU (compared case-insensitively)."""

    code = ErrorCode.SUBSCRIPTION_EXISTS


class SubscriptionNotFound(DomainError):
    """No open subscription has this key (unknown, unsubscribed, or already notified)."""

    code = ErrorCode.SUBSCRIPTION_NOT_FOUND


class AddressNotFound(DomainError):
    """No address with that id belongs to the customer (another's reads the same)."""

    code = ErrorCode.ADDRESS_NOT_FOUND


class AddressLimitReached(DomainError):
    """The customer already has as many addresses as the configuration allows."""

    code = ErrorCode.ADDRESS_LIMIT_REACHED

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} addresses")
        self.limit = limit


class AddressConflict(DomainError):
    """A concurrent write claimed the same default address; the database refused ours."""

    code = ErrorCode.ADDRESS_CONFLICT


class AddressIdTaken(DomainError):
    """The customer has an address named by this id already (its chosen id, or its uuid)."""

    code = ErrorCode.ADDRESS_ID_TAKEN

    def __init__(self, address_id: str) -> None:
        super().__init__(f"address id {address_id!r} is taken")
        self.address_id = address_id


class CountryInvalid(DomainError):
    """The country code names no ISO 3166-1 country."""

    code = ErrorCode.COUNTRY_INVALID


class WrongPassword(DomainError):
    """The current password given to authorise a password change is not the customer's."""

    code = ErrorCode.WRONG_PASSWORD


class ResetKeyInvalid(DomainError):
    """The password-reset key is unknown, expired or already used."""

    code = ErrorCode.RESET_KEY_INVALID


class PasswordChangeFailed(DomainError):
    """The account went away (anonymized) while its password was being changed."""

    code = ErrorCode.PASSWORD_CHANGE_FAILED


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


class FieldsInvalid(DomainError):
    """Text the model cannot hold: too long, or characters a field refuses."""

    code = ErrorCode.FIELDS_INVALID

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.rule.value}" for p in problems))
        self.problems = tuple(problems)


class TenantSettingInvalid(DomainError, ValueError):
    """A tenant setting that is unknown or cannot take the value; names the key, so an
    operator knows which of several changes was refused."""

    code = ErrorCode.TENANT_SETTING_INVALID

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


class GuestExists(DomainError):
    """A guest (no account) with this email exists already, and no password was given to
    make the new one a registered account (Medusa's rule 2.8)."""

    code = ErrorCode.GUEST_EXISTS


class EmailLocked(DomainError):
    """A registered customer's email is their login; the back office may not change it."""

    code = ErrorCode.EMAIL_LOCKED


class GroupNotFound(DomainError):
    code = ErrorCode.GROUP_NOT_FOUND

    def __init__(self, group: str = "") -> None:
        super().__init__(group)
        self.group = group
        """The id as the request gave it (rendered by the dialect), when known."""


class GroupNameTaken(DomainError):
    """Group names are unique per tenant, compared as given."""

    code = ErrorCode.GROUP_NAME_TAKEN

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class CustomersNotFound(DomainError):
    """Some of the customers a request names do not exist in the tenant."""

    code = ErrorCode.CUSTOMERS_NOT_FOUND

    def __init__(self, missing: Sequence[object]) -> None:
        super().__init__(", ".join(str(m) for m in missing))
        self.missing = tuple(missing)


class ScopeMissing(DomainError):
    """An authenticated back-office caller whose grant lacks the scope a use case needs."""

    code = ErrorCode.SCOPE_MISSING

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class AdminEmailTaken(DomainError):
    code = ErrorCode.ADMIN_EMAIL_TAKEN


class PrincipalNotFound(DomainError):
    """No admin user or API client of the tenant has that email or client id."""

    code = ErrorCode.PRINCIPAL_NOT_FOUND


class QueryInvalid(DomainError):
    """A list query the core cannot serve (an unknown sort field, a negative offset)."""

    code = ErrorCode.QUERY_INVALID


class CodeTaken(DomainError):
    """Another customer of the tenant has this login name (`Customer.code`)."""

    code = ErrorCode.CODE_TAKEN


class SignupLimitReached(DomainError):
    """This client address created as many accounts as a `SignupLimit` allows."""

    code = ErrorCode.SIGNUP_LIMIT_REACHED


class PropertyNotFound(DomainError):
    code = ErrorCode.PROPERTY_NOT_FOUND


class PropertyExists(DomainError):
    """An edit would make a property the twin of another (same type, language, value)."""

    code = ErrorCode.PROPERTY_EXISTS


class PropertyLimitReached(DomainError):
    code = ErrorCode.PROPERTY_LIMIT_REACHED


class ListItemNotFound(DomainError):
    code = ErrorCode.LIST_ITEM_NOT_FOUND


class ListLimitReached(DomainError):
    code = ErrorCode.LIST_LIMIT_REACHED


class GroupsReadOnly(DomainError):
    """A customer's own group memberships are shown, never written, by the customer."""

    code = ErrorCode.GROUPS_READ_ONLY


class CustomerNumberTaken(DomainError):
    """A caller-chosen customer number is another customer's (an anonymized one's too,
    unless the tenant lets deleted customers' numbers be given again)."""

    code = ErrorCode.CUSTOMER_NUMBER_TAKEN


class RestrictionInvalid(DomainError):
    """A customer's `restriction` must be one of the tenant's `restrictions`."""

    code = ErrorCode.RESTRICTION_INVALID

    def __init__(self, value: str) -> None:
        super().__init__(f"restriction {value!r} is not one of the tenant's restrictions")
        self.value = value


class OutOfReach(DomainError):
    """A narrowed back-office caller may see the customer but not make it (or leave it)
    what the change asks: another restriction, outside its company."""

    code = ErrorCode.OUT_OF_REACH


class PasswordHashInvalid(DomainError):
    """An imported password hash in no format the service can verify; never stored."""

    code = ErrorCode.PASSWORD_HASH_INVALID


class CredentialChoice(DomainError):
    """An imported account names neither or both of a password hash and a legacy one."""

    code = ErrorCode.CREDENTIAL_CHOICE


class MigrationWindowRequired(DomainError):
    """A legacy password hash is imported only while the tenant's migration window is open:
    its end date bounds how long such hashes are kept."""

    code = ErrorCode.MIGRATION_WINDOW_REQUIRED


class MigrationWindowNotSet(DomainError):
    code = ErrorCode.MIGRATION_WINDOW_NOT_SET


class MigrationWindowRule(StrEnum):
    END_NOT_FUTURE = "end_not_future"
    REMINDER_OUT_OF_RANGE = "reminder_out_of_range"


class MigrationWindowInvalid(DomainError):
    code = ErrorCode.MIGRATION_WINDOW_INVALID

    def __init__(self, rule: MigrationWindowRule) -> None:
        super().__init__(rule.value)
        self.rule = rule


class MigrationNotConcluded(DomainError):
    """The window cannot be removed while accounts still hold legacy hashes."""

    code = ErrorCode.MIGRATION_NOT_CONCLUDED


class ImportBatchTooLarge(DomainError):
    code = ErrorCode.IMPORT_BATCH_TOO_LARGE

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} customers per batch")
        self.limit = limit


class ServiceUnavailable(DomainError):
    """No database connection came free within the pool's acquire timeout (or the database
    would open none): the request is refused (every dialect's 503, with `Retry-After`)
    instead of waiting without end."""

    code = ErrorCode.SERVICE_UNAVAILABLE

    def __init__(self, retry_after_seconds: int = 1) -> None:
        super().__init__("no database connection to be had")
        self.retry_after_seconds = retry_after_seconds
