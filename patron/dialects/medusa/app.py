"""The Medusa v1 admin and store customer APIs as a FastAPI sub-application, mounted with
the toolkit's plumbing (`mount`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from patron.core.domain.errors.base import DomainError
from patron.core.use_cases import Core
from patron.dialects.medusa import (
    admin_auth,
    customers,
    groups,
    store_auth,
    store_customers,
)
from patron.dialects.medusa.config import MedusaConfig
from patron.dialects.medusa.context import MedusaContext
from patron.dialects.medusa.errors import (
    BODY_MALFORMED,
    MedusaError,
    MedusaErrorBody,
    medusa_error,
    not_found,
)
from patron.dialects.medusa.http import answer, error_response
from patron.dialects.medusa.openapi import MedusaApi
from patron.dialects.medusa.transport import MedusaTransport, cors_layer
from patron.http.docs import add_swagger_ui
from patron.http.plumbing import Mount, install_dialect

log = logging.getLogger("patron.medusa")

UNKNOWN_ERROR = MedusaErrorBody(500, "unknown_error", "An unknown error occurred.", "unknown_error")


def build_app(get_core: Callable[[], Core], config: MedusaConfig) -> FastAPI:
    ctx = MedusaContext(get_core, config)
    app = MedusaApi(
        title="Patron: Medusa v1 admin and store customer APIs",
        version="1.0",
        openapi_url="/openapi.json",
        docs_url=None,  # ours: every asset from Patron (patron.http.docs)
        redoc_url=None,
        redirect_slashes=False,  # the transport strips the slash instead
        servers=[{"url": config.base_url}],
        root_path_in_servers=False,  # the public URL only, not the mount path on its own
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    add_swagger_ui(app, base_url=config.base_url, public_url=config.public_url)
    # The hottest routes first: routes are tried in the order they are added.
    customers.add_routes(app, ctx)
    groups.add_routes(app, ctx)
    admin_auth.add_routes(app, ctx)
    store_auth.add_routes(app, ctx)
    store_customers.add_routes(app, ctx)

    @app.exception_handler(MedusaError)
    async def on_medusa_error(request: Request, error: MedusaError) -> Response:
        return error_response(error)

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, error: DomainError) -> Response:
        return error_response(medusa_error(error))

    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, error: HTTPException) -> Response:
        # Express answers an unknown path and an unknown method alike: 404.
        message = f"Cannot {request.method} {request.url.path}"
        return error_response(MedusaError(not_found(message)))

    @app.exception_handler(RequestValidationError)
    async def on_request_error(request: Request, error: RequestValidationError) -> Response:
        return error_response(MedusaError(BODY_MALFORMED))

    app.add_middleware(MedusaTransport)
    return app


def mount(get_core: Callable[[], Core], config: MedusaConfig) -> Mount:
    """The app with the toolkit's plumbing: each API's CORS, Medusa's `unknown_error` for
    an error it did not expect (the log names the route's template: `/store/auth/{email}`
    holds an email), and Express' 404 for a path holding a NUL."""

    async def refuse_path(request: Request) -> Response:
        return error_response(MedusaError(not_found("Not Found")))

    return install_dialect(
        build_app(get_core, config),
        prefix=config.mount_path,
        log=log,
        unexpected=lambda: answer(UNKNOWN_ERROR.to_json(), 500),
        cors=cors_layer(config),
        refuse_path=refuse_path,
    )
