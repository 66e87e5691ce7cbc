"""`availability-notifications`, `my-availability-notifications` and the customers sub-resource."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.customers.availability import SubscriptionPage
from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.model import Subscription
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.errors import (
    AVAILABILITY_UNAUTHORIZED,
    RESOURCE_ID_MISSING,
    SUBSCRIBE_FAILED,
    glue_error,
)
from patron.dialects.glue.http import (
    id_missing_routes,
    optional_claims,
    path_customer,
    request_locale,
    request_tenant,
    required_claims,
    respond,
    self_link,
    valid_attributes,
)
from patron.dialects.glue.openapi import PAGE, fields, operation, path
from patron.dialects.glue.pagination import page_links, parse_page, window
from patron.dialects.glue.schemas import (
    AvailabilityNotificationCollectionDocument,
    AvailabilityNotificationDocument,
    AvailabilityNotificationRequestAttributes,
)
from patron.dialects.glue.shapes import collection, resource, single
from patron.http.pagination import Window

TYPE = "availability-notifications"
# An address the core still refuses (e.g. longer than 255) is Spryker's generic 4604.
SUBSCRIBE_OVERRIDES = {ErrorCode.EMAIL_INVALID: SUBSCRIBE_FAILED}
# CustomerReferenceMatchingEntityId with apiCode 4606 on the customers sub-resource.
OWNER_OVERRIDES = {ErrorCode.NOT_OWNER: AVAILABILITY_UNAUTHORIZED}


def subscription_resource(subscription: Subscription, base_url: str) -> dict[str, Any]:
    return resource(
        TYPE,
        subscription.key,
        {"localeName": subscription.locale, "email": subscription.email, "sku": subscription.sku},
        f"{base_url}/{TYPE}/{subscription.key}",
    )


def _listing(
    request: Request, base_url: str, path: str, requested: Window | None, page: SubscriptionPage
) -> dict[str, Any]:
    """A collection with Glue's pagination links when the request named a page."""
    document = collection(
        (subscription_resource(s, base_url) for s in page.items),
        self_link(request, base_url, path),
    )
    if requested is not None:
        document["links"].update(
            page_links(f"{base_url}{path}", request.url.query, requested, page.total)
        )
    return document


def add_routes(api: FastAPI, ctx: GlueContext) -> None:
    """Routes go straight on the app: an included router costs a second match per request."""

    @api.post(
        f"/{TYPE}",
        status_code=201,
        response_model=AvailabilityNotificationDocument,
        openapi_extra=operation(
            auth="optional",
            body=(TYPE, AvailabilityNotificationRequestAttributes),
            parameters=fields(TYPE),
        ),
        summary="Subscribe to a notification when a product is available again",
    )
    async def subscribe(request: Request) -> Response:
        claims = optional_claims(request, ctx.core)
        attributes = await valid_attributes(
            request, TYPE, AvailabilityNotificationRequestAttributes
        )
        try:
            subscription = await ctx.core.availability.subscribe(
                request_tenant(request),
                sku=attributes["sku"],
                email=attributes["email"],
                locale=request_locale(request),
                claims=claims,
            )
        except DomainError as error:
            raise glue_error(error, SUBSCRIBE_OVERRIDES) from None
        return respond(request, single(subscription_resource(subscription, ctx.base_url)), 201)

    @api.delete(
        f"/{TYPE}/{{subscription_key}}",
        status_code=204,
        summary="Unsubscribe; anyone holding the subscription key may",
        openapi_extra=operation(
            auth="optional", parameters=[path("subscription_key", "The subscription key")]
        ),
    )
    async def unsubscribe(request: Request) -> Response:
        optional_claims(request, ctx.core)
        key = request.path_params["subscription_key"]
        await ctx.core.availability.unsubscribe(request_tenant(request), key)
        return Response(status_code=204)

    id_missing_routes(
        api, ctx, [("DELETE", f"/{TYPE}")], RESOURCE_ID_MISSING, check=optional_claims
    )

    @api.get(
        "/my-availability-notifications",
        response_model=AvailabilityNotificationCollectionDocument,
        summary="My subscriptions, oldest first; paginable with page[offset] and page[limit]",
        openapi_extra=operation(auth="required", parameters=[*PAGE, *fields(TYPE)]),
    )
    async def my_subscriptions(request: Request) -> Response:
        requested = parse_page(request.query_params.multi_items())  # before auth, as in Glue
        claims = required_claims(request, ctx.core)
        offset, limit = window(requested)
        page = await ctx.core.availability.list_for_bearer(claims, offset=offset, limit=limit)
        return respond(
            request,
            _listing(request, ctx.base_url, "/my-availability-notifications", requested, page),
        )

    @api.get(
        "/customers/{customer_reference}/availability-notifications",
        response_model=AvailabilityNotificationCollectionDocument,
        summary="A customer's subscriptions (the bearer's own only)",
        openapi_extra=operation(
            auth="required",
            parameters=[
                path("customer_reference", "The customer reference, e.g. DE--1"),
                *PAGE,
                *fields(TYPE),
            ],
        ),
    )
    async def customer_subscriptions(request: Request) -> Response:
        customer_reference = request.path_params["customer_reference"]
        requested = parse_page(request.query_params.multi_items())
        claims = required_claims(request, ctx.core)
        try:
            offset, limit = window(requested)
            page = await ctx.core.availability.list_own(
                claims, path_customer(request), offset=offset, limit=limit
            )
        except DomainError as error:
            raise glue_error(error, OWNER_OVERRIDES) from None
        path = f"/customers/{customer_reference}/{TYPE}"
        return respond(request, _listing(request, ctx.base_url, path, requested, page))
