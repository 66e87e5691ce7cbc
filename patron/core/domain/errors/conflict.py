"""The request is sound but collides with what is stored: a value another holds, a version
that moved on, a state that forbids the change for now."""

from __future__ import annotations

from patron.core.domain.errors.base import DomainError, ErrorCode


class Conflict(DomainError):
    """Category: the stored state, not the request, stands in the way."""


class EmailTaken(Conflict):
    code = ErrorCode.EMAIL_TAKEN


class VersionConflict(Conflict):
    code = ErrorCode.VERSION_CONFLICT

    def __init__(self, current_version: int) -> None:
        super().__init__(f"current version is {current_version}")
        self.current_version = current_version


class SubscriptionExists(Conflict):
    """The address already waits for this SKU (compared case-insensitively)."""

    code = ErrorCode.SUBSCRIPTION_EXISTS


class AddressConflict(Conflict):
    """A concurrent write claimed the same default address; the database refused ours."""

    code = ErrorCode.ADDRESS_CONFLICT


class AddressIdTaken(Conflict):
    """The customer has an address named by this id already (its chosen id, or its uuid)."""

    code = ErrorCode.ADDRESS_ID_TAKEN

    def __init__(self, address_id: str) -> None:
        super().__init__(f"address id {address_id!r} is taken")
        self.address_id = address_id


class PasswordChangeFailed(Conflict):
    """The account went away (anonymized) while its password was being changed."""

    code = ErrorCode.PASSWORD_CHANGE_FAILED


class GuestExists(Conflict):
    """A guest (no account) with this email exists already, and no password was given to
    make the new one a registered account (Medusa's rule 2.8)."""

    code = ErrorCode.GUEST_EXISTS


class GroupNameTaken(Conflict):
    """Group names are unique per tenant, compared as given."""

    code = ErrorCode.GROUP_NAME_TAKEN

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class AdminEmailTaken(Conflict):
    code = ErrorCode.ADMIN_EMAIL_TAKEN


class CodeTaken(Conflict):
    """Another customer of the tenant has this login name (`Customer.code`)."""

    code = ErrorCode.CODE_TAKEN


class PropertyExists(Conflict):
    """An edit would make a property the twin of another (same type, language, value)."""

    code = ErrorCode.PROPERTY_EXISTS


class CustomerNumberTaken(Conflict):
    """A caller-chosen customer number is another customer's (an anonymized one's too,
    unless the tenant lets deleted customers' numbers be given again), or no generated
    number of the tenant's pattern was free."""

    code = ErrorCode.CUSTOMER_NUMBER_TAKEN


class MigrationNotConcluded(Conflict):
    """The window cannot be removed while accounts still hold legacy hashes."""

    code = ErrorCode.MIGRATION_NOT_CONCLUDED
