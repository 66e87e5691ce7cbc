"""Core errors as Glue error objects, and the Glue error document.

Every category of core error has a Glue answer (`BY_CATEGORY`); a code with an answer of
its own in Spryker's modules overrides it (`BY_CODE`), and a route may override a code
once more (`overrides`). Codes, statuses and details follow the "exact" tables of the
reference (Spryker's module code), not the prose of its docs; `docs/decisions.md` lists
where the two disagree. Where Spryker documents nothing for a category, the answer is
Glue's generic one (Symfony's status text, as `NOT_FOUND`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import ByCategory, retry_after
from patron.core.domain.errors.invalid_input import (
    FieldRule,
    FieldsInvalid,
    PasswordPolicyViolation,
    PasswordRule,
)
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unavailable import Unavailable


@dataclass(frozen=True, slots=True)
class GlueErrorObject:
    status: int
    detail: str
    code: str | None = None

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {"status": self.status, "detail": self.detail}
        if self.code is not None:
            body["code"] = self.code
        return body


class GlueError(Exception):
    """Raised by the dialect itself; rendered as one error document."""

    def __init__(self, *errors: GlueErrorObject, retry_after: int | None = None) -> None:
        super().__init__(", ".join(e.detail for e in errors))
        self.errors = errors
        self.retry_after = retry_after
        """Seconds, for the `Retry-After` header of a 429."""

    @property
    def status(self) -> int:
        # Glue answers with the status of the last error in the list.
        return self.errors[-1].status

    def document(self) -> dict[str, object]:
        return {"errors": [e.to_json() for e in self.errors]}


# Generic Glue errors (GlueApplication, auth-rest-api).
NOT_FOUND = GlueErrorObject(404, "Not Found")
BAD_REQUEST = GlueErrorObject(400, "Bad Request")
INVALID_TYPE = GlueErrorObject(400, "Invalid type.")
POST_DATA_INVALID = GlueErrorObject(400, "Post data is invalid.")
RESOURCE_ID_MISSING = GlueErrorObject(400, "Resource id is not specified.")
PAGINATION_INVALID = GlueErrorObject(400, "Pagination parameters are invalid.")
NOT_ACCEPTABLE = GlueErrorObject(406, "Not acceptable.")
UNSUPPORTED_MEDIA_TYPE = GlueErrorObject(415, "Unsupported media type.")
INVALID_ACCESS_TOKEN = GlueErrorObject(401, "Invalid access token.", "001")
MISSING_ACCESS_TOKEN = GlueErrorObject(403, "Missing access token.", "002")
LOGIN_FAILED = GlueErrorObject(401, "Failed to authenticate user.", "003")
REFRESH_FAILED = GlueErrorObject(401, "Failed to refresh token.", "004")
LOGGED_AND_ANONYMOUS = GlueErrorObject(
    400,
    "Headers request error. A user can't act as logged and not logged user at the same time.",
    "005",
)
NOT_ALLOWED = GlueErrorObject(403, "Not allowed.")
BODY_TOO_LARGE = GlueErrorObject(413, "Request Entity Too Large")
UNAVAILABLE = GlueErrorObject(503, "Service Unavailable")
"""No database connection came free in time (`ServiceUnavailable`), on every route."""
TOO_MANY_REQUESTS = GlueErrorObject(429, "Too Many Requests")

# availability-notifications-rest-api (AvailabilityNotificationsRestApiConfig)
PRODUCT_NOT_FOUND = GlueErrorObject(404, "Product not found.", "4601")
SUBSCRIPTION_EXISTS = GlueErrorObject(422, "Subscription already exists.", "4602")
SUBSCRIPTION_NOT_FOUND = GlueErrorObject(404, "Subscription doesn't exist.", "4603")
SUBSCRIBE_FAILED = GlueErrorObject(422, "Failed to subscribe.", "4604")
AVAILABILITY_UNAUTHORIZED = GlueErrorObject(403, "Unauthorized request.", "4606")

# customers-rest-api
EMAIL_TAKEN = GlueErrorObject(
    422,
    "If this email address is already in use, you will receive a password reset link. "
    "Otherwise you must first validate your e-mail address to finish registration. "
    "Please check your e-mail.",
    "400",
)
CUSTOMER_NOT_FOUND = GlueErrorObject(404, "Customer not found.", "402")
CUSTOMER_REFERENCE_MISSING = GlueErrorObject(400, "Customer reference is missing.", "405")
UNAUTHORIZED = GlueErrorObject(403, "Unauthorized request.", "411")
GENDER_INVALID = GlueErrorObject(
    400, "Gender is not valid. Possible options are: Male, Female", "414"
)
EMAIL_FORMAT_INVALID = GlueErrorObject(422, "Invalid Email address format.", "416")
CONFIRMATION_INVALID = GlueErrorObject(
    422, "This email confirmation code is invalid or has been already used.", "423"
)
VERSION_CONFLICT = GlueErrorObject(409, "Failed to save customer.", "410")
CUSTOMER_SAVE_FAILED = GlueErrorObject(400, "Failed to save customer.", "410")
"""Spryker's own status for 410: a write refused for a reason no code names."""
REGISTRATION_FAILED = GlueErrorObject(409, "Can't register a customer.", "401")
"""Spryker's registration failure (its 500), as the conflict it is here: no customer
number of the tenant's pattern was free."""
ADDRESS_NOT_FOUND = GlueErrorObject(404, "Address was not found.", "404")
ADDRESS_SAVE_FAILED = GlueErrorObject(400, "Failed to save customer address.", "409")
ADDRESS_UUID_MISSING = GlueErrorObject(400, "Address UUID is missing.", "412")
# The core's own country check, worded as the 901 the request validation gives first.
COUNTRY_INVALID = GlueErrorObject(422, "iso2Code => This value is not a valid country.", "901")
PASSWORD_CHANGE_FAILED = GlueErrorObject(400, "Failed to change password.", "407")
WRONG_PASSWORD = GlueErrorObject(400, "Invalid password", "408")
RESET_KEY_INVALID = GlueErrorObject(422, "Restore password key is not valid.", "415")

PASSWORD_RULES: Mapping[PasswordRule, GlueErrorObject] = {
    PasswordRule.TOO_SHORT: GlueErrorObject(400, "The password is too short.", "418"),
    PasswordRule.TOO_LONG: GlueErrorObject(400, "The password is too long.", "419"),
    PasswordRule.CHARACTER_SET: GlueErrorObject(
        400, "The password character set is invalid.", "420"
    ),
    PasswordRule.SEQUENCE: GlueErrorObject(
        400, "The password contains sequence of the same character.", "421"
    ),
    PasswordRule.COMMON: GlueErrorObject(400, "The password is listed as common.", "422"),
}


def password_mismatch(field: str = "password") -> GlueErrorObject:
    """406 names the route's own password field (`newPassword` when changing one)."""
    return GlueErrorObject(
        422,
        f"Value in field {field} should be identical to value in the confirmPassword field.",
        "406",
    )


def login_blocked(retry_after_seconds: int) -> GlueErrorObject:
    minutes = max(1, math.ceil(retry_after_seconds / 60))
    return GlueErrorObject(
        429,
        f"Too many log in attempts from your address. "
        f"Please wait {minutes} minutes before trying again.",
        "4401",
    )


# The core's field names as Glue's attributes name them (customers and addresses alike).
ATTRIBUTES: Mapping[str, str] = {
    "first_name": "firstName",
    "middle_name": "middleName",
    "last_name": "lastName",
    "zip_code": "zipCode",
    "country_code": "iso2Code",
    "birth_date": "dateOfBirth",
    "is_default_shipping": "isDefaultShipping",
    "is_default_billing": "isDefaultBilling",
    "locale": "localeName",
}
FIELD_MESSAGES: Mapping[FieldRule, str] = {
    FieldRule.TOO_LONG: "This value is too long. It should have {limit} characters or less.",
    FieldRule.CHARACTERS: "This value contains characters that are not allowed.",
}


def field_errors(error: FieldsInvalid) -> list[GlueErrorObject]:
    """The core's text limits as Glue's request validation reports its own (901)."""
    return [
        GlueErrorObject(
            422,
            f"{ATTRIBUTES.get(p.field, p.field)} => "
            + FIELD_MESSAGES[p.rule].format(limit=p.limit),
            "901",
        )
        for p in error.problems
    ]


Render = Callable[[Any], list[GlueErrorObject]]


def _always(*objects: GlueErrorObject) -> Render:
    return lambda _error: list(objects)


def _password_policy(error: PasswordPolicyViolation) -> list[GlueErrorObject]:
    return [PASSWORD_RULES[v.rule] for v in error.violations]


def _login_blocked(error: LoginBlocked) -> list[GlueErrorObject]:
    return [login_blocked(error.retry_after_seconds)]


BY_CATEGORY: ByCategory[list[GlueErrorObject]] = ByCategory(
    not_found=_always(NOT_FOUND),
    conflict=_always(VERSION_CONFLICT),
    invalid_input=_always(POST_DATA_INVALID),
    unauthorized=_always(INVALID_ACCESS_TOKEN),
    forbidden=_always(UNAUTHORIZED),
    limit_reached=_always(CUSTOMER_SAVE_FAILED),
    throttled=_always(TOO_MANY_REQUESTS),
    unavailable=_always(UNAVAILABLE),
)
"""What Glue answers a core error whose code has no answer of its own."""

BY_CODE: Mapping[ErrorCode, Render] = {
    ErrorCode.EMAIL_TAKEN: _always(EMAIL_TAKEN),
    ErrorCode.EMAIL_INVALID: _always(EMAIL_FORMAT_INVALID),
    ErrorCode.CUSTOMER_NOT_FOUND: _always(CUSTOMER_NOT_FOUND),
    ErrorCode.INVALID_CREDENTIALS: _always(LOGIN_FAILED),
    ErrorCode.PASSWORD_MISMATCH: _always(password_mismatch()),
    ErrorCode.PASSWORD_POLICY: _password_policy,
    ErrorCode.LOGIN_BLOCKED: _login_blocked,
    ErrorCode.INVALID_REFRESH_TOKEN: _always(REFRESH_FAILED),
    ErrorCode.CONFIRMATION_INVALID: _always(CONFIRMATION_INVALID),
    ErrorCode.ADDRESS_NOT_FOUND: _always(ADDRESS_NOT_FOUND),
    ErrorCode.ADDRESS_LIMIT_REACHED: _always(ADDRESS_SAVE_FAILED),
    ErrorCode.ADDRESS_CONFLICT: _always(ADDRESS_SAVE_FAILED),
    ErrorCode.COUNTRY_INVALID: _always(COUNTRY_INVALID),
    ErrorCode.PRODUCT_NOT_FOUND: _always(PRODUCT_NOT_FOUND),
    ErrorCode.SUBSCRIPTION_EXISTS: _always(SUBSCRIPTION_EXISTS),
    ErrorCode.SUBSCRIPTION_NOT_FOUND: _always(SUBSCRIPTION_NOT_FOUND),
    ErrorCode.WRONG_PASSWORD: _always(WRONG_PASSWORD),
    ErrorCode.RESET_KEY_INVALID: _always(RESET_KEY_INVALID),
    ErrorCode.PASSWORD_CHANGE_FAILED: _always(PASSWORD_CHANGE_FAILED),
    ErrorCode.FIELDS_INVALID: field_errors,
    ErrorCode.CUSTOMER_NUMBER_TAKEN: _always(REGISTRATION_FAILED),
}
"""Codes Spryker's modules answer in words of their own."""


def translate(
    error: DomainError, overrides: Mapping[ErrorCode, GlueErrorObject] | None = None
) -> list[GlueErrorObject]:
    if isinstance(error, Unavailable):  # no route's override: nothing was decided
        return BY_CATEGORY(error)
    override = overrides.get(error.code) if overrides else None
    if override is not None:
        return [override]
    by_code = BY_CODE.get(error.code)
    return by_code(error) if by_code is not None else BY_CATEGORY(error)


def glue_error(
    error: DomainError, overrides: Mapping[ErrorCode, GlueErrorObject] | None = None
) -> GlueError:
    """The Glue error document for a core error, with `Retry-After` where one applies."""
    return GlueError(*translate(error, overrides), retry_after=retry_after(error))


def validation_errors(messages: list[str]) -> GlueError:
    return GlueError(*(GlueErrorObject(422, message, "901") for message in messages))
