"""The Medusa v1 admin and store customer APIs as a FastAPI sub-application, mounted with
the toolkit's plumbing (`mount`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

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
from patron.http.apps import answer_errors, dialect_api
from patron.http.plumbing import Mount, install_dialect

log = logging.getLogger("patron.medusa")

UNKNOWN_ERROR = MedusaErrorBody(500, "unknown_error", "An unknown error occurred.", "unknown_error")


def build_app(get_core: Callable[[], Core], config: MedusaConfig) -> FastAPI:
    ctx = MedusaContext(get_core, config)
    app = dialect_api(
        MedusaApi, title="Patron: Medusa v1 admin and store customer APIs", config=config
    )
    # The hottest routes first: routes are tried in the order they are added.
    customers.add_routes(app, ctx)
    groups.add_routes(app, ctx)
    admin_auth.add_routes(app, ctx)
    store_auth.add_routes(app, ctx)
    store_customers.add_routes(app, ctx)

    def not_routed(request: Request, error: HTTPException) -> Response:
        # Express answers an unknown path and an unknown method alike: 404.
        message = f"Cannot {request.method} {request.url.path}"
        return error_response(MedusaError(not_found(message)))

    answer_errors(
        app,
        own=MedusaError,
        answer_own=error_response,
        domain=lambda request, error: error_response(medusa_error(error)),
        not_routed=not_routed,
        invalid=lambda request, error: error_response(MedusaError(BODY_MALFORMED)),
    )

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
