"""Bodies are read within limits: size before reading, syntax, then depth without recursion."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from patron.core.domain.text import holds_nul
from patron.http.body import (
    BodyMalformed,
    BodyTooDeep,
    BodyTooLarge,
    depth,
    parse_json,
    read_body,
)


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    async def never_read() -> AsyncIterator[bytes]:
        raise AssertionError("the body was read")
        yield b""  # pragma: no cover

    with pytest.raises(BodyTooLarge):
        await read_body("1025", never_read(), max_bytes=1024)


async def test_a_streamed_body_is_cut_off_once_it_passes_the_limit() -> None:
    with pytest.raises(BodyTooLarge):
        await read_body(None, _chunks(b"x" * 600, b"x" * 600), max_bytes=1024)


async def test_a_body_within_the_limit_is_read_whole() -> None:
    assert await read_body("6", _chunks(b"abc", b"def"), max_bytes=6) == b"abcdef"


async def test_a_bad_content_length_is_malformed() -> None:
    with pytest.raises(BodyMalformed):
        await read_body("lots", _chunks(b"{}"), max_bytes=1024)


def test_deep_nesting_is_refused_without_recursion() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000  # far past Python's recursion limit

    with pytest.raises((BodyTooDeep, BodyMalformed)):
        parse_json(deep, max_depth=32)
    with pytest.raises(BodyTooDeep):
        parse_json(b'{"a":' * 400 + b"1" + b"}" * 400, max_depth=32)


def test_depth_counts_objects_and_arrays() -> None:
    assert depth(1) == 0
    assert depth({"a": [1, {"b": 2}]}) == 3
    assert parse_json(b'{"data": {"attributes": {"a": [1]}}}', max_depth=4) is not None


def test_not_json_is_malformed() -> None:
    with pytest.raises(BodyMalformed):
        parse_json(b"{nope", max_depth=32)


def test_nul_is_found_in_keys_and_values_at_any_depth() -> None:
    assert holds_nul({"a": [{"b": "x\x00"}]})
    assert holds_nul({"a\x00": 1})
    assert not holds_nul({"a": ["b", 1, None, {"c": "d"}]})
    nested: object = "end\x00"
    for _ in range(5000):
        nested = [nested]
    assert holds_nul(nested)
