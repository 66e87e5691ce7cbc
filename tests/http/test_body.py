"""Bodies are read within limits: size before reading, syntax, then depth without recursion."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from starlette.requests import Request
from starlette.types import Message

from patron.core.domain.text import holds_nul
from patron.http.body import (
    BodyHoldsNul,
    BodyLimits,
    BodyMalformed,
    BodyRefusals,
    BodyTooDeep,
    BodyTooLarge,
    depth,
    parse_document,
    parse_json,
    read_body,
    read_bytes,
    read_document,
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


def _request(body: bytes, content_length: str | None = None) -> Request:
    headers = [] if content_length is None else [(b"content-length", content_length.encode())]
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            raise AssertionError("the body was read twice")
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


async def test_a_document_is_read_within_the_mounts_limits() -> None:
    limits = BodyLimits(max_bytes=64, max_depth=3)

    assert await read_document(_request(b'{"a": [1]}'), limits) == {"a": [1]}
    with pytest.raises(BodyTooLarge):
        await read_document(_request(b"[]", content_length="65"), limits)
    with pytest.raises(BodyTooLarge):
        await read_document(_request(b'"' + b"x" * 70 + b'"'), limits)
    with pytest.raises(BodyTooDeep):
        await read_document(_request(b"[[[[1]]]]"), limits)


async def test_no_body_is_no_document() -> None:
    assert await read_document(_request(b""), BodyLimits()) is None
    assert parse_document(b"  \n", BodyLimits()) is None


@pytest.mark.parametrize(
    "raw", [b'{"a": "x\\u0000"}', b'{"a\\u0000": 1}', b'[[{"b": ["\\u0000"]}]]']
)
def test_a_nul_anywhere_in_a_document_is_refused(raw: bytes) -> None:
    """Valid JSON, but no PostgreSQL text holds a NUL: each dialect answers its own 400."""
    with pytest.raises(BodyHoldsNul):
        parse_document(raw, BodyLimits())


async def test_raw_bytes_are_read_within_the_size_limit_only() -> None:
    """A form is the dialect's to parse; a NUL in it is for the dialect to refuse."""
    form = b"grant_type=password&username=a%00b"
    assert await read_bytes(_request(form), BodyLimits(max_bytes=64)) == form
    with pytest.raises(BodyTooLarge):
        await read_bytes(_request(form), BodyLimits(max_bytes=8))


class _Refused(Exception):
    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


REFUSALS = BodyRefusals(_Refused, too_large="413", malformed="400", holds_nul="400 nul")


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        (b'"' + b"x" * 70 + b'"', "413"),
        (b'{"a": "x\\u0000"}', "400 nul"),
        (b"{not json", "400"),
        (b"[[[[1]]]]", "400"),
    ],
)
async def test_a_dialect_says_its_refusals_once(raw: bytes, answer: str) -> None:
    """With `refusals`, the reader raises the dialect's error for each of the toolkit's."""
    limits = BodyLimits(max_bytes=64, max_depth=3)
    with pytest.raises(_Refused) as refused:
        await read_document(_request(raw), limits, REFUSALS)
    assert refused.value.answer == answer
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


async def test_a_nul_is_malformed_for_a_dialect_naming_no_answer_for_it() -> None:
    refusals = BodyRefusals(_Refused, too_large="413", malformed="400")
    with pytest.raises(_Refused) as refused:
        await read_document(_request(b'["\\u0000"]'), BodyLimits(), refusals)
    assert refused.value.answer == "400"
    with pytest.raises(_Refused) as refused:
        await read_bytes(_request(b"x" * 9), BodyLimits(max_bytes=8), refusals)
    assert refused.value.answer == "413"
