"""List queries as Medusa v1 reads them: `qs` parsing, its comma normalisation, then
class-validator's checks and transformations, into the core's typed queries.

`GET /admin/customers` (`AdminGetCustomersParams`): `limit` (50), `offset` (0), `expand`,
`fields` (accepted, ignored), `q`, `has_account` (only "true" and "false" count; anything
else is dropped, as Medusa's `optionalBooleanMapper` drops it), `groups`, `order`
(`field` or `-field`), `created_at` and `updated_at` with `lt`, `gt`, `lte`, `gte`.
`GET /admin/customer-groups`: the same paging (limit 10), `q`, `id`, `name`, the dates,
`discount_condition_id` (Patron has no discounts: nothing matches), `order`, `expand`,
`fields`. An unknown parameter is `property x should not exist`; failures are joined with
", " in Medusa's order (unknown parameters, then the properties as its classes list them).
"""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import (
    MAX_PAGE_SIZE,
    Comparison,
    CustomerQuery,
    GroupQuery,
    Page,
    Sort,
    TimeBound,
)
from patron.dialects.medusa import ids
from patron.dialects.medusa.errors import MedusaError, invalid_data, validation_failed
from patron.http.qs import parse, split_single_lists

MAX_SAFE_INTEGER = 2**53 - 1
"""JavaScript's largest exact integer: the largest offset or limit a Medusa client sends."""

Parser = Callable[[Any, "Found"], None]


@dataclass
class Found:
    """What the parameters said, and what was wrong with them."""

    name: str = ""
    problems: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    def fail(self, template: str) -> None:
        self.problems.append(template.format(property=self.name))


def js_number(text: str) -> float | None:
    """JavaScript's `Number(text)`: "" is 0, hex/octal/binary prefixes count, anything else
    is NaN (None)."""
    text = text.strip()
    if not text:
        return 0.0
    sign = -1 if text[0] == "-" else 1
    body = text[1:] if text[0] in "+-" else text
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if body.lower().startswith(prefix) and text[0] not in "+-":
            try:
                return float(int(body[2:], base))
            except ValueError:
                return None
    if body in ("Infinity",):
        return sign * math.inf
    if not re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", body):
        return None
    return sign * float(body)


def _count(value: Any, found: Found) -> None:
    """`@IsNumber() @Type(() => Number)`, and Patron needs a non-negative integer. A huge
    one is served as the largest that means anything (`MAX_PAGE_SIZE` rows, an offset past
    every row)."""
    number = js_number(value) if isinstance(value, str) else None
    if number is None or not math.isfinite(number) or number < 0 or number != int(number):
        found.fail("{property} must be a number conforming to the specified constraints")
        return
    found.values[found.name] = min(int(number), MAX_SAFE_INTEGER)


def _string(value: Any, found: Found) -> None:
    if not isinstance(value, str):
        found.fail("{property} must be a string")
    elif "\x00" in value:
        found.fail("{property} must not hold a NUL character")
    else:
        found.values[found.name] = value


def _ignored_string(value: Any, found: Found) -> None:
    if not isinstance(value, str):
        found.fail("{property} must be a string")


def _strings(value: Any, found: Found) -> None:
    """`@IsString({each: true})`: a string, or a list of them."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        found.fail("each value in {property} must be a string")
    elif any("\x00" in item for item in items):
        found.fail("{property} must not hold a NUL character")
    else:
        found.values[found.name] = items


def _has_account(value: Any, found: Found) -> None:
    if value in ("true", "false"):
        found.values[found.name] = value == "true"


def js_date(text: str) -> datetime | None:
    """Medusa's `transformDate`: a date `Date.parse` reads, else seconds since 1970."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            seconds = js_number(text)
            if seconds is not None and math.isfinite(seconds):
                try:
                    moment = datetime.fromtimestamp(seconds, UTC)
                except (OverflowError, OSError, ValueError):
                    return None
    if moment is None:
        return None
    try:  # a time zone can push the first or last representable day out of range
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        return None


def _dates(value: Any, found: Found) -> None:
    """`@ValidateNested() @Type(() => DateComparisonOperator)`."""
    if not isinstance(value, dict):
        found.fail("nested property {property} must be either object or array")
        return
    bounds = []
    for key, text in value.items():
        if key not in Comparison._value2member_map_:
            found.problems.append(f"property {key} should not exist")
            continue
        moment = js_date(text) if isinstance(text, str) else None
        if moment is None:
            found.problems.append(f"{key} must be a Date instance")
        else:
            bounds.append(TimeBound(Comparison(key), moment))
    found.values[found.name] = tuple(bounds)


def _ids(value: Any, found: Found) -> None:
    """A group id, or a list of them (Medusa also takes `{lt, gt...}` on ids; Patron's ids
    carry no order worth filtering on)."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        found.fail("{property} must be one of String or Array")
    else:
        found.values[found.name] = items


CUSTOMER_PARAMETERS: Mapping[str, Parser] = {
    "limit": _count,
    "offset": _count,
    "expand": _string,
    "fields": _ignored_string,
    "q": _string,
    "has_account": _has_account,
    "groups": _strings,
    "order": _string,
    "created_at": _dates,
    "updated_at": _dates,
}
GROUP_PARAMETERS: Mapping[str, Parser] = {
    "q": _string,
    "id": _ids,
    "name": _strings,
    "created_at": _dates,
    "updated_at": _dates,
    "discount_condition_id": _string,
    "order": _string,
    "offset": _count,
    "limit": _count,
    "expand": _string,
    "fields": _ignored_string,
}


def read(query_string: bytes, parameters: Mapping[str, Parser]) -> dict[str, Any]:
    """The checked values of the parameters a query string holds; `MedusaError` (400
    `invalid_data`) listing every failure otherwise."""
    if not query_string:
        return {}
    query = split_single_lists(parse(query_string.decode("latin-1")))
    found = Found()
    found.problems.extend(
        f"property {key} should not exist" for key in query if key not in parameters
    )
    for name, parser in parameters.items():
        if name in query:
            found.name = name
            parser(query[name], found)
    if found.problems:
        raise validation_failed(found.problems)
    return found.values


def sort(order: str | None, default: Sort) -> Sort:
    if not order:
        return default
    descending = order.startswith("-")
    return Sort(order[1:] if descending else order, descending)


def page(values: Mapping[str, Any], default_limit: int) -> Page:
    limit = min(values.get("limit", default_limit), MAX_PAGE_SIZE)
    return Page(offset=values.get("offset", 0), limit=limit)


@dataclass(frozen=True, slots=True)
class CustomerList:
    query: CustomerQuery | None
    """None when the filter can match nobody (only unknown group ids were named)."""
    expand: str | None
    page: Page


def customer_list(query_string: bytes, *, groups: tuple[str, ...] | None = None) -> CustomerList:
    """`GET /admin/customers`; `groups` forces the group filter (a group's members)."""
    values = read(query_string, CUSTOMER_PARAMETERS)
    paging = page(values, 50)
    named = groups if groups is not None else tuple(values.get("groups", ()))
    group_uuids = tuple(u for u in (ids.parse(ids.GROUP, g) for g in named) if u is not None)
    if named and not group_uuids:
        return CustomerList(None, values.get("expand"), paging)
    try:
        query = CustomerQuery(
            text=values.get("q") or None,
            has_account=values.get("has_account"),
            group_uuids=group_uuids,
            created=values.get("created_at", ()),
            updated=values.get("updated_at", ()),
            sort=(sort(values.get("order"), _CUSTOMER_SORT),),
            page=paging,
        )
    except QueryInvalid as error:
        raise order_invalid(values.get("order")) from error
    return CustomerList(query, values.get("expand"), paging)


_CUSTOMER_SORT = Sort("created_at", descending=True)
_GROUP_SORT = Sort("created_at", descending=True)


def order_invalid(order: str | None) -> MedusaError:
    return MedusaError(invalid_data(f"Order field {(order or '').lstrip('-')} is not valid"))


@dataclass(frozen=True, slots=True)
class GroupList:
    query: GroupQuery | None
    expand: str | None
    page: Page


def group_list(query_string: bytes) -> GroupList:
    values = read(query_string, GROUP_PARAMETERS)
    paging = page(values, 10)
    named = tuple(values.get("id", ()))
    uuids = tuple(u for u in (ids.parse(ids.GROUP, g) for g in named) if u is not None)
    if (named and not uuids) or "discount_condition_id" in values:
        return GroupList(None, values.get("expand"), paging)
    try:
        query = GroupQuery(
            text=values.get("q") or None,
            uuids=uuids,
            names=tuple(values.get("name", ())),
            created=values.get("created_at", ()),
            updated=values.get("updated_at", ()),
            sort=sort(values.get("order"), _GROUP_SORT),
            page=paging,
        )
    except QueryInvalid as error:
        raise order_invalid(values.get("order")) from error
    return GroupList(query, values.get("expand"), paging)


def expand_only(query_string: bytes) -> str | None:
    """Routes that take only `expand` and `fields` (retrieve, update): anything else is
    refused as Medusa's `FindParams` refuses it."""
    values = read(query_string, _FIND_PARAMETERS)
    expand: str | None = values.get("expand")
    return expand


_FIND_PARAMETERS: Mapping[str, Parser] = {"expand": _string, "fields": _ignored_string}


def order_page(query_string: bytes) -> Page:
    """`GET /store/customers/me/orders`: its paging (limit 10); its many order filters
    are accepted and match nothing, since Patron keeps no orders."""
    if not query_string:
        return Page(limit=10)
    query = split_single_lists(parse(query_string.decode("latin-1")))
    found = Found()
    for name in ("limit", "offset"):
        if name in query:
            found.name = name
            _count(query[name], found)
    if found.problems:
        raise validation_failed(found.problems)
    return page(found.values, 10)
