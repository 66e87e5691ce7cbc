"""The plumbing every dialect gets from `patron.http.plumbing.install_dialect` and the
dispatch, and cannot forget: bodies read one way, NUL paths refused once, the security
headers, the catch-all that logs the route template, deferred work never dropped, and no
throttle without the client's address."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patron.app import create_app
from patron.core.domain.deferred import AfterAnswer, recording
from patron.http.answers import answer_then
from patron.http.dispatch import PrefixDispatch
from patron.http.plumbing import AnswerInterrupted, Mount, install_dialect
from patron.http.proxies import ClientAddressMissing, TrustedProxies, client_ip
from tests.conftest import cheap_settings

DIALECTS = Path(__file__).resolve().parents[2] / "patron" / "dialects"
BODY_READERS = {"json", "body", "stream", "form"}
FRAMEWORK_BODIES = {"Body", "Form", "File", "UploadFile"}
LOG = logging.getLogger("patron.toy")


# --- bodies: one reader ---------------------------------------------------------------------


def test_no_dialect_route_takes_a_framework_body() -> None:
    """A FastAPI body parameter (a pydantic model, `Body()`) would be read and validated by
    FastAPI, past the toolkit's limits and the dialect's error format."""
    routes = [
        (mount.prefix, route)
        for mount in create_app(cheap_settings()).dispatch.mounts
        for route in getattr(mount.dialect, "routes", ())
        if isinstance(route, APIRoute)
    ]
    assert len(routes) > 50, "no dialect routes found"
    with_bodies = [
        f"{prefix} {route.path}"
        for prefix, route in routes
        if route.body_field is not None or route.dependant.body_params
    ]
    assert with_bodies == []


def _body_reads(path: Path) -> Iterator[str]:
    """`request.json()` and its kin (on `request` or `<x>.request`), and framework body
    parameters imported from FastAPI."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            named = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if node.func.attr in BODY_READERS and named == "request":
                yield f"{path.name}:{node.lineno} request.{node.func.attr}()"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fastapi"):
            for alias in node.names:
                if alias.name in FRAMEWORK_BODIES:
                    yield f"{path.name}:{node.lineno} imports {alias.name}"


def test_no_dialect_reads_a_body_but_through_the_toolkit() -> None:
    found = [read for path in sorted(DIALECTS.rglob("*.py")) for read in _body_reads(path)]
    assert found == []


def test_the_body_check_finds_a_dialect_reading_on_its_own(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "from fastapi import Body\n"
        "async def a(request): return await request.json()\n"
        "async def b(call): return await call.request.stream()\n"
    )
    assert len(list(_body_reads(sneaky))) == 3


# --- only installed dialects are mounted -----------------------------------------------------


async def _toy(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("toy")(scope, receive, send)


async def _refused(request: Request) -> Response:
    return JSONResponse({"refused": request.url.path}, 404)


def _toy_mount(app: ASGIApp = _toy, **overrides: object) -> Mount:
    arguments: dict[str, object] = {
        "prefix": "/toy",
        "log": LOG,
        "unexpected": lambda: JSONResponse({"toy": "broken"}, 500),
        "cors": None,
        "refuse_path": _refused,
        **overrides,
    }
    return install_dialect(app, **arguments)  # type: ignore[arg-type]


def _served(*mounts: Mount) -> httpx.AsyncClient:
    dispatch = PrefixDispatch(mounts, TrustedProxies(()))

    async def root(scope: Scope, receive: Receive, send: Send) -> None:
        if not await dispatch(scope, receive, send):
            await PlainTextResponse("no mount", 404)(scope, receive, send)

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=root), base_url="http://t")


def test_the_dispatch_mounts_nothing_but_installed_dialects() -> None:
    with pytest.raises(TypeError):
        PrefixDispatch([("/toy", _toy)], TrustedProxies(()))  # type: ignore[list-item]
    with pytest.raises(TypeError):
        Mount("/toy", _toy, _toy, _toy, seal=object())


async def test_an_installed_dialect_carries_the_security_headers_on_its_own() -> None:
    async with _served(_toy_mount()) as client:
        answer = await client.get("/toy/anything")

    assert answer.text == "toy"
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["cache-control"] == "no-store"


async def test_the_cors_layer_wraps_answers_and_refusals_alike() -> None:
    def cors(app: ASGIApp) -> ASGIApp:
        async def with_origin(scope: Scope, receive: Receive, send: Send) -> None:
            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = [*message["headers"], (b"access-control-allow-origin", b"*")]
                    message = {**message, "headers": headers}
                await send(message)

            await app(scope, receive, sending)

        return with_origin

    async with _served(_toy_mount(cors=cors)) as client:
        answered = await client.get("/toy/x")
        refused = await client.get("/toy/x%00")

    assert answered.headers["access-control-allow-origin"] == "*"
    assert refused.headers["access-control-allow-origin"] == "*"


# --- NUL paths: refused once, in the dialect's format ---------------------------------------


async def test_a_nul_in_the_path_gets_the_dialects_refusal_and_never_reaches_it() -> None:
    reached: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope["path"])
        await _toy(scope, receive, send)

    async with _served(_toy_mount(app)) as client:
        refused = await client.get("/toy/customers/a%00b")
        fine = await client.get("/toy/customers/a%2500b")  # an encoded "%00" is no NUL

    assert (refused.status_code, refused.json()) == (404, {"refused": "/toy/customers/a\x00b"})
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert fine.text == "toy"
    assert reached == ["/toy/customers/a%00b"]


NUL_ANSWERS = {
    "/glue/customers/DE--1%00": (404, {"errors": [{"status": 404, "detail": "Not Found"}]}),
    "/medusa/store/auth/a%00@b.co": (404, {"type": "not_found", "message": "Not Found"}),
}


@pytest.mark.parametrize("path", NUL_ANSWERS)
async def test_each_dialect_refuses_a_nul_path_before_it_needs_its_core(path: str) -> None:
    """The refusal needs no core (an app that has not started has none) and answers in the
    vendor's format (the dialects' own tests hold the other two, which read the session
    or the token first)."""
    transport = httpx.ASGITransport(app=create_app(cheap_settings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        answer = await client.get(path, headers={"Accept": "application/vnd.api+json"})

    assert (answer.status_code, answer.json()) == NUL_ANSWERS[path]


# --- the catch-all ---------------------------------------------------------------------------


UNEXPECTED: dict[str, tuple[str, str, dict[str, object]]] = {
    "/glue/customers/DE--1": (
        "patron.glue",
        "/customers/{customer_reference}",
        {"errors": [{"status": 500, "detail": "Internal Server Error"}]},
    ),
    "/medusa/store/auth/sonia@example.com": (
        "patron.medusa",
        "/store/auth/{email}",
        {"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."},
    ),
    "/jsonapi/customer": (
        "patron.aimeos",
        "/customer",
        {"errors": [{"title": "An error occured and has been added to the logs"}]},
    ),
    "/emporix/customer/shop/customers/C-1": (
        "patron.emporix",
        "/customer/{tenant}/customers/{customerNumber}",
        {"status": 500, "type": "internal_server_error", "message": "Internal server error"},
    ),
}


@pytest.mark.parametrize("path", UNEXPECTED)
async def test_every_dialect_answers_an_unexpected_error_in_its_format_and_logs_the_template(
    path: str, caplog: pytest.LogCaptureFixture
) -> None:
    """An app that has not started has no core: every route's first use of it fails."""
    logger, template, body = UNEXPECTED[path]
    transport = httpx.ASGITransport(app=create_app(cheap_settings()))
    headers = {"Accept": "application/vnd.api+json", "Authorization": "Bearer x"}
    with caplog.at_level(logging.ERROR, logger=logger):
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answer = await client.get(path, headers=headers)

    assert answer.status_code == 500
    found: dict[str, object] = answer.json()
    assert {key: found.get(key) for key in body} == body
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    (record,) = [r for r in caplog.records if r.name == logger]
    line = record.getMessage()
    assert f"unexpected RuntimeError on GET {template} at " in line
    assert "sonia" not in line and "C-1" not in line


async def test_the_catch_all_logs_no_path_and_no_message(caplog: pytest.LogCaptureFixture) -> None:
    async def boom(request: Request) -> Response:
        raise ValueError(f"no such customer {request.path_params['email']}")

    app = Starlette(routes=[Route("/people/{email}", boom)])
    with caplog.at_level(logging.ERROR, logger=LOG.name):
        async with _served(_toy_mount(app)) as client:
            answer = await client.get("/toy/people/sonia@example.com")

    assert (answer.status_code, answer.json()) == (500, {"toy": "broken"})
    assert [r.getMessage().rsplit(" at ", 1)[0] for r in caplog.records] == [
        "unexpected ValueError on GET /people/{email}"
    ]
    assert "sonia" not in caplog.text


async def test_an_error_after_the_answer_started_cuts_it_off_without_the_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The server must cut the connection (the answer is incomplete), and it logs what it
    is given: the sanitised error, not the original and its context."""

    async def half(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("mid-answer for sonia@example.com")

    with caplog.at_level(logging.ERROR, logger=LOG.name):
        async with _served(_toy_mount(half)) as client:
            with pytest.raises(AnswerInterrupted) as raised:
                await client.get("/toy/sonia@example.com")

    assert str(raised.value) == "RuntimeError on GET ?"
    assert raised.value.__context__ is None or raised.value.__suppress_context__
    assert "unexpected RuntimeError on GET ? at " in caplog.text
    assert "sonia" not in caplog.text


# --- deferred work ---------------------------------------------------------------------------


def _deferring_app(ran: list[str]) -> Starlette:
    def after(name: str) -> AfterAnswer:
        async def work() -> None:
            ran.append(name)

        return AfterAnswer(work)

    async def claimed(request: Request) -> Response:
        return answer_then(Response(status_code=204), after("claimed"))

    async def dropped(request: Request) -> Response:
        after("dropped")  # a dialect that forgot `answer_then`
        return Response(status_code=204)

    return Starlette(
        routes=[
            Route("/claimed", claimed, methods=["POST"]),
            Route("/dropped", dropped, methods=["POST"]),
        ]
    )


async def test_deferred_work_handed_to_the_answer_runs_once_after_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []
    with caplog.at_level(logging.ERROR, logger="patron.http"):
        async with _served(_toy_mount(_deferring_app(ran))) as client:
            answer = await client.post("/toy/claimed")

    assert answer.status_code == 204
    assert ran == ["claimed"]
    assert caplog.records == []


async def test_deferred_work_a_dialect_drops_is_reported_and_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []
    with caplog.at_level(logging.ERROR, logger="patron.http"):
        async with _served(_toy_mount(_deferring_app(ran))) as client:
            answer = await client.post("/toy/dropped")

    assert answer.status_code == 204
    assert ran == ["dropped"]
    (record,) = caplog.records
    assert "never claimed" in record.getMessage() and "work" in record.getMessage()


async def test_deferred_work_is_recorded_only_inside_a_request() -> None:
    async def work() -> None:
        return None

    outside = AfterAnswer(work)  # the CLI: nothing to claim it, nothing reported
    with recording() as ledger:
        inside = AfterAnswer(work)
        assert ledger.unclaimed() == [inside]
        inside.claim()
        outside.claim()
        assert (ledger.unclaimed(), ledger.not_run()) == ([], [inside])
        await inside.run()
        assert ledger.not_run() == []


async def test_claimed_work_whose_answer_failed_first_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    async def work() -> None:
        ran.append("mail")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        answer_then(Response(status_code=204), AfterAnswer(work))
        raise RuntimeError("the answer never went out")

    with caplog.at_level(logging.WARNING):
        async with _served(_toy_mount(app)) as client:
            answer = await client.post("/toy/reset")

    assert (answer.status_code, ran) == (500, ["mail"])
    assert "its answer failed first; running it" in caplog.text


# --- the client's address --------------------------------------------------------------------


def _request(client: tuple[str, int] | None) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "client": client})


def test_the_client_address_is_the_one_the_dispatch_resolved() -> None:
    assert client_ip(_request(("192.0.2.7", 4000))) == "192.0.2.7"


def test_a_missing_client_address_is_an_error_not_a_wider_throttle_key() -> None:
    with pytest.raises(ClientAddressMissing):
        client_ip(_request(None))
    with pytest.raises(ClientAddressMissing):
        client_ip(_request(("", 0)))


async def test_a_route_without_the_client_address_answers_the_dialects_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def login(request: Request) -> Response:
        return PlainTextResponse(client_ip(request))

    mount = _toy_mount(Starlette(routes=[Route("/login", login, methods=["POST"])]))
    answers: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        answers.append(message)

    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/toy/login",
        "raw_path": b"/toy/login",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": None,
        "server": ("t", 80),
        "scheme": "http",
        "http_version": "1.1",
    }
    with caplog.at_level(logging.ERROR, logger=LOG.name):
        assert await PrefixDispatch([mount], TrustedProxies(()))(scope, receive, send)

    assert answers[0]["status"] == 500
    assert "unexpected ClientAddressMissing on POST /login" in caplog.text
