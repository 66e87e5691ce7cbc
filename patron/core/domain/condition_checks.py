"""The checks a customer query condition passes before storage sees it: the operator fits
the field, the values take the field's type, and a pattern is one PostgreSQL runs safely.

Every refusal is a `QueryInvalid` naming the field and the problem; nothing else escapes,
whatever junk a caller hands in.
"""

from __future__ import annotations

import math
import re
import string
import warnings
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, date, datetime
from typing import Any

from patron.core.domain.errors.invalid_input import QueryInvalid

METADATA = "metadata"
"""The field whose `path` leads into the customer's metadata (any JSON)."""
MAX_CONDITIONS = 50
MAX_IN_VALUES = 200
MAX_TEXT_LENGTH = 1000
MAX_PATTERN_LENGTH = 200
MAX_PATH_DEPTH = 10
MAX_REPEAT = 255
"""PostgreSQL refuses a counted repetition above 255 (`a{256}`)."""
INT64 = range(-(2**63), 2**63)

PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")
DIGITS = re.compile(r"-?[0-9]{1,30}")
ORDERING = frozenset({"lt", "gt", "lte", "gte"})
SINGLE = ORDERING | {"eq", "matches"}
NO_VALUES = frozenset({"is_null", "exists", "missing"})
CLASS_ESCAPES = frozenset("dDwWsS")
LITERAL_ESCAPES = frozenset(string.punctuation)
QUANTIFIERS = frozenset("*+?")


def checked_values(
    field: str,
    operator: str,
    values: object,
    path: object,
    field_types: dict[str, type],
) -> tuple[Any, ...]:
    """`values` converted to what `field` holds; `QueryInvalid` if the condition is not one
    storage can run."""
    if not isinstance(field, str):
        raise QueryInvalid("a condition's field must be a name")
    if field == METADATA:
        _check_path(path)
        field_type: type | None = None
    elif field in field_types:
        if path != ():
            raise QueryInvalid(f"{field}: only metadata takes a path")
        field_type = field_types[field]
    else:
        raise QueryInvalid(f"{_shown(field)}: not a field a customer can be filtered on")
    if not isinstance(operator, str):
        raise QueryInvalid(f"{field}: {_shown(operator)} is not an operator")
    if not isinstance(values, tuple):
        raise QueryInvalid(f"{field}: the values must be a tuple")
    _check_arity(field, operator, len(values), field_type)
    convert = _to_json_scalar if field_type is None else CONVERTERS[field_type]
    converted = tuple(convert(field, value) for value in values)
    if operator in ORDERING and isinstance(converted[0], bool):
        raise QueryInvalid(f"{field}: a boolean cannot be compared by order")
    if operator == "matches":
        check_pattern(field, converted[0])
    return converted


def _check_path(path: object) -> None:
    if not isinstance(path, tuple) or not path:
        raise QueryInvalid("metadata: a path of one or more keys is needed")
    if len(path) > MAX_PATH_DEPTH:
        raise QueryInvalid(f"metadata: a path has at most {MAX_PATH_DEPTH} keys")
    for key in path:
        if not isinstance(key, str) or not PLAIN_KEY.fullmatch(key):
            raise QueryInvalid(
                f"metadata: the path key {_shown(key)} is not 1-100 letters, digits, _ or -"
            )


def _check_arity(field: str, operator: str, count: int, field_type: type | None) -> None:
    if operator in NO_VALUES:
        if count:
            raise QueryInvalid(f"{field}: {operator} takes no value")
        if operator != "is_null" and field_type is not None:
            raise QueryInvalid(f"{field}: {operator} applies only to metadata paths")
    elif operator in SINGLE:
        if count != 1:
            raise QueryInvalid(f"{field}: {operator} takes exactly one value")
        if operator in ORDERING and field_type is bool:
            raise QueryInvalid(f"{field}: a boolean cannot be compared by order")
        if operator == "matches" and field_type not in (str, None):
            raise QueryInvalid(f"{field}: only text can match a pattern")
    elif operator == "in":
        if not 1 <= count <= MAX_IN_VALUES:
            raise QueryInvalid(f"{field}: a list holds 1 to {MAX_IN_VALUES} values")
    else:
        raise QueryInvalid(f"{field}: unknown operator {_shown(operator)}")


def _to_text(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise QueryInvalid(f"{field}: {_shown(value)} is not text")
    if len(value) > MAX_TEXT_LENGTH:
        raise QueryInvalid(f"{field}: a text value has at most {MAX_TEXT_LENGTH} characters")
    if "\x00" in value:
        raise QueryInvalid(f"{field}: a text value must not contain NUL")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise QueryInvalid(f"{field}: a text value must be valid Unicode") from None
    return value


def _to_int(field: str, value: object) -> int:
    if isinstance(value, str) and DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryInvalid(f"{field}: {_shown(value)} is not a whole number")
    if value not in INT64:
        raise QueryInvalid(f"{field}: a whole number must fit in 64 bits")
    return value


def _to_bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise QueryInvalid(f"{field}: {_shown(value)} is not true or false")
    return value


def _to_date(field: str, value: object) -> date:
    parsed = value
    if isinstance(value, str) and len(value) <= 10:
        with suppress(ValueError):
            parsed = date.fromisoformat(value)
    if isinstance(parsed, datetime) or not isinstance(parsed, date):
        raise QueryInvalid(f"{field}: {_shown(value)} is not a date (YYYY-MM-DD)")
    return parsed


def _to_datetime(field: str, value: object) -> datetime:
    parsed = value
    if isinstance(value, str) and len(value) <= 64:
        with suppress(ValueError):
            parsed = datetime.fromisoformat(value)
    if not isinstance(parsed, datetime) or parsed.utcoffset() is None:
        raise QueryInvalid(
            f"{field}: {_shown(value)} is not a date and time with a zone (ISO 8601)"
        )
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise QueryInvalid(f"{field}: {_shown(value)} is out of range") from None


def _to_json_scalar(field: str, value: object) -> str | int | float | bool:
    """Metadata holds JSON: text, numbers and booleans compare; a date there is just text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _to_int(field, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryInvalid(f"{field}: a number must be finite")
        return value
    if isinstance(value, str):
        return _to_text(field, value)
    raise QueryInvalid(f"{field}: metadata compares with text, a number or true/false only")


CONVERTERS: dict[type, Callable[[str, object], Any]] = {
    str: _to_text,
    int: _to_int,
    bool: _to_bool,
    date: _to_date,
    datetime: _to_datetime,
}


def check_pattern(field: str, pattern: object) -> None:
    """A pattern in the subset PostgreSQL and Python read alike (literals, `.`, brackets,
    `\\d\\w\\s`, `*+?` and `{m,n}` up to 255, groups and `(?:...)`, `|`, `^$`), at most
    200 characters: no backreference, lookaround or option reaches the database."""
    if not isinstance(pattern, str):
        raise QueryInvalid(f"{field}: a pattern must be text")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise QueryInvalid(f"{field}: a pattern has at most {MAX_PATTERN_LENGTH} characters")
    _scan_pattern(field, pattern)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            re.compile(pattern)
        except (re.error, Warning, RecursionError, OverflowError) as error:
            raise QueryInvalid(
                f"{field}: the pattern is not a valid expression ({error})"
            ) from None


def _scan_pattern(field: str, pattern: str) -> None:
    at, repeated = 0, False
    while at < len(pattern):
        char = pattern[at]
        quantifier = char in QUANTIFIERS or char == "{"
        if quantifier and repeated and char != "?":
            raise QueryInvalid(f"{field}: the pattern repeats a repetition")
        if char == "\\":
            _check_escape(field, pattern[at + 1 : at + 2])
            at += 2
        elif char == "[":
            at = _bracket_end(field, pattern, at + 1)
        elif char == "{":
            at = _repeat_end(field, pattern, at + 1)
        elif pattern.startswith("(?", at) and not pattern.startswith("(?:", at):
            raise QueryInvalid(f"{field}: the pattern may use only (...) and (?:...) groups")
        else:
            at += 1
        # A `?` after a repetition makes it lazy (both engines agree) and ends it.
        repeated = quantifier and not (char == "?" and repeated)


def _check_escape(field: str, escaped: str) -> None:
    if escaped not in CLASS_ESCAPES and escaped not in LITERAL_ESCAPES:
        raise QueryInvalid(
            f"{field}: the pattern may escape only punctuation and \\d \\w \\s (not "
            f"{_shown(escaped)}; backreferences are refused)"
        )


def _bracket_end(field: str, pattern: str, at: int) -> int:
    """The index after the `]` closing the bracket expression that starts at `at`."""
    if pattern.startswith("^", at):
        at += 1
    if pattern.startswith("]", at):
        at += 1
    while at < len(pattern) and pattern[at] != "]":
        if pattern[at] == "\\":
            _check_escape(field, pattern[at + 1 : at + 2])
            at += 1
        elif pattern[at] == "[":
            raise QueryInvalid(f"{field}: the pattern has [ inside brackets (escape it)")
        at += 1
    if at >= len(pattern):
        raise QueryInvalid(f"{field}: the pattern has an unclosed [")
    return at + 1


def _repeat_end(field: str, pattern: str, at: int) -> int:
    """The index after the `}` of a `{m}`, `{m,}` or `{m,n}` starting at `at`."""
    counted = re.compile(r"(\d{1,3})(,(\d{1,3})?)?\}").match(pattern, at)
    if counted is None:
        raise QueryInvalid(f"{field}: the pattern has {{ that is not {{m}}, {{m,}} or {{m,n}}")
    low, high = int(counted[1]), int(counted[3] or counted[1])
    if not low <= high <= MAX_REPEAT:
        raise QueryInvalid(f"{field}: a counted repetition goes from m <= n <= {MAX_REPEAT}")
    return counted.end()


def _shown(value: object) -> str:
    """A value in a message, cut short: messages echo input, never a whole payload."""
    try:
        text = repr(value)
    except ValueError:  # an int of more than 4300 digits
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."
