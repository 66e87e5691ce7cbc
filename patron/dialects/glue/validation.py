"""Glue's request validation (error 901): Symfony's constraints and messages, in Pydantic.

The request models in `schemas` are the one definition of what a request may hold: they
check requests here and describe them in the OpenAPI document. This module has the pieces
Pydantic lacks (Symfony's NotBlank, Email, Date, IsTrue and country checks, each failing
with Symfony's message) and turns a `ValidationError` into Glue's `field => message`, the
first failing constraint of each field, in the model's field order, as Spryker's
`RestRequestValidator` reports them.

Models are strict (no coercion: `1` is no bool, `42` no string) and ignore unknown
attributes. Cheap checks run first: NotBlank and the type, then the length (in the core
schema), and only then a syntax check (email, date, country) in an `After` validator, so a
huge string is refused by its length before any parser sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationError
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from patron.core.domain.countries import normalize_country_code
from patron.core.domain.email_addresses import email_syntax_ok

MISSING_MESSAGE = "This field is missing."
BLANK = "This value should not be blank."
NOT_STRING = "This value should be of type string."
NOT_EMAIL = "This value is not a valid email address."
NOT_DATE = "This value is not a valid date."
NOT_COUNTRY = "This value is not a valid country."
NOT_TRUE = "This value should be true."

# Pydantic's own error types, in Symfony's words.
MESSAGES = {
    "missing": MISSING_MESSAGE,
    "string_type": NOT_STRING,
    "bool_type": "This value should be of type bool.",
    "literal_error": "The value you selected is not a valid choice.",
    "string_too_short": "This value is too short. It should have {min_length} characters or more.",
    "string_too_long": "This value is too long. It should have {max_length} characters or less.",
}
FALLBACK = "This value is not valid."  # Symfony's generic message; no model should reach it


class RequestModel(BaseModel):
    """Base of the request attribute models: strict, unknown attributes ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def not_blank(value: Any) -> Any:
    """Symfony's NotBlank as Glue applies it: null, false, "", [] and whitespace are blank."""
    if (
        value is None
        or value is False
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    ):
        raise _fail("not_blank", BLANK)
    return value


def is_true(value: Any) -> Any:
    if value is not True:
        raise _fail("is_true", NOT_TRUE)
    return value


def email_type(value: Any) -> Any:
    """Symfony's Email calls anything but a string not an email (not 'not a string')."""
    if not isinstance(value, str):
        raise _fail("email", NOT_EMAIL)
    return value


def email_syntax(value: str) -> str:
    """Runs after the length check: the parser is slow on huge strings. The core's one
    rule (`email_syntax_ok`), in Symfony's words."""
    if not email_syntax_ok(value.strip()):
        raise _fail("email", NOT_EMAIL)
    return value


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: Any) -> Any:
    """`YYYY-MM-DD` and a real day; anything else, strings or not, is 'not a valid date'."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise _fail("date", NOT_DATE)
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _fail("date", NOT_DATE) from None
    return value


def country(value: Any) -> Any:
    if isinstance(value, str) and normalize_country_code(value):
        return value
    raise _fail("country", NOT_COUNTRY)


@dataclass(frozen=True, slots=True)
class Before:
    """Checks on the raw value, in the order given, before the type and length checks.

    One marker runs them all in order: stacked `BeforeValidator`s would run last-first.
    """

    checks: tuple[Callable[[Any], Any], ...]

    def __init__(self, *checks: Callable[[Any], Any]) -> None:
        object.__setattr__(self, "checks", checks)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        checks = self.checks

        def run(value: Any) -> Any:
            for check in checks:
                value = check(value)
            return value

        return core_schema.no_info_before_validator_function(run, handler(source))


def violations(error: ValidationError) -> list[str]:
    """`field => message` for the first failing constraint of each field, in field order."""
    found: dict[str, str] = {}
    for item in error.errors(include_url=False, include_input=False):
        field = str(item["loc"][0]) if item["loc"] else ""
        if field in found:
            continue
        template = MESSAGES.get(item["type"])
        if template is not None:
            found[field] = template.format(**item.get("ctx", {}))
        elif item["type"] in _CUSTOM:
            found[field] = item["msg"]
        else:
            found[field] = FALLBACK
    return [f"{field} => {message}" for field, message in found.items()]


_CUSTOM = frozenset({"not_blank", "is_true", "email", "date", "country"})
