"""Core errors as Emporix' answers, and the answers themselves: one per category of core
error (`BY_CATEGORY`), overridden by code where reference 7.2 (or Emporix' documents)
give the case words of its own (`BY_CODE`).

The customer service answers `ErrorMessage` (reference 7.1): `{status, type, message,
details?}` with `details` items `{field?, type?, message}`. Two answers come from in front
of it, as Emporix' API gateway (Apigee) gives them: a missing, invalid or expired token is
a 401 `{"fault": ...}`, and the token endpoint's failures are `{"ErrorCode", "Error"}`.
The documented examples of reference 7.2 are kept verbatim, odd `type`s included.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import ByCategory, retry_after
from patron.core.domain.errors.invalid_input import (
    FieldRule,
    FieldsInvalid,
    MigrationWindowRule,
    PasswordPolicyViolation,
    PasswordRule,
)
from patron.core.domain.errors.throttled import Throttled
from patron.core.domain.errors.unauthorized import AccessTokenExpired, TenantMismatch


@dataclass(frozen=True, slots=True)
class EmporixErrorBody:
    status: int
    type: str
    message: str
    details: tuple[Mapping[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "type": self.type, "message": self.message}
        if self.details:
            body["details"] = [dict(detail) for detail in self.details]
        return body


@dataclass(frozen=True, slots=True)
class GatewayBody:
    """A body the gateway writes, not the customer service (any JSON shape)."""

    status: int
    body: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)


class EmporixError(Exception):
    """Raised by the dialect; rendered by the app's handler."""

    def __init__(self, body: EmporixErrorBody | GatewayBody) -> None:
        super().__init__(body.body if isinstance(body, GatewayBody) else body.message)
        self.body = body


def validation_failure(message: str, *details: Mapping[str, str]) -> EmporixErrorBody:
    return EmporixErrorBody(400, "validation_failure", message, tuple(details))


def bad_request(message: str) -> EmporixErrorBody:
    return EmporixErrorBody(400, "bad_request", message)


def conflict(message: str) -> EmporixErrorBody:
    return EmporixErrorBody(409, "conflict_resource", message)


def not_found(message: str) -> EmporixErrorBody:
    return EmporixErrorBody(404, "resource_not_found", message)


TENANT_INVALID = bad_request("The tenant information provided with the request is not valid.")
FORBIDDEN = EmporixErrorBody(403, "Forbidden", "User not authorized.")
INVALID_TOKEN = GatewayBody(
    401,
    {
        "fault": {
            "faultstring": "Invalid access token",
            "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
        }
    },
)
EXPIRED_TOKEN = GatewayBody(
    401,
    {
        "fault": {
            "faultstring": "Access Token expired",
            "detail": {"errorcode": "keymanagement.service.access_token_expired"},
        }
    },
)
INVALID_API_KEY = GatewayBody(
    401,
    {"fault": {"faultstring": "Invalid ApiKey", "detail": {"errorcode": "oauth.v2.InvalidApiKey"}}},
)
"""The gateway's answer to a storefront client id it does not know."""
LOGIN_REFUSED = EmporixErrorBody(401, "unauthorized", "Invalid email or password.")
NOT_FOUND = not_found("Not Found")
METHOD_NOT_ALLOWED = EmporixErrorBody(405, "method_not_allowed", "Method Not Allowed")
BODY_TOO_LARGE = EmporixErrorBody(413, "payload_too_large", "Request body too large")
BODY_MALFORMED = bad_request("Malformed JSON request body")
BODY_NUL = bad_request("Request body holds a NUL character")
PATH_NUL = bad_request("Request path holds a NUL character")
VERSION_CONFLICT = conflict("Customer update cannot be done. Update version is not valid.")
ADDRESS_VERSION_CONFLICT = conflict("Address update cannot be done. Update version is not valid.")
UNEXPECTED = EmporixErrorBody(500, "internal_server_error", "Internal server error")
UNAVAILABLE = EmporixErrorBody(
    503, "service_unavailable", "Service temporarily unavailable. Please retry."
)


def customer_not_found(number: str) -> EmporixErrorBody:
    """Reference 7.2, verbatim (its `type` is Emporix' own oddity)."""
    return EmporixErrorBody(
        404,
        "application/json",
        "Customer not Found",
        ({"message": f"Couldn't find a customer with customerNumber '{number}'"},),
    )


def address_not_found(address_id: str, number: str) -> EmporixErrorBody:
    return not_found(f"Address {address_id} of customer {number} not found.")


def duplicate_account(email: str, tenant_code: str) -> EmporixErrorBody:
    return conflict(f"Duplicate account '{email}' for tenant '{tenant_code}'.")


# The core's field names as Emporix' customer documents name them.
CUSTOMER_FIELDS: Mapping[str, str] = {
    "email": "contactEmail",
    "first_name": "firstName",
    "middle_name": "middleName",
    "last_name": "lastName",
    "phone": "contactPhone",
    "language": "preferredLanguage",
    "currency": "preferredCurrency",
    "site": "preferredSite",
    "metadata": "mixins",
    "website": "photoUrl",
    "vat_id": "b2b.companyRegistrationId",
}
# ... and as its address documents name them.
ADDRESS_FIELDS: Mapping[str, str] = {
    "first_name": "contactName",
    "last_name": "contactName",
    "company": "companyName",
    "address1": "street",
    "address2": "streetNumber",
    "address3": "streetAppendix",
    "zip_code": "zipCode",
    "region": "state",
    "country_code": "country",
    "phone": "contactPhone",
    "code": "id",
    "metadata": "mixins",
}


@dataclass(frozen=True, slots=True)
class Where:
    """What the request named, for messages that repeat it (from the path)."""

    tenant_code: str = ""
    customer_number: str = ""
    address_id: str = ""
    email: str = ""
    fields: Mapping[str, str] = field(default_factory=lambda: CUSTOMER_FIELDS)


def _fields_invalid(error: FieldsInvalid, where: Where) -> EmporixErrorBody:
    details = []
    for problem in error.problems:
        name = where.fields.get(problem.field, problem.field)
        if problem.rule is FieldRule.TOO_LONG:
            message = f"{name} must be at most {problem.limit} characters long"
        else:
            message = f"{name} holds a value that is not allowed"
        details.append({"field": name, "type": "invalid_value", "message": message})
    return validation_failure("Request body is not valid.", *details)


_PASSWORD_RULES: Mapping[PasswordRule, str] = {
    PasswordRule.TOO_SHORT: "Password must be at least {limit} characters long.",
    PasswordRule.TOO_LONG: "Password must be at most {limit} characters long.",
    PasswordRule.CHARACTER_SET: "Password must contain an upper and a lower case letter, "
    "a digit and a special character.",
    PasswordRule.SEQUENCE: "Password must not repeat a character more than {limit} times.",
    PasswordRule.COMMON: "Password is too common.",
}


def _password_policy(error: PasswordPolicyViolation, where: Where) -> EmporixErrorBody:
    details = [
        {
            "field": "password",
            "type": "invalid_value",
            "message": _PASSWORD_RULES[v.rule].format(limit=v.limit),
        }
        for v in error.violations
    ]
    return validation_failure("Password does not meet the password policy.", *details)


_WINDOW_RULES: Mapping[MigrationWindowRule, str] = {
    MigrationWindowRule.END_NOT_FUTURE: "retentionEndDate must be a future date.",
    MigrationWindowRule.REMINDER_OUT_OF_RANGE: "emailReminderDate must be on or after today "
    "and before retentionEndDate.",
}

Render = Callable[[Any, Where], EmporixErrorBody | GatewayBody]


def _always(body: EmporixErrorBody | GatewayBody) -> Render:
    return lambda _error, _where: body


def _invalid(message: str) -> Render:
    return _always(validation_failure(message))


def _throttled(error: Throttled, where: Where) -> EmporixErrorBody:
    """429; a throttle that knows when it opens says in how many minutes."""
    if error.retry_after_seconds is None:
        return EmporixErrorBody(429, "too_many_requests", "Temporary limit reached.")
    minutes = max(1, math.ceil(error.retry_after_seconds / 60))
    return EmporixErrorBody(
        429, "too_many_requests", f"Too many attempts. Try again in {minutes} minutes."
    )


def _rendered_by(render: Render) -> Callable[[Any], Render]:
    return lambda _error: render


BY_CATEGORY: ByCategory[Render] = ByCategory(
    not_found=_rendered_by(_always(NOT_FOUND)),
    conflict=_rendered_by(_always(conflict("The request conflicts with the resource's state."))),
    invalid_input=_rendered_by(_invalid("Request body is not valid.")),
    unauthorized=_rendered_by(_always(INVALID_TOKEN)),
    forbidden=_rendered_by(_always(FORBIDDEN)),
    limit_reached=_rendered_by(_invalid("Too many items.")),
    throttled=_rendered_by(_throttled),
    unavailable=_rendered_by(_always(UNAVAILABLE)),
)
"""How Emporix answers a core error whose code has no answer of its own: the customer
service's `ErrorMessage` of the fitting type, or the gateway's fault for a credential."""

BY_CODE: Mapping[ErrorCode, Render] = {
    ErrorCode.EMAIL_TAKEN: lambda _e, where: duplicate_account(where.email, where.tenant_code),
    ErrorCode.GUEST_EXISTS: lambda _e, where: duplicate_account(where.email, where.tenant_code),
    ErrorCode.EMAIL_INVALID: _always(
        validation_failure(
            "Request body is not valid.",
            {"field": "contactEmail", "type": "invalid_value", "message": "Invalid email address."},
        )
    ),
    ErrorCode.CUSTOMER_NOT_FOUND: lambda _e, where: customer_not_found(where.customer_number),
    ErrorCode.TENANT_NOT_FOUND: _always(TENANT_INVALID),
    ErrorCode.PASSWORD_MISMATCH: _invalid("Passwords do not match."),
    ErrorCode.PASSWORD_POLICY: _password_policy,
    ErrorCode.CONFIRMATION_INVALID: _invalid("The token is not valid."),
    ErrorCode.VERSION_CONFLICT: lambda _e, where: (
        ADDRESS_VERSION_CONFLICT if where.address_id else VERSION_CONFLICT
    ),
    ErrorCode.SUBSCRIPTION_EXISTS: _always(conflict("Subscription already exists.")),
    ErrorCode.ADDRESS_NOT_FOUND: lambda _e, where: address_not_found(
        where.address_id, where.customer_number
    ),
    ErrorCode.ADDRESS_LIMIT_REACHED: lambda error, _w: validation_failure(
        f"A customer may keep at most {error.limit} addresses."
    ),
    ErrorCode.ADDRESS_CONFLICT: _always(conflict("The address was changed at the same time.")),
    ErrorCode.ADDRESS_ID_TAKEN: lambda error, where: conflict(
        f"Address {error.address_id} of customer {where.customer_number} already exists."
    ),
    ErrorCode.COUNTRY_INVALID: _always(
        validation_failure(
            "Request body is not valid.",
            {"field": "country", "type": "invalid_value", "message": "Invalid country code."},
        )
    ),
    ErrorCode.WRONG_PASSWORD: _invalid("The current password is not valid."),
    ErrorCode.RESET_KEY_INVALID: _invalid("The token is not valid."),
    ErrorCode.PASSWORD_CHANGE_FAILED: _invalid("The password could not be changed."),
    ErrorCode.FIELDS_INVALID: _fields_invalid,
    ErrorCode.TENANT_SETTING_INVALID: lambda error, _w: validation_failure(str(error)),
    ErrorCode.EMAIL_LOCKED: _invalid("contactEmail cannot be changed."),
    ErrorCode.GROUP_NAME_TAKEN: _always(conflict("The group name is taken.")),
    ErrorCode.ADMIN_EMAIL_TAKEN: _always(conflict("The email is taken.")),
    ErrorCode.QUERY_INVALID: lambda error, _w: validation_failure(str(error)),
    ErrorCode.CODE_TAKEN: _always(conflict("The login name is taken.")),
    ErrorCode.PROPERTY_EXISTS: _always(conflict("The property exists.")),
    ErrorCode.PROPERTY_LIMIT_REACHED: _invalid("Too many properties."),
    ErrorCode.LIST_LIMIT_REACHED: _invalid("Too many list items."),
    ErrorCode.CUSTOMER_NUMBER_TAKEN: lambda _e, where: conflict(
        f"Customer with id '{where.customer_number}' already exists."
        if where.customer_number
        else "A customer with the given id already exists."
    ),
    ErrorCode.RESTRICTION_INVALID: lambda error, _w: validation_failure(
        "Request body is not valid.",
        {
            "field": "restriction",
            "type": "invalid_value",
            "message": f"Restriction '{error.value}' is not one of the tenant's restrictions.",
        },
    ),
    ErrorCode.PASSWORD_HASH_INVALID: _invalid(
        "The password hash is not in a supported format: argon2id, bcrypt or "
        "'version:iterations:salt:hash'."
    ),
    ErrorCode.CREDENTIAL_CHOICE: _invalid(
        "Exactly one of 'passwordHash' or 'legacyAuth' must be provided in the account"
    ),
    ErrorCode.MIGRATION_WINDOW_REQUIRED: _invalid(
        "Importing customers with 'legacyAuth' requires an active password migration "
        "retention configuration."
    ),
    ErrorCode.MIGRATION_WINDOW_NOT_SET: _always(
        not_found("Password migration retention configuration is not set for the tenant.")
    ),
    ErrorCode.MIGRATION_WINDOW_INVALID: lambda error, _w: validation_failure(
        _WINDOW_RULES[error.rule]
    ),
    ErrorCode.MIGRATION_NOT_CONCLUDED: _invalid(
        "Configuration removal is not possible until password migration is concluded."
    ),
    ErrorCode.IMPORT_BATCH_TOO_LARGE: lambda error, _w: validation_failure(
        f"At most {error.limit} customers can be imported at once."
    ),
}


def emporix_error(error: DomainError, where: Where) -> EmporixError:
    """The Emporix answer for a core error. A credential of another tenant is the
    documented 400 (reference 7.2), an expired token the gateway's expiry fault."""
    if isinstance(error, TenantMismatch):
        return EmporixError(TENANT_INVALID)
    if isinstance(error, AccessTokenExpired):
        return EmporixError(EXPIRED_TOKEN)
    render = BY_CODE.get(error.code) or BY_CATEGORY(error)
    rendered = render(error, where)
    seconds = retry_after(error)
    if seconds is not None and isinstance(rendered, EmporixErrorBody):
        retry = {"Retry-After": str(seconds)}
        return EmporixError(GatewayBody(rendered.status, rendered.to_json(), retry))
    return EmporixError(rendered)
