"""Request bodies of the tenant-managed customer routes (reference 2.2, 2.3): the one
definition `http.checked` validates with and the OpenAPI document shows.

Types are strict (a number is no string, "true" no boolean); properties a model does not
name are ignored, as Emporix' Jackson mapping ignores them. Absent and null differ: the
handlers read `model_fields_set`, and a null in a partial update clears the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CUSTOM_ID = r"^[A-Za-z0-9_-]{1,66}$"
"""Reference 1.4: the changelog's single-character pattern with its obvious quantifier."""


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class B2B(Body):
    companyRegistrationId: str | None = None


class Metadata(Body):
    """`DefaultDtoMetadata`: the mixins' schema URLs, and the version read (optimistic
    locking: a stale one is refused; none, no check)."""

    mixins: dict[str, str] | None = None
    version: Annotated[int, Field(ge=1)] | None = None


class CustomerFields(Body):
    """`CustomerCreateDto`: what every customer body may carry."""

    title: str | None = None
    firstName: str | None = None
    middleName: str | None = None
    lastName: str | None = None
    contactPhone: str | None = None
    company: str | None = None
    preferredLanguage: str | None = None
    preferredCurrency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    preferredSite: str | None = None
    type: Literal["CUSTOMER", "CONTACT"] | None = None
    photoUrl: str | None = None
    b2b: B2B | None = None
    metadata: Metadata | None = None
    mixins: dict[str, Any] | None = None
    restriction: str | None = None


class CustomerCreate(CustomerFields):
    """`CustomerSignupBySellerDto` (`POST .../customers`). `contactEmail` is required:
    Patron's customers are found and log in by their email."""

    id: Annotated[str, Field(pattern=CUSTOM_ID)] | None = None
    contactEmail: str
    password: str | None = None


class CustomerUpdate(CustomerFields):
    """`CustomerUpdateBySellerDto` / `CustomerPatchBySellerDto` (PUT and PATCH, JSON or
    merge patch). `contactEmail` cannot be unset once present."""

    contactEmail: str | None = None
    active: bool | None = None
    onHold: bool | None = None


class CustomerSearch(Body):
    """`POST .../customers/search`."""

    q: str = ""


def request_body(model: type[BaseModel], *media_types: str) -> dict[str, Any]:
    """The OpenAPI `requestBody` of `model` under each media type, its nested models
    written in place (the document has no `$defs`)."""
    schema = _inlined(model.model_json_schema())
    content = {media_type: {"schema": schema} for media_type in media_types}
    return {"requestBody": {"required": True, "content": content}}


def parameters(path: tuple[str, ...], query: tuple[str, ...] = ()) -> dict[str, Any]:
    """The OpenAPI `parameters` of a handler that reads them from the request itself (the
    hot reads: FastAPI's per-request parameter solving would cost them, decision 85)."""
    found = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in path
    ]
    found += [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}} for n in query
    ]
    return {"parameters": found}


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved
