"""Glue's `page[offset]`/`page[limit]`: parsing, and links as `ResponsePagination` builds them.

Pure functions of the query string; the arithmetic is the toolkit's `Window`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from patron.dialects.glue.errors import PAGINATION_INVALID, GlueError
from patron.http.pagination import Window

HARD_LIMIT = 500
OFFSET = "page[offset]"
LIMIT = "page[limit]"
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")  # ASCII digits, and within PostgreSQL's bigint


def _integer(value: str) -> int:
    if not _INTEGER.fullmatch(value.strip()):
        raise GlueError(PAGINATION_INVALID)
    return int(value)


def parse_page(query: Iterable[tuple[str, str]]) -> Window | None:
    """The requested page, or None when the request names none.

    Like Glue, an offset without a limit is refused (the limit must be > 0). A limit
    alone starts at offset 0 (Glue would ignore it). A negative offset is refused, and a
    limit above `HARD_LIMIT` is served as `HARD_LIMIT`.
    """
    found: dict[str, str] = {}
    for key, value in query:
        if key in (OFFSET, LIMIT):
            found[key] = value  # the last one wins, as in PHP
    if not found:
        return None
    offset = _integer(found.get(OFFSET, "0"))
    limit = _integer(found.get(LIMIT, "0"))
    if offset < 0 or limit <= 0:
        raise GlueError(PAGINATION_INVALID)
    return Window(offset, min(limit, HARD_LIMIT))


def window(page: Window | None) -> tuple[int, int | None]:
    """Offset and limit to read: everything when no page was asked for."""
    return (page.offset, page.limit) if page else (0, None)


def query_without_page(raw_query: str) -> str:
    """The query string as sent, less its `page[...]` parameters (kept in their order)."""
    kept = [
        part
        for part in raw_query.split("&")
        if part and not unquote_plus(part.partition("=")[0]).startswith("page[")
    ]
    return "&".join(kept)


def page_links(resource_link: str, raw_query: str, page: Window, total: int) -> dict[str, str]:
    """`last`, `first`, `prev` (if offset > 0), `next` (if more follow); none without items.

    `resource_link` is absolute and has no query; the other query parameters come first,
    then `page[offset]=N&page[limit]=L` with literal brackets, as Glue writes them.
    """
    if total <= 0:
        return {}
    others = query_without_page(raw_query)
    prefix = f"{resource_link}?{others}&" if others else f"{resource_link}?"

    def link(offset: int) -> str:
        return f"{prefix}page[offset]={offset}&page[limit]={page.limit}"

    links = {"last": link(page.last_offset(total)), "first": link(0)}
    if (previous := page.previous_offset()) is not None:
        links["prev"] = link(previous)
    if (following := page.next_offset(total)) is not None:
        links["next"] = link(following)
    return links
