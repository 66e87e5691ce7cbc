"""Glue's REST request validation (error 901): Symfony constraints, Symfony messages.

Each field gets a list of constraints; the first one that fails yields `field => message`,
as Spryker's `RestRequestValidator` reports them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

Check = Callable[[Any], str | None]


def not_blank(value: Any) -> str | None:
    if (
        value is None
        or value is False
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    ):
        return "This value should not be blank."
    return None


def is_string(value: Any) -> str | None:
    return None if isinstance(value, str) else "This value should be of type string."


def is_true(value: Any) -> str | None:
    return None if value is True else "This value should be true."


def length(minimum: int | None = None, maximum: int | None = None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "This value should be of type string."
        if minimum is not None and len(value) < minimum:
            return f"This value is too short. It should have {minimum} characters or more."
        if maximum is not None and len(value) > maximum:
            return f"This value is too long. It should have {maximum} characters or less."
        return None

    return check


def email(value: Any) -> str | None:
    if not isinstance(value, str):
        return "This value is not a valid email address."
    try:
        validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        return "This value is not a valid email address."
    return None


def choice(options: Sequence[str]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in options else "The value you selected is not a valid choice."

    return check


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: Any) -> str | None:
    if not isinstance(value, str) or not _DATE.match(value):
        return "This value is not a valid date."
    try:
        date.fromisoformat(value)
    except ValueError:
        return "This value is not a valid date."
    return None


@dataclass(frozen=True, slots=True)
class Field:
    checks: tuple[Check, ...]
    required: bool = True
    nullable: bool = False


def required(*checks: Check) -> Field:
    return Field(checks=(not_blank, *checks), required=True)


def optional(*checks: Check, nullable: bool = False) -> Field:
    return Field(checks=checks, required=False, nullable=nullable)


def violations(attributes: Mapping[str, Any], schema: Mapping[str, Field]) -> list[str]:
    """Return `field => message` for each field that breaks its constraints."""
    found: list[str] = []
    for name, field in schema.items():
        if name not in attributes:
            if field.required:
                found.append(f"{name} => This field is missing.")
            continue
        value = attributes[name]
        if value is None and field.nullable:
            continue
        for check in field.checks:
            if message := check(value):
                found.append(f"{name} => {message}")
                break
    return found
