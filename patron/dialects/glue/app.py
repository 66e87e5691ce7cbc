"""The Glue storefront API as a FastAPI sub-application, mounted with the toolkit's
plumbing (`mount`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from patron.core.use_cases import Core
from patron.dialects.glue import addresses, availability, customers, passwords, tokens
from patron.dialects.glue.config import GlueConfig
from patron.dialects.glue.context import GlueContext
from patron.dialects.glue.cors import Cors, origin_layer
from patron.dialects.glue.errors import (
    BAD_REQUEST,
    NOT_FOUND,
    GlueError,
    GlueErrorObject,
    glue_error,
)
from patron.dialects.glue.openapi import ERRORS, GlueApi
from patron.dialects.glue.shapes import JsonApiResponse
from patron.dialects.glue.transport import WWW_AUTHENTICATE, GlueTransport
from patron.http.apps import answer_errors, dialect_api
from patron.http.plumbing import Mount, install_dialect
from patron.http.redirects import trailing_slash_redirect

log = logging.getLogger("patron.glue")

INTERNAL_ERROR = GlueErrorObject(500, "Internal Server Error")
"""Glue's answer to an error it did not expect: its error document, never a stack trace."""


def error_response(error: GlueError) -> Response:
    headers = {}
    if any(e.status == 401 for e in error.errors):
        headers["WWW-Authenticate"] = WWW_AUTHENTICATE
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return JsonApiResponse(error.document(), error.status, headers=headers or None)


def build_app(get_core: Callable[[], Core], config: GlueConfig) -> FastAPI:
    ctx = GlueContext(get_core, config)
    app = dialect_api(
        GlueApi,
        title="Patron: Spryker Glue storefront API (customers)",
        config=config,
        responses=ERRORS,
        default_response_class=JsonApiResponse,
        root_path_in_servers=True,
    )
    customers.add_routes(app, ctx)
    addresses.add_routes(app, ctx)
    tokens.add_routes(app, ctx)
    passwords.add_routes(app, ctx)
    availability.add_routes(app, ctx)

    def not_routed(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404:
            redirect = trailing_slash_redirect(app.router.routes, request.scope, config.base_url)
            if redirect is not None:
                return redirect
        # Glue's router answers 404 both for unknown paths and for unsupported methods.
        known = error.status_code in (404, 405)
        return error_response(GlueError(NOT_FOUND if known else BAD_REQUEST))

    answer_errors(
        app,
        own=GlueError,
        answer_own=error_response,
        domain=lambda request, error: error_response(glue_error(error)),
        not_routed=not_routed,
        invalid=lambda request, error: error_response(GlueError(BAD_REQUEST)),
    )

    cors = Cors.of(app, config.cors_origins)
    app.add_middleware(GlueTransport, core=get_core, config=config, cors=cors)
    return app


def mount(get_core: Callable[[], Core], config: GlueConfig) -> Mount:
    """The app with the toolkit's plumbing: Glue's allowed origin on every answer, its
    500 document for an unexpected error, and its 404 for a path holding a NUL (no resource
    has one)."""
    app = build_app(get_core, config)

    async def refuse_path(request: Request) -> Response:
        return error_response(GlueError(NOT_FOUND))

    return install_dialect(
        app,
        prefix=config.mount_path,
        log=log,
        unexpected=lambda: error_response(GlueError(INTERNAL_ERROR)),
        cors=origin_layer(Cors.of(app, config.cors_origins)),
        refuse_path=refuse_path,
    )
