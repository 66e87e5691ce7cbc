"""The list parameters of Emporix' customer lists (reference 1.2): `sort`, `pageNumber`,
`pageSize`, `expand`, and the count headers of the answer."""

from __future__ import annotations

from collections.abc import Mapping

from patron.core.domain.queries import CUSTOMER_SORT_FIELDS, MAX_PAGE_SIZE, Page, Sort
from patron.dialects.emporix.errors import EmporixError, validation_failure
from patron.dialects.emporix.q_fields import FIELD_NAMES
from patron.dialects.emporix.shapes import Expand

DEFAULT_PAGE_SIZE = 60
DEFAULT_SORT = (Sort("created_at"),)
"""Oldest first: Emporix documents no default order, and this one pages stably."""

SORT_FIELDS: Mapping[str, str] = {
    name: field for name, field in FIELD_NAMES.items() if field in CUSTOMER_SORT_FIELDS
}
"""Emporix' sortable names -> the core's sort fields: the `q` fields the core sorts on."""
_DIRECTIONS = {"asc": False, "desc": True}


def _invalid(name: str, message: str) -> EmporixError:
    return EmporixError(
        validation_failure(
            f"Parameter {name} is not valid.",
            {"field": name, "type": "invalid_value", "message": message},
        )
    )


def sort(text: str | None) -> tuple[Sort, ...]:
    """`field[:asc|:desc]` separated by commas, the direction in any case
    (`metadataCreatedAt:DESC`, as Emporix' dashboard sends it)."""
    if text is None or not text.strip():
        return DEFAULT_SORT
    keys = []
    for part in text.split(","):
        name, _, direction = part.strip().partition(":")
        if name not in SORT_FIELDS:
            raise _invalid("sort", f"Cannot sort by '{name}'.")
        if direction and direction.lower() not in _DIRECTIONS:
            raise _invalid("sort", f"Unknown sort direction '{direction}'.")
        keys.append(Sort(SORT_FIELDS[name], _DIRECTIONS.get(direction.lower(), False)))
    return tuple(keys)


def _positive(name: str, text: str | None, default: int) -> int:
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise _invalid(name, f"{name} must be a whole number of at least 1.")
    return int(text)


def page(number: str | None, size: str | None) -> Page:
    """Page `pageNumber` (from 1) of `pageSize` rows; a size past `MAX_PAGE_SIZE` is
    served as that many."""
    rows = min(_positive("pageSize", size, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    return Page(offset=(_positive("pageNumber", number, 1) - 1) * rows, limit=rows)


def expand(text: str | None) -> Expand:
    """`addresses`, `accounts`, `mixin:*` (every mixin) or `mixin:<name>`, comma-separated,
    in any order."""
    if not text:
        return Expand()
    addresses = accounts = False
    mixins: set[str] | None = None
    for part in (item.strip() for item in text.split(",")):
        kind, _, name = part.partition(":")
        if part == "addresses":
            addresses = True
        elif part == "accounts":
            accounts = True
        elif kind == "mixin" and name:
            mixins = (mixins or set()) | {name}
        else:
            raise _invalid("expand", f"Cannot expand '{part}'.")
    shown = None if mixins is None else frozenset() if "*" in mixins else frozenset(mixins)
    return Expand(addresses=addresses, accounts=accounts, mixins=shown)


def count_headers(total: int, *, asked: bool) -> dict[str, str]:
    """`Count` (the spec) and `hybris-count` (what Emporix' dashboard reads) always;
    `X-Total-Count` when the request sent `X-Total-Count: true`."""
    headers = {"Count": str(total), "hybris-count": str(total)}
    if asked:
        headers["X-Total-Count"] = str(total)
    return headers
