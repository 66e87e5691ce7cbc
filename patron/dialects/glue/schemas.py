"""Pydantic models of Glue's documents: requests (checked and documented) and answers.

Request attribute models are the one definition of each request: `http.valid_attributes`
validates with them (Symfony's messages, error 901, see `validation`) and the OpenAPI
document shows them. Field order is the order errors are listed in. An optional attribute
is `X | MISSING`: absent is not the same as null (PATCH null clears, absent keeps).

Response models only describe: handlers build their documents themselves. Every attribute
is optional in them, because `fields[type]=...` trims attributes to those asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import MISSING, AfterValidator, BaseModel, Field, create_model

from patron.core.identity.passwords import POLICIES, PasswordPolicy
from patron.dialects.glue.validation import (
    Before,
    RequestModel,
    country,
    email_syntax,
    email_type,
    is_true,
    iso_date,
    not_blank,
)

# --- request attribute types: each is a list of Symfony constraints, cheapest first ---------

_NON_BLANK = Field(json_schema_extra={"pattern": r"\S"})
SALUTATIONS = ("Mr", "Mrs", "Ms", "Dr")
GENDERS = ("Male", "Female")
EMAIL_MAX_LENGTH = 320
"""For email fields Glue gives no length: longer than any address (64 + 1 + 255), so only
a huge string gets the length message, and before the slow syntax check."""

SalutationChoice = Literal["Mr", "Mrs", "Ms", "Dr"]
Salutation = Annotated[SalutationChoice, Before(not_blank)]
Name = Annotated[str, Field(max_length=100), _NON_BLANK, Before(not_blank)]
Line = Annotated[str, Field(max_length=255), _NON_BLANK, Before(not_blank)]
OptionalLine = Annotated[str, Field(max_length=255)]
ZipCode = Annotated[str, Field(max_length=15), _NON_BLANK, Before(not_blank)]
City = Annotated[str, Field(min_length=3, max_length=255), _NON_BLANK, Before(not_blank)]
Country = Annotated[
    str,
    Field(
        description="ISO 3166-1 alpha-2 country code, any letter case",
        json_schema_extra={"pattern": r"^\s*[A-Za-z]{2}\s*$"},
    ),
    Before(not_blank, country),
]
Email = Annotated[
    str,
    Field(max_length=EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"}),
    Before(not_blank, email_type),
    AfterValidator(email_syntax),
]
ForgottenEmail = Annotated[
    str,
    Field(max_length=255, json_schema_extra={"format": "email"}),
    Before(not_blank, email_type),
    AfterValidator(email_syntax),
]
Text = Annotated[str, _NON_BLANK, Before(not_blank)]
Key = Annotated[str, Field(max_length=150), _NON_BLANK, Before(not_blank)]
CurrentPassword = Annotated[str, Field(max_length=128), _NON_BLANK, Before(not_blank)]
Gender = Annotated[
    str,
    Field(
        description="Anything but Male or Female is error 414",
        json_schema_extra={"enum": list(GENDERS)},
    ),
    Before(not_blank),
]
NullableGender = Annotated[
    str,
    Field(
        description="Anything but Male or Female is error 414",
        json_schema_extra={"enum": list(GENDERS)},
    ),
]
IsoDate = Annotated[
    str, Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"}), Before(iso_date)
]


def password_field(min_length: int, max_length: int) -> Any:
    """A new password: NotBlank and the policy's length, before its own rules (418-422)."""
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), _NON_BLANK, Before(not_blank)
    ]


DOCUMENTED_PASSWORD = (
    min(p.min_length for p in POLICIES.values()),
    max(p.max_length for p in POLICIES.values()),
)
"""The OpenAPI document is static; the tenant's policy (`compatible` 8-64 or `strict`
12-128) narrows these bounds."""


# --- customers ------------------------------------------------------------------------------


@cache
def registration_model(min_length: int, max_length: int) -> type[RequestModel]:
    """`customers` POST for a password policy's length range (built once per range)."""
    password = password_field(min_length, max_length)
    return create_model(
        "CustomerCreateAttributes",
        __base__=RequestModel,
        email=(Email, ...),
        gender=(Gender, ...),
        salutation=(Salutation, ...),
        firstName=(Name, ...),
        lastName=(Name, ...),
        password=(password, ...),
        confirmPassword=(password, Field(description="Must equal password, else error 406")),
        acceptedTerms=(Annotated[Literal[True], Before(is_true)], ...),
        dateOfBirth=(IsoDate | None | MISSING, MISSING),
    )


class CustomerUpdateAttributes(RequestModel):
    email: Email | MISSING = MISSING
    gender: NullableGender | MISSING | None = MISSING
    salutation: SalutationChoice | MISSING | None = MISSING
    firstName: Name | MISSING = MISSING
    lastName: Name | MISSING = MISSING
    dateOfBirth: IsoDate | MISSING | None = MISSING
    password: Any | MISSING = Field(
        default=MISSING,
        description="Only compared with confirmPassword (error 406), never stored",
    )
    confirmPassword: Any | MISSING = MISSING


class ConfirmationAttributes(RequestModel):
    registrationKey: Key


# --- passwords ------------------------------------------------------------------------------


@cache
def password_change_model(min_length: int, max_length: int) -> type[RequestModel]:
    """`customer-password` PATCH for a password policy's length range."""
    password = password_field(min_length, max_length)
    return create_model(
        "PasswordChangeAttributes",
        __base__=RequestModel,
        password=(CurrentPassword, Field(description="The current password")),
        newPassword=(password, ...),
        confirmPassword=(password, Field(description="Must equal newPassword, else error 406")),
    )


@cache
def password_restore_model(min_length: int, max_length: int) -> type[RequestModel]:
    """`customer-restore-password` PATCH for a password policy's length range."""
    password = password_field(min_length, max_length)
    return create_model(
        "RestorePasswordAttributes",
        __base__=RequestModel,
        restorePasswordKey=(
            Key,
            Field(description="The key from the email; the path is ignored"),
        ),
        password=(password, ...),
        confirmPassword=(password, Field(description="Must equal password, else error 406")),
    )


def for_policy(
    factory: Callable[[int, int], type[RequestModel]], policy: PasswordPolicy
) -> type[RequestModel]:
    """The model `factory` builds for a tenant's password policy."""
    return factory(policy.min_length, policy.max_length)


class ForgottenPasswordAttributes(RequestModel):
    email: ForgottenEmail


# --- tokens ---------------------------------------------------------------------------------


class LoginAttributes(RequestModel):
    username: Email
    password: Annotated[str, _NON_BLANK, Before(not_blank)]


class RefreshAttributes(RequestModel):
    refreshToken: Text


# --- addresses ------------------------------------------------------------------------------


class AddressCreateAttributes(RequestModel):
    """customers-rest-api's `addresses` validation, plus company and a real-country check."""

    salutation: Salutation
    firstName: Name
    lastName: Name
    address1: Line
    address2: Line
    address3: OptionalLine | MISSING | None = MISSING
    zipCode: ZipCode
    city: City
    iso2Code: Country
    company: OptionalLine | MISSING | None = MISSING
    phone: OptionalLine | MISSING | None = MISSING
    isDefaultShipping: bool | MISSING | None = Field(
        default=MISSING, description="Absent or null: true (the first address is anyway)"
    )
    isDefaultBilling: bool | MISSING | None = Field(
        default=MISSING, description="Absent or null: true (the first address is anyway)"
    )


class AddressUpdateAttributes(RequestModel):
    salutation: Salutation | MISSING = MISSING
    firstName: Name | MISSING = MISSING
    lastName: Name | MISSING = MISSING
    address1: Line | MISSING = MISSING
    address2: Line | MISSING = MISSING
    address3: OptionalLine | MISSING | None = MISSING
    zipCode: ZipCode | MISSING = MISSING
    city: City | MISSING = MISSING
    iso2Code: Country | MISSING = MISSING
    company: OptionalLine | MISSING | None = MISSING
    phone: OptionalLine | MISSING | None = MISSING
    isDefaultShipping: bool | MISSING | None = Field(default=MISSING, description="null: unchanged")
    isDefaultBilling: bool | MISSING | None = Field(default=MISSING, description="null: unchanged")


# --- availability notifications -------------------------------------------------------------


class AvailabilityNotificationRequestAttributes(RequestModel):
    sku: Annotated[
        str, Field(description="A SKU of the tenant's register"), _NON_BLANK, Before(not_blank)
    ]
    email: Email


# --- answers --------------------------------------------------------------------------------


class Links(BaseModel):
    self: str


class CustomerAttributes(BaseModel):
    firstName: str | MISSING | None = MISSING
    lastName: str | MISSING | None = MISSING
    email: str | MISSING | None = MISSING
    gender: Literal["Male", "Female"] | MISSING | None = MISSING
    dateOfBirth: str | MISSING | None = Field(default=MISSING, description="YYYY-MM-DD")
    salutation: SalutationChoice | MISSING | None = MISSING
    createdAt: str | MISSING = MISSING
    updatedAt: str | MISSING = MISSING


class AddressAttributes(BaseModel):
    salutation: SalutationChoice | MISSING | None = MISSING
    firstName: str | MISSING | None = MISSING
    lastName: str | MISSING | None = MISSING
    address1: str | MISSING | None = MISSING
    address2: str | MISSING | None = MISSING
    address3: str | MISSING | None = MISSING
    zipCode: str | MISSING | None = MISSING
    city: str | MISSING | None = MISSING
    country: str | MISSING | None = Field(
        default=MISSING, description="English country name, from iso2Code"
    )
    iso2Code: str | MISSING | None = MISSING
    company: str | MISSING | None = MISSING
    phone: str | MISSING | None = MISSING
    isDefaultShipping: bool | MISSING = MISSING
    isDefaultBilling: bool | MISSING = MISSING


class AddressResource(BaseModel):
    type: Literal["addresses"]
    id: str = Field(description="The address UUID")
    attributes: AddressAttributes
    links: Links


class AddressDocument(BaseModel):
    data: AddressResource


class AddressCollectionDocument(BaseModel):
    data: list[AddressResource]
    links: Links


class Identifier(BaseModel):
    type: str
    id: str


class Relationship(BaseModel):
    data: list[Identifier]


class CustomerResource(BaseModel):
    type: Literal["customers"]
    id: str = Field(description="The customer reference")
    attributes: CustomerAttributes
    links: Links
    relationships: dict[str, Relationship] | MISSING = Field(
        default=MISSING, description="Only with `?include=addresses`"
    )


class CustomerDocument(BaseModel):
    data: CustomerResource
    included: list[AddressResource] | MISSING = Field(
        default=MISSING, description="With `?include=addresses`, when there are addresses"
    )


class CustomerCollectionDocument(BaseModel):
    data: list[CustomerResource]
    links: Links
    included: list[AddressResource] | MISSING = MISSING


class AccessTokenAttributes(BaseModel):
    tokenType: Literal["Bearer"] | MISSING = MISSING
    expiresIn: int | MISSING = MISSING
    accessToken: str | MISSING = MISSING
    refreshToken: str | MISSING = MISSING


class AccessTokenResource(BaseModel):
    type: Literal["access-tokens", "refresh-tokens"]
    id: None
    attributes: AccessTokenAttributes
    links: Links


class AccessTokenDocument(BaseModel):
    data: AccessTokenResource


class OAuthTokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_token: str


class OAuthError(BaseModel):
    error: Literal["invalid_request", "invalid_grant"]
    error_description: str


class AvailabilityNotificationAttributes(BaseModel):
    localeName: str | MISSING = MISSING
    email: str | MISSING = MISSING
    sku: str | MISSING = MISSING


class AvailabilityNotificationResource(BaseModel):
    type: Literal["availability-notifications"]
    id: str = Field(description="The subscription key (32 hex characters)")
    attributes: AvailabilityNotificationAttributes
    links: Links


class AvailabilityNotificationDocument(BaseModel):
    data: AvailabilityNotificationResource


class PaginationLinks(BaseModel):
    self: str
    last: str | MISSING = MISSING
    first: str | MISSING = MISSING
    prev: str | MISSING = MISSING
    next: str | MISSING = MISSING


class AvailabilityNotificationCollectionDocument(BaseModel):
    data: list[AvailabilityNotificationResource]
    links: PaginationLinks


class ErrorObject(BaseModel):
    status: int
    code: str | MISSING = Field(default=MISSING, description="Glue's error code, when it has one")
    detail: str


class ErrorDocument(BaseModel):
    errors: list[ErrorObject] = Field(min_length=1)
