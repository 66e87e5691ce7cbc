"""Bounded waits on observable conditions: tests never sleep and hope.

A condition is polled until it holds or the deadline passes; the deadline failing names
what was awaited. Prefer an event (see `tests.smtp.Inbox.wait_for`) where one exists.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

T = TypeVar("T")
POLL_SECONDS = 0.05


def wait_until(condition: Callable[[], T | None], *, within: float, what: str) -> T:
    """Return the first truthy value of `condition()`; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while not (value := condition()):
        if time.monotonic() >= deadline:
            pytest.fail(f"waited {within}s for {what}")
        time.sleep(POLL_SECONDS)
    return value


async def wait_until_async(
    condition: Callable[[], Awaitable[T | None]], *, within: float, what: str
) -> T:
    """`wait_until` for a coroutine condition, without blocking the event loop."""
    try:
        async with asyncio.timeout(within):
            while True:
                if value := await condition():
                    return value
                await asyncio.sleep(POLL_SECONDS)
    except TimeoutError:
        pytest.fail(f"waited {within}s for {what}")
