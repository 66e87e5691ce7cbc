"""The categories every concrete core error belongs to, exactly one each, and the one
dispatch over them.

A dialect builds one `ByCategory` (mypy refuses it unless every category has an answer)
and overrides single codes in front of it where its vendor documents a specific answer,
so a code no dialect has heard of still gets the answer of its category, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from patron.core.domain.errors.base import DomainError
from patron.core.domain.errors.conflict import Conflict
from patron.core.domain.errors.forbidden import Forbidden
from patron.core.domain.errors.invalid_input import InvalidInput
from patron.core.domain.errors.limit_reached import LimitReached
from patron.core.domain.errors.not_found import NotFound
from patron.core.domain.errors.throttled import Throttled
from patron.core.domain.errors.unauthorized import Unauthorized
from patron.core.domain.errors.unavailable import Unavailable

CATEGORIES: tuple[type[DomainError], ...] = (
    NotFound,
    Conflict,
    InvalidInput,
    Unauthorized,
    Forbidden,
    LimitReached,
    Throttled,
    Unavailable,
)

Answer = TypeVar("Answer")


@dataclass(frozen=True, slots=True, kw_only=True)
class ByCategory(Generic[Answer]):
    """One answer per category, each given the error as its own category's type."""

    not_found: Callable[[NotFound], Answer]
    conflict: Callable[[Conflict], Answer]
    invalid_input: Callable[[InvalidInput], Answer]
    unauthorized: Callable[[Unauthorized], Answer]
    forbidden: Callable[[Forbidden], Answer]
    limit_reached: Callable[[LimitReached], Answer]
    throttled: Callable[[Throttled], Answer]
    unavailable: Callable[[Unavailable], Answer]

    def __call__(self, error: DomainError) -> Answer:
        if isinstance(error, NotFound):
            return self.not_found(error)
        if isinstance(error, Conflict):
            return self.conflict(error)
        if isinstance(error, InvalidInput):
            return self.invalid_input(error)
        if isinstance(error, Unauthorized):
            return self.unauthorized(error)
        if isinstance(error, Forbidden):
            return self.forbidden(error)
        if isinstance(error, LimitReached):
            return self.limit_reached(error)
        if isinstance(error, Throttled):
            return self.throttled(error)
        if isinstance(error, Unavailable):
            return self.unavailable(error)
        # Only a class that skipped its category gets here (tests/core forbids one).
        raise TypeError(f"{type(error).__name__} belongs to no error category")


def retry_after(error: DomainError) -> int | None:
    """Seconds for `Retry-After`: a throttle or an outage that knows when to try again."""
    if isinstance(error, Throttled | Unavailable):
        return error.retry_after_seconds
    return None
