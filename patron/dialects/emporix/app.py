"""Emporix' customer service (tenant-managed API) as a FastAPI sub-application, mounted
with the toolkit's plumbing (`mount`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from patron.core.use_cases import Core
from patron.dialects.emporix import (
    addresses,
    customers,
    imports,
    oauth,
    storefront_addresses,
    storefront_auth,
    storefront_email,
    storefront_me,
    storefront_passwords,
    storefront_signup,
)
from patron.dialects.emporix.config import EmporixConfig
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import (
    ADDRESS_FIELDS,
    CUSTOMER_FIELDS,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    UNEXPECTED,
    EmporixError,
    Where,
    bad_request,
    emporix_error,
)
from patron.dialects.emporix.http import error_response, nul_path
from patron.http.apps import answer_errors, dialect_api
from patron.http.plumbing import Mount, install_dialect

log = logging.getLogger("patron.emporix")


def where(request: Request) -> Where:
    """What the request's path (and the handler, on `request.state`: the email of a
    write, the bearer's own customer number on `/me` routes) named."""
    params = request.path_params
    route = str(getattr(request.scope.get("route"), "path", ""))
    return Where(
        tenant_code=str(params.get("tenant", "")),
        customer_number=str(
            params.get("customerNumber") or getattr(request.state, "customer_number", "")
        ),
        address_id=str(params.get("addressId", "")),
        email=str(getattr(request.state, "email", "")),
        fields=ADDRESS_FIELDS if "/addresses" in route else CUSTOMER_FIELDS,
    )


def build_app(get_core: Callable[[], Core], config: EmporixConfig) -> FastAPI:
    ctx = EmporixContext(get_core, config)
    app = dialect_api(
        FastAPI, title="Patron: Emporix customer service (tenant-managed)", config=config
    )
    customers.add_routes(app, ctx)
    imports.add_routes(app, ctx)
    addresses.add_routes(app, ctx)
    oauth.add_routes(app, ctx)
    storefront_auth.add_routes(app, ctx)
    storefront_me.add_routes(app, ctx)
    storefront_addresses.add_routes(app, ctx)
    storefront_passwords.add_routes(app, ctx)
    storefront_signup.add_routes(app, ctx)
    storefront_email.add_routes(app, ctx)

    def not_routed(request: Request, error: HTTPException) -> Response:
        body = METHOD_NOT_ALLOWED if error.status_code == 405 else NOT_FOUND
        return error_response(EmporixError(body))

    answer_errors(
        app,
        own=EmporixError,
        answer_own=error_response,
        domain=lambda request, error: error_response(emporix_error(error, where(request))),
        not_routed=not_routed,
        invalid=lambda request, error: error_response(
            EmporixError(bad_request("The request is not valid."))
        ),
    )

    return app


def mount(get_core: Callable[[], Core], config: EmporixConfig) -> Mount:
    """The app with the toolkit's plumbing. No CORS: Emporix' API is called by servers
    and through its gateway, and Patron configures no origins for it."""
    ctx = EmporixContext(get_core, config)

    async def refuse_path(request: Request) -> Response:
        return await nul_path(request, ctx)

    return install_dialect(
        build_app(get_core, config),
        prefix=config.mount_path,
        log=log,
        unexpected=lambda: error_response(EmporixError(UNEXPECTED)),
        cors=None,
        refuse_path=refuse_path,
    )
