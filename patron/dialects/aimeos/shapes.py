"""Aimeos' documents: the `meta` every answer carries, links rebuilt from the query as
PHP's `http_build_query` writes them, and the answer itself.

Every absolute URL starts from the configured public URL, never from the `Host` header, so
no request can make Patron link elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote_plus

import orjson
from starlette.responses import Response

from patron.http.qs import QueryValue

MEDIA_TYPE = "application/vnd.api+json"
DATA_ALLOW = "DELETE,GET,OPTIONS,PATCH,POST"
NO_CACHE = "no-cache, no-store, private"
"""Laravel's `no-cache, private`, and `no-store`: a data answer holds personal data."""
OPTIONS_CACHE = "max-age=300"
LINK_PARAMETERS = (
    "resource",
    "id",
    "related",
    "relatedid",
    "filter",
    "page",
    "sort",
    "include",
    "fields",
)
"""The parameters Aimeos' templates copy into the links they build (`$ref`)."""

ITEM_ALLOW = ["DELETE", "GET", "PATCH"]
RELATED_ALLOW = ["GET", "POST"]


_PLAIN = re.compile(r"[A-Za-z0-9_.-]*")


def php_encode(text: str) -> str:
    """PHP's `urlencode`: `+` for a space, every byte but `A-Za-z0-9-_.` escaped."""
    if _PLAIN.fullmatch(text):  # names and ids, most of what a link holds
        return text
    return quote_plus(text, safe="").replace("~", "%7E")


def build_query(parameters: Mapping[str, QueryValue]) -> str:
    """PHP's `http_build_query`: nested values as `key[sub]=value`, in the given order."""
    pairs: list[str] = []
    for key, value in parameters.items():
        _pairs(php_encode(key), value, pairs)
    return "&".join(pairs)


def _pairs(prefix: str, value: QueryValue, pairs: list[str]) -> None:
    if isinstance(value, str):
        pairs.append(f"{prefix}={php_encode(value)}")
        return
    children: Iterable[tuple[str, QueryValue]] = (
        value.items() if isinstance(value, dict) else ((str(i), v) for i, v in enumerate(value))
    )
    for key, child in children:
        _pairs(f"{prefix}%5B{php_encode(key)}%5D", child, pairs)


def url(base: str, resource: str, parameters: Mapping[str, QueryValue] | None = None) -> str:
    """`<base>/<resource>?<query>`; an empty resource is the API root."""
    path = f"{base}/{resource}" if resource else base
    query = build_query(parameters or {})
    return f"{path}?{query}" if query else path


def link_parameters(query: Mapping[str, QueryValue], *, drop: Iterable[str] = ()) -> dict[str, Any]:
    """The request's parameters Aimeos copies into links, in the request's order."""
    dropped = {"resource", *drop}
    return {k: v for k, v in query.items() if k in LINK_PARAMETERS and k not in dropped}


def link_to(href: str, allow: list[str]) -> dict[str, Any]:
    """A link as Aimeos writes an item's or a relation's: where, and the methods it takes."""
    return {"href": href, "allow": allow}


def answer(
    document: Mapping[str, Any],
    status: int = 200,
    *,
    allow: str | None = DATA_ALLOW,
    cache: str | None = NO_CACHE,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The JSON:API answer with exactly one `Content-Type` and at most one `Allow`."""
    response = Response(orjson.dumps(document), status, media_type=MEDIA_TYPE)
    if allow is not None:
        response.headers["Allow"] = allow
    if cache is not None:
        response.headers["Cache-Control"] = cache
    for header, value in (headers or {}).items():
        response.headers[header] = value
    return response
