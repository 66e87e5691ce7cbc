"""Core errors as Medusa's error bodies, and the bodies themselves: one answer per
category of core error (`BY_CATEGORY`), overridden by code where Medusa has words of its
own for the case (`BY_CODE`).

Medusa v1 answers `{code?, type, message}` (`code` only where its error handler forces
one), with the status its handler derives from `type` (reference 2.1): `invalid_data` and
`not_allowed` 400, `unauthorized` 401, `not_found` 404, `conflict` 409 (code
`invalid_state_error`), `duplicate_error` 422 (code `invalid_request_error`). A failed
authentication is the plain text `Unauthorized` (passport), not JSON.

Answers Medusa does not have: 429 for a blocked login or lookup (`not_allowed`, with
`Retry-After`), 403 for a back-office credential without the scope a route needs, and 403
for a write with the session cookie from another site's page (`FOREIGN_ORIGIN`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import ByCategory, retry_after
from patron.core.domain.errors.conflict import GroupNameTaken
from patron.core.domain.errors.forbidden import Forbidden, ScopeMissing
from patron.core.domain.errors.invalid_input import (
    FieldRule,
    FieldsInvalid,
    PasswordPolicyViolation,
    PasswordRule,
)
from patron.core.domain.errors.not_found import CustomersNotFound, GroupNotFound
from patron.core.domain.errors.throttled import LoginBlocked, Throttled
from patron.dialects.medusa import ids


@dataclass(frozen=True, slots=True)
class MedusaErrorBody:
    status: int
    type: str
    message: str
    code: str | None = None
    plain: bool = False
    """Answered as the text of `message` (passport's 401), not as JSON."""

    def to_json(self) -> dict[str, str]:
        body = {"code": self.code} if self.code is not None else {}
        body["type"] = self.type
        body["message"] = self.message
        return body


class MedusaError(Exception):
    """Raised by the dialect; rendered by the app's handler."""

    def __init__(self, body: MedusaErrorBody, *, retry_after: int | None = None) -> None:
        super().__init__(body.message)
        self.body = body
        self.retry_after = retry_after
        """Seconds, for the `Retry-After` header of a 429."""


def invalid_data(message: str) -> MedusaErrorBody:
    return MedusaErrorBody(400, "invalid_data", message)


def not_allowed(message: str, status: int = 400) -> MedusaErrorBody:
    return MedusaErrorBody(status, "not_allowed", message)


def not_found(message: str) -> MedusaErrorBody:
    return MedusaErrorBody(404, "not_found", message)


def duplicate(message: str) -> MedusaErrorBody:
    return MedusaErrorBody(422, "duplicate_error", message, "invalid_request_error")


UNAUTHORIZED = MedusaErrorBody(401, "unauthorized", "Unauthorized", plain=True)
BAD_REQUEST = MedusaErrorBody(400, "invalid_data", "Bad Request", plain=True)
"""`res.sendStatus(400)`: `GET /admin/auth` for a caller that is no user."""
CONFLICT = MedusaErrorBody(
    409,
    "conflict",
    "The request conflicted with another request. You may retry the request with the "
    "provided Idempotency-Key.",
    "invalid_state_error",
)
NOT_FOUND = not_found("Not Found")
BODY_TOO_LARGE = MedusaErrorBody(413, "invalid_data", "request entity too large")
BODY_MALFORMED = invalid_data("Invalid JSON in request body")
BODY_NUL = invalid_data("Request body holds a NUL character")
RESET_TOKEN_INVALID = MedusaErrorBody(
    401, "unauthorized", "Invalid or expired password reset token"
)
EMAIL_TAKEN = duplicate("A customer with the given email already has an account. Log in instead")
ADDRESS_NOT_MINE = invalid_data("Could not find address for customer")
FOREIGN_ORIGIN = not_allowed("Origin not allowed to write with this session", 403)
UNAVAILABLE = MedusaErrorBody(
    503, "database_error", "The database is busy. Please retry.", "api_error"
)
"""Medusa's own body for a database failure (its 500), as the 503 of a pool that gave no
connection in time (`ServiceUnavailable`)."""


def customer_not_found(customer_id: str) -> MedusaErrorBody:
    return not_found(f"Customer with id: {customer_id} was not found")


def group_not_found(group_id: str) -> MedusaErrorBody:
    return not_found(f"CustomerGroup with id {group_id} was not found")


def shown_id(prefix: str, value: object) -> str:
    """An id a core error carries, as this dialect writes it (uuids get their prefix)."""
    if isinstance(value, UUID):
        return ids.render(prefix, value)
    try:
        return ids.render(prefix, UUID(str(value)))
    except ValueError:
        return str(value)


# The core's field names as Medusa's requests name them (customers and addresses alike).
FIELDS: Mapping[str, str] = {
    "address1": "address_1",
    "address2": "address_2",
    "zip_code": "postal_code",
    "region": "province",
}


def _fields_invalid(error: FieldsInvalid) -> MedusaErrorBody:
    """The core's text limits in class-validator's words (`MaxLength`'s message)."""
    messages = []
    for problem in error.problems:
        field = FIELDS.get(problem.field, problem.field)
        if problem.rule is FieldRule.TOO_LONG:
            messages.append(f"{field} must be shorter than or equal to {problem.limit} characters")
        else:
            messages.append(f"{field} contains characters that are not allowed")
    return invalid_data(", ".join(messages))


_PASSWORD_RULES: Mapping[PasswordRule, str] = {
    PasswordRule.TOO_SHORT: "password must be longer than or equal to {limit} characters",
    PasswordRule.TOO_LONG: "password must be shorter than or equal to {limit} characters",
    PasswordRule.CHARACTER_SET: "password must contain an upper and a lower case letter, "
    "a digit and a special character",
    PasswordRule.SEQUENCE: "password must not repeat a character more than {limit} times",
    PasswordRule.COMMON: "password is too common",
}


def _password_policy(error: PasswordPolicyViolation) -> MedusaErrorBody:
    """Medusa has no password policy; the tenant's rules, worded like class-validator's."""
    return invalid_data(
        ", ".join(_PASSWORD_RULES[v.rule].format(limit=v.limit) for v in error.violations)
    )


def _login_blocked(error: LoginBlocked) -> MedusaErrorBody:
    minutes = max(1, math.ceil(error.retry_after_seconds / 60))
    return not_allowed(
        f"Too many attempts. Please wait {minutes} minutes before trying again.", 429
    )


def _always(body: MedusaErrorBody) -> Callable[[Any], MedusaErrorBody]:
    return lambda _error: body


def _forbidden(error: Forbidden) -> MedusaErrorBody:
    """Medusa has no 403 of its own; ours names the scope the credential lacks."""
    scope = error.scope if isinstance(error, ScopeMissing) else "do this"
    return not_allowed(f"This credential may not {scope}", 403)


def _throttled(error: Throttled) -> MedusaErrorBody:
    if isinstance(error, LoginBlocked):
        return _login_blocked(error)
    return not_allowed("Too many attempts. Please try again later.", 429)


BY_CATEGORY: ByCategory[MedusaErrorBody] = ByCategory(
    not_found=_always(NOT_FOUND),
    conflict=_always(CONFLICT),
    invalid_input=lambda error: invalid_data(str(error)),
    unauthorized=_always(UNAUTHORIZED),
    forbidden=_forbidden,
    limit_reached=_always(not_allowed("The limit of such items is reached")),
    throttled=_throttled,
    unavailable=_always(UNAVAILABLE),
)
"""What Medusa answers a core error whose code has no answer of its own: the body its
error handler gives the `MedusaError` type that fits (reference 2.1)."""

BY_CODE: Mapping[ErrorCode, Callable[[Any], MedusaErrorBody]] = {
    ErrorCode.EMAIL_TAKEN: _always(EMAIL_TAKEN),
    ErrorCode.EMAIL_INVALID: _always(invalid_data("email must be an email")),
    ErrorCode.CUSTOMER_NOT_FOUND: _always(not_found("Customer was not found")),
    ErrorCode.PASSWORD_MISMATCH: _always(invalid_data("passwords do not match")),
    ErrorCode.PASSWORD_POLICY: _password_policy,
    ErrorCode.CONFIRMATION_INVALID: _always(invalid_data("Invalid confirmation token")),
    ErrorCode.NOT_OWNER: _always(NOT_FOUND),
    ErrorCode.SUBSCRIPTION_EXISTS: _always(duplicate("Subscription already exists")),
    ErrorCode.ADDRESS_NOT_FOUND: _always(not_found("Address was not found")),
    ErrorCode.ADDRESS_LIMIT_REACHED: lambda error: not_allowed(
        f"A customer may keep at most {error.limit} addresses"
    ),
    ErrorCode.COUNTRY_INVALID: _always(invalid_data("country_code must be a valid country code")),
    ErrorCode.WRONG_PASSWORD: _always(UNAUTHORIZED),
    ErrorCode.RESET_KEY_INVALID: _always(RESET_TOKEN_INVALID),
    ErrorCode.PASSWORD_CHANGE_FAILED: _always(not_allowed("Failed to change the password")),
    ErrorCode.FIELDS_INVALID: _fields_invalid,
    ErrorCode.GUEST_EXISTS: _always(duplicate("Guest customer with email already exists")),
    ErrorCode.EMAIL_LOCKED: _always(
        invalid_data("Email cannot be changed when the user has registered their account")
    ),
    ErrorCode.GROUP_NOT_FOUND: lambda error: group_not_found(
        shown_id(ids.GROUP, error.group) if isinstance(error, GroupNotFound) else ""
    ),
    ErrorCode.GROUP_NAME_TAKEN: lambda error: duplicate(
        f"Key (name)=({error.name if isinstance(error, GroupNameTaken) else ''}) already exists."
    ),
    ErrorCode.CUSTOMERS_NOT_FOUND: lambda error: not_found(
        "The following customer ids do not exist: "
        + '"'
        + ", ".join(
            shown_id(ids.CUSTOMER, m)
            for m in (error.missing if isinstance(error, CustomersNotFound) else ())
        )
        + '"'
    ),
    ErrorCode.ADMIN_EMAIL_TAKEN: _always(duplicate("A user with the given email already exists")),
}
"""Codes Medusa answers in words of its own (or Patron's, worded as Medusa's)."""


def medusa_error(
    error: DomainError, overrides: Mapping[ErrorCode, MedusaErrorBody] | None = None
) -> MedusaError:
    """The Medusa answer for a core error, with `Retry-After` where one applies."""
    body = overrides.get(error.code) if overrides else None
    if body is None:
        by_code = BY_CODE.get(error.code)
        body = by_code(error) if by_code is not None else BY_CATEGORY(error)
    return MedusaError(body, retry_after=retry_after(error))


def validation_failed(messages: list[str]) -> MedusaError:
    """class-validator's failures, joined as Medusa's validator joins them."""
    return MedusaError(invalid_data(", ".join(messages)))
