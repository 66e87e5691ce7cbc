"""Aimeos' JSON REST API as a small ASGI app, routed as the Laravel host routes it:
`/jsonapi` (the resource list), `/jsonapi/{resource}` (with `related` choosing the client
class), and Patron's `/jsonapi/login` and `/jsonapi/logout`.

Starlette, not FastAPI: Aimeos publishes no OpenAPI; its schema is the OPTIONS document.
Every answer, errors included, goes through one place that adds `meta.csrf` and the cookie.
`mount` installs the toolkit's plumbing around it (CORS, security headers, the catch-all,
the 404 for a path holding a NUL).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from patron.core.domain.errors.base import DomainError
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.errors.unavailable import ServiceUnavailable
from patron.core.use_cases import Core
from patron.dialects.aimeos import (
    addresses,
    customers,
    discovery,
    login,
    properties,
    relationships,
)
from patron.dialects.aimeos.config import AimeosConfig
from patron.dialects.aimeos.context import AimeosContext
from patron.dialects.aimeos.cors import Cors
from patron.dialects.aimeos.errors import (
    GENERIC_TITLE,
    NOT_ALLOWED,
    NOT_FOUND,
    AimeosError,
    aimeos_error,
)
from patron.dialects.aimeos.http import WRITES, Call, open_call
from patron.dialects.aimeos.resources import Resource
from patron.dialects.aimeos.shapes import answer, link_parameters, url
from patron.http.plumbing import Mount, install_dialect, log_unexpected

log = logging.getLogger("patron.aimeos")

CUSTOMER_RESOURCES: Mapping[str, Resource] = {
    "": customers.RESOURCE,
    "address": addresses.RESOURCE,
    "property": properties.RESOURCE,
    "relationships": relationships.RESOURCE,
}
"""`/jsonapi/customer?related=...`: Aimeos' `Customer\\<Related>\\Standard` classes."""
HOST_ROUTES = {"login": login.login, "logout": login.logout}
METHOD_NOT_ALLOWED = "Method not allowed"
ROUTES = frozenset({"", customers.TYPE, *HOST_ROUTES, *discovery.NOT_SERVED})
"""The segments Laravel routes: what a log may name (any other segment is the client's)."""


class AimeosApi:
    def __init__(self, ctx: AimeosContext) -> None:
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        # A HEAD arrives as a GET (`patron.http.head`), as Laravel routes it.
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def refuse(self, request: Request) -> Response:
        """Laravel's 404 for a path it has no route for (the dispatch's answer to a path
        holding a NUL), with the cookie and `meta.csrf` as every answer has them."""
        return await self.handle(request, refused=True)

    async def handle(self, request: Request, *, refused: bool = False) -> Response:
        try:
            call = await open_call(request, self.ctx)
        except ServiceUnavailable as error:  # no connection came free for the tenant or session
            busy = aimeos_error(error)
            retry = {"Retry-After": str(busy.retry_after)}
            return answer({"errors": [{"title": busy.titles[0]}]}, busy.status, headers=retry)
        except Exception as error:  # the tenant or the session store is unreachable
            log_unexpected(log, error, request.method, route_of(request.scope))
            return unexpected()
        segment = None if refused else _segment(request)
        try:
            response = await self.answer(call, segment)
        except AimeosError as error:
            response = _error(call, segment, error)
        except DomainError as error:
            response = _error(call, segment, aimeos_error(error))
        except Exception as error:
            log_unexpected(log, error, request.method, route_of(request.scope))
            response = _error(call, segment, AimeosError(500, GENERIC_TITLE))
        return call.finish(response)

    async def answer(self, call: Call, segment: str | None) -> Response:
        """The route's answer. A session that names no usable customer any more (ended in
        another browser, its account deleted) is found out by the core's owner check,
        before anything is written: the browser is a visitor from then on, and the request
        is answered as a visitor's."""
        try:
            return await self.route(call, segment)
        except (InvalidAccessToken, CustomerNotFound):
            if call.claims is None:
                raise
            await call.ctx.core.auth.end_session(call.cookie)
            call.claims = None
            return await self.route(call, segment)

    async def route(self, call: Call, segment: str | None) -> Response:
        method = call.request.method
        if segment is None:
            raise AimeosError(404, NOT_FOUND)
        if segment == "":
            if method not in ("GET", "OPTIONS"):
                raise AimeosError(405, METHOD_NOT_ALLOWED)
            return discovery.root(call)
        if method in WRITES:
            await call.check_csrf()  # Laravel's middleware: before the resource is chosen
        host = HOST_ROUTES.get(segment)
        if host is not None:
            if method != "POST":
                raise AimeosError(405, METHOD_NOT_ALLOWED)
            return await host(call)
        if segment in discovery.NOT_SERVED:
            raise AimeosError(403, NOT_ALLOWED)
        if segment != customers.TYPE:
            raise AimeosError(404, NOT_FOUND)
        resource = CUSTOMER_RESOURCES.get(call.parameter("related") or "")
        if resource is None:
            raise AimeosError(404, NOT_FOUND)
        return await _dispatch(call, resource)


async def _dispatch(call: Call, resource: Resource) -> Response:
    method = call.request.method
    if method == "OPTIONS":
        return discovery.resource_options(call, resource.attributes)
    handler = {
        "GET": resource.get,
        "POST": resource.post,
        "PATCH": resource.patch,
        "DELETE": resource.delete,
    }.get(method)
    if handler is None:  # PUT, and anything else: Aimeos' `Base::defaultAction`
        raise AimeosError(403, NOT_ALLOWED)
    return await handler(call)


def _segment(request: Request) -> str | None:
    """The path below the mount: "" for the root, one name for a resource, None for a path
    Laravel has no route for."""
    return _below(request.scope)


def _below(scope: Scope) -> str | None:
    path: str = scope["path"]
    below = path.removeprefix(scope.get("root_path", "")).strip("/")
    return None if "/" in below else below


def route_of(scope: Scope) -> str:
    """The route a request took, for logs: `/jsonapi/{segment}` for a segment Laravel
    routes, "?" for any other (it is whatever the client sent)."""
    segment = _below(scope)
    return f"/{segment}" if segment in ROUTES else "?"


def unexpected() -> Response:
    """Aimeos' answer to an error it did not expect, where no call is open to add meta."""
    return answer({"errors": [{"title": GENERIC_TITLE}]}, 500)


def _error(call: Call, segment: str | None, error: AimeosError) -> Response:
    """`{meta, links, errors}`; Aimeos' default action (403 "Not allowed") sets only the
    `Content-Type`; a 429 says when to retry."""
    body = {
        "meta": call.meta(0),
        "links": {
            "self": url(call.ctx.config.base_url, segment or "", link_parameters(call.query))
        },
        "errors": [{"title": title} for title in error.titles],
    }
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    if error.status == 403 and error.titles == (NOT_ALLOWED,):
        return answer(body, 403, allow=None, cache=None)
    return answer(body, error.status, headers=headers)


def build_app(get_core: Callable[[], Core], config: AimeosConfig) -> AimeosApi:
    return AimeosApi(AimeosContext(get_core, config))


def mount(get_core: Callable[[], Core], config: AimeosConfig) -> Mount:
    """The app with the toolkit's plumbing: Laravel's CORS where origins are configured."""
    api = build_app(get_core, config)
    origins = config.cors_origins
    return install_dialect(
        api,
        prefix=config.mount_path,
        log=log,
        unexpected=unexpected,
        cors=(lambda app: Cors(app, origins)) if origins else None,
        refuse_path=api.refuse,
        route_of=route_of,
    )
