"""Medusa's request validation (class-validator, `whitelist` and `forbidNonWhitelisted`), in
Pydantic.

The request models in `schemas` are the one definition of what a body may hold: they check
requests here and describe them in the OpenAPI document. Each property carries `Rules`: its
class-validator decorators, each failing with class-validator's message. As class-validator
does, every rule of a property runs (a property may fail several), `IsOptional` skips them
all for null and absent values, and an unknown property is `property x should not exist`.
Failures are listed as Medusa's validator lists them: at each level the unknown properties
first, then the properties in the model's order, a nested object's failures before its
parent's own, all joined by ", " (400 `invalid_data`).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationError
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from patron.core.domain.email_addresses import email_syntax_ok


class _Undefined:
    """A property the body does not have (JavaScript's `undefined`)."""

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED: Any = _Undefined()

Check = Callable[[Any], str | None]
"""A decorator of class-validator: None when the value passes, else the message, with
`{property}` where the property's name goes."""

MAX_EMAIL_LENGTH = 320
"""Longer than any address (64 + 1 + 255): only a huge string fails on it, before the
slow syntax check sees it."""


def is_string(value: Any) -> str | None:
    return None if isinstance(value, str) else "{property} must be a string"


def is_not_empty(value: Any) -> str | None:
    return None if value not in ("", None, UNDEFINED) else "{property} should not be empty"


def is_email(value: Any) -> str | None:
    """validator.js's `isEmail` in its words; the rule is the core's one
    (`email_syntax_ok`)."""
    if not isinstance(value, str) or not value or len(value) > MAX_EMAIL_LENGTH:
        return "{property} must be an email"
    if not email_syntax_ok(value):
        return "{property} must be an email"
    return None


def is_object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "{property} must be an object"


def is_array(value: Any) -> str | None:
    return None if isinstance(value, list) else "{property} must be an array"


def nested(value: Any) -> str | None:
    """`ValidateNested()`: the property's own model checks the object's properties."""
    if isinstance(value, dict):
        return None
    return "nested property {property} must be either object or array"


def each_nested(value: Any) -> str | None:
    """`ValidateNested({each: true})` on an array: each item is an object of the model."""
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return None
    return "each value in nested property {property} must be either object or array"


@dataclass(frozen=True, slots=True)
class Rules:
    """The class-validator decorators of one property, in the order they report."""

    checks: tuple[Check, ...]
    optional: bool = False
    """`IsOptional`: null and absent values skip every check."""

    def __init__(self, *checks: Check, optional: bool = False) -> None:
        object.__setattr__(self, "checks", checks)
        object.__setattr__(self, "optional", optional)

    def failures(self, value: Any) -> list[str]:
        if self.optional and (value is None or value is UNDEFINED):
            return []
        return [message for check in self.checks if (message := check(value)) is not None]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        def run(value: Any) -> Any:
            if found := self.failures(value):
                raise PydanticCustomError("class_validator", "{messages}", {"messages": found})
            return value

        return core_schema.no_info_before_validator_function(run, handler(source))


class RequestModel(BaseModel):
    """Base of the request bodies: strict (no coercion), unknown properties refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


@dataclass
class _Node:
    """The failures of one property (or of the body), as class-validator nests them."""

    unknown: list[str] = field(default_factory=list)
    children: dict[str | int, _Node] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def at(self, loc: tuple[str | int, ...]) -> _Node:
        node = self
        for part in loc:
            node = node.children.setdefault(part, _Node())
        return node

    def flatten(self) -> list[str]:
        found = [f"property {name} should not exist" for name in self.unknown]
        for child in self.children.values():
            found.extend(child.flatten())
        return found + self.messages


def violations(error: ValidationError, model: type[BaseModel]) -> list[str]:
    """class-validator's messages for a body `model` refused, in Medusa's order."""
    root = _Node()
    for item in error.errors(include_url=False, include_input=False):
        loc = tuple(item["loc"])
        if item["type"] == "extra_forbidden":
            root.at(loc[:-1]).unknown.append(str(loc[-1]))
            continue
        name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
        if item["type"] == "class_validator":
            templates = list(item["ctx"]["messages"])
        elif item["type"] == "missing":
            rules = _rules_at(model, loc)
            templates = rules.failures(UNDEFINED) if rules else ["{property} should not be empty"]
        else:  # a type the rules above already refused; kept so nothing passes silently
            templates = ["{property} is not valid"]
        root.at(loc).messages.extend(t.format(property=name) for t in templates)
    return root.flatten()


def _rules_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> Rules | None:
    """The `Rules` of the property at `loc`, walking into nested models."""
    current: type[BaseModel] | None = model
    rules = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        info = current.model_fields[part]
        rules = next((m for m in info.metadata if isinstance(m, Rules)), None)
        current = _model_in(info.annotation)
    return rules


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The request model an annotation holds (`X`, `list[X]`, `X | None`...), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
