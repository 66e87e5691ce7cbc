"""A dialect's FastAPI app, made one way: `dialect_api` and `answer_errors`.

Glue, Medusa and Emporix each built their app with the same dozen options (no FastAPI docs
of its own, no slash redirects built from `Host`, the public URL as the only server, no
telemetry) and registered the same four kinds of exception handler; Emporix forgot the
telemetry switch. Here they are made once, and each dialect says only what is its own: its
title, its error answers, and where its OpenAPI document differs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from patron.core.domain.errors.base import DomainError
from patron.http.docs import add_swagger_ui
from patron.http.mount import MountConfig

Api = TypeVar("Api", bound=FastAPI)
Own = TypeVar("Own", bound=Exception)


def dialect_api(
    api: type[Api],
    *,
    title: str,
    config: MountConfig,
    responses: dict[int | str, dict[str, Any]] | None = None,
    default_response_class: type[Response] = JSONResponse,
    root_path_in_servers: bool = False,
) -> Api:
    """A FastAPI app (of class `api`, which may complete the OpenAPI document) serving at
    `config.base_url`, with Patron's offline docs at `/docs`. `root_path_in_servers`: Glue's
    document also lists the mount path as a server, as it always has."""
    app = api(
        title=title,
        version="1.0",
        openapi_url="/openapi.json",
        docs_url=None,  # ours: every asset from Patron (patron.http.docs)
        redoc_url=None,
        redirect_slashes=False,  # a redirect's `Location` comes from the public URL, not `Host`
        servers=[{"url": config.base_url}],
        root_path_in_servers=root_path_in_servers,
        responses=responses,
        default_response_class=default_response_class,
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    add_swagger_ui(app, base_url=config.base_url, public_url=config.public_url)
    return app


def answer_errors(
    app: FastAPI,
    *,
    own: type[Own],
    answer_own: Callable[[Own], Response],
    domain: Callable[[Request, DomainError], Response],
    not_routed: Callable[[Request, HTTPException], Response],
    invalid: Callable[[Request, RequestValidationError], Response],
) -> None:
    """Register the dialect's answers, by class: its own error (`own`, raised by its
    routes), every core error (`domain`, which dispatches by category), a path or method
    no route has (`not_routed`), and a request FastAPI's validation refused (`invalid`)."""

    async def on_own(request: Request, error: Exception) -> Response:
        assert isinstance(error, own)
        return answer_own(error)

    async def on_domain(request: Request, error: Exception) -> Response:
        assert isinstance(error, DomainError)
        return domain(request, error)

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return not_routed(request, error)

    async def on_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return invalid(request, error)

    app.add_exception_handler(own, on_own)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)


def serve_first(
    app: FastAPI, template: str, handler: Callable[[Request], Awaitable[Response]]
) -> None:
    """`handler`, already documented as a GET route of `app`, also as a plain Starlette
    route in front of every other: it answers each request (routes match in order) without
    FastAPI's per-request dependency solving, which a handler that takes only the request
    does not need. A HEAD arrives as a GET (`patron.http.head`), as on the documented route."""
    fast = Route(template, handler, methods=["GET"])
    fast.methods = {"GET"}
    app.router.routes.insert(0, fast)
