"""What the request names does not exist (for this caller: another's reads the same)."""

from __future__ import annotations

from collections.abc import Sequence

from patron.core.domain.errors.base import DomainError, ErrorCode


class NotFound(DomainError):
    """Category: the thing named is not there, or not the caller's to see."""


class CustomerNotFound(NotFound):
    code = ErrorCode.CUSTOMER_NOT_FOUND


class TenantNotFound(NotFound):
    code = ErrorCode.TENANT_NOT_FOUND


class ProductNotFound(NotFound):
    """The SKU is not in the tenant's register."""

    code = ErrorCode.PRODUCT_NOT_FOUND


class SubscriptionNotFound(NotFound):
    """No open subscription has this key (unknown, unsubscribed, or already notified)."""

    code = ErrorCode.SUBSCRIPTION_NOT_FOUND


class AddressNotFound(NotFound):
    """No address with that id belongs to the customer (another's reads the same)."""

    code = ErrorCode.ADDRESS_NOT_FOUND


class GroupNotFound(NotFound):
    code = ErrorCode.GROUP_NOT_FOUND

    def __init__(self, group: str = "") -> None:
        super().__init__(group)
        self.group = group
        """The id as the request gave it (rendered by the dialect), when known."""


class CustomersNotFound(NotFound):
    """Some of the customers a request names do not exist in the tenant."""

    code = ErrorCode.CUSTOMERS_NOT_FOUND

    def __init__(self, missing: Sequence[object]) -> None:
        super().__init__(", ".join(str(m) for m in missing))
        self.missing = tuple(missing)


class PrincipalNotFound(NotFound):
    """No admin user or API client of the tenant has that email or client id."""

    code = ErrorCode.PRINCIPAL_NOT_FOUND


class PropertyNotFound(NotFound):
    code = ErrorCode.PROPERTY_NOT_FOUND


class ListItemNotFound(NotFound):
    code = ErrorCode.LIST_ITEM_NOT_FOUND


class MigrationWindowNotSet(NotFound):
    code = ErrorCode.MIGRATION_WINDOW_NOT_SET
