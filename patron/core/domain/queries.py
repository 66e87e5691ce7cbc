"""Back-office list queries: typed filters a dialect builds from its vendor's query string.

The core decides what may be filtered and sorted on; storage turns a query into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from patron.core.domain.condition_checks import MAX_CONDITIONS, checked_values
from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.principals import Reach

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
    {
        "id",
        "created_at",
        "updated_at",
        "email",
        "contact_email",
        "first_name",
        "middle_name",
        "last_name",
        "customer_number",
        "title",
        "company",
        "phone",
        "language",
        "currency",
        "site",
        "restriction",
        "is_active",
        "on_hold",
    }
)
MAX_SORT_KEYS = 8
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


class Operator(StrEnum):
    """What a field condition asks of a field (Emporix' `q` language can say all of these)."""

    EQ = "eq"
    LT = "lt"
    GT = "gt"
    LTE = "lte"
    GTE = "gte"
    IN = "in"
    """Equal to any of `values`."""
    IS_NULL = "is_null"
    """No value (null or absent); takes no values."""
    EXISTS = "exists"
    """A metadata path is present (any value, null included); takes no values."""
    MISSING = "missing"
    """A metadata path is absent; takes no values."""
    MATCHES = "matches"
    """A case-sensitive POSIX regular expression (one value) finds a match."""


FilterValue = str | int | float | bool | datetime | date
"""A literal of a condition; `FieldCondition` checks it suits the field's type."""

CUSTOMER_FILTER_FIELDS: dict[str, type] = {
    "id": int,
    "customer_number": str,
    "email": str,
    "contact_email": str,
    "code": str,
    "first_name": str,
    "middle_name": str,
    "last_name": str,
    "title": str,
    "company": str,
    "vat_id": str,
    "phone": str,
    "language": str,
    "currency": str,
    "site": str,
    "birth_date": date,
    "has_account": bool,
    "is_active": bool,
    "on_hold": bool,
    "email_verified_at": datetime,
    "created_at": datetime,
    "updated_at": datetime,
    "version": int,
    "restriction": str,
}
"""The customer fields a condition may name, with their types; `metadata` paths (below)
hold any JSON. `email` is the login email, `contact_email` the contact email as shown
(the one kept apart, else the login)."""


@dataclass(frozen=True, slots=True)
class FieldCondition:
    """One condition of a customer query: `field` is a name of `CUSTOMER_FILTER_FIELDS` or
    `metadata` with a non-empty `path` into the customer's metadata (mixins live there).

    Construction checks the operator against the field and converts `values` to the
    field's type (an ISO string for a date or time, `"1"`/`"true"` style text is NOT read
    as a boolean: the caller passes typed literals), raising `QueryInvalid` with a message
    naming the field and the problem."""

    field: str
    operator: Operator
    values: tuple[FilterValue, ...] = ()
    path: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        values = checked_values(
            self.field, self.operator, self.values, self.path, CUSTOMER_FILTER_FIELDS
        )
        object.__setattr__(self, "values", values)


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
    conditions: tuple[FieldCondition, ...] = ()
    """All must hold (AND)."""
    sort: tuple[Sort, ...] = (Sort("created_at", descending=True),)
    """The first key orders, each next one breaks the ties of those before."""
    page: Page = Page()
    reach: Reach | None = None
    """Only the customers a narrowed caller reaches (None, or a plain grant: all)."""
    with_anonymized: bool = True
    """Anonymized customers too (Medusa lists them; Emporix' deleted ones are gone)."""

    def __post_init__(self) -> None:
        if not self.sort or len(self.sort) > MAX_SORT_KEYS:
            raise QueryInvalid(f"sort takes 1 to {MAX_SORT_KEYS} fields")
        for key in self.sort:
            if key.field not in CUSTOMER_SORT_FIELDS:
                raise QueryInvalid(f"cannot sort on {key.field}")
        if len(self.conditions) > MAX_CONDITIONS:
            raise QueryInvalid(f"a query holds at most {MAX_CONDITIONS} conditions")


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
