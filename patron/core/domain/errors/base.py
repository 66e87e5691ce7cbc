"""The codes every core error carries, and the root of the tree.

A concrete error derives from exactly one category (`categories.CATEGORIES`), never from
`DomainError` alone: the category is what every dialect answers when it has nothing more
specific for the code.
"""

from __future__ import annotations

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
