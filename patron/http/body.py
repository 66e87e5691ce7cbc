"""Request bodies read within limits, before anything expensive looks at them.

Size first (a declared `Content-Length` over the limit is refused before a byte is read,
and a streamed body is cut off as soon as it passes the limit), then JSON syntax, then
nesting depth, measured without recursion so no document can exhaust the stack. (NULs are
the core's concern: `core.text.holds_nul`.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson

DEFAULT_MAX_BYTES = 64 * 1024
DEFAULT_MAX_DEPTH = 32


class BodyError(Exception):
    """A body the toolkit refuses; each dialect renders it in its own error format."""


class BodyTooLarge(BodyError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class BodyMalformed(BodyError):
    """Not JSON (or not UTF-8)."""


class BodyTooDeep(BodyError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"nested deeper than {limit}")
        self.limit = limit


async def read_body(
    content_length: str | None, chunks: AsyncIterator[bytes], *, max_bytes: int
) -> bytes:
    """The whole body, or `BodyTooLarge` as soon as it is known to pass `max_bytes`."""
    if content_length is not None:
        try:
            declared = int(content_length)
        except ValueError:
            raise BodyMalformed("bad Content-Length") from None
        if declared > max_bytes:
            raise BodyTooLarge(max_bytes)
    received = bytearray()
    async for chunk in chunks:
        received += chunk
        if len(received) > max_bytes:
            raise BodyTooLarge(max_bytes)
    return bytes(received)


def parse_json(raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """The document, or `BodyMalformed` / `BodyTooDeep`."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BodyMalformed("not JSON") from None
    if depth(document, stop_at=max_depth) > max_depth:
        raise BodyTooDeep(max_depth)
    return document


def depth(value: Any, *, stop_at: int | None = None) -> int:
    """How deeply objects and arrays nest in `value` (a scalar is 0), without recursion;
    stops counting once `stop_at` is passed."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if stop_at is not None and deepest > stop_at:
            return deepest
        stack.extend((child, level) for child in children)
    return deepest
