"""`HEAD` answered as the `GET` of the same URL, without its body, for every dialect.

Express, Laravel and Symfony all do so; FastAPI's routes take only the methods they name, so
a HEAD on a Medusa or Glue route was a 404. Turning the request into a GET before any
dialect sees it gives the same status and headers (`Content-Length` is the GET body's)
everywhere, routing, authentication and CORS included.
"""

from __future__ import annotations

from starlette.types import Message, Scope, Send

_BODY = frozenset({"http.response.body", "http.response.pathsend", "http.response.zerocopysend"})


def head_as_get(scope: Scope, send: Send) -> tuple[Scope, Send]:
    """The scope and `send` to serve a request with: a HEAD becomes a GET whose body is
    dropped; any other request is left as it is."""
    if scope["method"] != "HEAD":
        return scope, send
    ended = False

    async def without_body(message: Message) -> None:
        nonlocal ended
        if message["type"] not in _BODY:
            await send(message)
        elif not ended and not message.get("more_body", False):
            ended = True  # one empty, final body message: the server ends the answer
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return {**scope, "method": "GET"}, without_body
