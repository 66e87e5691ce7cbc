"""What every dialect must have, installed by one call: `install_dialect`.

The four dialects were built one after another, and each remembered some of it: Glue and
Aimeos their security headers, Medusa and Emporix a catch-all that answers in the vendor's
format and logs the route's template (never the path, which holds emails and customer
numbers). Now one call installs, around each dialect app:

- the security headers and `no-store` (`security_headers`), whoever answers;
- the vendor's CORS layer, a required argument (`None` says the vendor has none);
- the catch-all: an exception nothing else answered is logged by type, route template and
  the line that raised, and answered with the dialect's own 500;
- the dialect's answer to a path the dispatch refuses (a NUL), behind the same layers.

It returns a `Mount`, and `PrefixDispatch` mounts nothing else: a dialect cannot be served
without its plumbing.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patron.http.security_headers import with_answer_headers

Unexpected = Callable[[], Response]
"""The dialect's answer to an error it did not expect: a 500 in its vendor's format."""
Refusal = Callable[[Request], Awaitable[Response]]
"""The dialect's answer to a path the dispatch refuses before any route sees it."""
Layer = Callable[[ASGIApp], ASGIApp]
"""An ASGI app around another: a vendor's CORS."""
RouteOf = Callable[[Scope], str]
"""The template of the route a request took ("?" when none), for logs."""

_SEAL = object()


class Mount:
    """A dialect app with its plumbing installed, served under `prefix`: made only by
    `install_dialect`, the only thing `PrefixDispatch` accepts. `app` answers requests,
    `refuse` a path the dispatch refuses; `dialect` is the app as the dialect built it (to
    read its routes)."""

    __slots__ = ("app", "dialect", "prefix", "refuse")

    def __init__(
        self, prefix: str, dialect: ASGIApp, app: ASGIApp, refuse: ASGIApp, *, seal: object
    ) -> None:
        if seal is not _SEAL:
            raise TypeError("a Mount is made by patron.http.plumbing.install_dialect")
        self.prefix = prefix
        self.dialect = dialect
        self.app = app
        self.refuse = refuse


def install_dialect(
    app: ASGIApp,
    *,
    prefix: str,
    log: logging.Logger,
    unexpected: Unexpected,
    cors: Layer | None,
    refuse_path: Refusal,
    route_of: RouteOf | None = None,
) -> Mount:
    """`app` with the security headers, `cors` (outermost but for the headers) and the
    catch-all; `route_of` names a request's route template where `app` is no Starlette app
    (a Starlette app's own routes are matched)."""
    if isinstance(app, Starlette):
        templates = route_template(app.routes)
        # Inside Starlette's ServerErrorMiddleware, which would answer in its own words
        # and hand the exception, path and all, to the server's log.
        app.add_middleware(CatchAll, log=log, unexpected=unexpected, route_of=templates)
        inner: ASGIApp = app
    else:
        inner = CatchAll(app, log=log, unexpected=unexpected, route_of=route_of or _unknown)
    refusal = CatchAll(_refusal_app(refuse_path), log=log, unexpected=unexpected, route_of=_unknown)
    return Mount(prefix, app, _outer(inner, cors), _outer(refusal, cors), seal=_SEAL)


def _outer(app: ASGIApp, cors: Layer | None) -> ASGIApp:
    layered = app if cors is None else cors(app)

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await layered(scope, receive, send)
            return
        await layered(scope, receive, with_answer_headers(send))

    return with_headers


def _refusal_app(refuse: Refusal) -> ASGIApp:
    async def refusing(scope: Scope, receive: Receive, send: Send) -> None:
        response = await refuse(Request(scope, receive))
        await response(scope, receive, send)

    return refusing


def _unknown(scope: Scope) -> str:
    return "?"


def route_template(routes: Sequence[BaseRoute]) -> RouteOf:
    """The template of the first of `routes` that matches a request fully (FastAPI sets
    `scope["route"]`, but a middleware may have copied the scope before)."""

    def of(scope: Scope) -> str:
        for route in routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return str(getattr(route, "path", "?"))
        return "?"

    return of


def log_unexpected(log: logging.Logger, error: BaseException, method: str, route: str) -> None:
    """One line: the error's type, the method and route template, and where it was raised.
    Never its message or the path: either may hold an email or a customer number."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    log.error("unexpected %s on %s %s at %s", type(error).__name__, method, route, where)


class AnswerInterrupted(RuntimeError):
    """An answer that failed after it had started: raised to the server so that it cuts
    the connection (the client sees the answer is incomplete), in place of the error,
    whose message and context may hold personal data the server would log."""


class CatchAll:
    """An exception nothing else answered: logged (`log_unexpected`) and answered with the
    dialect's 500. Never re-raised as it is, since the server would log it with the path:
    once the answer has started, `AnswerInterrupted` goes up in its place."""

    def __init__(
        self, app: ASGIApp, *, log: logging.Logger, unexpected: Unexpected, route_of: RouteOf
    ) -> None:
        self.app = app
        self.log = log
        self.unexpected = unexpected
        self.route_of = route_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            route = self.route_of(scope)
            log_unexpected(self.log, error, scope["method"], route)
            if started:
                interrupted = f"{type(error).__name__} on {scope['method']} {route}"
                raise AnswerInterrupted(interrupted) from None
            await self.unexpected()(scope, receive, send)
