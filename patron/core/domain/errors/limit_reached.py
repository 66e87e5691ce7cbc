"""The customer holds as many of something as the configuration allows."""

from __future__ import annotations

from patron.core.domain.errors.base import DomainError, ErrorCode


class LimitReached(DomainError):
    """Category: removing one of the things counted makes room; waiting does not."""


class AddressLimitReached(LimitReached):
    """The customer already has as many addresses as the configuration allows."""

    code = ErrorCode.ADDRESS_LIMIT_REACHED

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} addresses")
        self.limit = limit


class PropertyLimitReached(LimitReached):
    code = ErrorCode.PROPERTY_LIMIT_REACHED


class ListLimitReached(LimitReached):
    code = ErrorCode.LIST_LIMIT_REACHED
