"""Pydantic models of Medusa v1's bodies: requests (checked and documented) and answers.

Request models are the one definition of each body: `http.valid_body` validates with them
(class-validator's rules and messages, see `validation`) and the OpenAPI document shows
them. Properties are in the order of Medusa's classes, which is the order failures are
listed in. An optional property is `X | MISSING`: absent is not the same as null (Medusa's
`IsOptional` lets null through, and an update then clears the value).

Response models only describe: handlers build their bodies themselves.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import MISSING, BaseModel, Field, ValidationError, WithJsonSchema

from patron.dialects.medusa.validation import (
    RequestModel,
    Rules,
    each_nested,
    is_array,
    is_email,
    is_not_empty,
    is_object,
    is_string,
    nested,
)

_EMAIL = {"format": "email"}
Email = Annotated[str, Rules(is_email), Field(json_schema_extra=_EMAIL)]
OptionalEmail = Annotated[
    str | None, Rules(is_email, optional=True), Field(json_schema_extra=_EMAIL)
]
String = Annotated[str, Rules(is_string)]
OptionalString = Annotated[str | None, Rules(is_string, optional=True)]
Metadata = Annotated[
    dict[str, Any] | None,
    Rules(is_object, optional=True),
    Field(description='Merged into the stored metadata; a key set to "" is removed'),
]


# --- auth -----------------------------------------------------------------------------------


class AdminLogin(RequestModel):
    """`POST /admin/auth` and `/admin/auth/token`."""

    email: Annotated[str, Rules(is_not_empty, is_email), Field(json_schema_extra=_EMAIL)]
    password: Annotated[str, Rules(is_not_empty, is_string)]


class StoreLogin(RequestModel):
    """`POST /store/auth` and `/store/auth/token`: the password is only "not empty"."""

    email: Email
    password: Annotated[Any, Rules(is_not_empty), WithJsonSchema({"type": "string"})]


# --- customers ------------------------------------------------------------------------------


class AdminCustomerCreate(RequestModel):
    email: Email
    first_name: String
    last_name: String
    password: String
    phone: OptionalString | MISSING = MISSING
    metadata: Metadata | MISSING = MISSING


class GroupReference(RequestModel):
    id: String


class AdminCustomerUpdate(RequestModel):
    email: OptionalEmail | MISSING = Field(
        default=MISSING, description="Refused once the customer has an account"
    )
    first_name: OptionalString | MISSING = MISSING
    last_name: OptionalString | MISSING = MISSING
    password: OptionalString | MISSING = MISSING
    phone: OptionalString | MISSING = MISSING
    metadata: Metadata | MISSING = MISSING
    groups: (
        Annotated[
            list[GroupReference] | None,
            Rules(is_array, each_nested, optional=True),
            Field(description="Replaces the customer's groups ([] leaves none)"),
        ]
        | MISSING
    ) = MISSING


class AddressPayload(RequestModel):
    first_name: OptionalString | MISSING = MISSING
    last_name: OptionalString | MISSING = MISSING
    phone: OptionalString | MISSING = MISSING
    metadata: Metadata | MISSING = MISSING
    company: OptionalString | MISSING = MISSING
    address_1: OptionalString | MISSING = MISSING
    address_2: OptionalString | MISSING = MISSING
    city: OptionalString | MISSING = MISSING
    country_code: OptionalString | MISSING = Field(
        default=MISSING, description="ISO 3166-1 alpha-2, any letter case"
    )
    province: OptionalString | MISSING = MISSING
    postal_code: OptionalString | MISSING = MISSING


class AddressCreatePayload(RequestModel):
    first_name: String
    last_name: String
    phone: OptionalString | MISSING = MISSING
    metadata: Metadata | MISSING = MISSING
    company: OptionalString | MISSING = MISSING
    address_1: String
    address_2: OptionalString | MISSING = MISSING
    city: String
    country_code: Annotated[str, Rules(is_string), Field(description="ISO 3166-1 alpha-2")]
    province: OptionalString | MISSING = MISSING
    postal_code: String


class StoreRegistration(RequestModel):
    """Medusa v1's `StorePostCustomersReq`: both names required (`@IsString()`)."""

    first_name: String
    last_name: String
    email: Email
    password: String
    phone: OptionalString | MISSING = MISSING


def address_or_id(value: Any) -> str | None:
    """Medusa's `IsType([AddressPayload, String])`: an address id, or a valid address."""
    if isinstance(value, str):
        return None
    if isinstance(value, dict):
        try:
            AddressPayload.model_validate(value)
        except ValidationError:
            pass
        else:
            return None
    return "{property} must be one of AddressPayload or String"


BillingAddress = Annotated[
    Any,
    Rules(address_or_id, optional=True),
    WithJsonSchema(
        {
            "anyOf": [
                AddressPayload.model_json_schema(),
                {"type": "string", "description": "The id of one of the customer's addresses"},
                {"type": "null"},
            ],
            "description": "An address (updates the billing address, or adds one), the id "
            "of an address to bill to, or null (no billing address)",
        }
    ),
]


class StoreCustomerUpdate(RequestModel):
    billing_address: BillingAddress | MISSING = MISSING
    first_name: OptionalString | MISSING = MISSING
    last_name: OptionalString | MISSING = MISSING
    password: OptionalString | MISSING = Field(
        default=MISSING, description="A new password; every other session ends"
    )
    phone: OptionalString | MISSING = MISSING
    email: OptionalEmail | MISSING = MISSING
    metadata: Metadata | MISSING = MISSING


class StoreAddressCreate(RequestModel):
    address: Annotated[AddressCreatePayload, Rules(nested)]


class PasswordToken(RequestModel):
    email: Email


class PasswordReset(RequestModel):
    email: Email
    token: String
    password: String


# --- customer groups ------------------------------------------------------------------------


class GroupCreate(RequestModel):
    name: String
    metadata: Metadata | MISSING = MISSING


class GroupUpdate(RequestModel):
    name: OptionalString | MISSING = MISSING
    metadata: Metadata | MISSING = MISSING


class CustomerReference(RequestModel):
    id: String


class GroupBatch(RequestModel):
    customer_ids: Annotated[list[CustomerReference], Rules(each_nested)]


# --- answers --------------------------------------------------------------------------------

Timestamp = Annotated[
    str, Field(description="ISO 8601, UTC, milliseconds", json_schema_extra={"format": "date-time"})
]


class AddressAnswer(BaseModel):
    id: str = Field(description="addr_<ULID>")
    customer_id: str
    company: str | None
    first_name: str | None
    last_name: str | None
    address_1: str | None
    address_2: str | None
    city: str | None
    country_code: str | None = Field(description="Lower case")
    province: str | None
    postal_code: str | None
    phone: str | None
    metadata: dict[str, Any] | None
    created_at: Timestamp
    updated_at: Timestamp
    deleted_at: None


class GroupAnswer(BaseModel):
    id: str = Field(description="cgrp_<ULID>")
    name: str
    metadata: dict[str, Any] | None
    created_at: Timestamp
    updated_at: Timestamp
    deleted_at: None
    customers: list[CustomerAnswer] | MISSING = Field(
        default=MISSING, description="With expand=customers"
    )
    price_lists: list[dict[str, Any]] | MISSING = Field(
        default=MISSING, description="With expand=price_lists; always empty"
    )


class CustomerAnswer(BaseModel):
    id: str = Field(description="cus_<ULID>")
    email: str | None
    first_name: str | None
    last_name: str | None
    billing_address_id: str | None
    phone: str | None
    has_account: bool
    metadata: dict[str, Any] | None
    created_at: Timestamp
    updated_at: Timestamp
    deleted_at: None
    orders: list[dict[str, Any]] | MISSING = Field(
        default=MISSING, description="Patron keeps no orders: always empty"
    )
    shipping_addresses: list[AddressAnswer] | MISSING = Field(
        default=MISSING, description="Every address of the customer"
    )
    billing_address: AddressAnswer | MISSING | None = MISSING
    groups: list[GroupAnswer] | MISSING = MISSING


class CustomerBody(BaseModel):
    customer: CustomerAnswer


class CustomerList(BaseModel):
    customers: list[CustomerAnswer]
    count: int
    offset: int
    limit: int


class GroupBody(BaseModel):
    customer_group: GroupAnswer


class GroupList(BaseModel):
    customer_groups: list[GroupAnswer]
    count: int
    offset: int
    limit: int


class GroupDeleted(BaseModel):
    id: str
    object: Literal["customer_group"]
    deleted: Literal[True]


class UserAnswer(BaseModel):
    id: str = Field(description="usr_<ULID>")
    email: str
    first_name: str | None
    last_name: str | None
    role: Literal["admin", "member", "developer"]
    metadata: dict[str, Any] | None
    created_at: Timestamp
    updated_at: Timestamp
    deleted_at: None


class UserBody(BaseModel):
    user: UserAnswer


class AccessToken(BaseModel):
    access_token: str


class Exists(BaseModel):
    exists: bool


class OrderList(BaseModel):
    orders: list[dict[str, Any]] = Field(description="Patron keeps no orders: always empty")
    count: int
    offset: int
    limit: int


class PaymentMethodList(BaseModel):
    payment_methods: list[dict[str, Any]] = Field(
        description="Saved payment methods live with the payment provider, not in Patron: "
        "always empty"
    )


class ErrorBody(BaseModel):
    code: str | MISSING = Field(
        default=MISSING, description="invalid_request_error (422), invalid_state_error (409)"
    )
    type: str
    message: str
