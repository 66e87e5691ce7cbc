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


class CustomerResource(BaseModel):
    type: Literal["customers"]
    id: str
    attributes: CustomerAttributes
    links: Links


class CustomerDocument(BaseModel):
    data: CustomerResource


class CustomerCollectionDocument(BaseModel):
    data: list[CustomerResource]
    links: Links


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


class OAuthTokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_token: str


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
