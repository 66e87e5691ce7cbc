"""Pydantic models of Glue's documents, for the OpenAPI description only.

Requests are parsed by `http.read_attributes` and checked by `validation`, so that errors
come out in Glue's own format (901 and friends) rather than FastAPI's.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class CustomerCreateAttributes(BaseModel):
    salutation: Literal["Mr", "Mrs", "Ms", "Dr"]
    firstName: str = Field(max_length=100)
    lastName: str = Field(max_length=100)
    email: str
    gender: Literal["Male", "Female"]
    dateOfBirth: str | None = Field(default=None, description="YYYY-MM-DD")
    password: str
    confirmPassword: str
    acceptedTerms: bool


class CustomerUpdateAttributes(BaseModel):
    salutation: Literal["Mr", "Mrs", "Ms", "Dr"] | None = None
    firstName: str | None = None
    lastName: str | None = None
    email: str | None = None
    gender: Literal["Male", "Female"] | None = None
    dateOfBirth: str | None = None


class CustomerAttributes(BaseModel):
    firstName: str | None
    lastName: str | None
    email: str | None
    gender: str | None
    dateOfBirth: str | None
    salutation: str | None
    createdAt: str
    updatedAt: str


class Links(BaseModel):
    self: str


class AddressCreateAttributes(BaseModel):
    salutation: Literal["Mr", "Mrs", "Ms", "Dr"]
    firstName: str = Field(max_length=100)
    lastName: str = Field(max_length=100)
    address1: str = Field(max_length=255)
    address2: str = Field(max_length=255)
    address3: str | None = Field(default=None, max_length=255)
    zipCode: str = Field(max_length=15)
    city: str = Field(min_length=3, max_length=255)
    iso2Code: str = Field(description="ISO 3166-1 alpha-2 country code")
    country: str | None = Field(default=None, description="Ignored: derived from iso2Code")
    company: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=255)
    isDefaultShipping: bool = Field(default=True, description="The first address is anyway")
    isDefaultBilling: bool = Field(default=True, description="The first address is anyway")


class AddressUpdateAttributes(BaseModel):
    salutation: Literal["Mr", "Mrs", "Ms", "Dr"] | None = None
    firstName: str | None = Field(default=None, max_length=100)
    lastName: str | None = Field(default=None, max_length=100)
    address1: str | None = Field(default=None, max_length=255)
    address2: str | None = Field(default=None, max_length=255)
    address3: str | None = Field(default=None, max_length=255)
    zipCode: str | None = Field(default=None, max_length=15)
    city: str | None = Field(default=None, min_length=3, max_length=255)
    iso2Code: str | None = None
    company: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=255)
    isDefaultShipping: bool | None = None
    isDefaultBilling: bool | None = None


class AddressAttributes(BaseModel):
    salutation: str | None
    firstName: str | None
    lastName: str | None
    address1: str | None
    address2: str | None
    address3: str | None
    zipCode: str | None
    city: str | None
    country: str | None = Field(description="English country name, from iso2Code")
    iso2Code: str | None
    company: str | None
    phone: str | None
    isDefaultShipping: bool
    isDefaultBilling: bool


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
    id: str
    attributes: CustomerAttributes
    links: Links
    relationships: dict[str, Relationship] | None = Field(
        default=None, description="Only with `?include=addresses`"
    )


class CustomerDocument(BaseModel):
    data: CustomerResource
    included: list[AddressResource] | None = None


class CustomerCollectionDocument(BaseModel):
    data: list[CustomerResource]
    links: Links
    included: list[AddressResource] | None = None


class AccessTokenAttributes(BaseModel):
    tokenType: Literal["Bearer"]
    expiresIn: int
    accessToken: str
    refreshToken: str


class AccessTokenResource(BaseModel):
    type: Literal["access-tokens", "refresh-tokens"]
    id: None
    attributes: AccessTokenAttributes
    links: Links


class AccessTokenDocument(BaseModel):
    data: AccessTokenResource


class LoginAttributes(BaseModel):
    username: str
    password: str


class RefreshAttributes(BaseModel):
    refreshToken: str


class ConfirmationAttributes(BaseModel):
    registrationKey: str


class PasswordChangeAttributes(BaseModel):
    password: str = Field(description="The current password")
    newPassword: str
    confirmPassword: str


class ForgottenPasswordAttributes(BaseModel):
    email: str = Field(max_length=255)


class RestorePasswordAttributes(BaseModel):
    restorePasswordKey: str = Field(description="The key from the email; used, not the path")
    password: str
    confirmPassword: str


class OAuthTokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_token: str


class AvailabilityNotificationRequestAttributes(BaseModel):
    sku: str = Field(description="A SKU of the tenant's register")
    email: str


class AvailabilityNotificationAttributes(BaseModel):
    localeName: str
    email: str
    sku: str


class AvailabilityNotificationResource(BaseModel):
    type: Literal["availability-notifications"]
    id: str = Field(description="The subscription key (32 hex characters)")
    attributes: AvailabilityNotificationAttributes
    links: Links


class AvailabilityNotificationDocument(BaseModel):
    data: AvailabilityNotificationResource


class PaginationLinks(BaseModel):
    self: str
    last: str | None = None
    first: str | None = None
    prev: str | None = None
    next: str | None = None


class AvailabilityNotificationCollectionDocument(BaseModel):
    data: list[AvailabilityNotificationResource]
    links: PaginationLinks


class ErrorObject(BaseModel):
    status: int
    code: str | None = None
    detail: str


class ErrorDocument(BaseModel):
    errors: list[ErrorObject]


def request_document(resource_type: str, attributes: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` describing a JSON:API request body `{data: {type, attributes}}`."""
    schema = {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": {
                "type": "object",
                "required": ["type", "attributes"],
                "properties": {
                    "type": {"type": "string", "enum": [resource_type]},
                    "attributes": attributes.model_json_schema(),
                },
            }
        },
    }
    return {
        "requestBody": {
            "required": True,
            "content": {"application/vnd.api+json": {"schema": schema}},
        }
    }


ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorDocument, "description": "Glue error document"}
}
