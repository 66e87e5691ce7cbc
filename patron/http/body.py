"""Request bodies read within limits, before anything expensive looks at them.

Size first (a declared `Content-Length` over the limit is refused before a byte is read,
and a streamed body is cut off as soon as it passes the limit), then JSON syntax, then
nesting depth, measured without recursion so no document can exhaust the stack, then NULs
(valid JSON, but no PostgreSQL text holds one).

`read_document` is the one way a dialect reads a JSON body, and `read_bytes` the one way it
reads any other (a form): `tests/http/test_plumbing.py` fails on a dialect that calls
`request.json()`, `.body()`, `.stream()` or `.form()`, or takes a FastAPI body parameter.
Each error is the toolkit's; each dialect says once how its vendor answers them
(`BodyRefusals`), and the readers raise that answer instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from starlette.requests import Request

from patron.core.domain.text import holds_nul

DEFAULT_MAX_BYTES = 64 * 1024
DEFAULT_MAX_DEPTH = 32

Body = TypeVar("Body")


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


class BodyHoldsNul(BodyError):
    """Valid JSON holding a NUL (`\\u0000`) in a key or a string: no PostgreSQL text holds it."""


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """How much of a body a mount reads (`MountConfig.body_limits`)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH


@dataclass(frozen=True, slots=True)
class BodyRefusals(Generic[Body]):
    """A dialect's answers to the bodies the toolkit refuses, said once: `raise_as` makes
    the dialect's error of one of its error bodies. Too large, then a NUL (`holds_nul`,
    None: answered as `malformed`), then anything else (not JSON, too deep) as `malformed`."""

    raise_as: Callable[[Body], Exception]
    too_large: Body
    malformed: Body
    holds_nul: Body | None = None

    def refusal(self, error: BodyError) -> Exception:
        """The dialect's error for the toolkit's `error`."""
        if isinstance(error, BodyTooLarge):
            return self.raise_as(self.too_large)
        if isinstance(error, BodyHoldsNul) and self.holds_nul is not None:
            return self.raise_as(self.holds_nul)
        return self.raise_as(self.malformed)


async def read_bytes(
    request: Request, limits: BodyLimits, refusals: BodyRefusals[Any] | None = None
) -> bytes:
    """The raw body within `limits.max_bytes` (`BodyTooLarge` past it): for a form. With
    `refusals`, the dialect's error instead of the toolkit's."""
    try:
        return await read_body(
            request.headers.get("content-length"), request.stream(), max_bytes=limits.max_bytes
        )
    except BodyError as error:
        if refusals is None:
            raise
        raise refusals.refusal(error) from None


def parse_document(raw: bytes, limits: BodyLimits) -> Any:
    """The JSON document of `raw`, None for an empty (or blank) body; `BodyMalformed`,
    `BodyTooDeep` or `BodyHoldsNul` for one no dialect may look at."""
    if not raw.strip():
        return None
    document = parse_json(raw, max_depth=limits.max_depth)
    if holds_nul(document):
        raise BodyHoldsNul("a NUL in the document")
    return document


async def read_document(
    request: Request, limits: BodyLimits, refusals: BodyRefusals[Any] | None = None
) -> Any:
    """The request's JSON document within `limits` (None for no body), or a `BodyError`;
    with `refusals`, the dialect's error instead."""
    try:
        return parse_document(await read_bytes(request, limits), limits)
    except BodyError as error:
        if refusals is None:
            raise
        raise refusals.refusal(error) from None


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
