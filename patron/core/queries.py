"""Back-office list queries: typed filters a dialect builds from its vendor's query string.

The core decides what may be filtered and sorted on; storage turns a query into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from patron.core.errors import QueryInvalid

MAX_PAGE_SIZE = 1000
"""The most rows one page holds; a larger limit is served as this many."""


class Comparison(StrEnum):
    LT = "lt"
    GT = "gt"
    LTE = "lte"
    GTE = "gte"


@dataclass(frozen=True, slots=True)
class TimeBound:
    comparison: Comparison
    value: datetime


@dataclass(frozen=True, slots=True)
class Sort:
    field: str
    descending: bool = False


CUSTOMER_SORT_FIELDS = frozenset(
    {"id", "created_at", "updated_at", "email", "first_name", "last_name"}
)
GROUP_SORT_FIELDS = frozenset({"id", "created_at", "updated_at", "name"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    offset: int = 0
    limit: int = 50

    def __post_init__(self) -> None:
        if self.offset < 0 or self.limit < 0:
            raise QueryInvalid("offset and limit must not be negative")

    @property
    def served_limit(self) -> int:
        return min(self.limit, MAX_PAGE_SIZE)


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerQuery:
    """Customers of one tenant. `text` matches a case-insensitive substring of the email,
    first name or last name. Ties in `sort` are broken by id, so pages never overlap."""

    text: str | None = None
    has_account: bool | None = None
    group_uuids: tuple[UUID, ...] = ()
    """Members of any of these groups."""
    created: tuple[TimeBound, ...] = ()
    updated: tuple[TimeBound, ...] = ()
    sort: Sort = Sort("created_at", descending=True)
    page: Page = Page()

    def __post_init__(self) -> None:
        if self.sort.field not in CUSTOMER_SORT_FIELDS:
            raise QueryInvalid(f"cannot sort on {self.sort.field}")


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupQuery:
    """Groups of one tenant. `text` matches a case-insensitive substring of the name."""

    text: str | None = None
    uuids: tuple[UUID, ...] = ()
    names: tuple[str, ...] = ()
    created: tuple[TimeBound, ...] = ()
    updated: tuple[TimeBound, ...] = ()
    sort: Sort = Sort("created_at", descending=True)
    page: Page = Page(limit=10)

    def __post_init__(self) -> None:
        if self.sort.field not in GROUP_SORT_FIELDS:
            raise QueryInvalid(f"cannot sort on {self.sort.field}")
