"""Core errors as Aimeos' answers, and the answers the dialect raises: one per category of
core error (`BY_CATEGORY`), overridden by code where Aimeos has words of its own
(`BY_CODE`).

Aimeos answers `{"errors": [{"title": ...}]}` with the status its clients derive from the
exception (reference 2.8): a controller rule 403, an MShop validation or a missing item
404, a malformed request 400. Laravel, the host, adds 401 (not logged in), 419 (CSRF) and
429 (login throttle). Values Aimeos' `Utils` refuses with a RuntimeException (a 500 there)
are 404 here, with a title naming the value: bad input never gives a 500.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import ByCategory
from patron.core.domain.errors.invalid_input import (
    FieldProblem,
    FieldRule,
    FieldsInvalid,
    PasswordPolicyViolation,
    PasswordRule,
)
from patron.core.domain.errors.throttled import LoginBlocked, Throttled
from patron.core.domain.errors.unavailable import Unavailable


class AimeosError(Exception):
    """Raised by the dialect; rendered with `meta` and `links` by the app."""

    def __init__(self, status: int, *titles: str, retry_after: int | None = None) -> None:
        super().__init__(titles[0] if titles else str(status))
        self.status = status
        self.titles = titles
        self.retry_after = retry_after
        """Seconds, for the `Retry-After` header of a 429."""


GENERIC_TITLE = "An error occured and has been added to the logs"
"""Aimeos' answer to anything unexpected (the typo is Aimeos')."""
NOT_ALLOWED = "Not allowed for this resource"
NOT_FOUND = "Not found"
INVALID_JSON = "Invalid JSON in body"
ATTRIBUTES_MISSING = "Attributes are missing"
ID_MISSING = "ID is missing"
AUTHENTICATION_REQUIRED = "Authentication required"
CSRF_MISMATCH = "CSRF token mismatch."
BAD_CREDENTIALS = "These credentials do not match our records."
BODY_TOO_LARGE = "Request body too large"
GROUPS_READ_ONLY = "You are not allowed to manage groups"
UNAVAILABLE = "Service temporarily unavailable, please retry"
TOO_MANY_ATTEMPTS = "Too Many Attempts."
INVALID_VALUE = "Invalid value"


def invalid(title: str) -> AimeosError:
    """A value Aimeos' item or `Utils` refuses: 404, as its MShop exceptions are."""
    return AimeosError(404, title)


def bad_request(title: str) -> AimeosError:
    return AimeosError(400, title)


# The core's field names as Aimeos' attribute names end (`customer.firstname`, ...).
FIELD_NAMES: Mapping[str, str] = {
    "first_name": "firstname",
    "last_name": "lastname",
    "zip_code": "postal",
    "region": "state",
    "country_code": "countryid",
    "phone": "telephone",
    "fax": "telefax",
    "vat_id": "vatid",
    "language": "languageid",
    "birth_date": "birthday",
    "ref_id": "refid",
}


def field_title(problem: FieldProblem) -> str:
    name = FIELD_NAMES.get(problem.field, problem.field)
    if problem.rule is FieldRule.TOO_LONG:
        return f'Value of "{name}" is longer than {problem.limit} characters'
    return f'Value of "{name}" contains characters that are not allowed'


_PASSWORD_RULES: Mapping[PasswordRule, str] = {
    PasswordRule.TOO_SHORT: "The password must be at least {limit} characters long",
    PasswordRule.TOO_LONG: "The password must be at most {limit} characters long",
    PasswordRule.CHARACTER_SET: "The password must contain an upper and a lower case letter, "
    "a digit and a special character",
    PasswordRule.SEQUENCE: "The password must not repeat a character more than {limit} times",
    PasswordRule.COMMON: "The password is too common",
}


def _fields_invalid(error: FieldsInvalid) -> AimeosError:
    return AimeosError(404, *(field_title(problem) for problem in error.problems))


def _password_policy(error: PasswordPolicyViolation) -> AimeosError:
    return AimeosError(
        404, *(_PASSWORD_RULES[v.rule].format(limit=v.limit) for v in error.violations)
    )


def _login_blocked(error: LoginBlocked) -> AimeosError:
    seconds = max(1, math.ceil(error.retry_after_seconds))
    return AimeosError(
        429,
        f"Too many login attempts. Please try again in {seconds} seconds.",
        retry_after=seconds,
    )


def unavailable(error: Unavailable) -> AimeosError:
    """No database connection came free in time: 503, and when to try again."""
    return AimeosError(503, UNAVAILABLE, retry_after=error.retry_after_seconds)


def _always(status: int, title: str) -> Callable[[Any], AimeosError]:
    return lambda _error: AimeosError(status, title)


def _throttled(error: Throttled) -> AimeosError:
    """Laravel's throttle (`ThrottleRequests`): 429, and when to try again if known."""
    return AimeosError(429, TOO_MANY_ATTEMPTS, retry_after=error.retry_after_seconds)


BY_CATEGORY: ByCategory[AimeosError] = ByCategory(
    not_found=_always(404, NOT_FOUND),
    conflict=_always(403, GENERIC_TITLE),
    invalid_input=_always(404, INVALID_VALUE),
    unauthorized=_always(401, AUTHENTICATION_REQUIRED),
    forbidden=_always(403, "Not allowed to access customer data"),
    limit_reached=_always(403, "Limit reached"),
    throttled=_throttled,
    unavailable=unavailable,
)
"""What Aimeos answers a core error whose code has no answer of its own: a missing item
or a value an MShop item refuses 404, a rule of a frontend controller 403 (its exception
message, or the generic title where the controller has none), a visitor 401 (Laravel)."""

BY_CODE: Mapping[ErrorCode, Callable[[Any], AimeosError]] = {
    ErrorCode.EMAIL_TAKEN: _always(403, "An account with this e-mail address exists already"),
    ErrorCode.CODE_TAKEN: _always(403, "An account with this customer code exists already"),
    ErrorCode.EMAIL_INVALID: _always(404, "Invalid characters in email address"),
    ErrorCode.PASSWORD_POLICY: _password_policy,
    ErrorCode.INVALID_CREDENTIALS: _always(401, BAD_CREDENTIALS),
    ErrorCode.LOGIN_BLOCKED: _login_blocked,
    ErrorCode.VERSION_CONFLICT: _always(409, "The account was changed at the same time"),
    ErrorCode.ADDRESS_LIMIT_REACHED: lambda error: AimeosError(
        403, f"A customer may keep at most {error.limit} addresses"
    ),
    ErrorCode.ADDRESS_CONFLICT: _always(409, "The address was changed at the same time"),
    ErrorCode.COUNTRY_INVALID: _always(404, "Invalid country code"),
    ErrorCode.FIELDS_INVALID: _fields_invalid,
    ErrorCode.SIGNUP_LIMIT_REACHED: _always(403, "Temporary limit reached"),
    ErrorCode.PROPERTY_EXISTS: _always(403, "This property exists already"),
    ErrorCode.PROPERTY_LIMIT_REACHED: _always(403, "Property limit reached"),
    ErrorCode.LIST_LIMIT_REACHED: _always(403, "List limit reached"),
    ErrorCode.GROUPS_READ_ONLY: _always(403, GROUPS_READ_ONLY),
}
"""Codes Aimeos (or its Laravel host) answers in words of its own."""


def aimeos_error(error: DomainError) -> AimeosError:
    """The Aimeos answer for a core error."""
    by_code = BY_CODE.get(error.code)
    return by_code(error) if by_code is not None else BY_CATEGORY(error)
